import { constants } from "node:fs";
import { access, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import { UnavailableError } from "../domain/errors.js";
import { PGLITE_SESSION_SETUP, pgliteParsers } from "./backend-values.js";
import type { DatabaseParts, NotificationHandlers, NotificationListener } from "./database.js";
import { lockDataDir } from "./data-dir-lock.js";
import { errorCode, errorMessage } from "./error-details.js";
import { PgliteThread } from "./pglite-thread.js";

/** The embedded backend: PGlite in memory, or in a data directory that one process at a time may open. */

/**
 * PGlite's own page cache. Its default, 128MB, is memory the WebAssembly heap takes for good once touched; the
 * operating system caches the data files anyway. Measured with 100,000 decisions (docs/benchmarks.md, bench/web):
 * 64MB keeps the server under 400 MB resident with searches at a p95 under 50 ms; 32MB saves 30 MB more but
 * searches slow by a quarter; 128MB is 10 ms faster at the p95 and 100 MB larger.
 */
const PGLITE_SHARED_BUFFERS = "64MB";
const PGLITE_SUBDIR = "pglite";

export async function openPgliteInMemory(loadDataDir: Blob | undefined): Promise<DatabaseParts> {
  const pglite = await createPglite({ loadDataDir }, "in memory");
  return {
    dialect: new PGliteDialect(pglite),
    kind: "pglite",
    location: "PGlite in memory",
    pglite,
    listen: (channel, handlers) => listenInPglite(pglite, channel, handlers),
  };
}

/**
 * The embedded database in `dataDir`. By default PGlite runs in a thread of its own (pglite-thread.ts), so
 * queries do not hold up the main thread; `inThread: false` runs it on the calling thread, as tests' in-memory
 * databases do.
 */
export async function openPgliteInDataDir(dataDir: string, inThread = true): Promise<DatabaseParts> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new UnavailableError(`Cannot create the data directory ${dataDir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const releaseLock = await lockDataDir(dataDir);
  try {
    const pgliteDir = join(dataDir, PGLITE_SUBDIR);
    const found = await inspectPgliteDir(pgliteDir);
    if (found.state === "damaged") throw damaged(dataDir, found.reason);
    if (found.state === "none") await createPgliteDir(dataDir, pgliteDir);
    const where = `in ${dataDir}`;
    const open = (): Promise<EmbeddedPglite> =>
      inThread ? openPgliteThread(pgliteDir, where) : createPglite({ dataDir: pgliteDir }, where, pgliteDir);
    // PGlite leaves its postmaster.pid behind when it cannot start: a refused folder is left as it was found.
    const pidFile = join(pgliteDir, "postmaster.pid");
    const hadPidFile = await stat(pidFile).then(
      () => true,
      () => false,
    );
    let pglite = await open().catch(async (error: unknown) => {
      if (!hadPidFile) await rm(pidFile, { force: true }).catch(() => {});
      throw error;
    });
    // The page cache size is read at start: set it in the data directory (postgresql.auto.conf, where
    // PostgreSQL keeps ALTER SYSTEM settings) and start again, once in the directory's life.
    const { rows } = await pglite.query<{ shared_buffers: string }>("show shared_buffers");
    if (rows[0]?.shared_buffers !== PGLITE_SHARED_BUFFERS) {
      await pglite.exec(`alter system set shared_buffers = '${PGLITE_SHARED_BUFFERS}'`);
      await pglite.close();
      pglite = await open();
    }
    return {
      // The dialect asks only query() and close() of its client, which the thread has too.
      dialect: new PGliteDialect(pglite as PGlite),
      kind: "pglite",
      location: `PGlite in ${dataDir}`,
      pglite,
      onClose: releaseLock,
      listen: (channel, handlers) => listenInPglite(pglite, channel, handlers),
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/**
 * A new embedded database is made in a folder beside its place and renamed into it once whole: a process killed
 * while making it leaves only that folder, made again next time, so `pglite/` always holds a database that was
 * once complete. PGlite itself, given a folder without PG_VERSION, would make a new database over whatever the
 * folder holds.
 */
async function createPgliteDir(dataDir: string, pgliteDir: string): Promise<void> {
  const making = join(dataDir, `${PGLITE_SUBDIR}.new`);
  try {
    await rm(making, { recursive: true, force: true });
    const pglite = await createPglite({ dataDir: making }, `in ${dataDir}`, making);
    try {
      await pglite.exec(`alter system set shared_buffers = '${PGLITE_SHARED_BUFFERS}'`);
    } finally {
      await pglite.close();
    }
    await rm(pgliteDir, { recursive: true, force: true }); // empty, or absent
    await rename(making, pgliteDir);
  } catch (error) {
    if (error instanceof UnavailableError) throw error;
    throw new UnavailableError(`Cannot create the embedded database in ${dataDir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/** The files every PostgreSQL data directory has, and pg_control's fixed size (PG_CONTROL_FILE_SIZE). */
const PG_CONTROL = "global/pg_control";
const PG_CONTROL_SIZE = 8192;

type PgliteDirState = { state: "none" } | { state: "database" } | { state: "damaged"; reason: string };

/** What `pglite/` holds, judged from its files before PGlite is let near it. */
async function inspectPgliteDir(pgliteDir: string): Promise<PgliteDirState> {
  let entries: string[];
  try {
    entries = await readdir(pgliteDir);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { state: "none" };
    throw unreadable(pgliteDir, error);
  }
  if (entries.length === 0) return { state: "none" };
  if (!entries.includes("PG_VERSION")) {
    return { state: "damaged", reason: `${join(pgliteDir, "PG_VERSION")} is missing` };
  }
  try {
    const { size } = await stat(join(pgliteDir, PG_CONTROL));
    if (size !== PG_CONTROL_SIZE) {
      return {
        state: "damaged",
        reason: `${join(pgliteDir, PG_CONTROL)} is ${size} bytes long, not ${PG_CONTROL_SIZE}`,
      };
    }
  } catch (error) {
    if (errorCode(error) === "ENOENT") {
      return { state: "damaged", reason: `${join(pgliteDir, PG_CONTROL)} is missing` };
    }
    throw unreadable(pgliteDir, error);
  }
  return { state: "database" };
}

function unreadable(dir: string, error: unknown): UnavailableError {
  return new UnavailableError(`Cannot read the embedded database in ${dir}: ${errorMessage(error)}`, {
    cause: error,
  });
}

function damaged(dataDir: string, reason: string, cause?: unknown): UnavailableError {
  return new UnavailableError(
    `The embedded database in ${dataDir} is damaged (${reason}); it was left as it is. ` +
      "Restore the register from a backup (resolved restore) into a new data directory.",
    { cause },
  );
}

/**
 * Why PGlite could not start on a folder that looked whole: PGlite says only "Aborted()" or "failed to
 * initialize". A folder it may not write to (a read-only file system, another owner) is the usual cause;
 * otherwise its files are damaged.
 */
async function whyNotStarted(where: string, pgliteDir: string, error: unknown): Promise<UnavailableError> {
  for (const path of [pgliteDir, join(pgliteDir, PG_CONTROL)]) {
    try {
      await access(path, constants.R_OK | constants.W_OK);
    } catch (denied) {
      const code = errorCode(denied);
      if (code === "ENOENT") continue;
      const why =
        code === "EROFS"
          ? "it is on a read-only file system"
          : code === "EACCES" || code === "EPERM"
            ? "this user may not read and write it"
            : errorMessage(denied);
      return new UnavailableError(
        `Cannot open the embedded database ${where}: ${path} cannot be written to (${why}). ` +
          "Resolved writes to its data directory whenever it opens it, to read as well.",
        { cause: error },
      );
    }
  }
  // Emscripten's advice on its own build is no use to anyone running Resolved.
  const said = errorMessage(error)
    .replace(/\s*Build with -sASSERTIONS for more info\.?/, "")
    .replace(/\.$/, "");
  return damaged(where.replace(/^in /, ""), `PGlite cannot start on its files: ${said}`, error);
}

/** PGlite itself, or PGlite in a thread of its own: what the rest of storage asks of either. */
export type EmbeddedPglite = PGlite | PgliteThread;

async function openPgliteThread(pgliteDir: string, where: string): Promise<PgliteThread> {
  try {
    return await PgliteThread.open(pgliteDir);
  } catch (error) {
    throw await whyNotStarted(where, pgliteDir, error);
  }
}

/**
 * LISTEN in PGlite's one session. Only this process can write to the database (the data directory's lock), and
 * PGlite hands a commit's notifications to the listeners (as microtasks) while it reads the commit's answer,
 * before the promise of the committing query resolves: whoever awaited a write finds the listeners told. Never
 * disconnected, so live from the start.
 */
async function listenInPglite(
  pglite: EmbeddedPglite,
  channel: string,
  handlers: NotificationHandlers,
): Promise<NotificationListener> {
  const unlisten = await pglite.listen(channel, (payload) => handlers.notify(payload));
  handlers.live(true);
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      if (!pglite.closed) await unlisten();
    },
  };
}

async function createPglite(
  options: { dataDir?: string; loadDataDir?: Blob | undefined },
  where: string,
  diagnoseIn?: string,
): Promise<PGlite> {
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create({
      ...options,
      parsers: pgliteParsers,
    });
    // One session for the lifetime of the instance, so session settings stick.
    await pglite.exec(PGLITE_SESSION_SETUP);
    return pglite;
  } catch (error) {
    await pglite?.close().catch(() => {});
    if (diagnoseIn !== undefined) throw await whyNotStarted(where, diagnoseIn, error);
    throw new UnavailableError(`Cannot open the embedded database ${where}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
