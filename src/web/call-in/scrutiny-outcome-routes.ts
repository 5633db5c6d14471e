import type { FastifyReply, FastifyRequest } from "fastify";
import type { ScrutinyOutcome } from "../../domain/decision-lifecycle.js";
import { ValidationError } from "../../domain/errors.js";
import { isValidIsoDate } from "../../domain/iso-date.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import { recordScrutinyOutcome } from "../../services/decision-changes/index.js";
import type { DecisionDetail } from "../../services/decisions/index.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { formatIsoDate } from "../server/view-environment.js";
import type { FormError } from "./call-in-form.js";
import { refusal } from "./refusals.js";
import { workspaceDecision } from "./workspace-decision.js";
import { setNotice } from "./workspace-notice.js";

/**
 * The scrutiny chair records overview and scrutiny's outcome for a called-in decision:
 *
 *   GET  /workspace/decisions/:id/scrutiny-outcome   when it was called in; the outcome (confirmed, referred back,
 *                                                    referred to Council) and the date, today unless changed
 *   POST /workspace/decisions/:id/scrutiny-outcome   records it (services/decision-changes), then back to the
 *                                                    open call-ins with a notification banner
 */

const ACCESS = { access: ["scrutiny-chair"] as const };

export const SCRUTINY_OUTCOMES: { value: ScrutinyOutcome; text: string; hint: string }[] = [
  {
    value: "confirmed",
    text: "Confirmed",
    hint: "The decision stands and can be implemented.",
  },
  {
    value: "referred-back",
    text: "Referred back to the decision maker",
    hint: "The decision maker reconsiders the decision, with scrutiny's concerns.",
  },
  {
    value: "referred-to-council",
    text: "Referred to full Council",
    hint: "Full Council considers the decision.",
  },
];

interface FormValues {
  outcome: string;
  day: string;
  month: string;
  year: string;
}

export const scrutinyOutcomeRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Params: { id: string } }>(
    "/workspace/decisions/:id/scrutiny-outcome",
    { config: ACCESS },
    async (request, reply) => {
      const decision = await workspaceDecision(deps, request.account!, request.params.id);
      const [year, month, day] = ukDateOf(deps.now()).split("-") as [string, string, string];
      return renderPage(request, reply, deps, decision, {
        values: { outcome: "", day: String(Number(day)), month: String(Number(month)), year },
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/decisions/:id/scrutiny-outcome",
    { config: ACCESS },
    async (request, reply) => {
      const decision = await workspaceDecision(deps, request.account!, request.params.id);
      const fields = (request.body ?? {}) as Record<string, unknown>;
      const text = (name: string) =>
        typeof fields[name] === "string" ? (fields[name] as string).trim() : "";
      const values: FormValues = {
        outcome: text("outcome"),
        day: text("decidedOn-day"),
        month: text("decidedOn-month"),
        year: text("decidedOn-year"),
      };
      const errors: FormError[] = [];
      const outcome = SCRUTINY_OUTCOMES.find((o) => o.value === values.outcome);
      if (!outcome) errors.push({ text: "Select the outcome of scrutiny", href: "#outcome" });
      const decidedOn = dateFrom(values);
      if (decidedOn === null) {
        errors.push({
          text: "Enter the date scrutiny decided as a real date, for example 27 11 2026",
          href: "#decidedOn-day",
        });
      }
      if (errors.length > 0 || !outcome || decidedOn === null) {
        return renderPage(request, reply, deps, decision, { status: 400, errors, values });
      }
      try {
        await recordScrutinyOutcome(deps.database, decision.id, {
          outcome: outcome.value,
          decidedOn,
          actor: actorFor(request.account!).label,
          now: deps.now(),
        });
      } catch (error) {
        const onDate = error instanceof ValidationError && error.field === "decidedOn";
        const refused = refusal(error, onDate ? "#decidedOn-day" : "#outcome");
        if (!refused) throw error;
        return renderPage(request, reply, deps, decision, { ...refused, values });
      }
      setNotice(request, {
        heading: "Scrutiny outcome recorded",
        text: `${decision.title}: ${outcome.text.toLowerCase()} on ${formatIsoDate(decidedOn)}. The decision's public page shows it now.`,
      });
      return reply.redirect("/workspace/call-ins", 303);
    },
  );
};

/** "2026-11-27" from the three boxes of the GOV.UK date input; null when they do not make a real date. */
function dateFrom(values: FormValues): string | null {
  if (!/^\d{1,2}$/.test(values.day) || !/^\d{1,2}$/.test(values.month) || !/^\d{4}$/.test(values.year)) {
    return null;
  }
  const date = `${values.year}-${values.month.padStart(2, "0")}-${values.day.padStart(2, "0")}`;
  return isValidIsoDate(date) ? date : null;
}

async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  decision: DecisionDetail,
  options: { status?: number; errors?: FormError[]; values: FormValues },
): Promise<FastifyReply> {
  const calledIn = decision.callInRequests
    .filter((r) => r.valid === true && r.withdrawnAt === null)
    .map((r) => r.receivedAt)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const errors = options.errors ?? [];
  reply.code(options.status ?? 200).header("cache-control", "no-store");
  return reply.view("call-in/scrutiny-outcome.njk", {
    pageTitle: `Scrutiny outcome: ${decision.title}`,
    hasErrors: errors.length > 0,
    errors,
    outcomeError: errors.find((e) => e.href === "#outcome")?.text,
    dateError: errors.find((e) => e.href === "#decidedOn-day")?.text,
    decision,
    calledIn: calledIn ?? null,
    recorded: decision.scrutiny
      ? {
          text: SCRUTINY_OUTCOMES.find((o) => o.value === decision.scrutiny!.outcome)?.text ?? "",
          decidedOn: decision.scrutiny.decidedOn,
        }
      : null,
    outcomes: SCRUTINY_OUTCOMES,
    values: options.values,
    today: ukDateOf(deps.now()),
    csrfToken: reply.generateCsrf(),
  });
}
