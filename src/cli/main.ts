import { Command, CommanderError, Option } from "commander";
import { processIo, type CliIo } from "./cli-io.js";
import { parseCommand } from "./parse-command.js";
import { RENDER_FORMATS, renderCommand } from "./render-command.js";
import { describeError, isUserError } from "./report-error.js";

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

  // Register commands (decisions, status, call-in, councils, deadline) are added below this line.

  // Import, export and restore commands are added below this line.

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
