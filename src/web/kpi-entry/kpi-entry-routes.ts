import type { FastifyReply } from "fastify";
import type { FastifyRequest } from "fastify";
import { ConflictError, NotFoundError, PermissionError, ValidationError } from "../../domain/errors.js";
import {
  addKpiEditor,
  enterableKpiIds,
  getKpi,
  listKpiEditors,
  listStrategies,
  removeKpiEditor,
  setKpiValue,
  getStrategy,
  type AccountEnterer,
  type KpiDetail,
  type KpiEditor,
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
 * KPI values entered in the workspace, by officers and admins (any KPI) and service managers (the KPIs that name
 * them: the services check, src/services/strategies/kpi-editors.ts):
 *
 *   GET  /workspace/strategies                          the strategies and the KPIs the account may enter
 *   GET  /workspace/kpis/:code                          a KPI's quarters, who enters them, a form for one quarter
 *   POST /workspace/kpis/:code                          saves that quarter through setKpiValue (audited)
 *   POST /workspace/kpis/:code/editors                  officer/admin: names an account (by email) as entering them
 *   POST /workspace/kpis/:code/editors/:accountId/remove  officer/admin: takes it off the list
 *
 * A figure left empty keeps what is stored (so typing a quarter's actual never clears its target).
 */

const ENTERERS = { config: { access: ["officer", "admin", "service-manager"] as const } };
const MANAGERS = { config: { access: ["officer", "admin"] as const } };

export function entererOf(request: FastifyRequest): AccountEnterer {
  const account = request.account!;
  return { accountId: account.id, roles: account.roles, label: accountActor(request) };
}

/** Officers and admins change strategies and who enters a KPI's values. */
export function managesStrategies(request: FastifyRequest): boolean {
  return request.account!.roles.some((role) => role === "officer" || role === "admin");
}

interface EntryValues {
  period: string;
  actual: string;
  target: string;
  commentary: string;
}

export const kpiEntryRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;

  app.get("/workspace/strategies", ENTERERS, async (request, reply) => {
    const councilId = request.account!.councilId;
    const enterable = await enterableKpiIds(db(), entererOf(request));
    const all = await Promise.all(
      (await listStrategies(db(), councilId)).map((s) => getStrategy(db(), councilId, s.id)),
    );
    // A service manager sees only the KPIs that name them (and the strategies and priorities holding those).
    const strategies =
      enterable === "all"
        ? all
        : all
            .map((s) => ({
              ...s,
              priorities: s.priorities
                .map((p) => ({ ...p, kpis: p.kpis.filter((k) => enterable.has(k.id)) }))
                .filter((p) => p.kpis.length > 0),
            }))
            .filter((s) => s.priorities.length > 0);
    reply.header("cache-control", "no-store");
    return reply.view("kpi-entry/strategies.njk", {
      pageTitle: "Strategies and KPIs",
      strategies,
      canManage: managesStrategies(request),
    });
  });

  app.get<{ Params: { code: string }; Querystring: { period?: string } }>(
    "/workspace/kpis/:code",
    ENTERERS,
    async (request, reply) => {
      const kpi = await enterableKpi(request, request.params.code);
      const period = typeof request.query.period === "string" ? request.query.period.slice(0, 20) : "";
      const stored = kpi.values.find((v) => v.period === period);
      const values: EntryValues = {
        period,
        actual: stored?.actual == null ? "" : String(stored.actual),
        target: stored?.target == null ? "" : String(stored.target),
        commentary: stored?.commentary ?? "",
      };
      return entryPage(reply, await pageState(request, kpi), values, {
        notice: takeNotice(request),
      });
    },
  );

  /** The KPI, or a PermissionError naming it for a service manager it does not name. */
  async function enterableKpi(request: FastifyRequest, code: string): Promise<KpiDetail> {
    const kpi = await getKpi(db(), request.account!.councilId, code);
    const enterable = await enterableKpiIds(db(), entererOf(request));
    if (enterable !== "all" && !enterable.has(kpi.id)) {
      throw new PermissionError(`You may not enter the values of KPI ${kpi.code}`);
    }
    return kpi;
  }

  async function pageState(request: FastifyRequest, kpi: KpiDetail): Promise<PageState> {
    return {
      kpi,
      editors: await listKpiEditors(db(), kpi.id),
      canManage: managesStrategies(request),
    };
  }

  app.post<{ Params: { code: string } }>("/workspace/kpis/:code", ENTERERS, async (request, reply) => {
    const councilId = request.account!.councilId;
    const kpi = await enterableKpi(request, request.params.code);
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
      await setKpiValue(deps.database, councilId, kpi.code, values.period, input, entererOf(request));
      return redirectWithNotice(
        request,
        reply,
        `/workspace/kpis/${encodeURIComponent(kpi.code)}`,
        `${kpi.code} ${values.period.replace(/\s*q/i, " Q")} has been saved`,
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = formErrors([{ field: error.field ?? "period", message: error.message }]);
      return entryPage(reply, await pageState(request, kpi), values, { errors, status: 400 });
    }
  });

  app.post<{ Params: { code: string } }>(
    "/workspace/kpis/:code/editors",
    MANAGERS,
    async (request, reply) => {
      const councilId = request.account!.councilId;
      const kpi = await getKpi(db(), councilId, request.params.code);
      const email = field(formBody(request), "email").trim();
      try {
        const added = await addKpiEditor(deps.database, councilId, kpi.code, email, accountActor(request));
        return redirectWithNotice(
          request,
          reply,
          `/workspace/kpis/${encodeURIComponent(kpi.code)}`,
          `${added.name} (${added.email}) may now enter the values of ${kpi.code}`,
        );
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
        const errors = formErrors([
          { field: "editor-email", message: error.message.replace(/^email: /, "") },
        ]);
        return entryPage(reply, await pageState(request, kpi), blankValues(), {
          errors,
          editorEmail: email,
          status: 400,
        });
      }
    },
  );

  app.post<{ Params: { code: string; accountId: string } }>(
    "/workspace/kpis/:code/editors/:accountId/remove",
    MANAGERS,
    async (request, reply) => {
      const councilId = request.account!.councilId;
      const kpi = await getKpi(db(), councilId, request.params.code);
      const accountId = Number(request.params.accountId);
      if (!/^\d{1,9}$/.test(request.params.accountId)) throw new NotFoundError("no such account");
      const editor = (await listKpiEditors(db(), kpi.id)).find((e) => e.accountId === accountId);
      await removeKpiEditor(deps.database, councilId, kpi.code, accountId, accountActor(request));
      return redirectWithNotice(
        request,
        reply,
        `/workspace/kpis/${encodeURIComponent(kpi.code)}`,
        `${editor?.name ?? `Account ${accountId}`} no longer enters the values of ${kpi.code}`,
      );
    },
  );
};

interface PageState {
  kpi: KpiDetail;
  editors: KpiEditor[];
  canManage: boolean;
}

function blankValues(): EntryValues {
  return { period: "", actual: "", target: "", commentary: "" };
}

function entryPage(
  reply: FastifyReply,
  state: PageState,
  values: EntryValues,
  options: { errors?: FormErrors; notice?: string; editorEmail?: string; status?: number },
) {
  const { kpi } = state;
  const errors = options.errors;
  reply.header("cache-control", "no-store").code(options.status ?? 200);
  return reply.view("kpi-entry/kpi.njk", {
    pageTitle: `${kpi.code}: ${kpi.name}`,
    hasErrors: errors !== undefined,
    kpi,
    editors: state.editors,
    canManage: state.canManage,
    editorEmail: options.editorEmail ?? "",
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
    notice: options.notice,
    csrfToken: reply.generateCsrf(),
  });
}
