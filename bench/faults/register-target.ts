import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "kysely";
import { openDatabase, type Database } from "../../src/storage/database.js";

export type FaultsBackend = "pglite" | "postgres";

/** An empty register for one series of killed imports: a PGlite data directory, or a database on a server. */
export interface RegisterTarget {
  backend: FaultsBackend;
  /** The environment `resolved` runs with to use it (nothing else of the caller's database settings). */
  env: NodeJS.ProcessEnv;
  /** PGlite: the lock file a running process holds. */
  lockFile?: string;
  /** Opens it as the harness's own reader (for PGlite this takes, and on close releases, the lock). */
  open(): Promise<Database>;
  /** Removes it. */
  dispose(): Promise<void>;
}

/** The caller's environment without anything that would point `resolved` at another database. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["DATABASE_URL", "RESOLVED_DATA_DIR", "LOG_LEVEL", "RESOLVED_DEBUG"]) delete env[key];
  return { ...env, ...extra };
}

export async function pgliteTarget(parent: string, name: string): Promise<RegisterTarget> {
  const dataDir = join(parent, name);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(parent, { recursive: true });
  return {
    backend: "pglite",
    env: cleanEnv({ RESOLVED_DATA_DIR: dataDir }),
    lockFile: join(dataDir, "resolved.lock"),
    open: () => openDatabase({ dataDir }),
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
}

/** A new database on the server at `adminUrl` (a user that may CREATE DATABASE), dropped by dispose(). */
export async function postgresTarget(adminUrl: string, prefix: string): Promise<RegisterTarget> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = await openDatabase({ databaseUrl: adminUrl, poolSize: 1 });
  try {
    await sql`create database ${sql.id(name)}`.execute(admin.db);
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    backend: "postgres",
    env: cleanEnv({ DATABASE_URL: databaseUrl }),
    open: () => openDatabase({ databaseUrl, poolSize: 2 }),
    dispose: async () => {
      const dropper = await openDatabase({ databaseUrl: adminUrl, poolSize: 1 });
      try {
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(dropper.db);
      } finally {
        await dropper.close();
      }
    },
  };
}
