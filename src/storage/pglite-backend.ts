import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import { UnavailableError } from "../domain/errors.js";
import { PGLITE_SESSION_SETUP, pgliteParsers } from "./backend-values.js";
import type { DatabaseParts } from "./database.js";
import { lockDataDir } from "./data-dir-lock.js";
import { errorMessage } from "./error-details.js";
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
    const where = `in ${dataDir}`;
    const files = join(dataDir, PGLITE_SUBDIR);
    const open = (): Promise<EmbeddedPglite> =>
      inThread ? openPgliteThread(files, where) : createPglite({ dataDir: files }, where);
    let pglite = await open();
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
    };
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

/** PGlite itself, or PGlite in a thread of its own: what the rest of storage asks of either. */
export type EmbeddedPglite = PGlite | PgliteThread;

async function openPgliteThread(files: string, where: string): Promise<PgliteThread> {
  try {
    return await PgliteThread.open(files);
  } catch (error) {
    throw new UnavailableError(`Cannot open the embedded database ${where}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

async function createPglite(
  options: { dataDir?: string; loadDataDir?: Blob | undefined },
  where: string,
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
    throw new UnavailableError(`Cannot open the embedded database ${where}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
