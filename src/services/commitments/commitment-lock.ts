import { NotFoundError } from "../../domain/errors.js";
import type { Executor } from "../../storage/database.js";
import type { CouncilActor } from "../accounts/account-actor.js";

/**
 * A commitment locked for a change in this transaction (managing it, or reviewing a suggested fulfilment), with
 * its decision's council. An officer acts for their own council only: another council's commitment, or one of a
 * decision not published, is "not found".
 */
export async function lockCommitment(trx: Executor, commitmentId: number, actor: CouncilActor) {
  if (!Number.isSafeInteger(commitmentId) || commitmentId < 1) {
    throw new NotFoundError(`no commitment ${String(commitmentId)}`);
  }
  const row = await trx
    .selectFrom("commitment")
    .innerJoin("decision", "decision.id", "commitment.decisionId")
    .select([
      "commitment.id",
      "commitment.decisionId",
      "commitment.text",
      "commitment.owner",
      "commitment.status",
      "commitment.dueStartYear",
      "commitment.dueQuarter",
      "commitment.droppedReason",
      "commitment.fulfilledBy",
      "decision.councilId",
      "decision.meetingDate",
      "decision.status as decisionStatus",
    ])
    .where("commitment.id", "=", commitmentId)
    .forUpdate("commitment")
    .executeTakeFirst();
  if (!row || row.councilId !== actor.councilId || row.decisionStatus !== "published") {
    throw new NotFoundError(`no commitment ${commitmentId}`);
  }
  return row;
}

export type LockedCommitment = Awaited<ReturnType<typeof lockCommitment>>;
