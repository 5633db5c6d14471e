import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { DocumentError } from "../domain/errors.js";
import { backupLines, exportRegister, restoreRegister, verifyBackup } from "../services/register/index.js";
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

/**
 * `resolved restore FILE`: loads an export or a backup (gzipped or not) into an empty register, all or nothing.
 * A file is checked whole first (its .sha256 when there is one, the gzip stream, every line, the counts and the
 * checksums trailer), then loaded; and the loaded tables are read back and compared with the checksums before
 * the transaction commits. "-" reads standard input.
 */
export async function restoreCommand(file: string, io: CliIo): Promise<number> {
  const label = file === "-" ? "<stdin>" : file;
  let lines: () => AsyncIterable<string>;
  try {
    // Before opening the register: a missing or damaged file needs no database.
    if (file === "-") {
      const text = await stdinText(io);
      lines = () => textLines(text);
    } else {
      await verifyBackup(file, "nothing was restored");
      lines = () => backupLines(file);
    }
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    io.stderr(`${describeError(error, label)}\n`);
    return 1;
  }
  return withContext(io, async (context) => {
    try {
      const summary = await restoreRegister(context.database, lines(), cliActor());
      const decisions = summary.rows.decision ?? 0;
      const councils = summary.rows.council ?? 0;
      const originals = summary.rows.source_document ?? 0;
      io.stdout(
        `restored ${summary.total} rows: ${councils} councils, ${decisions} decisions, ${originals} original documents ` +
          `(exported ${summary.exportedAt})${summary.verified ? "; checksums verified before and after loading" : ""}\n`,
      );
      context.logger.info(
        {
          actor: summary.actor,
          rows: summary.rows,
          exportedAt: summary.exportedAt,
          verified: summary.verified,
        },
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

/** Standard input as text, gunzipped when it is gzip. */
async function stdinText(io: CliIo): Promise<string> {
  const bytes = await io.readStdin();
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes).toString("utf8");
    } catch (error) {
      throw new DocumentError(`the gzip input is damaged or cut short (${(error as Error).message})`);
    }
  }
  return bytes.toString("utf8");
}

async function* textLines(text: string): AsyncGenerator<string> {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  yield* lines;
}
