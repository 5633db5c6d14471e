import { ConflictError, NotFoundError } from "../../domain/errors.js";
import { formatQuarter } from "../../domain/financial-period.js";
import type { Database, Executor } from "../../storage/database.js";
import type { CouncilActor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";

/**
 * An officer's verdict on a proposed quarterly update link: confirming makes it the strategy's update for that
 * quarter (one confirmed link a strategy a quarter); rejecting removes it and records the pairing, so it is never
 * proposed again. Both audited in the same transaction. Officers act for their own council: another council's
 * link is "not found".
 */

export interface StrategyUpdateVerdict {
  id: number;
  strategyId: number;
  decisionId: number;
  period: string;
  status: "confirmed" | "rejected";
}

async function lockLink(trx: Executor, id: number, actor: CouncilActor) {
  const row = await trx
    .selectFrom("strategyUpdate")
    .innerJoin("strategy", "strategy.id", "strategyUpdate.strategyId")
    .select([
      "strategyUpdate.id",
      "strategyUpdate.strategyId",
      "strategyUpdate.decisionId",
      "strategyUpdate.startYear",
      "strategyUpdate.quarter",
      "strategyUpdate.status",
      "strategyUpdate.foundBy",
      "strategy.councilId",
      "strategy.title",
    ])
    .where("strategyUpdate.id", "=", id)
    .forUpdate("strategyUpdate")
    .executeTakeFirst();
  if (!row || row.councilId !== actor.councilId) throw new NotFoundError(`no strategy update link ${id}`);
  return row;
}

const periodOf = (row: { startYear: number; quarter: number }) =>
  formatQuarter({ startYear: row.startYear, quarter: row.quarter as 1 | 2 | 3 | 4 });

/** Confirms a proposed link. ConflictError when another decision is already confirmed for that quarter. */
export async function confirmStrategyUpdate(
  database: Database,
  id: number,
  actor: CouncilActor,
  now: Date = new Date(),
): Promise<StrategyUpdateVerdict> {
  return database.transaction(async (trx) => {
    const link = await lockLink(trx, id, actor);
    const result: StrategyUpdateVerdict = {
      id,
      strategyId: link.strategyId,
      decisionId: link.decisionId,
      period: periodOf(link),
      status: "confirmed",
    };
    if (link.status === "confirmed") return result;
    const other = await trx
      .selectFrom("strategyUpdate")
      .select("decisionId")
      .where("strategyId", "=", link.strategyId)
      .where("startYear", "=", link.startYear)
      .where("quarter", "=", link.quarter)
      .where("status", "=", "confirmed")
      .executeTakeFirst();
    if (other) {
      throw new ConflictError(
        `decision ${other.decisionId} is already confirmed as the ${result.period} update of the ${link.title}; reject one of them`,
      );
    }
    await trx
      .updateTable("strategyUpdate")
      .set({ status: "confirmed", confirmedBy: actor.label, confirmedAt: now })
      .where("id", "=", id)
      .execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "strategy-update.confirmed",
      entity: "strategy",
      entityId: link.strategyId,
      councilId: link.councilId,
      details: {
        linkId: id,
        decisionId: link.decisionId,
        period: result.period,
        foundBy: link.foundBy,
        before: { status: "proposed" },
        after: { status: "confirmed" },
      },
    });
    return result;
  });
}

/** Rejects a link (proposed or confirmed): removed, and never proposed again for that decision and strategy. */
export async function rejectStrategyUpdate(
  database: Database,
  id: number,
  actor: CouncilActor,
  now: Date = new Date(),
): Promise<StrategyUpdateVerdict> {
  return database.transaction(async (trx) => {
    const link = await lockLink(trx, id, actor);
    await trx
      .insertInto("strategyUpdateRejection")
      .values({
        strategyId: link.strategyId,
        decisionId: link.decisionId,
        rejectedBy: actor.label,
        rejectedAt: now,
      })
      .onConflict((oc) => oc.columns(["strategyId", "decisionId"]).doNothing())
      .execute();
    await trx.deleteFrom("strategyUpdate").where("id", "=", id).execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "strategy-update.rejected",
      entity: "strategy",
      entityId: link.strategyId,
      councilId: link.councilId,
      details: {
        linkId: id,
        decisionId: link.decisionId,
        period: periodOf(link),
        foundBy: link.foundBy,
        before: { status: link.status },
        after: { status: "rejected" },
      },
    });
    return {
      id,
      strategyId: link.strategyId,
      decisionId: link.decisionId,
      period: periodOf(link),
      status: "rejected",
    };
  });
}
