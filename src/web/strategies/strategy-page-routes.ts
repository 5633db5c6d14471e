import { NotFoundError } from "../../domain/errors.js";
import { parseQuarter } from "../../domain/financial-period.js";
import {
  councilIdForStrategies,
  coversQuarter,
  reportedQuarters,
  getStrategy,
  listStrategies,
  type KpiValueView,
  type KpiView,
  type StrategyDetail,
  type StrategySummary,
} from "../../services/strategies/index.js";
import { updatesForStrategy } from "../../services/strategy-updates/index.js";
import { listCommitments } from "../../services/commitments/index.js";
import { ukDateOf } from "../../domain/uk-time.js";
import type { RoutePlugin } from "../route-plugin.js";
import { quarterPageHref } from "../shared/strategy-links.js";
import { DIRECTION_LABELS, formatFigure, RAG_DISPLAY } from "../shared/kpi-format.js";
import { quarterLink, quarterPath } from "./quarter-paths.js";

/**
 * The public pages of the default council's strategies:
 *
 *   GET /strategies          every strategy: period, the decision that agreed it, how many KPIs
 *   GET /strategies/:slug    each priority's KPIs at their latest position: actual, target, RAG (a word and a
 *                            shape, never colour alone), direction of travel, commentary; links to each quarter
 *                            with figures (quarterly-page-routes.ts), newest first; the Cabinet decisions that
 *                            considered its quarterly updates, and what those decisions promised that is overdue
 */

/** Overdue commitments listed on a strategy's page; /commitments?status=overdue has every one. */
const OVERDUE_SHOWN = 20;

export const strategyPageRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;
  const council = () => councilIdForStrategies(db(), undefined, deps.config.defaultCouncil);

  app.get("/strategies", async (_request, reply) => {
    let strategies: StrategySummary[] = [];
    try {
      strategies = await listStrategies(db(), await council());
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    return reply.view("strategies/strategies.njk", { pageTitle: "Strategies", strategies });
  });

  app.get<{ Params: { slug: string } }>("/strategies/:slug", async (request, reply) => {
    const slug = request.params.slug;
    if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw new NotFoundError(`no strategy "${slug.slice(0, 80)}"`);
    const strategy = await getStrategy(db(), await council(), slug);
    const updates = await updatesForStrategy(db(), strategy.id);
    const overdue = await listCommitments(
      db(),
      { strategyId: strategy.id, status: "overdue", limit: OVERDUE_SHOWN + 1 },
      ukDateOf(deps.now()),
    );
    return reply.view("strategies/strategy.njk", {
      pageTitle: strategy.title,
      strategy,
      origin: strategy.origin,
      overdueCommitments: overdue.slice(0, OVERDUE_SHOWN),
      moreOverdue: overdue.length > OVERDUE_SHOWN,
      updates: updates.map((u) => ({ ...u, href: quarterPageHref(strategy.slug, u.startYear, u.quarter) })),
      quarters: reportedQuarters(strategy).map((q) => quarterLink(strategy.slug, q)),
      priorities: strategy.priorities.map((p) => ({ ...p, kpis: p.kpis.map((k) => kpiRow(k, strategy)) })),
    });
  });
};

function kpiRow(kpi: KpiView, strategy: StrategyDetail) {
  const latest: KpiValueView | null = kpi.latest;
  const quarter = latest ? parseQuarter(latest.period) : null;
  return {
    code: kpi.code,
    name: kpi.name,
    polarity: kpi.polarity === "higher-is-better" ? "Higher is better" : "Lower is better",
    period: latest?.period ?? null,
    // The quarter's page, when the strategy covers it (a baseline figure from before it started has none).
    periodHref: quarter && coversQuarter(strategy, quarter) ? quarterPath(strategy.slug, quarter) : null,
    actual: latest ? formatFigure(latest.actual, kpi.unit) : null,
    target: latest ? formatFigure(latest.target, kpi.unit) : null,
    rag: latest?.rag ? RAG_DISPLAY[latest.rag] : null,
    direction: latest?.direction ? DIRECTION_LABELS[latest.direction] : null,
    directionFromYearBefore: latest?.directionFromYearBefore
      ? DIRECTION_LABELS[latest.directionFromYearBefore]
      : null,
    commentary: latest?.commentary ?? "",
  };
}
