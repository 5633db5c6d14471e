import type { FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { actorFor, type Account } from "../../services/accounts/index.js";
import {
  addKpi,
  addPriority,
  councilIdForStrategies,
  createStrategy,
  removeKpi,
  removePriority,
  updateKpi,
  updatePriority,
  updateStrategy,
  getKpi,
  getStrategy,
  listStrategies,
  setKpiValue,
  type KpiDetail,
  type KpiValueView,
  type KpiView,
  type StrategyDetail,
  type StrategySummary,
} from "../../services/strategies/index.js";
import { maxAgeFor, sendCached } from "../shared/http-caching.js";
import type { RoutePlugin } from "../route-plugin.js";
import { API_PREFIX, instant, links } from "./present.js";
import type { KpiJson, KpiSummaryJson, StrategyJson, StrategyListJson } from "./strategy-schemas.js";
import { updatesForStrategy } from "../../services/strategy-updates/index.js";
import { strategyUpdateJson } from "./strategy-update-routes.js";

/**
 * Strategies and KPIs in the API (issue 10). Reading is public (the default council's strategies), with ETags
 * and Access-Control-Allow-Origin: * as the rest of the open data; writing needs an API token: an officer's or
 * admin's to change strategies, and for a KPI's figures also a service manager's the KPI names (the service checks).
 *
 *   GET    /api/v1/strategies                           the strategies, each with id and slug
 *   GET    /api/v1/strategies/:id                       one, by id or slug: priorities, KPIs, values with RAG, and
 *                                                      the decisions that considered its quarterly updates
 *   GET    /api/v1/kpis/:code                           one KPI with every quarter
 *   POST   /api/v1/strategies                           officer: a strategy with its priorities and KPIs
 *   PATCH  /api/v1/strategies/:id                       officer, admin: title, owner, period, agreedBy
 *   POST   /api/v1/strategies/:id/priorities            officer, admin: add a priority
 *   PATCH  /api/v1/strategies/:id/priorities/:pid       officer, admin: rename or move one
 *   DELETE /api/v1/strategies/:id/priorities/:pid       officer, admin: remove one with no KPIs
 *   POST   /api/v1/strategies/:id/kpis                  officer, admin: add a KPI under a priority
 *   PATCH  /api/v1/kpis/:code                           officer, admin: change a KPI or move it
 *   DELETE /api/v1/kpis/:code                           officer, admin: remove a KPI with no values
 *   PUT    /api/v1/kpis/:code/values/:period            officer, admin, service manager: one quarter's figures
 */

const PUBLIC = { config: { access: "public" as const } };
const OFFICERS = { config: { access: ["officer"] as const } };
const MANAGERS = { config: { access: ["officer", "admin"] as const } };
const ENTERERS = { config: { access: ["officer", "admin", "service-manager"] as const } };
const JSON_TYPE = "application/json; charset=utf-8";

export const strategyLinks = {
  strategy: (id: number) => `${API_PREFIX}/strategies/${id}`,
  kpi: (code: string) => `${API_PREFIX}/kpis/${encodeURIComponent(code)}`,
};

export const strategyRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;
  /** The public site shows the default council's strategies (as /council shows its rule). */
  const publicCouncil = () => councilIdForStrategies(db(), undefined, deps.config.defaultCouncil);
  const actor = (request: FastifyRequest) => actorFor(request.account as Account);

  function sendJson(request: FastifyRequest, reply: FastifyReply, value: unknown) {
    reply.header("access-control-allow-origin", "*");
    return sendCached(request, reply, {
      body: JSON.stringify(value),
      contentType: JSON_TYPE,
      maxAge: maxAgeFor(deps.now(), null),
    });
  }

  app.get(`${API_PREFIX}/strategies`, PUBLIC, async (request, reply) => {
    let strategies: StrategySummary[] = [];
    try {
      strategies = await listStrategies(db(), await publicCouncil());
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error; // no council yet: no strategies
    }
    const body: StrategyListJson = {
      data: strategies.map((s) => ({ ...summaryJson(s), links: { self: strategyLinks.strategy(s.id) } })),
      links: { self: `${API_PREFIX}/strategies` },
    };
    return sendJson(request, reply, body);
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/strategies/:id`, PUBLIC, async (request, reply) => {
    const strategy = await getStrategy(db(), await publicCouncil(), request.params.id);
    const updates = await updatesForStrategy(db(), strategy.id);
    return sendJson(request, reply, strategyJson(strategy, updates.map(strategyUpdateJson)));
  });

  app.get<{ Params: { code: string } }>(`${API_PREFIX}/kpis/:code`, PUBLIC, async (request, reply) => {
    const kpi = await getKpi(db(), await publicCouncil(), request.params.code);
    return sendJson(request, reply, kpiJson(kpi));
  });

  app.post<{ Body: unknown }>(`${API_PREFIX}/strategies`, OFFICERS, async (request, reply) => {
    const who = actor(request);
    const { id } = await createStrategy(deps.database, who.councilId, objectBody(request.body), who.label);
    const updates = await updatesForStrategy(db(), id);
    const body = strategyJson(await getStrategy(db(), who.councilId, id), updates.map(strategyUpdateJson));
    reply.header("cache-control", "no-store");
    return reply.code(201).header("location", body.links.self).send(body);
  });

  app.put<{ Params: { code: string; period: string }; Body: unknown }>(
    `${API_PREFIX}/kpis/:code/values/:period`,
    ENTERERS,
    async (request, reply) => {
      const who = actor(request);
      const body = objectBody(request.body);
      const { kpi } = await setKpiValue(
        deps.database,
        who.councilId,
        request.params.code,
        request.params.period,
        body,
        { accountId: who.accountId, roles: request.account!.roles, label: who.label },
      );
      reply.header("cache-control", "no-store");
      return kpiJson(kpi);
    },
  );

  /** The strategy as it is now, after a change. */
  async function strategyNow(reply: FastifyReply, councilId: number, id: number | string, status = 200) {
    const strategy = await getStrategy(db(), councilId, id);
    const updates = await updatesForStrategy(db(), strategy.id);
    const body = strategyJson(strategy, updates.map(strategyUpdateJson));
    reply.header("cache-control", "no-store").code(status);
    return body;
  }

  app.patch<{ Params: { id: string }; Body: unknown }>(
    `${API_PREFIX}/strategies/:id`,
    MANAGERS,
    async (request, reply) => {
      const who = actor(request);
      const { id } = await updateStrategy(
        deps.database,
        who.councilId,
        request.params.id,
        objectBody(request.body),
        who.label,
      );
      return strategyNow(reply, who.councilId, id);
    },
  );

  app.post<{ Params: { id: string }; Body: unknown }>(
    `${API_PREFIX}/strategies/:id/priorities`,
    MANAGERS,
    async (request, reply) => {
      const who = actor(request);
      await addPriority(deps.database, who.councilId, request.params.id, objectBody(request.body), who.label);
      return strategyNow(reply, who.councilId, request.params.id, 201);
    },
  );

  app.patch<{ Params: { id: string; pid: string }; Body: unknown }>(
    `${API_PREFIX}/strategies/:id/priorities/:pid`,
    MANAGERS,
    async (request, reply) => {
      const who = actor(request);
      await updatePriority(
        deps.database,
        who.councilId,
        request.params.id,
        priorityIdOf(request.params.pid),
        objectBody(request.body),
        who.label,
      );
      return strategyNow(reply, who.councilId, request.params.id);
    },
  );

  app.delete<{ Params: { id: string; pid: string } }>(
    `${API_PREFIX}/strategies/:id/priorities/:pid`,
    MANAGERS,
    async (request, reply) => {
      const who = actor(request);
      await removePriority(
        deps.database,
        who.councilId,
        request.params.id,
        priorityIdOf(request.params.pid),
        who.label,
      );
      return reply.code(204).header("cache-control", "no-store").send();
    },
  );

  app.post<{ Params: { id: string }; Body: unknown }>(
    `${API_PREFIX}/strategies/:id/kpis`,
    MANAGERS,
    async (request, reply) => {
      const who = actor(request);
      const { code } = await addKpi(
        deps.database,
        who.councilId,
        request.params.id,
        objectBody(request.body),
        who.label,
      );
      const body = kpiJson(await getKpi(db(), who.councilId, code));
      reply.header("cache-control", "no-store");
      return reply.code(201).header("location", body.links.self).send(body);
    },
  );

  app.patch<{ Params: { code: string }; Body: unknown }>(
    `${API_PREFIX}/kpis/:code`,
    MANAGERS,
    async (request, reply) => {
      const who = actor(request);
      const { code } = await updateKpi(
        deps.database,
        who.councilId,
        request.params.code,
        objectBody(request.body),
        who.label,
      );
      reply.header("cache-control", "no-store");
      return kpiJson(await getKpi(db(), who.councilId, code));
    },
  );

  app.delete<{ Params: { code: string } }>(`${API_PREFIX}/kpis/:code`, MANAGERS, async (request, reply) => {
    const who = actor(request);
    await removeKpi(deps.database, who.councilId, request.params.code, who.label);
    return reply.code(204).header("cache-control", "no-store").send();
  });
};

function summaryJson(s: StrategySummary) {
  return {
    id: s.id,
    slug: s.slug,
    title: s.title,
    period: { from: s.periodFrom, to: s.periodTo },
    owner: s.owner,
    origin: s.origin,
    agreedBy: s.agreedBy && {
      ...s.agreedBy,
      links: { self: links.decision(s.agreedBy.id), html: links.decisionPage(s.agreedBy.id) },
    },
    priorityCount: s.priorityCount,
    kpiCount: s.kpiCount,
  };
}

function valueJson(v: KpiValueView) {
  return {
    period: v.period,
    actual: v.actual,
    target: v.target,
    rag: v.rag,
    direction: v.direction,
    directionFromYearBefore: v.directionFromYearBefore,
    commentary: v.commentary,
    enteredAt: instant(v.enteredAt),
  };
}

function kpiSummaryJson(k: KpiView): KpiSummaryJson {
  return {
    code: k.code,
    name: k.name,
    definition: k.definition,
    unit: k.unit,
    polarity: k.polarity,
    dataSource: k.dataSource,
    values: k.values.map(valueJson),
    latest: k.latest && valueJson(k.latest),
    links: { self: strategyLinks.kpi(k.code) },
  };
}

function strategyJson(s: StrategyDetail, updates: StrategyJson["data"]["updates"]): StrategyJson {
  return {
    data: {
      ...summaryJson(s),
      updates,
      ragRule: s.ragRule,
      ragRuleText: s.ragRuleText,
      priorities: s.priorities.map((p) => ({
        id: p.id,
        position: p.position,
        title: p.title,
        kpis: p.kpis.map(kpiSummaryJson),
      })),
    },
    links: { self: strategyLinks.strategy(s.id) },
  };
}

function kpiJson(k: KpiDetail): KpiJson {
  const { links: _links, ...summary } = kpiSummaryJson(k);
  return {
    data: { ...summary, strategy: k.strategy, priority: k.priority },
    links: { self: strategyLinks.kpi(k.code), strategy: strategyLinks.strategy(k.strategy.id) },
  };
}

/** A priority's number from the path; NotFoundError for anything else. */
function priorityIdOf(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new NotFoundError(`no priority "${text.slice(0, 20)}"`);
  return Number(text);
}

/** A JSON object body, or a 400 saying what to send. */
function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError(
      "send a JSON object (Content-Type: application/json) as the request body",
      "body",
    );
  }
  return body as Record<string, unknown>;
}
