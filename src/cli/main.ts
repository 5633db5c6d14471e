import { Command, CommanderError, Option } from "commander";
import { processIo, type CliIo } from "./cli-io.js";
import { parseCommand } from "./parse-command.js";
import { RENDER_FORMATS, renderCommand } from "./render-command.js";
import { registerAuditCommands } from "./audit-command.js";
import { registerBackupCommand } from "./backup-command.js";
import { registerCallInCommands } from "./callin-command.js";
import { registerCommitmentCommands } from "./commitment-command.js";
import { registerCouncilCommands } from "./council-command.js";
import { registerDecisionCommands } from "./decisions-command.js";
import { describeError, isUserError } from "./report-error.js";
import { registerServeCommand } from "./serve-command.js";
import { registerPersonCommands } from "./person-command.js";
import { registerStrategyCommands } from "./strategy-command.js";
import { registerUserCommands } from "./user-command.js";

/** Builds the `resolved` program; each action resolves to the process exit status. */
export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command("resolved")
    .description("Resolved: the decision register for councils")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("parse")
    .description("read decision records (text, PDF, DOCX, HTML) and print them; folders are read recursively")
    .argument("<files...>", "documents or folders of documents")
    .option("--json", "print one JSON record per line, in input order")
    .action(async (files: string[], options: { json?: boolean }) =>
      setExitCode(await parseCommand(files, options, io)),
    );

  program
    .command("render")
    .description("print a JSON decision record (or JSON Lines of them) as proforma text, Markdown or JSON")
    .argument("<file>", 'a JSON record, array or JSON Lines file; "-" reads standard input')
    .addOption(new Option("--as <format>", "output format").choices(RENDER_FORMATS).default("text"))
    .action(async (file: string, options: { as: string }) =>
      setExitCode(await renderCommand(file, options, io)),
    );

  // Web server.
  registerServeCommand(program, io, setExitCode, {
    onFirstStart: async (context) =>
      (await import("../services/register/index.js")).seedExamplesOnFirstStart(context),
  });

  // Register commands (decisions, status, call-in, councils, deadline) are added below this line.
  registerDecisionCommands(program, io, setExitCode);
  registerCallInCommands(program, io, setExitCode);
  registerCouncilCommands(program, io, setExitCode);
  registerAuditCommands(program, io, setExitCode);
  registerUserCommands(program, io, setExitCode);
  registerPersonCommands(program, io, setExitCode);
  registerStrategyCommands(program, io, setExitCode);
  registerCommitmentCommands(program, io, setExitCode);

  // Import, export and restore commands are added below this line.
  program
    .command("import")
    .description("store decision records (text, PDF, DOCX, HTML) in the register; folders are read too")
    .argument("<files...>", "documents or folders of documents")
    .option("--council <slug>", "the council they belong to (default: the council each record names)")
    .option("--json", "print one JSON line per file (outcome, decision id, version, warnings)")
    .option(
      "--jobs <n>",
      "store batches of files on N database connections at once (a PostgreSQL server only; 1 to 8, default 1)",
    )
    .action(async (files: string[], options: { council?: string; json?: boolean; jobs?: string }) => {
      const { importCommand } = await import("./import-command.js");
      setExitCode(await importCommand(files, options, io));
    });
  program
    .command("export")
    .description("write the whole register, originals included, as JSON Lines (for backups and moves)")
    .option("--output <file>", "write to this file (complete or not at all) instead of standard output")
    .action(async (options: { output?: string }) => {
      const { exportCommand } = await import("./export-command.js");
      setExitCode(await exportCommand(options, io));
    });
  program
    .command("restore")
    .description(
      "load a register export or backup into an empty register, all or nothing, checking its checksums",
    )
    .argument("<file>", 'the export or backup (gzipped or not); "-" reads standard input')
    .action(async (file: string) => {
      const { restoreCommand } = await import("./export-command.js");
      setExitCode(await restoreCommand(file, io));
    });
  registerBackupCommand(program, io, setExitCode);

  return program;
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    io.stderr(`resolved: ${describeError(error)}\n`);
    return isUserError(error) ? 1 : 2;
  }
}
