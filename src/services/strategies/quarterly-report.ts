import { NotFoundError } from "../../domain/errors.js";
import {
  addQuarters,
  compareQuarters,
  formatQuarter,
  parseQuarter,
  quarterMonths,
  quarterOf,
  type FinancialQuarter,
} from "../../domain/financial-period.js";
import type { Executor } from "../../storage/database.js";
import type { KpiValueView, KpiView } from "./kpi-views.js";
import { getStrategy, type StrategyDetail } from "./strategies.js";

import { quarterlyUpdateFor } from "../strategy-updates/update-views.js";
import type { LinkedDecision } from "../strategy-updates/update-views.js";
/**
 * A strategy's performance in one quarter, as reported to Cabinet: each priority's KPIs with that quarter's
 * figures (RAG by the council's rule, directions against the quarter before and the same quarter a year before,
 * commentary), and each KPI's series over the strategy's quarters up to this one for its trend chart. The
 * adapters only format it (the quarterly page, its PDF).
 */

export interface TrendFigure {
  /** "2017-18 Q2". */
  period: string;
  actual: number | null;
  target: number | null;
}

export interface QuarterlyKpi extends Omit<KpiView, "values" | "latest"> {
  /** This quarter's figures, or null when none were entered. */
  value: KpiValueView | null;
  /** Every quarter of the strategy from its first up to this one, oldest first; null where nothing was entered. */
  series: TrendFigure[];
}

export interface QuarterlyReport {
  strategy: Omit<StrategyDetail, "priorities">;
  quarter: FinancialQuarter;
  /** "2017-18 Q2". */
  period: string;
  /** "July to September 2017". */
  months: string;
  /** The quarter before, if the strategy covers it. */
  previous: FinancialQuarter | null;
  /** The quarter after, if the strategy covers it and it is not after the last quarter with figures. */
  next: FinancialQuarter | null;
  priorities: Array<{ id: number; position: number; title: string; kpis: QuarterlyKpi[] }>;
  /** When this quarter's figures were last entered (null when there are none): the report's date. */
  updatedAt: Date | null;
  /**
   * The Cabinet decision that considered this quarter's update (services/strategy-updates): the confirmed one,
   * else the one proposed, awaiting an officer's confirmation; null when none is linked.
   */
  consideredBy: (LinkedDecision & { confirmed: boolean }) | null;
}

/** The quarters a strategy's period covers, oldest first. */
export function strategyQuarters(
  strategy: Pick<StrategyDetail, "periodFrom" | "periodTo">,
): FinancialQuarter[] {
  const first = quarterOf(strategy.periodFrom);
  const last = quarterOf(strategy.periodTo);
  const quarters: FinancialQuarter[] = [];
  for (let q = first; compareQuarters(q, last) <= 0; q = addQuarters(q, 1)) quarters.push(q);
  return quarters;
}

/** The strategy's quarters with at least one KPI figure (actual or target) entered, newest first. */
export function reportedQuarters(strategy: StrategyDetail): FinancialQuarter[] {
  const reported = new Set(
    strategy.priorities.flatMap((p) =>
      p.kpis.flatMap((k) =>
        k.values.filter((v) => v.actual !== null || v.target !== null).map((v) => v.period),
      ),
    ),
  );
  return strategyQuarters(strategy)
    .filter((q) => reported.has(formatQuarter(q)))
    .reverse();
}

/** Whether the strategy's period covers the quarter. */
export function coversQuarter(
  strategy: Pick<StrategyDetail, "periodFrom" | "periodTo">,
  quarter: FinancialQuarter,
): boolean {
  return (
    compareQuarters(quarter, quarterOf(strategy.periodFrom)) >= 0 &&
    compareQuarters(quarter, quarterOf(strategy.periodTo)) <= 0
  );
}

/**
 * The strategy (by slug or id) in the quarter starting in `startYear`'s financial year; NotFoundError when there
 * is no such strategy or its period does not cover the quarter.
 */
export async function quarterlyReport(
  db: Executor,
  councilId: number,
  ref: number | string,
  startYear: number,
  quarter: number,
): Promise<QuarterlyReport> {
  if (!Number.isInteger(startYear) || ![1, 2, 3, 4].includes(quarter)) {
    throw new NotFoundError(
      `no quarter ${String(quarter).slice(0, 10)} of ${String(startYear).slice(0, 10)}`,
    );
  }
  const q: FinancialQuarter = { startYear, quarter: quarter as FinancialQuarter["quarter"] };
  const { priorities, ...strategy } = await getStrategy(db, councilId, ref);
  if (!coversQuarter(strategy, q)) {
    throw new NotFoundError(`${strategy.title} does not cover ${formatQuarter(q)}`);
  }
  const shown = strategyQuarters(strategy).filter((s) => compareQuarters(s, q) <= 0);
  const period = formatQuarter(q);
  let updatedAt: Date | null = null;
  let lastReported: FinancialQuarter | null = null;
  const report = priorities.map((p) => ({
    id: p.id,
    position: p.position,
    title: p.title,
    kpis: p.kpis.map(({ values, latest: _latest, ...kpi }): QuarterlyKpi => {
      const byPeriod = new Map(values.map((v) => [v.period, v]));
      const value = byPeriod.get(period) ?? null;
      if (value && (updatedAt === null || value.enteredAt > updatedAt)) updatedAt = value.enteredAt;
      for (const v of values) {
        const at = parseQuarter(v.period);
        if (coversQuarter(strategy, at) && (!lastReported || compareQuarters(at, lastReported) > 0)) {
          lastReported = at;
        }
      }
      return {
        ...kpi,
        value,
        series: shown.map((s) => {
          const v = byPeriod.get(formatQuarter(s));
          return { period: formatQuarter(s), actual: v?.actual ?? null, target: v?.target ?? null };
        }),
      };
    }),
  }));
  const before = addQuarters(q, -1);
  const after = addQuarters(q, 1);
  const considered = await quarterlyUpdateFor(db, strategy.id, q.startYear, q.quarter);
  const last = lastReported as FinancialQuarter | null;
  return {
    strategy,
    quarter: q,
    period,
    months: quarterMonths(q),
    previous: coversQuarter(strategy, before) ? before : null,
    next: coversQuarter(strategy, after) && last !== null && compareQuarters(after, last) <= 0 ? after : null,
    priorities: report,
    updatedAt,
    consideredBy: considered && { ...considered.decision, confirmed: considered.status === "confirmed" },
  };
}
