import type { FastifyReply } from "fastify";
import { HOLIDAY_REGIONS, type CallInRule, type HolidayRegion } from "../../domain/call-in-rule.js";
import { parseCutoffTimeInput } from "../../domain/date-input.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { isValidIsoDate } from "../../domain/iso-date.js";
import {
  listCouncils,
  setCouncilRule,
  type Council,
  type CouncilRuleChange,
} from "../../services/councils/index.js";
import type { FieldProblem } from "../../services/people/index.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { describeCallInRule } from "../shared/format.js";
import {
  accountActor,
  field,
  formBody,
  formErrors,
  redirectWithNotice,
  takeNotice,
  type FormBody,
  type FormErrors,
} from "./admin-forms.js";

/**
 * GET/POST /workspace/council: the admin's council settings: the call-in rule (how many days, working or
 * calendar, counted from the day of publication or the day after, the time it closes, whose bank holidays),
 * the fewest councillors who must sign a call-in, and the council's own closure days. Saved through
 * setCouncilRule (services/councils), as `resolved council set-rule` does: checked as a whole, audited with
 * before and after.
 */

const REGION_NAMES: Record<HolidayRegion, string> = {
  "england-and-wales": "England and Wales",
  scotland: "Scotland",
  "northern-ireland": "Northern Ireland",
};

/** The rule's own field names (as setCouncilRule names them) → the form's input ids. */
const FIELD_IDS: Record<string, string> = {
  days: "days",
  dayKind: "day-kind",
  countFrom: "count-from",
  cutoff: "cutoff",
  holidayRegion: "region",
  minCallInSignatories: "min-signatories",
  closureDays: "closure-days",
};

interface SettingsValues {
  days: string;
  dayKind: string;
  countFrom: string;
  cutoff: string;
  cutoffTime: string;
  region: string;
  minSignatories: string;
  closureDays: string;
}

export const councilSettingsRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/council", { config: { access: ["admin"] } }, async (request, reply) => {
    const council = await councilOf(deps, request.account!.councilId);
    return settingsPage(reply, council, valuesOf(council), undefined, takeNotice(request));
  });

  app.post("/workspace/council", { config: { access: ["admin"] } }, async (request, reply) => {
    const council = await councilOf(deps, request.account!.councilId);
    const values = submitted(formBody(request));
    const { change, problems } = changeFrom(values);
    if (problems.length === 0) {
      try {
        await deps.database.transaction((trx) =>
          setCouncilRule(trx, council.slug, change, accountActor(request)),
        );
        return redirectWithNotice(
          request,
          reply,
          "/workspace/council",
          "The council's settings have been saved",
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const key = (error.field ?? "").split(".")[0]!;
        problems.push({ field: FIELD_IDS[key] ?? "days", message: error.message });
      }
    }
    return settingsPage(reply, council, values, formErrors(problems), undefined, 400);
  });
};

async function councilOf(deps: RouteDeps, councilId: number): Promise<Council> {
  const council = (await listCouncils(deps.database.db)).find((c) => c.id === councilId);
  if (!council) throw new NotFoundError("the account's council is not in the register");
  return council;
}

function valuesOf(council: Council): SettingsValues {
  const rule = council.callInRule;
  const named = rule.cutoff === "24:00" || rule.cutoff === "12:00";
  return {
    days: String(rule.days),
    dayKind: rule.dayKind,
    countFrom: rule.countFrom,
    cutoff: named ? rule.cutoff : "other",
    cutoffTime: named ? "" : rule.cutoff,
    region: rule.holidayRegion,
    minSignatories: String(council.minCallInSignatories),
    closureDays: rule.closureDays.join("\n"),
  };
}

function submitted(body: FormBody): SettingsValues {
  return {
    days: field(body, "days").trim(),
    dayKind: field(body, "day-kind"),
    countFrom: field(body, "count-from"),
    cutoff: field(body, "cutoff"),
    cutoffTime: field(body, "cutoff-time").trim(),
    region: field(body, "region"),
    minSignatories: field(body, "min-signatories").trim(),
    closureDays: field(body, "closure-days"),
  };
}

/** The form's values as a change to the rule, with every problem that can be seen without the database. */
function changeFrom(values: SettingsValues): { change: CouncilRuleChange; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const rule: NonNullable<CouncilRuleChange["rule"]> = {};
  if (!/^\d{1,2}$/.test(values.days) || Number(values.days) < 1 || Number(values.days) > 30) {
    problems.push({ field: "days", message: "Enter the number of days as a whole number from 1 to 30" });
  } else rule.days = Number(values.days);
  if (values.dayKind === "working" || values.dayKind === "calendar") rule.dayKind = values.dayKind;
  else problems.push({ field: "day-kind", message: "Select working days or calendar days" });
  if (values.countFrom === "publication-day" || values.countFrom === "next-day")
    rule.countFrom = values.countFrom;
  else problems.push({ field: "count-from", message: "Select which day the count starts from" });
  if (values.cutoff === "24:00" || values.cutoff === "12:00") rule.cutoff = values.cutoff;
  else if (values.cutoff === "other") {
    if (values.cutoffTime === "") {
      problems.push({ field: "cutoff-time", message: "Enter the time call-in closes, for example 16:00" });
    } else {
      try {
        rule.cutoff = parseCutoffTimeInput(values.cutoffTime, "cutoff-time");
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems.push({
          field: "cutoff-time",
          message: "Enter the time as HH:MM on a 24-hour clock, for example 16:00",
        });
      }
    }
  } else problems.push({ field: "cutoff", message: "Select when call-in closes on the last day" });
  if ((HOLIDAY_REGIONS as readonly string[]).includes(values.region))
    rule.holidayRegion = values.region as HolidayRegion;
  else problems.push({ field: "region", message: "Select whose bank holidays are not counted" });
  const change: CouncilRuleChange = { rule };
  if (
    !/^\d{1,3}$/.test(values.minSignatories) ||
    Number(values.minSignatories) < 1 ||
    Number(values.minSignatories) > 100
  ) {
    problems.push({
      field: "min-signatories",
      message: "Enter the number of councillors as a whole number from 1 to 100",
    });
  } else change.minCallInSignatories = Number(values.minSignatories);
  const days = values.closureDays
    .split(/[\s,]+/)
    .map((day) => day.trim())
    .filter((day) => day !== "");
  const bad = days.filter((day) => !isValidIsoDate(day));
  if (bad.length > 0) {
    problems.push({
      field: "closure-days",
      message: `Enter each closure day as a real date written YYYY-MM-DD, one a line (not: ${bad.slice(0, 3).join(", ")})`,
    });
  } else change.closureDays = [...new Set(days)].sort();
  return { change, problems };
}

function settingsPage(
  reply: FastifyReply,
  council: Council,
  values: SettingsValues,
  errors: FormErrors | undefined,
  notice: string | undefined,
  status = 200,
) {
  reply.header("cache-control", "no-store").code(status);
  return reply.view("admin/council-settings.njk", {
    pageTitle: "Council settings",
    hasErrors: errors !== undefined,
    errors,
    fieldErrors: errors?.byField ?? {},
    notice,
    council,
    ruleText: describeCallInRule(council.callInRule as CallInRule),
    values,
    regions: HOLIDAY_REGIONS.map((region) => ({
      value: region,
      text: REGION_NAMES[region],
      selected: region === values.region,
    })),
    csrfToken: reply.generateCsrf(),
  });
}
