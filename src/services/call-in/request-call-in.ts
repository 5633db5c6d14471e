import {
  type CallInGround,
  assessCallInRequest,
  parseCallInRequest,
  signatoryKey,
} from "../../domain/call-in-request.js";
import { type LifecycleFacts, deriveStatus } from "../../domain/decision-lifecycle.js";
import { DECISION_STATUS_TEXT } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import type { Database } from "../../storage/database.js";
import { type Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { loadDecisionForChange } from "../decision-changes/decision-for-change.js";
import { type DecisionRef, type StatusView, findDecision } from "../decisions/decision-rows.js";
import { type CallInRequestView, loadCallInRequests } from "./call-in-request-views.js";

/**
 * Call-in requests: councillors ask for an executive decision to be reviewed by overview and scrutiny.
 *
 * A request that cannot be recorded at all (no signatories, a name given twice, no grounds, a ground that is not
 * a principle of decision making, a time that is not a time) is a ValidationError and nothing is written. Every
 * other request is stored, valid or not: an invalid one keeps every reason it failed (one a line in
 * call_in_request.invalid_reason), so the register shows what was tried and why it did not count. Grounds are
 * stored as JSON text of the list ([{ principle, explanation }]).
 */

export interface CallInRequestInput {
  /** The councillors who signed, in order; the first made the request. */
  signatories: string[];
  grounds: Array<{ principle: string; explanation: string }>;
  /** When the request reached the proper officer; default now. */
  receivedAt?: Date;
}

export interface CallInRequestResult {
  requestId: number;
  decisionId: number;
  recordId: string | null;
  valid: boolean;
  /** Why it is invalid; empty when valid. */
  reasons: string[];
  receivedAt: Date;
  /** The decision's status now, with this request counted. */
  status: StatusView;
}

/** Allowance for clocks that differ a little between the machine that received a request and this one. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Records a call-in request against a decision, assessed against the council's minimum number of signatories
 * and the decision's call-in window (cutoff or exemption). A valid request calls the decision in (the earliest
 * valid one counts). The decision row is locked while assessing, so two requests arriving together are assessed
 * one after the other.
 */
export async function requestCallIn(
  database: Database,
  ref: DecisionRef,
  input: CallInRequestInput,
  actor: string,
): Promise<CallInRequestResult> {
  const receivedAt = input.receivedAt ?? new Date();
  const request = parseCallInRequest({
    signatories: input.signatories,
    grounds: input.grounds,
    receivedAt,
  });
  if (request.receivedAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
    throw new ValidationError(
      "a call-in request cannot be received in the future; give the time it arrived",
      "receivedAt",
    );
  }

  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    const earlierValid = facts.callInRequests.some(
      (existing) => existing.valid && existing.receivedAt.getTime() <= request.receivedAt.getTime(),
    );
    const published =
      facts.publishedAt !== null && facts.publishedAt.getTime() <= request.receivedAt.getTime();
    const assessment = assessCallInRequest(request, {
      cutoff: facts.callInCutoff,
      exemption: facts.exemption,
      minSignatories: council.minCallInSignatories,
      published,
      alreadyCalledIn: earlierValid,
      councilName: council.name,
    });
    const reasons = [...assessment.reasons];
    if (row.status === "withdrawn") reasons.push("the decision has been withdrawn");
    if (published && facts.exemption === null && facts.callInCutoff === null) {
      // assessCallInRequest refuses this case; kept for a decision whose deadline cannot be worked out.
      reasons.push("the decision's call-in deadline cannot be worked out");
    }
    const valid = reasons.length === 0;

    const inserted = await trx
      .insertInto("callInRequest")
      .values({
        decisionId: row.id,
        receivedAt: request.receivedAt,
        grounds: JSON.stringify(request.grounds satisfies CallInGround[]),
        valid,
        invalidReason: valid ? null : reasons.join("\n"),
        assessedAt: new Date(),
        assessedBy: actor,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("callInSignatory")
      .values(
        request.signatories.map((name, index) => ({
          callInRequestId: inserted.id,
          position: index + 1,
          name,
        })),
      )
      .execute();
    await appendAudit(trx, {
      actor,
      action: "call-in.received",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: {
        requestId: inserted.id,
        receivedAt: request.receivedAt.toISOString(),
        signatories: request.signatories,
        distinctSignatories: new Set(request.signatories.map(signatoryKey)).size,
        minSignatories: council.minCallInSignatories,
        principles: request.grounds.map((ground) => ground.principle),
        valid,
        reasons,
      },
    });

    const after: LifecycleFacts = {
      ...facts,
      callInRequests: [...facts.callInRequests, { receivedAt: request.receivedAt, valid }],
    };
    const derived = deriveStatus(after, new Date(Math.max(Date.now(), request.receivedAt.getTime())));
    const text = DECISION_STATUS_TEXT[derived.status];
    return {
      requestId: inserted.id,
      decisionId: row.id,
      recordId: row.recordId,
      valid,
      reasons,
      receivedAt: request.receivedAt,
      status: { ...derived, label: text.label, description: text.description },
    };
  });
}

/** Every call-in request made against a decision, oldest first, with its signatories and validity. */
export async function listCallInRequests(
  db: Executor,
  ref: DecisionRef,
): Promise<{ decisionId: number; recordId: string | null; requests: CallInRequestView[] }> {
  const decision = await findDecision(db, ref);
  return {
    decisionId: decision.id,
    recordId: decision.recordId,
    requests: await loadCallInRequests(db, decision.id),
  };
}
