import { ConflictError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import type { CouncilActor as CommitmentActor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";
import { lockCommitment } from "./commitment-lock.js";

/**
 * An officer's verdict on a decision suggested as fulfilling a commitment (or named by them): confirming marks
 * the commitment done, fulfilled by that decision; rejecting records that it does not, so it is never suggested
 * again for that commitment. Both audited, in the same transaction. The officer acts for their own council only:
 * another council's commitment is "not found".
 */

export interface FulfilmentResult {
  commitmentId: number;
  decisionId: number;
  status: "done" | "open";
}

async function fulfillingDecision(
  trx: Executor,
  commitment: { decisionId: number; councilId: number },
  id: number,
) {
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new ValidationError("decisionId: must be a decision's id (a whole number)", "decisionId");
  }
  const decision = await trx
    .selectFrom("decision")
    .select(["id", "title", "councilId", "status", "meetingDate"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!decision || decision.councilId !== commitment.councilId || decision.status !== "published") {
    throw new ValidationError(`decisionId: no published decision ${id} of this council`, "decisionId");
  }
  if (decision.id === commitment.decisionId) {
    throw new ValidationError("decisionId: a decision does not fulfil its own commitment", "decisionId");
  }
  return decision;
}

async function recordVerdict(
  trx: Executor,
  commitmentId: number,
  decisionId: number,
  verdict: "confirmed" | "rejected",
  actor: CommitmentActor,
  at: Date,
): Promise<void> {
  await trx
    .insertInto("commitmentSuggestionReview")
    .values({ commitmentId, decisionId, verdict, reviewedBy: actor.label, reviewedAt: at })
    .onConflict((oc) =>
      oc
        .columns(["commitmentId", "decisionId"])
        .doUpdateSet({ verdict, reviewedBy: actor.label, reviewedAt: at }),
    )
    .execute();
}

/** Marks the commitment done, fulfilled by `decisionId`. ConflictError when it is done or dropped already. */
export async function confirmFulfilment(
  database: Database,
  commitmentId: number,
  decisionId: number,
  actor: CommitmentActor,
  now: Date = new Date(),
): Promise<FulfilmentResult> {
  return database.transaction(async (trx) => {
    const commitment = await lockCommitment(trx, commitmentId, actor);
    const decision = await fulfillingDecision(trx, commitment, decisionId);
    if (commitment.status !== "open") {
      throw new ConflictError(
        commitment.status === "done"
          ? `commitment ${commitmentId} is already fulfilled${commitment.fulfilledBy === null ? "" : ` by decision ${commitment.fulfilledBy}`}`
          : `commitment ${commitmentId} was dropped`,
      );
    }
    await recordVerdict(trx, commitmentId, decision.id, "confirmed", actor, now);
    await trx
      .updateTable("commitment")
      .set({ status: "done", fulfilledBy: decision.id, confirmedBy: actor.label, confirmedAt: now })
      .where("id", "=", commitmentId)
      .execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "commitment.fulfilled",
      entity: "commitment",
      entityId: commitmentId,
      councilId: commitment.councilId,
      details: {
        decisionId: commitment.decisionId,
        text: commitment.text,
        before: { status: commitment.status, fulfilledBy: commitment.fulfilledBy },
        after: { status: "done", fulfilledBy: decision.id },
        fulfilledByTitle: decision.title,
      },
    });
    return { commitmentId, decisionId: decision.id, status: "done" as const };
  });
}

/** Records that `decisionId` does not fulfil the commitment: it is not suggested for it again. */
export async function rejectSuggestion(
  database: Database,
  commitmentId: number,
  decisionId: number,
  actor: CommitmentActor,
  now: Date = new Date(),
): Promise<FulfilmentResult> {
  return database.transaction(async (trx) => {
    const commitment = await lockCommitment(trx, commitmentId, actor);
    const decision = await fulfillingDecision(trx, commitment, decisionId);
    if (commitment.fulfilledBy === decision.id) {
      throw new ConflictError(
        `decision ${decision.id} is confirmed as fulfilling commitment ${commitmentId}; it cannot also be rejected`,
      );
    }
    await recordVerdict(trx, commitmentId, decision.id, "rejected", actor, now);
    await appendAudit(trx, {
      actor: actor.label,
      action: "commitment.suggestion-rejected",
      entity: "commitment",
      entityId: commitmentId,
      councilId: commitment.councilId,
      details: {
        decisionId: commitment.decisionId,
        text: commitment.text,
        rejected: decision.id,
        title: decision.title,
      },
    });
    return { commitmentId, decisionId: decision.id, status: commitment.status === "done" ? "done" : "open" };
  });
}
