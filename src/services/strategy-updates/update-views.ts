import { formatQuarter } from "../../domain/financial-period.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { StrategyOrigin, StrategyUpdateStatus } from "../../storage/schema.js";

/** Reading the links between strategies and the decisions that agreed and updated on them. */

export interface LinkedDecision {
  id: number;
  recordId: string | null;
  title: string;
  meetingDate: IsoDate;
}

export interface LinkedStrategy {
  id: number;
  slug: string;
  title: string;
  origin: StrategyOrigin;
}

export interface StrategyUpdateView {
  id: number;
  /** "2017-18 Q2". */
  period: string;
  startYear: number;
  quarter: 1 | 2 | 3 | 4;
  decision: LinkedDecision;
  status: StrategyUpdateStatus;
  foundBy: string;
  confirmedBy: string | null;
}

export interface StrategyLinksOfDecision {
  /** The strategy this decision agreed, if any. */
  agrees: LinkedStrategy | null;
  /** The strategies this decision is a quarterly update of. */
  updateOf: Array<{
    id: number;
    strategy: LinkedStrategy;
    period: string;
    startYear: number;
    quarter: 1 | 2 | 3 | 4;
    status: StrategyUpdateStatus;
    foundBy: string;
  }>;
}

function links(db: Executor) {
  return db
    .selectFrom("strategyUpdate")
    .innerJoin("decision", "decision.id", "strategyUpdate.decisionId")
    .innerJoin("strategy", "strategy.id", "strategyUpdate.strategyId")
    .select([
      "strategyUpdate.id",
      "strategyUpdate.startYear",
      "strategyUpdate.quarter",
      "strategyUpdate.status",
      "strategyUpdate.foundBy",
      "strategyUpdate.confirmedBy",
      "decision.id as decisionId",
      "decision.recordId",
      "decision.title as decisionTitle",
      "decision.meetingDate",
      "strategy.id as strategyId",
      "strategy.slug",
      "strategy.title as strategyTitle",
      "strategy.origin",
      "strategy.councilId",
    ])
    .where("decision.status", "=", "published");
}

type LinkRow = Awaited<ReturnType<ReturnType<typeof links>["execute"]>>[number];

function viewOf(row: LinkRow): StrategyUpdateView {
  const quarter = row.quarter as 1 | 2 | 3 | 4;
  return {
    id: row.id,
    period: formatQuarter({ startYear: row.startYear, quarter }),
    startYear: row.startYear,
    quarter,
    decision: {
      id: row.decisionId,
      recordId: row.recordId,
      title: row.decisionTitle,
      meetingDate: row.meetingDate,
    },
    status: row.status,
    foundBy: row.foundBy,
    confirmedBy: row.confirmedBy,
  };
}

const strategyOf = (row: LinkRow): LinkedStrategy => ({
  id: row.strategyId,
  slug: row.slug,
  title: row.strategyTitle,
  origin: row.origin,
});

/** A strategy's quarterly updates, oldest quarter first (confirmed before proposed within a quarter). */
export async function updatesForStrategy(db: Executor, strategyId: number): Promise<StrategyUpdateView[]> {
  const rows = await links(db)
    .where("strategyUpdate.strategyId", "=", strategyId)
    .orderBy("strategyUpdate.startYear")
    .orderBy("strategyUpdate.quarter")
    .orderBy("strategyUpdate.status")
    .orderBy("decision.meetingDate")
    .orderBy("strategyUpdate.id")
    .execute();
  return rows.map(viewOf);
}

/**
 * The decision that considered a strategy's update for a quarter: the confirmed one, else the first proposed
 * (status says which); null when none is linked.
 */
export async function quarterlyUpdateFor(
  db: Executor,
  strategyId: number,
  startYear: number,
  quarter: number,
): Promise<StrategyUpdateView | null> {
  const row = await links(db)
    .where("strategyUpdate.strategyId", "=", strategyId)
    .where("strategyUpdate.startYear", "=", startYear)
    .where("strategyUpdate.quarter", "=", quarter)
    .orderBy("strategyUpdate.status") // 'confirmed' sorts before 'proposed'
    .orderBy("decision.meetingDate")
    .orderBy("strategyUpdate.id")
    .executeTakeFirst();
  return row ? viewOf(row) : null;
}

/** What a decision is to strategies: the one it agreed, and those it is a quarterly update of. */
export async function strategyLinksForDecision(
  db: Executor,
  decisionId: number,
): Promise<StrategyLinksOfDecision> {
  const agreed = await db
    .selectFrom("strategy")
    .select(["id", "slug", "title", "origin"])
    .where("agreedByDecisionId", "=", decisionId)
    .orderBy("id")
    .executeTakeFirst();
  const rows = await links(db)
    .where("strategyUpdate.decisionId", "=", decisionId)
    .orderBy("strategy.title")
    .orderBy("strategyUpdate.id")
    .execute();
  return {
    agrees: agreed ?? null,
    updateOf: rows.map((row) => {
      const view = viewOf(row);
      return {
        id: row.id,
        strategy: strategyOf(row),
        period: view.period,
        startYear: view.startYear,
        quarter: view.quarter,
        status: row.status,
        foundBy: row.foundBy,
      };
    }),
  };
}

export interface ProposedUpdate extends StrategyUpdateView {
  strategy: LinkedStrategy;
}

/** A council's links awaiting an officer, most recent meeting first. */
export async function proposedStrategyUpdates(db: Executor, councilId: number): Promise<ProposedUpdate[]> {
  const rows = await links(db)
    .where("strategy.councilId", "=", councilId)
    .where("strategyUpdate.status", "=", "proposed")
    .orderBy("decision.meetingDate", "desc")
    .orderBy("strategyUpdate.id")
    .limit(500)
    .execute();
  return rows.map((row) => ({ ...viewOf(row), strategy: strategyOf(row) }));
}
