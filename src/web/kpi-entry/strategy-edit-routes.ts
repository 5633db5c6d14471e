import type { FastifyReply, FastifyRequest } from "fastify";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import { KPI_POLARITIES, KPI_UNITS } from "../../domain/kpi.js";
import {
  addKpi,
  addPriority,
  getKpi,
  getStrategy,
  removeKpi,
  removePriority,
  updateKpi,
  updatePriority,
  updateStrategy,
  type KpiDetail,
  type StrategyDetail,
} from "../../services/strategies/index.js";
import {
  accountActor,
  field,
  formBody,
  formErrors,
  redirectWithNotice,
  takeNotice,
  type FormBody,
  type FormErrors,
} from "../admin/admin-forms.js";
import type { RoutePlugin } from "../route-plugin.js";

/**
 * Officers and admins change a strategy in the workspace, each change through the services (audited):
 *
 *   GET  /workspace/strategies/:slug                               the edit page: details, priorities, KPIs
 *   POST /workspace/strategies/:slug                               title, owner, period, agreeing decision
 *   POST /workspace/strategies/:slug/priorities                    add a priority
 *   POST /workspace/strategies/:slug/priorities/:id                rename it or move it to another position
 *   POST /workspace/strategies/:slug/priorities/:id/remove         remove it (only with no KPIs)
 *   POST /workspace/strategies/:slug/kpis                          add a KPI under a priority
 *   GET  /workspace/strategies/:slug/kpis/:code, POST (the same)   change a KPI or move it to another priority
 *   POST /workspace/strategies/:slug/kpis/:code/remove             remove a KPI (only with no values)
 *
 * As the admin pages: a post that succeeds redirects (303) to the page with a banner; one that does not is
 * answered 400 (409 for a conflict) with the forms again and an error summary linking to the field. Every form
 * on the page has its own ids ("priority-3-title", "kpi-code"), so the summary links to the right one.
 */

const MANAGERS = { config: { access: ["officer", "admin"] as const } };

type Params = { slug: string };

interface EditValues {
  details: { title: string; owner: string; periodFrom: string; periodTo: string; agreedBy: string };
  newPriority: { title: string };
  priorities: Record<string, { title: string; position: string }>;
  newKpi: KpiFormValues & { code: string };
}

interface KpiFormValues {
  name: string;
  definition: string;
  unit: string;
  polarity: string;
  dataSource: string;
  priorityId: string;
}

/** A stored period end as the form shows it: a financial year when it is one ("2017-18"), else the date. */
function periodText(date: string, end: "from" | "to"): string {
  const year = Number(date.slice(0, 4));
  if (end === "from" && date.endsWith("-04-01"))
    return `${year}-${String((year + 1) % 100).padStart(2, "0")}`;
  if (end === "to" && date.endsWith("-03-31")) return `${year - 1}-${String(year % 100).padStart(2, "0")}`;
  return date;
}

function storedValues(strategy: StrategyDetail): EditValues {
  return {
    details: {
      title: strategy.title,
      owner: strategy.owner ?? "",
      periodFrom: periodText(strategy.periodFrom, "from"),
      periodTo: periodText(strategy.periodTo, "to"),
      agreedBy: strategy.agreedBy ? (strategy.agreedBy.recordId ?? String(strategy.agreedBy.id)) : "",
    },
    newPriority: { title: "" },
    priorities: Object.fromEntries(
      strategy.priorities.map((p) => [String(p.id), { title: p.title, position: String(p.position) }]),
    ),
    newKpi: {
      code: "",
      name: "",
      definition: "",
      unit: "",
      polarity: "",
      dataSource: "",
      priorityId: String(strategy.priorities[0]?.id ?? ""),
    },
  };
}

function kpiFormOf(body: FormBody): KpiFormValues {
  return {
    name: field(body, "name"),
    definition: field(body, "definition"),
    unit: field(body, "unit"),
    polarity: field(body, "polarity"),
    dataSource: field(body, "dataSource"),
    priorityId: field(body, "priorityId"),
  };
}

/** A whole number typed in a form, or the text itself (the service then says it must be a number). */
function wholeNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** What to do, in the GOV.UK way, when a field is left empty or is not what it must be. */
const MISSING: Record<string, string> = {
  title: "Enter the title",
  code: "Enter the KPI's code",
  name: "Enter the KPI's name",
  unit: "Choose the unit",
  polarity: "Choose which way is better",
  priorityId: "Choose the priority",
  position: "Enter the position as a whole number, such as 1",
  "period.from": "Enter when the strategy runs from, such as 2017-18",
  "period.to": "Enter when the strategy runs to, such as 2019-20",
};

/** Turns a service error into the form's errors, or rethrows one that is not the form's. */
function errorsOf(error: unknown, ids: Record<string, string>, fallback: string): FormErrors {
  if (error instanceof ValidationError || error instanceof ConflictError) {
    const fieldName = error instanceof ValidationError ? (error.field ?? "") : "";
    const said = error.message.replace(/^[\w.]+: /, "");
    // zod's own words ("is required", "Invalid input: expected number") read badly in an error summary.
    const message =
      /^(is required|must not be empty|Invalid input|must be one of)/.test(said) && MISSING[fieldName]
        ? MISSING[fieldName]
        : said;
    return formErrors([{ field: fieldName, message }], { [fieldName]: ids[fieldName] ?? fallback });
  }
  throw error;
}

function statusOf(error: unknown): number {
  return error instanceof ConflictError ? 409 : 400;
}

export const strategyEditRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;
  const councilOf = (request: FastifyRequest) => request.account!.councilId;
  const pageUrl = (strategy: { slug: string }) => `/workspace/strategies/${strategy.slug}`;

  async function strategyOf(request: FastifyRequest<{ Params: Params }>): Promise<StrategyDetail> {
    const slug = request.params.slug;
    if (!/^[a-z0-9-]{1,80}$/.test(slug)) throw new NotFoundError("no such strategy");
    return getStrategy(db(), councilOf(request), slug);
  }

  function editPage(
    reply: FastifyReply,
    strategy: StrategyDetail,
    values: EditValues,
    options: { errors?: FormErrors; notice?: string; status?: number } = {},
  ) {
    reply.header("cache-control", "no-store").code(options.status ?? 200);
    return reply.view("kpi-entry/strategy-edit.njk", {
      pageTitle: `Change ${strategy.title}`,
      hasErrors: options.errors !== undefined,
      strategy,
      values,
      units: KPI_UNITS,
      polarities: KPI_POLARITIES,
      errors: options.errors,
      fieldErrors: options.errors?.byField ?? {},
      notice: options.notice,
      csrfToken: reply.generateCsrf(),
    });
  }

  app.get<{ Params: Params }>("/workspace/strategies/:slug", MANAGERS, async (request, reply) => {
    const strategy = await strategyOf(request);
    return editPage(reply, strategy, storedValues(strategy), { notice: takeNotice(request) });
  });

  app.post<{ Params: Params }>("/workspace/strategies/:slug", MANAGERS, async (request, reply) => {
    const strategy = await strategyOf(request);
    const body = formBody(request);
    const values = storedValues(strategy);
    values.details = {
      title: field(body, "title"),
      owner: field(body, "owner"),
      periodFrom: field(body, "periodFrom"),
      periodTo: field(body, "periodTo"),
      agreedBy: field(body, "agreedBy"),
    };
    try {
      const result = await updateStrategy(
        deps.database,
        councilOf(request),
        strategy.id,
        {
          title: values.details.title,
          owner: values.details.owner,
          period: { from: values.details.periodFrom, to: values.details.periodTo },
          agreedBy: values.details.agreedBy.trim(),
        },
        accountActor(request),
      );
      const notice = result.changed ? "The strategy's details have been saved" : "Nothing was changed";
      return redirectWithNotice(request, reply, pageUrl(strategy), notice);
    } catch (error) {
      const errors = errorsOf(
        error,
        {
          title: "title",
          owner: "owner",
          period: "period-from",
          "period.from": "period-from",
          "period.to": "period-to",
          agreedBy: "agreed-by",
        },
        "title",
      );
      // Each message shows at its input: the service's field names are the page's ids here.
      errors.byField = Object.fromEntries(
        Object.entries(errors.byField).map(([name, message]) => [
          { "period.from": "periodFrom", period: "periodFrom", "period.to": "periodTo" }[name] ?? name,
          message,
        ]),
      );
      return editPage(reply, strategy, values, { errors, status: statusOf(error) });
    }
  });

  app.post<{ Params: Params }>("/workspace/strategies/:slug/priorities", MANAGERS, async (request, reply) => {
    const strategy = await strategyOf(request);
    const values = storedValues(strategy);
    values.newPriority.title = field(formBody(request), "title");
    try {
      await addPriority(
        deps.database,
        councilOf(request),
        strategy.id,
        { title: values.newPriority.title },
        accountActor(request),
      );
      return redirectWithNotice(
        request,
        reply,
        pageUrl(strategy),
        `Priority "${values.newPriority.title.trim()}" has been added`,
      );
    } catch (error) {
      const errors = errorsOf(error, {}, "priority-title");
      errors.byField = { "priority-title": errors.list[0]!.text };
      return editPage(reply, strategy, values, { errors, status: statusOf(error) });
    }
  });

  app.post<{ Params: Params & { id: string } }>(
    "/workspace/strategies/:slug/priorities/:id",
    MANAGERS,
    async (request, reply) => {
      const strategy = await strategyOf(request);
      const priority = strategy.priorities.find((p) => String(p.id) === request.params.id);
      if (!priority) throw new NotFoundError("no such priority in this strategy");
      const body = formBody(request);
      const values = storedValues(strategy);
      const typed = { title: field(body, "title"), position: field(body, "position") };
      values.priorities[String(priority.id)] = typed;
      const prefix = `priority-${priority.id}`;
      try {
        const result = await updatePriority(
          deps.database,
          councilOf(request),
          strategy.id,
          priority.id,
          { title: typed.title, position: wholeNumber(typed.position) },
          accountActor(request),
        );
        const notice = result.changed
          ? `Priority ${priority.position} has been saved`
          : "Nothing was changed";
        return redirectWithNotice(request, reply, pageUrl(strategy), notice);
      } catch (error) {
        const errors = errorsOf(
          error,
          { title: `${prefix}-title`, position: `${prefix}-position` },
          `${prefix}-title`,
        );
        errors.byField = Object.fromEntries(
          Object.entries(errors.byField).map(([name, message]) => [
            name === "position" ? `${prefix}-position` : `${prefix}-title`,
            message,
          ]),
        );
        return editPage(reply, strategy, values, { errors, status: statusOf(error) });
      }
    },
  );

  app.post<{ Params: Params & { id: string } }>(
    "/workspace/strategies/:slug/priorities/:id/remove",
    MANAGERS,
    async (request, reply) => {
      const strategy = await strategyOf(request);
      const priority = strategy.priorities.find((p) => String(p.id) === request.params.id);
      if (!priority) throw new NotFoundError("no such priority in this strategy");
      try {
        await removePriority(
          deps.database,
          councilOf(request),
          strategy.id,
          priority.id,
          accountActor(request),
        );
        return redirectWithNotice(
          request,
          reply,
          pageUrl(strategy),
          `Priority "${priority.title}" has been removed`,
        );
      } catch (error) {
        const errors = errorsOf(error, {}, `priority-${priority.id}-title`);
        return editPage(reply, strategy, storedValues(strategy), { errors, status: statusOf(error) });
      }
    },
  );

  app.post<{ Params: Params }>("/workspace/strategies/:slug/kpis", MANAGERS, async (request, reply) => {
    const strategy = await strategyOf(request);
    const body = formBody(request);
    const values = storedValues(strategy);
    values.newKpi = { code: field(body, "code"), ...kpiFormOf(body) };
    const input: Record<string, unknown> = {
      code: values.newKpi.code,
      name: values.newKpi.name,
      definition: values.newKpi.definition,
      dataSource: values.newKpi.dataSource,
      priorityId: wholeNumber(values.newKpi.priorityId),
    };
    if (values.newKpi.unit !== "") input.unit = values.newKpi.unit;
    if (values.newKpi.polarity !== "") input.polarity = values.newKpi.polarity;
    try {
      const added = await addKpi(
        deps.database,
        councilOf(request),
        strategy.id,
        input,
        accountActor(request),
      );
      return redirectWithNotice(request, reply, pageUrl(strategy), `KPI ${added.code} has been added`);
    } catch (error) {
      const ids = {
        code: "kpi-code",
        name: "kpi-name",
        unit: "kpi-unit",
        polarity: "kpi-polarity",
        definition: "kpi-definition",
        dataSource: "kpi-data-source",
        priorityId: "kpi-priority",
      } as Record<string, string>;
      const errors = errorsOf(error, ids, "kpi-code");
      const name = error instanceof ValidationError ? (error.field ?? "code") : "code";
      errors.byField = { [ids[name] ?? "kpi-code"]: errors.list[0]!.text };
      return editPage(reply, strategy, values, { errors, status: statusOf(error) });
    }
  });

  function kpiPage(
    reply: FastifyReply,
    strategy: StrategyDetail,
    kpi: KpiDetail,
    values: KpiFormValues,
    options: { errors?: FormErrors; status?: number } = {},
  ) {
    reply.header("cache-control", "no-store").code(options.status ?? 200);
    return reply.view("kpi-entry/kpi-edit.njk", {
      pageTitle: `Change ${kpi.code}: ${kpi.name}`,
      hasErrors: options.errors !== undefined,
      strategy,
      kpi,
      values,
      units: KPI_UNITS,
      polarities: KPI_POLARITIES,
      errors: options.errors,
      fieldErrors: options.errors?.byField ?? {},
      csrfToken: reply.generateCsrf(),
    });
  }

  async function kpiOf(
    request: FastifyRequest<{ Params: Params & { code: string } }>,
    strategy: StrategyDetail,
  ) {
    const kpi = await getKpi(db(), councilOf(request), request.params.code);
    if (kpi.strategy.id !== strategy.id) throw new NotFoundError(`no KPI ${kpi.code} in this strategy`);
    return kpi;
  }

  app.get<{ Params: Params & { code: string } }>(
    "/workspace/strategies/:slug/kpis/:code",
    MANAGERS,
    async (request, reply) => {
      const strategy = await strategyOf(request);
      const kpi = await kpiOf(request, strategy);
      const priorityId = strategy.priorities.find((p) => p.kpis.some((k) => k.id === kpi.id))?.id;
      return kpiPage(reply, strategy, kpi, {
        name: kpi.name,
        definition: kpi.definition,
        unit: kpi.unit,
        polarity: kpi.polarity,
        dataSource: kpi.dataSource,
        priorityId: String(priorityId ?? ""),
      });
    },
  );

  app.post<{ Params: Params & { code: string } }>(
    "/workspace/strategies/:slug/kpis/:code",
    MANAGERS,
    async (request, reply) => {
      const strategy = await strategyOf(request);
      const kpi = await kpiOf(request, strategy);
      const values = kpiFormOf(formBody(request));
      try {
        const result = await updateKpi(
          deps.database,
          councilOf(request),
          kpi.code,
          {
            name: values.name,
            definition: values.definition,
            unit: values.unit,
            polarity: values.polarity,
            dataSource: values.dataSource,
            priorityId: wholeNumber(values.priorityId),
          },
          accountActor(request),
        );
        const notice = result.changed ? `KPI ${kpi.code} has been saved` : "Nothing was changed";
        return redirectWithNotice(request, reply, pageUrl(strategy), notice);
      } catch (error) {
        const errors = errorsOf(error, { dataSource: "data-source", priorityId: "priority" }, "name");
        if (errors.byField.dataSource) errors.byField = { "data-source": errors.byField.dataSource };
        return kpiPage(reply, strategy, kpi, values, { errors, status: statusOf(error) });
      }
    },
  );

  app.post<{ Params: Params & { code: string } }>(
    "/workspace/strategies/:slug/kpis/:code/remove",
    MANAGERS,
    async (request, reply) => {
      const strategy = await strategyOf(request);
      const kpi = await kpiOf(request, strategy);
      try {
        await removeKpi(deps.database, councilOf(request), kpi.code, accountActor(request));
        return redirectWithNotice(request, reply, pageUrl(strategy), `KPI ${kpi.code} has been removed`);
      } catch (error) {
        const errors = errorsOf(error, {}, `kpi-${kpi.id}`);
        return editPage(reply, strategy, storedValues(strategy), { errors, status: statusOf(error) });
      }
    },
  );
};
