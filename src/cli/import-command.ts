import { DocumentError } from "../domain/errors.js";
import {
  checkImportOptions,
  importFiles,
  type FileImport,
  type ImportProgress,
} from "../services/import/index.js";
import type { CliIo } from "./cli-io.js";
import { wholeNumber } from "./cli-flags.js";
import { describeError } from "./report-error.js";
import { cliActor, withContext } from "./with-context.js";

export interface ImportCommandOptions {
  council?: string;
  json?: boolean;
  /** Batches stored at once (`--jobs N`), as given. */
  jobs?: string;
}

export interface ImportCommandEnvironment {
  /** Whether stderr is a terminal (default: process.stderr.isTTY): the progress bar is drawn only then. */
  stderrIsTty?: boolean;
  /** The terminal's width, for the progress bar. */
  columns?: number;
}

/**
 * `resolved import FILE|DIR... [--council SLUG] [--json] [--jobs N]`: each document in its own transaction (from
 * 50 files on, in batches: with --jobs, N batches at once on a PostgreSQL server); a progress bar
 * on a terminal; then "imported 3, new versions 1, unchanged 2, failed 1" (decisions; a file that failed counts
 * once) on stdout (with --json one JSON line per decision, or per failed file, on stdout and the summary on stderr), each failure as `FILE:LINE: reason` and each warning as
 * `FILE:LINE: warning: ...` on stderr. Exit 1 if any file failed.
 */
export async function importCommand(
  paths: string[],
  options: ImportCommandOptions,
  io: CliIo,
  environment: ImportCommandEnvironment = {},
): Promise<number> {
  let jobs: number | undefined;
  try {
    // Before opening the register: a bad option needs no database.
    checkImportOptions(options);
    if (options.jobs !== undefined) jobs = wholeNumber(options.jobs, "--jobs", 1);
  } catch (error) {
    io.stderr(`resolved: ${describeError(error)}\n`);
    return 1;
  }
  return withContext(io, async (context) => {
    const tty = environment.stderrIsTty ?? Boolean(process.stderr.isTTY);
    const bar = tty ? progressBar(io, environment.columns ?? process.stderr.columns ?? 80) : undefined;
    let results: FileImport[];
    try {
      results = await importFiles(
        context.database,
        paths,
        {
          ...(options.council !== undefined && { council: options.council }),
          defaultCouncil: context.config.defaultCouncil,
          actor: cliActor(),
          ...(jobs !== undefined && { jobs }),
        },
        bar?.update,
      );
    } finally {
      bar?.clear();
    }
    if (results.length === 0) {
      io.stderr(
        "resolved: no documents found (give files, or folders holding .txt, .pdf, .docx or .html files)\n",
      );
      return 1;
    }

    // Decisions are counted, not files: a set of minutes imports as each decision it records.
    const count = { imported: 0, "new-version": 0, unchanged: 0, failed: 0 };
    for (const { result } of results) {
      if (!result) count.failed++;
      else for (const decision of result.decisions) count[decision.outcome]++;
    }
    const summary =
      `imported ${count.imported}, new versions ${count["new-version"]}, unchanged ${count.unchanged}, ` +
      `failed ${count.failed}\n`;
    if (options.json) {
      for (const entry of results) {
        for (const line of jsonLines(entry)) io.stdout(JSON.stringify(line) + "\n");
      }
      io.stderr(summary);
    } else {
      io.stdout(summary);
    }
    for (const { file, error } of results) {
      if (error !== undefined) io.stderr(describeError(error, file) + "\n");
    }
    for (const { file, result } of results) {
      for (const decision of result?.decisions ?? []) {
        for (const warning of decision.warningDetails) {
          io.stderr(
            `${file}${warning.line !== undefined ? `:${warning.line}` : ""}: warning: ${warning.message}\n`,
          );
        }
      }
    }
    context.logger.info({ ...count, files: results.length }, "import finished");
    return count.failed > 0 ? 1 : 0;
  });
}

/** One JSON line per decision the file holds (`part` numbers them), or one for a file that failed. */
function jsonLines({ file, result, error }: FileImport): Record<string, unknown>[] {
  if (result) {
    return result.decisions.map((decision) => ({
      file,
      part: decision.part,
      outcome: decision.outcome,
      decisionId: decision.decisionId,
      version: decision.version,
      recordId: decision.recordId,
      title: decision.title,
      warnings: decision.warnings,
    }));
  }
  return [
    {
      file,
      outcome: "failed",
      error: describeError(error),
      ...(error instanceof DocumentError && error.line !== undefined && { line: error.line }),
    },
  ];
}

/** One line on stderr, redrawn in place: "[=====     ] 12/40 file". */
function progressBar(io: CliIo, columns: number): { update: ImportProgress; clear: () => void } {
  let drawn = false;
  return {
    update: ({ done, total, file }) => {
      const width = 20;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const head = `[${"=".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} `;
      const room = Math.max(0, columns - head.length - 1);
      const name = file.length > room ? `…${file.slice(file.length - room + 1)}` : file;
      io.stderr(`\r\x1b[2K${head}${room > 1 ? name : ""}`);
      drawn = true;
    },
    clear: () => {
      if (drawn) io.stderr("\r\x1b[2K");
    },
  };
}
