import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DocumentError } from "../domain/errors.js";
import { exportRegister, restoreRegister } from "../services/register/index.js";
import type { CliIo } from "./cli-io.js";
import { describeError } from "./report-error.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * `resolved export [--output FILE]`: the whole register as JSON Lines, originals included, on stdout or into FILE
 * (written under a temporary name and renamed when complete, so a failure leaves no half-written file).
 */
export async function exportCommand(options: { output?: string }, io: CliIo): Promise<number> {
  return withContext(io, async (context) => {
    if (options.output === undefined || options.output === "-") {
      const header = await exportRegister(context.database, (line) => io.stdout(line + "\n"));
      context.logger.info({ rows: header.rows }, "register exported");
      return 0;
    }
    const target = options.output;
    const temporary = join(
      dirname(target),
      `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    const file = await open(temporary, "wx").catch((error: NodeJS.ErrnoException) => {
      throw new DocumentError(`cannot write ${target} (${error.code ?? error.message})`);
    });
    let complete = false;
    try {
      const header = await exportRegister(context.database, async (line) => {
        await file.write(line + "\n");
      });
      await file.sync();
      await file.close();
      await rename(temporary, target);
      complete = true;
      const total = Object.values(header.rows).reduce((sum, n) => sum + n, 0);
      io.stderr(`exported ${total} rows to ${target}\n`);
      return 0;
    } finally {
      if (!complete) {
        await file.close().catch(() => {});
        await rm(temporary, { force: true });
      }
    }
  });
}

/** `resolved restore FILE`: loads an export into an empty register, all or nothing. "-" reads standard input. */
export async function restoreCommand(file: string, io: CliIo): Promise<number> {
  const label = file === "-" ? "<stdin>" : file;
  let lines: AsyncIterable<string>;
  try {
    // Before opening the register: a missing file needs no database.
    lines = file === "-" ? stdinLines(io) : await fileLines(file);
  } catch (error) {
    io.stderr(`${describeError(error, label)}\n`);
    return 1;
  }
  return withContext(io, async (context) => {
    try {
      const summary = await restoreRegister(context.database, lines, cliActor());
      const decisions = summary.rows.decision ?? 0;
      const councils = summary.rows.council ?? 0;
      const originals = summary.rows.source_document ?? 0;
      io.stdout(
        `restored ${summary.total} rows: ${councils} councils, ${decisions} decisions, ${originals} original documents ` +
          `(exported ${summary.exportedAt})\n`,
      );
      context.logger.info(
        { actor: summary.actor, rows: summary.rows, exportedAt: summary.exportedAt },
        "register restored",
      );
      return 0;
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      io.stderr(`${describeError(error, label)}\n`);
      return 1;
    }
  });
}

async function fileLines(file: string): Promise<AsyncIterable<string>> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new DocumentError(
      error.code === "ENOENT" ? "no such file" : `cannot read the file (${error.code})`,
    );
  });
  if (info.isDirectory()) throw new DocumentError("is a folder, not a register export");
  return splitLines(file);
}

/** The file's lines, read as they are consumed (nothing is read before the restore asks for it). */
async function* splitLines(file: string): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
    const parts = (rest + (chunk as string)).split("\n");
    rest = parts.pop()!;
    for (const part of parts) yield part.endsWith("\r") ? part.slice(0, -1) : part;
  }
  if (rest !== "") yield rest;
}

async function* stdinLines(io: CliIo): AsyncGenerator<string> {
  const text = (await io.readStdin()).toString("utf8");
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  yield* lines;
}
