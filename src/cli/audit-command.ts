import type { Command } from "commander";
import { formatUkInstant } from "../domain/decision-status.js";
import { verifyAuditChain, type AuditChainReport, type ChainMismatch } from "../services/audit/index.js";
import type { CliIo } from "./cli-io.js";
import { printJson } from "./cli-output.js";
import { withContext } from "./with-context.js";

/** The audit commands: verify the audit log's and the decision versions' hash chains. */
export function registerAuditCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const audit = program.command("audit").description("the append-only audit log");

  audit
    .command("verify")
    .description(
      "recompute the hash chains of the audit log and the decision versions; exit 1 naming the first row that does not match",
    )
    .option("--json", "print the report as JSON (exit status as without)")
    .action(async (options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const report = await verifyAuditChain(ctx.database);
          if (options.json) printJson(io, report);
          else if (report.ok) io.stdout(`${intactLine(report)}\n`);
          else io.stderr(`resolved: ${mismatchLine(report.firstMismatch!)}\n`);
          return report.ok ? 0 : 1;
        }),
      ),
    );
}

const count = (n: number, one: string, many: string) =>
  `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

function intactLine(report: AuditChainReport): string {
  return `Audit log: ${count(report.entries, "entry", "entries")} and ${count(report.versions, "version", "versions")}, chains intact.`;
}

function mismatchLine(mismatch: ChainMismatch): string {
  const row =
    mismatch.table === "audit_log"
      ? `audit_log entry ${mismatch.id}${mismatch.at ? ` (${mismatch.what}, ${formatUkInstant(mismatch.at)})` : ""}`
      : `decision_version ${mismatch.id} (${mismatch.what}, ${mismatch.at ? formatUkInstant(mismatch.at) : "time unknown"})`;
  const short = (hash: string) => hash.slice(0, 12);
  const previous = mismatch.previousId === null ? "the start of its chain" : `row ${mismatch.previousId}`;
  switch (mismatch.problem) {
    case "changed":
      return (
        `audit chain broken: ${row} was changed after it was written ` +
        `(its content gives hash ${short(mismatch.expected)}…, it holds ${short(mismatch.found)}…)`
      );
    case "unlinked":
      return (
        `audit chain broken: ${row} does not follow ${previous} ` +
        `(a row between them was removed, or ${previous} was rewritten with its hash)`
      );
    case "head":
      return mismatch.at === null
        ? `audit chain broken: ${row}, the last entry the chain records, is missing (entries were removed from the end)`
        : `audit chain broken: ${row} is not where the chain records its last entry ` +
            `(entries were removed from the end, or added without the chain's trigger)`;
  }
}
