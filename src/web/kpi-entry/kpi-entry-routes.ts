import type { FastifyReply } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import {
  getKpi,
  listStrategies,
  setKpiValue,
  getStrategy,
  type KpiDetail,
  type KpiValueInput,
} from "../../services/strategies/index.js";
import {
  accountActor,
  field,
  formBody,
  formErrors,
  redirectWithNotice,
  takeNotice,
  type FormErrors,
} from "../admin/admin-forms.js";
import type { RoutePlugin } from "../route-plugin.js";
import { formatFigure, RAG_DISPLAY } from "../shared/kpi-format.js";

/**
 * Officers enter KPI values in the workspace:
 *
 *   GET  /workspace/strategies     the council's strategies and their KPIs, each linking to its page
 *   GET  /workspace/kpis/:code     a KPI's quarters (actual, target, RAG) and a form for one quarter
 *   POST /workspace/kpis/:code     saves that quarter through setKpiValue (audited), then back with a banner
 *
 * A figure left empty keeps what is stored (so typing a quarter's actual never clears its target).
 */

const OFFICERS = { config: { access: ["officer"] as const } };

interface EntryValues {
  period: string;
  actual: string;
  target: string;
  commentary: string;
}

export const kpiEntryRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;

  app.get("/workspace/strategies", OFFICERS, async (request, reply) => {
    const councilId = request.account!.councilId;
    const strategies = await Promise.all(
      (await listStrategies(db(), councilId)).map((s) => getStrategy(db(), councilId, s.id)),
    );
    reply.header("cache-control", "no-store");
    return reply.view("kpi-entry/strategies.njk", { pageTitle: "Strategies and KPIs", strategies });
  });

  app.get<{ Params: { code: string }; Querystring: { period?: string } }>(
    "/workspace/kpis/:code",
    OFFICERS,
    async (request, reply) => {
      const kpi = await getKpi(db(), request.account!.councilId, request.params.code);
      const period = typeof request.query.period === "string" ? request.query.period.slice(0, 20) : "";
      const stored = kpi.values.find((v) => v.period === period);
      const values: EntryValues = {
        period,
        actual: stored?.actual == null ? "" : String(stored.actual),
        target: stored?.target == null ? "" : String(stored.target),
        commentary: stored?.commentary ?? "",
      };
      return entryPage(reply, kpi, values, undefined, takeNotice(request), reply.generateCsrf());
    },
  );

  app.post<{ Params: { code: string } }>("/workspace/kpis/:code", OFFICERS, async (request, reply) => {
    const councilId = request.account!.councilId;
    const kpi = await getKpi(db(), councilId, request.params.code);
    const body = formBody(request);
    const values: EntryValues = {
      period: field(body, "period").trim(),
      actual: field(body, "actual").trim(),
      target: field(body, "target").trim(),
      commentary: field(body, "commentary"),
    };
    const figure = (text: string) =>
      text === "" ? undefined : text.replace(/^£/, "").replace(/%$/, "").replace(/,/g, "");
    const input: KpiValueInput = { commentary: values.commentary };
    const actual = figure(values.actual);
    const target = figure(values.target);
    if (actual !== undefined) input.actual = actual;
    if (target !== undefined) input.target = target;
    try {
      await setKpiValue(deps.database, councilId, kpi.code, values.period, input, accountActor(request));
      return redirectWithNotice(
        request,
        reply,
        `/workspace/kpis/${encodeURIComponent(kpi.code)}`,
        `${kpi.code} ${values.period.replace(/\s*q/i, " Q")} has been saved`,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = formErrors([{ field: error.field ?? "period", message: error.message }]);
      return entryPage(reply, kpi, values, errors, undefined, reply.generateCsrf(), 400);
    }
  });
};

function entryPage(
  reply: FastifyReply,
  kpi: KpiDetail,
  values: EntryValues,
  errors: FormErrors | undefined,
  notice: string | undefined,
  csrfToken: string,
  status = 200,
) {
  reply.header("cache-control", "no-store").code(status);
  return reply.view("kpi-entry/kpi.njk", {
    pageTitle: `${kpi.code}: ${kpi.name}`,
    kpi,
    rows: [...kpi.values].reverse().map((v) => ({
      period: v.period,
      actual: formatFigure(v.actual, kpi.unit),
      target: formatFigure(v.target, kpi.unit),
      rag: v.rag ? RAG_DISPLAY[v.rag] : null,
      commentary: v.commentary,
      change: `/workspace/kpis/${encodeURIComponent(kpi.code)}?period=${encodeURIComponent(v.period)}`,
    })),
    values,
    errors,
    fieldErrors: errors?.byField ?? {},
    notice,
    csrfToken,
  });
}
