import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { link, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { DocumentError, ValidationError } from "../../domain/errors.js";
import type { Database } from "../../storage/database.js";
import { TABLE_NAMES } from "../../storage/schema.js";
import { exportRegister } from "./export-and-restore.js";
import { RegisterReader, type RegisterHeader, type RegisterTrailer } from "./register-file.js";

/**
 * Backups: a register export with checksums (export-and-restore.ts: the trailer line), gzipped, in a folder.
 *
 *   resolved-backup-2026-12-05T02-30-00Z.jsonl.gz          the export, named by its UTC time
 *   resolved-backup-2026-12-05T02-30-00Z.jsonl.gz.sha256   SHA-256 of the .gz file, in `sha256sum -c` format
 *
 * Each is written under a temporary name, flushed to disk (fsync) and then given its name, so a backup either
 * exists whole or not at all; the folder is synced too, so the names survive a power cut. Three layers of
 * checks: the .sha256 (any byte of the file), gzip's own CRC and length (a damaged or cut-short stream), and the
 * trailer (every line's contents, per table, and the header). Rotation keeps the newest N backups and deletes
 * nothing else: only names of this exact pattern are ever removed.
 */

export const BACKUP_PREFIX = "resolved-backup-";
const BACKUP_NAME = /^resolved-backup-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:-(\d+))?\.jsonl\.gz$/;
export const CHECKSUM_SUFFIX = ".sha256";
const TEMPORARY_NAME = /^\.resolved-backup-\d+-[0-9a-f]{8}\.tmp$/;

export interface BackupResult {
  file: string;
  bytes: number;
  sha256: string;
  rows: Record<string, number>;
  exportedAt: string;
  /** Older backups removed by rotation (full paths). */
  removed: string[];
}

/** `resolved-backup-2026-12-05T02-30-00Z.jsonl.gz`, with `-2`, `-3`… when that second is taken. */
export function backupFileName(at: Date, clash = 0): string {
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, "-");
  return `${BACKUP_PREFIX}${stamp}Z${clash > 0 ? `-${clash + 1}` : ""}.jsonl.gz`;
}

export function isBackupFileName(name: string): boolean {
  return BACKUP_NAME.test(name);
}

/**
 * Takes a backup into `dir` (created if missing), then keeps the newest `keep` backups there. The export is one
 * snapshot, so it is consistent while others write. Throws ValidationError when the folder cannot be written.
 */
export async function takeBackup(
  database: Database,
  options: { dir: string; keep: number; now?: () => Date },
): Promise<BackupResult> {
  if (!Number.isSafeInteger(options.keep) || options.keep < 1) {
    throw new ValidationError("must keep at least 1 backup", "keep");
  }
  const dir = options.dir;
  const now = options.now ?? (() => new Date());
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(
      `cannot create the backup folder ${dir} (${error.code ?? error.message})`,
      "dir",
    );
  });
  const startedAt = now();
  const temporary = join(dir, `.${BACKUP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx").catch((error: NodeJS.ErrnoException) => {
    throw new ValidationError(
      `cannot write in the backup folder ${dir} (${error.code ?? error.message})`,
      "dir",
    );
  });
  let file: string | undefined;
  let written: Omit<BackupResult, "removed">;
  try {
    const hash = createHash("sha256");
    let bytes = 0;
    const gzip = createGzip();
    const flushed = pipeline(
      gzip,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
      // Our own writer rather than handle.createWriteStream(): that stream keeps the handle, so close() would wait
      // for ever, and we must fsync and close it ourselves.
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          handle.write(chunk).then(() => done(), done);
        },
      }),
    );
    // A failure while writing (disk full) must stop the export, not only reject `written` later.
    let writeError: unknown;
    flushed.catch((error: unknown) => (writeError = error));
    let exported: RegisterHeader & { trailer?: RegisterTrailer };
    try {
      exported = await exportRegister(
        database,
        async (line) => {
          if (writeError !== undefined) throw writeError;
          if (!gzip.write(line + "\n")) {
            await new Promise<void>((resolve, reject) => {
              const onDrain = () => {
                gzip.off("error", onError);
                resolve();
              };
              const onError = (error: Error) => {
                gzip.off("drain", onDrain);
                reject(error);
              };
              gzip.once("drain", onDrain);
              gzip.once("error", onError);
            });
          }
        },
        { checksums: true },
      );
    } catch (error) {
      gzip.destroy();
      await flushed.catch(() => {});
      throw error;
    }
    gzip.end();
    await flushed;
    await handle.sync();
    await handle.close();
    const sha256 = hash.digest("hex");

    file = await linkUnderFreeName(temporary, dir, startedAt);
    await rm(temporary, { force: true });
    await writeAtomically(file + CHECKSUM_SUFFIX, `${sha256}  ${basename(file)}\n`);
    await syncFolder(dir);
    written = { file, bytes, sha256, rows: exported.rows, exportedAt: exported.exportedAt };
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    if (file !== undefined) {
      await rm(file, { force: true });
      await rm(file + CHECKSUM_SUFFIX, { force: true });
    }
    if ((error as NodeJS.ErrnoException).code === "ENOSPC") {
      throw new ValidationError(`the backup folder ${dir} is full (no space left on the device)`, "dir");
    }
    throw error;
  }
  // The backup is complete: a failure to rotate leaves it where it is.
  const removed = await rotateBackups(dir, options.keep, basename(written.file)).catch(
    (error: NodeJS.ErrnoException) => {
      throw new ValidationError(
        `backup written to ${written.file}, but older backups could not be removed (${error.code ?? error.message})`,
        "dir",
      );
    },
  );
  return { ...written, removed };
}

/** Gives the finished file its name without replacing another backup (link fails when the name exists). */
async function linkUnderFreeName(temporary: string, dir: string, at: Date): Promise<string> {
  for (let clash = 0; ; clash++) {
    const target = join(dir, backupFileName(at, clash));
    try {
      await link(temporary, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || clash > 100) throw error;
    }
  }
}

async function writeAtomically(target: string, text: string): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
}

async function syncFolder(dir: string): Promise<void> {
  // Not every platform can open a folder to fsync it (Windows): the files themselves are synced already.
  const handle = await open(dir, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => {});
  } finally {
    await handle.close();
  }
}

/**
 * Keeps the newest `keep` backups in `dir` (by the time in their names) and removes the others with their
 * .sha256 files. `justWritten` is never removed. Files not named like a backup are never touched.
 */
export async function rotateBackups(dir: string, keep: number, justWritten?: string): Promise<string[]> {
  const all = await readdir(dir);
  // A backup killed half-way leaves its temporary file: removed once it is a day old (no backup takes that long).
  for (const name of all.filter((n) => TEMPORARY_NAME.test(n))) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 24 * 60 * 60_000) await rm(join(dir, name), { force: true });
  }
  const names = all.filter(isBackupFileName);
  const newestFirst = names.sort(compareBackupNames).reverse();
  const removed: string[] = [];
  for (const name of newestFirst.slice(keep)) {
    if (name === justWritten) continue;
    await rm(join(dir, name), { force: true });
    await rm(join(dir, name + CHECKSUM_SUFFIX), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

function compareBackupNames(a: string, b: string): number {
  const [, stampA = "", clashA = "0"] = BACKUP_NAME.exec(a) ?? [];
  const [, stampB = "", clashB = "0"] = BACKUP_NAME.exec(b) ?? [];
  return stampA === stampB ? Number(clashA) - Number(clashB) : stampA < stampB ? -1 : 1;
}

export interface VerifiedBackup {
  file: string;
  header: RegisterHeader;
  /** Whether the file carried checksums (a backup does; a plain export does not). */
  checksums: boolean;
  /** Whether a .sha256 file beside it was checked. */
  fileChecksum: boolean;
  rows: number;
}

/**
 * Checks a backup (or a plain export, gzipped or not) without a database: its .sha256 when there is one, the
 * gzip stream, every line, the counts and the trailer's checksums. Throws DocumentError on the first fault.
 */
export async function verifyBackup(
  file: string,
  consequence = "the backup is not usable",
): Promise<VerifiedBackup> {
  const fileChecksum = await checkFileChecksum(file, consequence);
  const known = new Set<string>(TABLE_NAMES);
  const reader = new RegisterReader((name) => known.has(name));
  for await (const line of backupLines(file)) reader.read(line);
  const { header, restored } = reader.finish(consequence);
  return {
    file,
    header,
    checksums: reader.trailer !== undefined,
    fileChecksum,
    rows: Object.values(restored).reduce((sum, n) => sum + n, 0),
  };
}

/** Compares the file with the .sha256 beside it, if any; true when there was one to check. */
async function checkFileChecksum(file: string, consequence: string): Promise<boolean> {
  const sidecar = await readFile(file + CHECKSUM_SUFFIX, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new DocumentError(
      `cannot read ${basename(file)}${CHECKSUM_SUFFIX} (${error.code ?? error.message})`,
    );
  });
  if (sidecar === undefined) return false;
  const expected = /^([0-9a-f]{64})\s/i.exec(sidecar)?.[1]?.toLowerCase();
  if (expected === undefined) {
    throw new DocumentError(
      `${basename(file)}${CHECKSUM_SUFFIX} does not hold a SHA-256 checksum; ${consequence}`,
    );
  }
  await assertReadable(file);
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const actual = hash.digest("hex");
  if (actual !== expected) {
    throw new DocumentError(
      `the file's SHA-256 is ${actual.slice(0, 12)}…, not the ${expected.slice(0, 12)}… its ${CHECKSUM_SUFFIX} records (the file is damaged); ${consequence}`,
    );
  }
  return true;
}

async function assertReadable(file: string): Promise<void> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new DocumentError(
      error.code === "ENOENT" ? "no such file" : `cannot read the file (${error.code})`,
    );
  });
  if (info.isDirectory()) throw new DocumentError("is a folder, not a register export or backup");
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * The lines of an export or backup, gunzipped when the file is gzip (by its first bytes, not its name), read as
 * they are consumed. A damaged or cut-short gzip stream is a DocumentError.
 */
export async function* backupLines(file: string): AsyncGenerator<string> {
  await assertReadable(file);
  const first = await open(file, "r");
  let gzipped: boolean;
  try {
    const { buffer, bytesRead } = await first.read(Buffer.alloc(2), 0, 2, 0);
    gzipped = bytesRead === 2 && buffer.equals(GZIP_MAGIC);
  } finally {
    await first.close();
  }
  const source = createReadStream(file);
  const stream = gzipped ? source.pipe(createGunzip()) : source;
  if (gzipped) source.on("error", (error) => stream.destroy(error));
  let rest = "";
  const decoder = new TextDecoder("utf-8");
  try {
    for await (const chunk of stream) {
      const parts = (rest + decoder.decode(chunk as Buffer, { stream: true })).split("\n");
      rest = parts.pop()!;
      for (const part of parts) yield part.endsWith("\r") ? part.slice(0, -1) : part;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR" || code === "ERR_PADDING_1") {
      throw new DocumentError(
        code === "Z_BUF_ERROR"
          ? "the gzip file is cut short (it ends before its last block)"
          : `the gzip file is damaged (${(error as Error).message})`,
      );
    }
    throw error;
  } finally {
    source.destroy();
  }
  rest += decoder.decode();
  if (rest !== "") yield rest;
}
