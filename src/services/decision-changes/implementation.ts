import { type LifecycleFacts, assertCanImplement, deriveStatus } from "../../domain/decision-lifecycle.js";
import { formatUkInstant } from "../../domain/decision-status.js";
import { ConflictError, ValidationError } from "../../domain/errors.js";
import type { Database } from "../../storage/database.js";
import { assertAt } from "../argument-checks.js";
import { appendAudit } from "../audit/audit-log.js";
import { type DecisionRef, statusView } from "../decisions/decision-rows.js";
import { type LifecycleChangeResult, label, loadDecisionForChange, now } from "./decision-for-change.js";

/** The action under which `markImplemented` records an implementation in the audit log. */
export const IMPLEMENTED_ACTION = "decision.implemented";

/**
 * Records that the decision was implemented at `at` (default now). Allowed only when it could then be
 * implemented (effective, or confirmed after scrutiny: `assertCanImplement`), not in the future, and once.
 */
export async function markImplemented(
  database: Database,
  ref: DecisionRef,
  input: { at?: Date; actor: string },
): Promise<LifecycleChangeResult> {
  const at = input.at ?? now();
  assertAt(at);
  if (at.getTime() > now().getTime() + 60_000) {
    throw new ValidationError(
      `${formatUkInstant(at)} is in the future: record an implementation once it has happened`,
      "at",
    );
  }
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (facts.implementedAt !== null) {
      throw new ConflictError(
        `${label(row)} is already recorded as implemented at ${formatUkInstant(facts.implementedAt)}`,
      );
    }
    try {
      assertCanImplement(facts, at);
    } catch (error) {
      // The input is fine; the decision's state does not allow it (HTTP 409 rather than 400).
      if (error instanceof ValidationError) throw new ConflictError(`${label(row)} ${error.message}`);
      throw error;
    }
    await trx.updateTable("decision").set({ implementedAt: at }).where("id", "=", row.id).execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: IMPLEMENTED_ACTION,
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: { implementedAt: at.toISOString() },
    });
    const after: LifecycleFacts = { ...facts, implementedAt: at };
    return { id: row.id, recordId: row.recordId, status: statusView(deriveStatus(after, now())) };
  });
}
