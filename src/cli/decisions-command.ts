import type { Command } from "commander";
import { URGENCY_CONSENT_ROLES } from "../domain/call-in-exemption.js";
import {
  DECISION_STATUSES,
  formatCallInClose,
  formatUkInstant,
  isDecisionStatus,
} from "../domain/decision-status.js";
import { ValidationError } from "../domain/errors.js";
import { parseIsoDateInput, parseUkDateTime } from "../domain/date-input.js";
import {
  declareUrgency,
  markImplemented,
  parseScrutinyOutcome,
  recordScrutinyOutcome,
} from "../services/decision-changes/index.js";
import {
  decisionStatusAt,
  getDecision,
  listDecisions,
  type StatusView,
} from "../services/decisions/index.js";
import type { Database } from "../storage/database.js";
import type { CliIo } from "./cli-io.js";
import { cliActor, withContext } from "./with-context.js";
import { flag, optionalInstant, wholeNumber } from "./cli-flags.js";
import { printJson, table, truncate } from "./cli-output.js";
import { detailLines } from "./register-text.js";

/**
 * The decision commands: list, show, status, and the lifecycle facts (scrutiny outcome, implementation, urgency).
 *
 * Flags are checked before the database is opened, so a bad flag writes nothing and needs no database; every
 * user error is one line on stderr ("resolved: --at: ...") and exit status 1. `--json` prints one JSON value
 * (instants as ISO 8601 with the UK offset, like call-in cutoffs); otherwise the output is for people.
 */
export function registerDecisionCommands(
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
}

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
