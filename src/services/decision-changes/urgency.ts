import {
  type UrgencyConsentRole,
  callInExemption,
  declareUrgent,
  formatUrgencyConsent,
} from "../../domain/call-in-exemption.js";
import {
  type LifecycleFacts,
  deriveStatus,
  validateLifecycleFacts,
} from "../../domain/decision-lifecycle.js";
import { ConflictError } from "../../domain/errors.js";
import type { Database } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { type DecisionRef, statusView } from "../decisions/decision-rows.js";
import { type LifecycleChangeResult, label, loadDecisionForChange, now } from "./decision-for-change.js";

/**
 * Records that the decision was taken as urgent: the reason, and who consented (the chair of overview and
 * scrutiny, failing them the chair or vice-chair of the council). The decision is then not subject to call-in.
 * Refused for a recommendation to Council (already not subject to call-in), a decision already declared
 * urgent, or one that has been validly called in (ConflictError).
 */
export async function declareUrgency(
  database: Database,
  ref: DecisionRef,
  input: { reason: string; consent: { name: string; role: UrgencyConsentRole | string }; actor: string },
): Promise<LifecycleChangeResult> {
  const urgency = declareUrgent({ reason: input.reason, consent: input.consent });
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (facts.exemption?.reason === "recommendation-to-council") {
      throw new ConflictError(
        `${label(row)} is a recommendation to Council: it is not subject to call-in anyway`,
      );
    }
    if (row.urgent && facts.exemption?.reason === "urgent") {
      throw new ConflictError(`${label(row)} is already recorded as urgent`);
    }
    if (facts.callInRequests.some((request) => request.valid)) {
      throw new ConflictError(
        `${label(row)} has been validly called in; it cannot be declared urgent afterwards`,
      );
    }
    const consent = formatUrgencyConsent(urgency.consent);
    const exemption = callInExemption({ outcomes: row.outcomes, urgency });
    const after: LifecycleFacts = { ...facts, exemption, callInCutoff: null };
    validateLifecycleFacts(after);
    await trx
      .updateTable("decision")
      .set({
        urgent: true,
        urgencyReason: urgency.reason,
        urgencyChairConsent: consent,
        notSubjectToCallIn: true,
      })
      .where("id", "=", row.id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "decision.urgency-declared",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: {
        reason: urgency.reason,
        consent: { name: urgency.consent.name, role: urgency.consent.role },
      },
    });
    return { id: row.id, recordId: row.recordId, status: statusView(deriveStatus(after, now())) };
  });
}
