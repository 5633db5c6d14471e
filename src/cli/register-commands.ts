import type { Command } from "commander";
import type { CallInDeadline } from "../domain/call-in-deadline.js";
import { HOLIDAY_REGIONS, type CallInRule, type HolidayRegion } from "../domain/call-in-rule.js";
import { PRINCIPLES_OF_DECISION_MAKING } from "../domain/call-in-request.js";
import { URGENCY_CONSENT_ROLES } from "../domain/call-in-exemption.js";
import {
  DECISION_STATUSES,
  formatCallInClose,
  formatUkInstant,
  isDecisionStatus,
} from "../domain/decision-status.js";
import { ValidationError } from "../domain/errors.js";
import type { IsoDate } from "../domain/iso-date.js";
import { listCallInRequests, requestCallIn } from "../services/call-in-service.js";
import {
  DEFAULT_COUNCIL,
  findOrCreateCouncil,
  listCouncils,
  setCouncilRule,
  type Council,
  type CouncilRuleChange,
} from "../services/council-service.js";
import { callInDeadlineFor } from "../services/deadline-service.js";
import {
  councilForRule,
  declareUrgency,
  decisionStatusAt,
  findCouncil,
  getDecision,
  listDecisions,
  markImplemented,
  matchCouncil,
  parseIsoDateInput,
  parseScrutinyOutcome,
  parseUkDateTime,
  recordScrutinyOutcome,
  toUkIsoString,
  type CallInRequestView,
  type CallInWindow,
  type DecisionDetail,
  type StatusView,
} from "../services/decision-service.js";
import type { Database } from "../storage/database.js";
import type { CliIo } from "./cli-io.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * The register commands: decisions (list, show, and the lifecycle facts: scrutiny outcome, implementation,
 * urgency), status, call-in requests, councils and their rules, and the call-in deadline calculator.
 *
 * Flags are checked before the database is opened, so a bad flag writes nothing and needs no database; every
 * user error is one line on stderr ("resolved: --at: ...") and exit status 1. `--json` prints one JSON value
 * (instants as ISO 8601 with the UK offset, like call-in cutoffs); otherwise the output is for people.
 */
export function registerRegisterCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const decisions = program.command("decisions").description("the decisions in the register");

  decisions
    .command("list")
    .description("decisions, newest first, with their status now (or --at)")
    .option("--council <council>", "a council's slug, or an unambiguous part of it (e.g. stockton)")
    .option("--body <name>", 'the decision maker, e.g. "Cabinet"')
    .option("--status <status>", `only decisions in this status: ${DECISION_STATUSES.join(", ")}`)
    .option("--from <date>", "decisions made on or after this date (YYYY-MM-DD)")
    .option("--to <date>", "decisions made on or before this date (YYYY-MM-DD)")
    .option("--limit <n>", "at most this many")
    .option("--offset <n>", "skip this many first")
    .option("--at <date-time>", "the status at this instant (default now), e.g. 2017-11-23T12:00")
    .option("--json", "print a JSON array")
    .action(async (options: ListOptions) => setExitCode(await listCommand(options, io)));

  decisions
    .command("show")
    .description("one decision: its record, versions, call-in window and requests, and status")
    .argument("<id>", "the decision's number, or its record id (e.g. D080067)")
    .option("--at <date-time>", "the status at this instant (default now), e.g. 2017-11-23T12:00")
    .option("--version <n>", "show this version of the record (default the current one)")
    .option("--json", "print a JSON object")
    .action(async (id: string, options: ShowOptions) => setExitCode(await showCommand(id, options, io)));

  decisions
    .command("scrutiny")
    .description("record overview and scrutiny's outcome for a called-in decision")
    .argument("<id>", "the decision's number or record id")
    .requiredOption("--outcome <outcome>", "confirmed, referred-back or referred-to-council")
    .requiredOption("--decided-on <date>", "the date scrutiny decided (YYYY-MM-DD)")
    .option("--json", "print a JSON object")
    .action(async (id: string, options: { outcome: string; decidedOn: string; json?: boolean }) =>
      setExitCode(
        await changeCommand(io, options.json, () => {
          const outcome = flag("--outcome", () => parseScrutinyOutcome(options.outcome));
          const decidedOn = parseIsoDateInput(options.decidedOn, "--decided-on");
          return (ctx) => recordScrutinyOutcome(ctx.database, id, { outcome, decidedOn, actor: cliActor() });
        }),
      ),
    );

  decisions
    .command("implement")
    .description("record that a decision has been implemented (only once it is in effect or confirmed)")
    .argument("<id>", "the decision's number or record id")
    .option("--at <date-time>", "when it was implemented (default now)")
    .option("--json", "print a JSON object")
    .action(async (id: string, options: { at?: string; json?: boolean }) =>
      setExitCode(
        await changeCommand(io, options.json, () => {
          const at = options.at === undefined ? undefined : parseUkDateTime(options.at, "--at");
          return (ctx) => markImplemented(ctx.database, id, { at, actor: cliActor() });
        }),
      ),
    );

  decisions
    .command("urgent")
    .description("record that a decision was taken as urgent, with the chair's consent (no call-in)")
    .argument("<id>", "the decision's number or record id")
    .requiredOption("--reason <text>", "why the decision could not wait")
    .requiredOption("--consented-by <name>", 'the councillor who agreed, e.g. "Cllr Jane Smith"')
    .option("--consent-role <role>", `their role: ${URGENCY_CONSENT_ROLES.join(", ")}`, "scrutiny-chair")
    .option("--json", "print a JSON object")
    .action(
      async (
        id: string,
        options: { reason: string; consentedBy: string; consentRole: string; json?: boolean },
      ) =>
        setExitCode(
          await changeCommand(io, options.json, () => {
            if (!(URGENCY_CONSENT_ROLES as readonly string[]).includes(options.consentRole)) {
              throw new ValidationError(
                `"${options.consentRole}" is not a role; expected one of ${URGENCY_CONSENT_ROLES.join(", ")}`,
                "--consent-role",
              );
            }
            return (ctx) =>
              declareUrgency(ctx.database, id, {
                reason: options.reason,
                consent: { name: options.consentedBy, role: options.consentRole },
                actor: cliActor(),
              });
          }),
        ),
    );

  program
    .command("status")
    .description("a decision's status at an instant (default now), and why")
    .argument("<id>", "the decision's number or record id")
    .option("--at <date-time>", "UK time unless an offset is given, e.g. 2017-11-23T12:00")
    .option("--json", "print a JSON object")
    .action(async (id: string, options: { at?: string; json?: boolean }) =>
      setExitCode(await statusCommand(id, options, io)),
    );

  const callin = program.command("callin").description("call-in requests");

  callin
    .command("request")
    .description("record a call-in request (stored even when invalid, with why; exit 1 when invalid)")
    .argument("<id>", "the decision's number or record id")
    .option(
      "--signatory <name>",
      "a councillor who signed (repeat for each, the requester first)",
      collect,
      [],
    )
    .option(
      "--ground <principle:explanation>",
      `a principle of decision making not followed, and how (repeatable); principles: ${PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key).join(", ")}`,
      collect,
      [],
    )
    .option("--received-at <date-time>", "when the request arrived (default now), e.g. 2017-11-23T12:00")
    .option("--json", "print a JSON object")
    .action(async (id: string, options: CallInOptions) => setExitCode(await callInCommand(id, options, io)));

  callin
    .command("list")
    .description("the call-in requests made against a decision, valid or not")
    .argument("<id>", "the decision's number or record id")
    .option("--json", "print a JSON array")
    .action(async (id: string, options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const { decisionId, recordId, requests } = await listCallInRequests(ctx.database.db, id);
          if (options.json) printJson(io, requests);
          else {
            const name = recordId ? `${recordId} (decision ${decisionId})` : `decision ${decisionId}`;
            io.stdout(
              requests.length === 0
                ? `No call-in requests for ${name}.\n`
                : `Call-in requests for ${name}:\n${requests.map(requestLines).join("")}`,
            );
          }
          return 0;
        }),
      ),
    );

  const council = program.command("council").description("councils and their call-in rules");

  council
    .command("list")
    .description("the councils in the register")
    .option("--json", "print a JSON array")
    .action(async (options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const councils = await listCouncils(ctx.database.db);
          if (options.json) printJson(io, councils);
          else if (councils.length === 0) {
            io.stdout(
              `The register has no councils yet (the default is ${ctx.config.defaultCouncil}; importing a record adds its council).\n`,
            );
          } else {
            io.stdout(
              table(
                ["SLUG", "NAME", "CALL-IN RULE"],
                councils.map((c) => [c.slug, c.name, describeRule(c.callInRule, c.minCallInSignatories)]),
              ),
            );
          }
          return 0;
        }),
      ),
    );

  council
    .command("show")
    .description("a council and its call-in rule")
    .argument("<council>", "the council's slug, or an unambiguous part of it")
    .option("--json", "print a JSON object")
    .action(async (ref: string, options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const found = await findCouncil(ctx.database.db, ref);
          if (options.json) printJson(io, found);
          else io.stdout(councilLines(found));
          return 0;
        }),
      ),
    );

  council
    .command("set-rule")
    .description("change a council's call-in rule (validated as a whole, audited)")
    .argument("<council>", "the council's slug, or an unambiguous part of it")
    .option("--days <n>", "length of the call-in window")
    .option("--day-kind <kind>", "working or calendar days")
    .option("--count-from <from>", "publication-day (the day of publication counts) or next-day")
    .option("--cutoff <time>", "when the window closes on the last day: HH:MM, midnight (end of day) or noon")
    .option("--region <region>", `bank holidays: ${HOLIDAY_REGIONS.join(", ")}`)
    .option(
      "--closure-days <dates>",
      'the council\'s own closure days, comma-separated (replaces them; "none" clears)',
    )
    .option("--min-signatories <n>", "the fewest councillors who must sign a call-in")
    .option("--json", "print the council as a JSON object")
    .action(async (ref: string, options: SetRuleOptions) =>
      setExitCode(await setRuleCommand(ref, options, io)),
    );

  program
    .command("deadline")
    .description("when call-in closes for a decision published on a date, and why")
    .requiredOption("--published <date>", "the publication date, YYYY-MM-DD")
    .option("--council <council>", "whose rule (default: the configured default council)")
    .option("--json", "print a JSON object")
    .action(async (options: { published: string; council?: string; json?: boolean }) =>
      setExitCode(await deadlineCommand(options, io)),
    );
}

// ---------------------------------------------------------------------------------------------------------
// Commands

interface ListOptions {
  council?: string;
  body?: string;
  status?: string;
  from?: string;
  to?: string;
  limit?: string;
  offset?: string;
  at?: string;
  json?: boolean;
}

async function listCommand(options: ListOptions, io: CliIo): Promise<number> {
  const at = optionalInstant(options.at, "--at");
  if (options.status !== undefined && !isDecisionStatus(options.status)) {
    throw new ValidationError(
      `"${options.status}" is not a status; expected one of ${DECISION_STATUSES.join(", ")}`,
      "--status",
    );
  }
  const filters = {
    council: options.council,
    body: options.body,
    status: options.status,
    from: options.from === undefined ? undefined : parseIsoDateInput(options.from, "--from"),
    to: options.to === undefined ? undefined : parseIsoDateInput(options.to, "--to"),
    limit: options.limit === undefined ? undefined : wholeNumber(options.limit, "--limit", 1),
    offset: options.offset === undefined ? undefined : wholeNumber(options.offset, "--offset", 0),
  };
  return withContext(io, async (ctx) => {
    const rows = await listDecisions(ctx.database.db, filters, at);
    if (options.json) {
      printJson(io, rows);
      return 0;
    }
    if (rows.length === 0) {
      io.stdout(`No decisions${filters.status ? ` with status ${filters.status}` : ""} found.\n`);
      return 0;
    }
    io.stdout(
      table(
        ["ID", "RECORD", "COUNCIL", "MADE", "PUBLISHED", "CALL-IN UNTIL", "STATUS", "TITLE"],
        rows.map((row) => [
          String(row.id),
          row.recordId ?? "-",
          row.council.slug,
          row.meetingDate,
          row.publishedOn ?? "-",
          row.callInDeadline ?? (row.subjectToCallIn === false ? "n/a" : "-"),
          row.status?.status ?? "?",
          truncate(row.title, 60),
        ]),
      ),
    );
    io.stdout(
      `${rows.length} decision${rows.length === 1 ? "" : "s"}; status at ${formatUkInstant(at)} (UK time).\n`,
    );
    for (const row of rows.filter((r) => r.statusProblem !== null)) {
      io.stderr(`resolved: warning: decision ${row.id}: status unknown: ${row.statusProblem}\n`);
    }
    return 0;
  });
}

interface ShowOptions {
  at?: string;
  version?: string;
  json?: boolean;
}

async function showCommand(id: string, options: ShowOptions, io: CliIo): Promise<number> {
  const at = optionalInstant(options.at, "--at");
  const version = options.version === undefined ? undefined : wholeNumber(options.version, "--version", 1);
  return withContext(io, async (ctx) => {
    const detail = await getDecision(ctx.database.db, id, at, { version });
    if (options.json) printJson(io, detail);
    else io.stdout(detailLines(detail));
    return 0;
  });
}

async function statusCommand(
  id: string,
  options: { at?: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  const at = optionalInstant(options.at, "--at");
  return withContext(io, async (ctx) => {
    const report = await decisionStatusAt(ctx.database.db, id, at);
    if (options.json) {
      printJson(io, {
        id: report.id,
        recordId: report.recordId,
        title: report.title,
        council: report.council,
        at: report.at,
        ...report.status,
        callInDeadline: report.callIn.deadline,
        callInCutoff: report.callIn.cutoff,
        warnings: report.callIn.warnings,
      });
      return 0;
    }
    const name = report.recordId ? `${report.recordId} (decision ${report.id})` : `Decision ${report.id}`;
    const lines = [
      `${name} "${report.title}"`,
      `At ${formatUkInstant(at)} (UK time): ${report.status.label} [${report.status.status}]`,
      `  ${report.status.explanation}`,
    ];
    if (report.status.since) lines.push(`  Since: ${formatUkInstant(report.status.since)}`);
    if (report.status.until) lines.push(`  Until: ${formatCallInClose(report.status.until)}`);
    for (const warning of report.callIn.warnings) lines.push(`  Warning: ${warning}`);
    io.stdout(`${lines.join("\n")}\n`);
    return 0;
  });
}

interface CallInOptions {
  signatory: string[];
  ground: string[];
  receivedAt?: string;
  json?: boolean;
}

const PRINCIPLE_KEYS = PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key) as readonly string[];

function parseGround(text: string): { principle: string; explanation: string } {
  const colon = text.indexOf(":");
  const principle = (colon < 0 ? text : text.slice(0, colon)).trim();
  const explanation = colon < 0 ? "" : text.slice(colon + 1).trim();
  if (!PRINCIPLE_KEYS.includes(principle)) {
    throw new ValidationError(
      `"${principle}" is not a principle of decision making; expected one of ${PRINCIPLE_KEYS.join(", ")} ` +
        '(as principle:explanation, e.g. "openness:the report was not published")',
      "--ground",
    );
  }
  if (explanation === "") {
    throw new ValidationError(
      `say how the decision failed to follow ${principle}: --ground "${principle}:explanation"`,
      "--ground",
    );
  }
  return { principle, explanation };
}

async function callInCommand(id: string, options: CallInOptions, io: CliIo): Promise<number> {
  if (options.signatory.length === 0) {
    throw new ValidationError(
      "give the councillors who signed: --signatory NAME (once for each)",
      "--signatory",
    );
  }
  if (options.ground.length === 0) {
    throw new ValidationError(
      'give at least one ground: --ground "principle:explanation" (a principle of decision making not followed)',
      "--ground",
    );
  }
  const grounds = options.ground.map(parseGround);
  const receivedAt =
    options.receivedAt === undefined ? undefined : parseUkDateTime(options.receivedAt, "--received-at");
  return withContext(io, async (ctx) => {
    const result = await requestCallIn(
      ctx.database,
      id,
      { signatories: options.signatory, grounds, receivedAt },
      cliActor(),
    );
    const name = result.recordId
      ? `${result.recordId} (decision ${result.decisionId})`
      : `decision ${result.decisionId}`;
    if (options.json) printJson(io, result);
    else if (result.valid) {
      io.stdout(
        `Call-in request ${result.requestId} for ${name} recorded: valid, received at ` +
          `${formatUkInstant(result.receivedAt)}.\nStatus now: ${result.status.label} [${result.status.status}]. ` +
          `${result.status.explanation}\n`,
      );
    } else {
      io.stdout(
        `Call-in request ${result.requestId} for ${name} recorded: NOT valid. ` +
          `Status now: ${result.status.label} [${result.status.status}].\n`,
      );
    }
    if (!result.valid) {
      io.stderr(
        `resolved: call-in request ${result.requestId} is not valid (it is kept, with why): ${result.reasons.join("; ")}\n`,
      );
      return 1;
    }
    return 0;
  });
}

interface SetRuleOptions {
  days?: string;
  dayKind?: string;
  countFrom?: string;
  cutoff?: string;
  region?: string;
  closureDays?: string;
  minSignatories?: string;
  json?: boolean;
}

function parseCutoff(text: string): string {
  const value = text.trim().toLowerCase();
  if (value === "midnight") return "24:00";
  if (value === "noon" || value === "midday") return "12:00";
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (m) {
    const [hour, minute] = [Number(m[1]), Number(m[2])];
    if ((hour < 24 && minute < 60) || (hour === 24 && minute === 0)) {
      return `${String(hour).padStart(2, "0")}:${m[2]}`;
    }
  }
  throw new ValidationError(
    `"${text}" is not a time; expected HH:MM (e.g. 16:00), midnight or noon`,
    "--cutoff",
  );
}

function ruleChange(options: SetRuleOptions): CouncilRuleChange {
  const rule: NonNullable<CouncilRuleChange["rule"]> = {};
  if (options.days !== undefined) rule.days = wholeNumber(options.days, "--days", 1);
  if (options.dayKind !== undefined) {
    if (options.dayKind !== "working" && options.dayKind !== "calendar") {
      throw new ValidationError(
        `"${options.dayKind}" is not a kind of day; expected working or calendar`,
        "--day-kind",
      );
    }
    rule.dayKind = options.dayKind;
  }
  if (options.countFrom !== undefined) {
    if (options.countFrom !== "publication-day" && options.countFrom !== "next-day") {
      throw new ValidationError(
        `"${options.countFrom}" is not a starting day; expected publication-day or next-day`,
        "--count-from",
      );
    }
    rule.countFrom = options.countFrom;
  }
  if (options.cutoff !== undefined) rule.cutoff = parseCutoff(options.cutoff);
  if (options.region !== undefined) {
    if (!(HOLIDAY_REGIONS as readonly string[]).includes(options.region)) {
      throw new ValidationError(
        `"${options.region}" is not a bank-holiday region; expected one of ${HOLIDAY_REGIONS.join(", ")}`,
        "--region",
      );
    }
    rule.holidayRegion = options.region as HolidayRegion;
  }
  const change: CouncilRuleChange = {};
  if (Object.keys(rule).length > 0) change.rule = rule;
  if (options.closureDays !== undefined) {
    const text = options.closureDays.trim();
    change.closureDays =
      text === "" || text.toLowerCase() === "none"
        ? []
        : text
            .split(",")
            .map((day) => day.trim())
            .filter((day) => day !== "")
            .map((day) => parseIsoDateInput(day, "--closure-days"));
  }
  if (options.minSignatories !== undefined) {
    change.minCallInSignatories = wholeNumber(options.minSignatories, "--min-signatories", 1);
  }
  if (Object.keys(change).length === 0) {
    throw new ValidationError(
      "nothing to change: give at least one of --days, --day-kind, --count-from, --cutoff, --region, " +
        "--closure-days, --min-signatories",
      "set-rule",
    );
  }
  return change;
}

async function setRuleCommand(ref: string, options: SetRuleOptions, io: CliIo): Promise<number> {
  const change = ruleChange(options);
  return withContext(io, async (ctx) => {
    const actor = cliActor();
    const updated = await ctx.database.transaction(async (trx) => {
      const rows = await trx.selectFrom("council").select(["slug", "name"]).execute();
      let slug = matchCouncil(ref, rows);
      if (slug === null) {
        // The default council before anything was imported: create it (with the default rule), then change it.
        const defaultSlug = ctx.config.defaultCouncil;
        const defaultName = defaultSlug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : defaultSlug;
        if (matchCouncil(ref, [{ slug: defaultSlug, name: defaultName }]) !== defaultSlug) {
          await findCouncil(trx, ref); // throws NotFoundError listing the councils there are
        }
        slug = (await findOrCreateCouncil(trx, { slug: defaultSlug, name: defaultName }, actor)).council.slug;
      }
      return setCouncilRule(trx, slug, change, actor);
    });
    if (options.json) printJson(io, updated);
    else io.stdout(`Call-in rule changed.\n${councilLines(updated)}`);
    return 0;
  });
}

async function deadlineCommand(
  options: { published: string; council?: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  const publishedOn = parseIsoDateInput(options.published, "--published");
  if (options.council !== undefined && options.council.trim() === "") {
    throw new ValidationError("the council must not be empty", "--council");
  }
  return withContext(io, async (ctx) => {
    const council = await councilForRule(ctx.database.db, options.council, ctx.config.defaultCouncil);
    const deadline = callInDeadlineFor(council, publishedOn);
    if (options.json) {
      printJson(io, {
        council: { slug: council.slug, name: council.name, inRegister: council.inRegister },
        publishedOn,
        deadline: deadline.deadline,
        cutoff: deadline.cutoff,
        effectiveFrom: deadline.effectiveFrom,
        daysCounted: deadline.daysCounted,
        skipped: deadline.skipped,
        explanation: deadline.explanation,
        rule: council.callInRule,
      });
      return 0;
    }
    io.stdout(deadlineLines(council, deadline));
    return 0;
  });
}

/**
 * A command that changes a decision's lifecycle: `prepare` checks the flags (before the database is opened) and
 * returns the change to run.
 */
async function changeCommand(
  io: CliIo,
  json: boolean | undefined,
  prepare: () => (ctx: { database: Database }) => Promise<{
    id: number;
    recordId: string | null;
    status: StatusView;
  }>,
): Promise<number> {
  const change = prepare();
  return withContext(io, async (ctx) => {
    const result = await change(ctx);
    if (json) printJson(io, result);
    else {
      const name = result.recordId ? `${result.recordId} (decision ${result.id})` : `Decision ${result.id}`;
      io.stdout(
        `${name}: recorded. Status now: ${result.status.label} [${result.status.status}]. ${result.status.explanation}\n`,
      );
    }
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Flags

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function optionalInstant(text: string | undefined, flagName: string): Date {
  return text === undefined ? new Date() : parseUkDateTime(text, flagName);
}

function wholeNumber(text: string, flagName: string, min: number): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new ValidationError(`"${text}" is not a whole number of at least ${min}`, flagName);
  }
  return Number(value);
}

/** Runs a parser, naming the flag in its ValidationError. */
function flag<T>(flagName: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.message, flagName);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Output

/** JSON with instants as ISO 8601 in UK time with the offset ("2017-11-25T00:00:00+00:00"). */
function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(toJsonValue(value), null, 2)}\n`);
}

function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return toUkIsoString(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJsonValue(inner)]));
  }
  return value;
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const LONG_DATE = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** "Friday 24 November 2017" */
function longDate(date: IsoDate): string {
  const parts: Record<string, string> = {};
  for (const part of LONG_DATE.formatToParts(new Date(`${date}T00:00:00Z`))) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

function describeCutoff(cutoff: string): string {
  if (cutoff === "24:00") return "midnight at the end of the last day";
  if (cutoff === "00:00") return "midnight at the start of the last day";
  if (cutoff === "12:00") return "midday on the last day";
  return `${cutoff} on the last day`;
}

function describeRule(rule: CallInRule, minSignatories: number): string {
  const counting =
    rule.countFrom === "publication-day" ? "counting the publication day" : "from the day after publication";
  const closures = rule.closureDays.length > 0 ? `; ${rule.closureDays.length} closure day(s)` : "";
  return (
    `${rule.days} ${rule.dayKind} day${rule.days === 1 ? "" : "s"} ${counting}, closing at ${describeCutoff(rule.cutoff)} ` +
    `(${rule.holidayRegion} bank holidays${closures}); at least ${minSignatories} signator${minSignatories === 1 ? "y" : "ies"}`
  );
}

function councilLines(council: Council): string {
  const rule = council.callInRule;
  return [
    `${council.name} (${council.slug})`,
    `  Call-in window: ${rule.days} ${rule.dayKind} day${rule.days === 1 ? "" : "s"}, ` +
      (rule.countFrom === "publication-day"
        ? "counting the publication day"
        : "counting from the day after publication"),
    `  Closes at: ${describeCutoff(rule.cutoff)} (UK time)`,
    `  Bank holidays: ${rule.holidayRegion}`,
    `  Closure days: ${rule.closureDays.length > 0 ? rule.closureDays.join(", ") : "none"}`,
    `  Signatories needed for a call-in: at least ${council.minCallInSignatories}`,
    ...(council.keyDecisionThreshold !== null
      ? [`  Key decision threshold: £${council.keyDecisionThreshold.toLocaleString("en-GB")}`]
      : []),
    "",
  ].join("\n");
}

function deadlineLines(
  council: { slug: string; name: string; inRegister: boolean },
  deadline: CallInDeadline,
): string {
  const skipped = deadline.skipped.map((s) => `${s.date} (${s.reason})`);
  return [
    `Call-in deadline: ${longDate(deadline.deadline)} (${council.name}'s rule` +
      (council.inRegister ? ")" : "; the council is not in the register yet, so this is the default rule)"),
    deadline.explanation,
    `Days counted: ${deadline.daysCounted.join(", ")}`,
    `Days not counted: ${skipped.length > 0 ? skipped.join(", ") : "none"}`,
    `Call-in closes: ${deadline.cutoff} (${formatCallInClose(new Date(deadline.cutoff))})`,
    `Effective from: ${deadline.effectiveFrom}`,
    "",
  ].join("\n");
}

function requestLines(request: CallInRequestView): string {
  const validity = request.valid === null ? "not assessed" : request.valid ? "valid" : "NOT valid";
  const lines = [
    `  #${request.id} received ${formatUkInstant(request.receivedAt)}: ${validity}` +
      (request.withdrawnAt ? ` (withdrawn ${formatUkInstant(request.withdrawnAt)})` : ""),
    `     signed by ${request.signatories.join(", ")}`,
    ...request.grounds.map((g) => `     ground: ${g.principle ?? "(unspecified)"}: ${g.explanation}`),
    ...request.reasons.map((reason) => `     why not valid: ${reason}`),
  ];
  return `${lines.join("\n")}\n`;
}

function callInLines(callIn: CallInWindow | null): string[] {
  if (callIn === null) return [];
  const lines = [`Call-in: ${callIn.explanation}`];
  if (callIn.cutoff)
    lines.push(
      `  Closes: ${callIn.cutoff} (governed by the ${callIn.governedBy === "printed" ? "record as published" : "council's rule"})`,
    );
  for (const warning of callIn.warnings) lines.push(`  Warning: ${warning}`);
  return lines;
}

function detailLines(detail: DecisionDetail): string {
  const name = detail.recordId ? `${detail.recordId} (decision ${detail.id})` : `Decision ${detail.id}`;
  const record = detail.record;
  const lines = [
    `${name}: ${detail.title}`,
    `Council: ${detail.council.name} · Decision maker: ${detail.body.name} · Made: ${detail.meetingDate} · ` +
      `Published: ${detail.publishedOn ?? "not yet"}${detail.publicationState === "withdrawn" ? " (withdrawn)" : ""}`,
    detail.status
      ? `Status at ${formatUkInstant(detail.at)}: ${detail.status.label} [${detail.status.status}]. ${detail.status.explanation}`
      : `Status at ${formatUkInstant(detail.at)}: unknown: ${detail.statusProblem ?? ""}`,
    ...callInLines(detail.callIn),
  ];
  if (detail.urgency) lines.push(`Urgency: ${detail.urgency.reason} (consent: ${detail.urgency.consent})`);
  if (detail.scrutiny)
    lines.push(`Scrutiny outcome: ${detail.scrutiny.outcome} on ${detail.scrutiny.decidedOn ?? "?"}`);
  if (detail.implementedAt) lines.push(`Implemented: ${formatUkInstant(detail.implementedAt)}`);
  lines.push("", `Record (version ${detail.recordVersion} of ${detail.versions.length}):`);
  for (const outcome of record.outcomes) {
    lines.push(`  ${outcome.kind} ${outcome.text}`.trimEnd());
    outcome.items.forEach((item, i) => lines.push(`    ${i + 1}. ${item}`));
  }
  if (record.reasons.trim()) lines.push(`  Reasons: ${record.reasons.trim()}`);
  if (record.alternatives.trim()) lines.push(`  Alternatives: ${record.alternatives.trim()}`);
  if (record.conflictsOfInterest.trim())
    lines.push(`  Conflicts of interest: ${record.conflictsOfInterest.trim()}`);
  if (record.dispensations.trim()) lines.push(`  Dispensations: ${record.dispensations.trim()}`);
  lines.push(`  Call-in as printed: ${record.callIn.text || "(none)"}`);
  lines.push("", "Versions:");
  for (const version of detail.versions) {
    const source = version.sourceDocument
      ? ` from ${version.sourceDocument.fileName} (sha256 ${version.sourceDocument.sha256.slice(0, 12)}…)`
      : "";
    const by = version.createdBy ? ` by ${version.createdBy}` : "";
    const reason = version.reason ? `: ${version.reason}` : "";
    lines.push(`  ${version.version}. ${formatUkInstant(version.createdAt)}${by}${source}${reason}`);
  }
  lines.push("", detail.callInRequests.length === 0 ? "Call-in requests: none" : "Call-in requests:");
  lines.push(...detail.callInRequests.map((request) => requestLines(request).trimEnd()));
  return `${lines.join("\n")}\n`;
}
