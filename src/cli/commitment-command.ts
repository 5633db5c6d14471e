import type { Command } from "commander";
import { ValidationError } from "../domain/errors.js";
import { ukDateOf } from "../domain/uk-time.js";
import {
  changeCommitment,
  confirmFulfilment,
  getCommitment,
  listCommitments,
  parseCommitmentState,
  recordProgress,
  rejectSuggestion,
  suggestFulfilments,
  type CommitmentActor,
  type CommitmentListItem,
} from "../services/commitments/index.js";
import { findCouncil } from "../services/councils/index.js";
import type { AppContext } from "../context.js";
import { wholeNumber } from "./cli-flags.js";
import type { CliIo } from "./cli-io.js";
import { printJson, table, truncate } from "./cli-output.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * Commitments from the command line (issue 10):
 *
 *   resolved commitment list [--status overdue|open|done|dropped] [--council C] [--json]
 *   resolved commitment show <id> [--json]
 *   resolved commitment set <id> [--owner "..."] [--due "2017-18 Q3"]
 *   resolved commitment progress <id> "note"
 *   resolved commitment drop <id> --reason "..."
 *   resolved commitment reopen <id>
 *   resolved commitment confirm <id> <decision>  /  reject <id> <decision>
 *
 * Changes are audited as "cli:<user>", acting for the council of the commitment's decision. A bad flag or id
 * is one line on stderr and exit 1.
 */

const WHEN = { timeZone: "Europe/London", dateStyle: "medium", timeStyle: "short" } as const;

/** The commitment (any council's: the CLI runs with the register's own rights) and who acts on it. */
async function actingOn(ctx: AppContext, idText: string): Promise<{ id: number; actor: CommitmentActor }> {
  const id = wholeNumber(idText, "id", 1);
  const commitment = await getCommitment(ctx.database.db, id, ukDateOf(new Date()));
  return { id, actor: { label: cliActor(), councilId: commitment.decision.councilId } };
}

function describe(c: CommitmentListItem): string {
  const lines = [
    `Commitment ${c.id}: ${c.text}`,
    `From:    decision ${c.decision.id}, ${c.decision.title} (${c.decision.meetingDate})`,
    `Due:     ${c.due} (${c.dueMonths}), from "${c.duePhrase}"`,
    `Owner:   ${c.owner ?? "not set"}`,
    `Status:  ${c.status}${c.fulfilledBy ? `, fulfilled by decision ${c.fulfilledBy.id}, ${c.fulfilledBy.title}` : ""}`,
  ];
  if (c.droppedReason) lines.push(`Dropped: ${c.droppedReason}`);
  lines.push(c.progress.length === 0 ? "Progress: none recorded" : "Progress:");
  for (const p of c.progress) lines.push(`  ${p.recordedAt.toLocaleString("en-GB", WHEN)}  ${p.note}`);
  return `${lines.join("\n")}\n`;
}

export function registerCommitmentCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const commitment = program
    .command("commitment")
    .description("commitments decisions made: list, show, set owner or due quarter, progress, drop, reopen");

  const run = (fn: (ctx: AppContext) => Promise<number>) => async () =>
    setExitCode(await withContext(io, fn));

  commitment
    .command("list")
    .description("commitments across the register, earliest due first (overdue first without --status)")
    .option("--status <status>", "only overdue, open, done or dropped ones")
    .option("--council <council>", "only this council's (slug or name)")
    .option("--json", "print a JSON array")
    .action(async (options: { status?: string; council?: string; json?: boolean }) =>
      run(async (ctx) => {
        const db = ctx.database.db;
        const status =
          options.status === undefined ? undefined : parseCommitmentState(options.status, "--status");
        const councilId =
          options.council === undefined ? undefined : (await findCouncil(db, options.council)).id;
        const today = ukDateOf(new Date());
        const states = status ? [status] : (["overdue", "open", "done", "dropped"] as const);
        const items: CommitmentListItem[] = [];
        for (const state of states) {
          items.push(
            ...(await listCommitments(
              db,
              { status: state, ...(councilId !== undefined && { councilId }), limit: 500 },
              today,
            )),
          );
        }
        if (options.json) printJson(io, items);
        else if (items.length === 0) io.stdout(`No ${status ? `${status} ` : ""}commitments.\n`);
        else {
          io.stdout(
            table(
              ["ID", "DUE", "STATUS", "DECISION", "OWNER", "COMMITMENT"],
              items.map((c) => [
                String(c.id),
                c.due,
                c.status,
                String(c.decision.id),
                truncate(c.owner ?? "", 30),
                truncate(c.text, 70),
              ]),
            ),
          );
        }
        return 0;
      })(),
    );

  commitment
    .command("show")
    .description("one commitment: source, due quarter, owner, status, progress, and what may fulfil it")
    .argument("<id>", "the commitment's number")
    .option("--json", "print it as JSON")
    .action(async (idText: string, options: { json?: boolean }) =>
      run(async (ctx) => {
        const id = wholeNumber(idText, "id", 1);
        const c = await getCommitment(ctx.database.db, id, ukDateOf(new Date()));
        const open = c.status === "open" || c.status === "overdue";
        const suggestions = open ? await suggestFulfilments(ctx.database.db, id) : [];
        if (options.json) printJson(io, { ...c, suggestions });
        else {
          io.stdout(describe(c));
          for (const s of suggestions) {
            io.stdout(
              `May be fulfilled by decision ${s.decisionId} (${s.meetingDate}, match ${Math.round(s.score * 100)}%): ${s.title}\n`,
            );
          }
        }
        return 0;
      })(),
    );

  commitment
    .command("set")
    .description("set a commitment's owner and/or due quarter")
    .argument("<id>", "the commitment's number")
    .option("--owner <owner>", 'who is responsible, e.g. "Director of Children\'s Services" ("" clears it)')
    .option("--due <quarter>", 'the due financial quarter, e.g. "2017-18 Q3"')
    .action(async (idText: string, options: { owner?: string; due?: string }) =>
      run(async (ctx) => {
        if (options.owner === undefined && options.due === undefined) {
          throw new ValidationError("say what to set: --owner and/or --due");
        }
        const { id, actor } = await actingOn(ctx, idText);
        const result = await changeCommitment(
          ctx.database,
          id,
          {
            ...(options.owner !== undefined && { owner: options.owner }),
            ...(options.due !== undefined && { due: options.due }),
          },
          actor,
        );
        io.stdout(result.changed ? `Commitment ${id} updated.\n` : `Commitment ${id}: nothing changed.\n`);
        return 0;
      })(),
    );

  commitment
    .command("progress")
    .description("record a dated progress note on a commitment")
    .argument("<id>", "the commitment's number")
    .argument("<note>", "what has happened so far")
    .action(async (idText: string, note: string) =>
      run(async (ctx) => {
        const { id, actor } = await actingOn(ctx, idText);
        await recordProgress(ctx.database, id, note, actor);
        io.stdout(`Progress recorded on commitment ${id}.\n`);
        return 0;
      })(),
    );

  commitment
    .command("drop")
    .description("drop an open commitment, with the reason (shown publicly)")
    .argument("<id>", "the commitment's number")
    .requiredOption("--reason <reason>", "why it is dropped")
    .action(async (idText: string, options: { reason: string }) =>
      run(async (ctx) => {
        const { id, actor } = await actingOn(ctx, idText);
        await changeCommitment(ctx.database, id, { status: "dropped", reason: options.reason }, actor);
        io.stdout(`Commitment ${id} dropped.\n`);
        return 0;
      })(),
    );

  commitment
    .command("reopen")
    .description("open a dropped commitment, or one wrongly marked done, again")
    .argument("<id>", "the commitment's number")
    .action(async (idText: string) =>
      run(async (ctx) => {
        const { id, actor } = await actingOn(ctx, idText);
        await changeCommitment(ctx.database, id, { status: "open" }, actor);
        io.stdout(`Commitment ${id} is open again.\n`);
        return 0;
      })(),
    );

  for (const [name, description] of [
    ["confirm", "confirm that a later decision fulfilled the commitment (it is done)"],
    ["reject", "say a suggested decision does not fulfil it (never suggested for it again)"],
  ] as const) {
    commitment
      .command(name)
      .description(description)
      .argument("<id>", "the commitment's number")
      .argument("<decision>", "the later decision's number")
      .action(async (idText: string, decisionText: string) =>
        run(async (ctx) => {
          const { id, actor } = await actingOn(ctx, idText);
          const decisionId = wholeNumber(decisionText, "decision", 1);
          const act = name === "confirm" ? confirmFulfilment : rejectSuggestion;
          const result = await act(ctx.database, id, decisionId, actor);
          io.stdout(
            name === "confirm"
              ? `Commitment ${id} is done: decision ${decisionId} fulfilled it.\n`
              : `Decision ${decisionId} will not be suggested for commitment ${id} again (it is ${result.status}).\n`,
          );
          return 0;
        })(),
      );
  }
}
