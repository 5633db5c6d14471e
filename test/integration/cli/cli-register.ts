import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, type Database } from "../../../src/storage/database.js";
import { migrateToLatest } from "../../../src/storage/migrate.js";
import { ensureCliBuilt, runCli, type CliRun } from "../../support/built-cli.js";
import { testBackend, testDatabaseUrl } from "../backends.js";

export interface CliRegister {
  /** Runs the built CLI on this file's register, with `input` on its standard input. */
  cli(args: string[], input?: string): Promise<CliRun>;
  /** The environment the CLI runs with (its database), to run it with a variation. */
  env(): NodeJS.ProcessEnv;
  /** Opens the CLI's database from the test (the CLI must not be running: PGlite allows one process). */
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
}

/**
 * A register for a CLI test file, on the run's backend: an embedded database in a temporary RESOLVED_DATA_DIR,
 * or a database created for the file on the test server (dropped afterwards). The CLI is built first.
 */
export function useCliRegister(name: string): CliRegister {
  let env: NodeJS.ProcessEnv = {};
  let cleanup: () => Promise<void> = async () => {};

  beforeAll(async () => {
    await ensureCliBuilt();
    if (testBackend() === "pglite") {
      const dataDir = await mkdtemp(join(tmpdir(), `resolved-${name}-`));
      env = { RESOLVED_DATA_DIR: dataDir, DATABASE_URL: "" };
      cleanup = () => rm(dataDir, { recursive: true, force: true });
    } else {
      const admin = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 1 });
      const database = `resolved_${name.replace(/-/g, "_")}_${process.pid}_${randomBytes(4).toString("hex")}`;
      await sql`create database ${sql.id(database)}`.execute(admin.db);
      const url = new URL(testDatabaseUrl());
      url.pathname = `/${database}`;
      env = { DATABASE_URL: url.toString() };
      cleanup = async () => {
        try {
          await sql`drop database if exists ${sql.id(database)} with (force)`.execute(admin.db);
        } finally {
          await admin.close();
        }
      };
    }
    env = { ...env, RESOLVED_COUNCIL: "", LOG_LEVEL: "", RESOLVED_DEBUG: "" };
  }, 180_000);

  afterAll(async () => {
    await cleanup();
  });

  return {
    cli: (args, input) => runCli(args, { env, ...(input !== undefined && { input }) }),
    env: () => env,
    async withDatabase(fn) {
      const database = await openDatabase(
        env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.RESOLVED_DATA_DIR as string },
      );
      try {
        await migrateToLatest(database);
        return await fn(database);
      } finally {
        await database.close();
      }
    },
  };
}

export interface CliRegisters {
  /** The file's scratch folder (the CLI's working directory; files for a test go here). */
  work(): string;
  /**
   * A new, empty register: the environment that points the CLI at it and at nothing else (`unset`, and any
   * RESOLVED_* setting the file names, blanked).
   */
  newRegister(): Promise<NodeJS.ProcessEnv>;
}

/**
 * Many registers for a CLI test file that moves data between them (export → restore, backup → restore): a
 * temporary data directory each, or a database each on the test server, all removed after the file.
 */
export function useCliRegisters(name: string, settings: readonly string[] = []): CliRegisters {
  let work = "";
  let admin: Database | undefined;
  const serverDatabases: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `resolved-${name}-`));
    await ensureCliBuilt();
  }, 180_000);

  afterAll(async () => {
    if (admin) {
      for (const database of serverDatabases) {
        await sql`drop database if exists ${sql.id(database)} with (force)`.execute(admin.db);
      }
      await admin.close();
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  return {
    work: () => work,
    async newRegister() {
      const unset: NodeJS.ProcessEnv = { DATABASE_URL: "", RESOLVED_DATA_DIR: "", RESOLVED_COUNCIL: "" };
      for (const setting of [...settings, "LOG_LEVEL", "RESOLVED_DEBUG"]) unset[setting] = "";
      if (testBackend() === "pglite") {
        return { ...unset, RESOLVED_DATA_DIR: await mkdtemp(join(work, "data-")) };
      }
      admin ??= await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 1 });
      const database = `resolved_${name.replace(/-/g, "_")}_${process.pid}_${randomBytes(4).toString("hex")}`;
      await sql`create database ${sql.id(database)}`.execute(admin.db);
      serverDatabases.push(database);
      const url = new URL(testDatabaseUrl());
      url.pathname = `/${database}`;
      return { ...unset, DATABASE_URL: url.toString() };
    },
  };
}
