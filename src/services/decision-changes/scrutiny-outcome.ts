import { parseIsoDateInput } from "../../domain/date-input.js";
import {
  type LifecycleFacts,
  type ScrutinyOutcome,
  deriveStatus,
  validateLifecycleFacts,
} from "../../domain/decision-lifecycle.js";
import { formatUkInstant } from "../../domain/decision-status.js";
import { ConflictError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { startOfUkDay, ukDateOf } from "../../domain/uk-time.js";
import type { Database } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { type DecisionRef, statusView } from "../decisions/decision-rows.js";
import { DOMAIN_TO_STORED_OUTCOME, STORED_TO_DOMAIN_OUTCOME } from "../decisions/lifecycle-facts.js";
import { type LifecycleChangeResult, label, loadDecisionForChange, now } from "./decision-for-change.js";

/** Scrutiny outcomes as users may name them: the domain's words, or the stored "no-further-action". */
export function parseScrutinyOutcome(value: string): ScrutinyOutcome {
  const text = value.trim().toLowerCase();
  if (text === "no-further-action") return "confirmed";
  if (text === "confirmed" || text === "referred-back" || text === "referred-to-council") return text;
  throw new ValidationError(
    `"${value}" is not a scrutiny outcome; expected confirmed, referred-back or referred-to-council`,
    "outcome",
  );
}

/**
 * Records overview and scrutiny's outcome for a called-in decision: confirmed (it may be implemented),
 * referred back to the decision maker, or referred to full Council. The decision must have been validly called
 * in on or before `decidedOn`, the date may not be in the future, and an outcome already recorded is not
 * replaced (ConflictError).
 */
export async function recordScrutinyOutcome(
  database: Database,
  ref: DecisionRef,
  input: {
    outcome: ScrutinyOutcome | string;
    decidedOn: IsoDate;
    actor: string;
    /** The clock (the web's, which tests pin); default the system's. */
    now?: Date;
  },
): Promise<LifecycleChangeResult> {
  const outcome = parseScrutinyOutcome(input.outcome);
  const decidedOn = parseIsoDateInput(input.decidedOn, "decidedOn");
  const at = input.now ?? now();
  if (decidedOn > ukDateOf(at)) {
    throw new ValidationError(
      `${decidedOn} is in the future: record an outcome once it is decided`,
      "decidedOn",
    );
  }
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (row.scrutinyOutcome !== null) {
      throw new ConflictError(
        `${label(row)} already has a scrutiny outcome (${STORED_TO_DOMAIN_OUTCOME[row.scrutinyOutcome]}` +
          `${row.scrutinyOutcomeOn ? ` on ${row.scrutinyOutcomeOn}` : ""}); it is not replaced`,
      );
    }
    const calledIn = facts.callInRequests
      .filter((request) => request.valid)
      .map((request) => request.receivedAt)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (calledIn === undefined) {
      throw new ConflictError(
        `${label(row)} was never validly called in, so there is no scrutiny outcome to record`,
      );
    }
    if (decidedOn < ukDateOf(calledIn)) {
      throw new ValidationError(
        `${decidedOn} is before the decision was called in (${formatUkInstant(calledIn)})`,
        "decidedOn",
      );
    }
    const decidedAt = new Date(Math.max(startOfUkDay(decidedOn).getTime(), calledIn.getTime()));
    validateLifecycleFacts({ ...facts, scrutiny: { outcome, decidedAt } });
    await trx
      .updateTable("decision")
      .set({ scrutinyOutcome: DOMAIN_TO_STORED_OUTCOME[outcome], scrutinyOutcomeOn: decidedOn })
      .where("id", "=", row.id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "decision.scrutiny-outcome-recorded",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: { outcome, decidedOn, storedAs: DOMAIN_TO_STORED_OUTCOME[outcome] },
    });
    const after: LifecycleFacts = { ...facts, scrutiny: { outcome, decidedAt } };
    return { id: row.id, recordId: row.recordId, status: statusView(deriveStatus(after, at)) };
  });
}
