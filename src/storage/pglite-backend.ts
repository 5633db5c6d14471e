import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import { UnavailableError } from "../domain/errors.js";
import { pgliteParsers, SESSION_TIME_ZONE } from "./backend-values.js";
import type { DatabaseParts, NotificationHandlers, NotificationListener } from "./database.js";
import { lockDataDir } from "./data-dir-lock.js";
import { errorMessage } from "./error-details.js";

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

export async function openPgliteInDataDir(dataDir: string): Promise<DatabaseParts> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new UnavailableError(`Cannot create the data directory ${dataDir}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const releaseLock = await lockDataDir(dataDir);
  try {
    const open = () => createPglite({ dataDir: join(dataDir, PGLITE_SUBDIR) }, `in ${dataDir}`);
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
      dialect: new PGliteDialect(pglite),
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
 * LISTEN in PGlite's one session. Only this process can write to the database (the data directory's lock), and
 * PGlite hands a commit's notifications to the listeners (as microtasks) while it reads the commit's answer,
 * before the promise of the committing query resolves: whoever awaited a write finds the listeners told. Never
 * disconnected, so live from the start.
 */
async function listenInPglite(
  pglite: PGlite,
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
): Promise<PGlite> {
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create({
      ...options,
      parsers: pgliteParsers,
    });
    // One session for the lifetime of the instance, so session settings stick.
    await pglite.exec(`set time zone '${SESSION_TIME_ZONE}'; set datestyle = 'ISO'`);
    return pglite;
  } catch (error) {
    await pglite?.close().catch(() => {});
    throw new UnavailableError(`Cannot open the embedded database ${where}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
