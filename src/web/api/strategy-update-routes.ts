import { ValidationError } from "../../domain/errors.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  confirmStrategyUpdate,
  rejectStrategyUpdate,
  type StrategyLinksOfDecision,
  type StrategyUpdateView,
} from "../../services/strategy-updates/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { quarterPageHref } from "../shared/strategy-links.js";
import { API_PREFIX, links } from "./present.js";
import type { DecisionStrategyLinksJson, StrategyUpdateJson } from "./strategy-update-schemas.js";

/**
 * Officers' verdicts on the links between strategies and their quarterly updates (issue 10), with an API token:
 *
 *   POST /api/v1/strategy-updates/:id/confirmation   the decision considered that quarter's update
 *   POST /api/v1/strategy-updates/:id/rejection      it did not: removed, never proposed again
 *
 * The links themselves are read in GET /api/v1/decisions/:id (strategy) and GET /api/v1/strategies/:id (updates).
 */

const OFFICERS = { config: { access: ["officer"] as const } };

const strategyApi = (id: number) => `${API_PREFIX}/strategies/${id}`;

function linkedStrategyJson(s: StrategyLinksOfDecision["updateOf"][number]["strategy"]) {
  return { ...s, links: { self: strategyApi(s.id), html: `/strategies/${s.slug}` } };
}

/** A decision's links to strategies, as GET /api/v1/decisions/:id gives them. */
export function decisionStrategyLinksJson(value: StrategyLinksOfDecision): DecisionStrategyLinksJson {
  return {
    agrees: value.agrees && linkedStrategyJson(value.agrees),
    updateOf: value.updateOf.map((link) => ({
      id: link.id,
      strategy: linkedStrategyJson(link.strategy),
      period: link.period,
      status: link.status,
      foundBy: link.foundBy,
      links: { quarter: quarterPageHref(link.strategy.slug, link.startYear, link.quarter) },
    })),
  };
}

/** A strategy's quarterly update, as GET /api/v1/strategies/:id lists them. */
export function strategyUpdateJson(u: StrategyUpdateView): StrategyUpdateJson {
  return {
    id: u.id,
    period: u.period,
    decisionId: u.decision.id,
    title: u.decision.title,
    meetingDate: u.decision.meetingDate,
    status: u.status,
    foundBy: u.foundBy,
    links: { decision: links.decision(u.decision.id), html: links.decisionPage(u.decision.id) },
  };
}

function idOf(value: string): number {
  const text = value.trim();
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new ValidationError(`id: "${text.slice(0, 40)}" is not a link's number`, "id");
  }
  return Number(text);
}

export const strategyUpdateRoutes: RoutePlugin = async (app, deps) => {
  for (const [path, act] of [
    ["confirmation", confirmStrategyUpdate],
    ["rejection", rejectStrategyUpdate],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `${API_PREFIX}/strategy-updates/:id/${path}`,
      OFFICERS,
      async (request, reply) => {
        const result = await act(
          deps.database,
          idOf(request.params.id),
          actorFor(request.account!),
          deps.now(),
        );
        reply.header("cache-control", "no-store");
        return reply.code(200).send({
          data: result,
          links: { strategy: strategyApi(result.strategyId), decision: links.decision(result.decisionId) },
        });
      },
    );
  }
};
