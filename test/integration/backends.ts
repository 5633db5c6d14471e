import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import type { DatabaseSchema } from "../../src/storage/schema.js";

/**
 * One database per test file, on the backend chosen for the run:
 *
 *   RESOLVED_TEST_BACKEND=pglite (default)   PGlite in memory
 *   RESOLVED_TEST_BACKEND=postgres           a fresh database (resolved_test_<random>) on the server at
 *                                            RESOLVED_TEST_DATABASE_URL (default: the one that
 *                                            scripts/start-test-postgres.sh starts), dropped after the file
 *
 * A PGlite instance takes seconds and hundreds of MB to start, so a file shares one and empties it between
 * tests (resetDatabase) instead. Creating one (initdb) and migrating it is the slow part: the first file builds
 * a template (a dump of a migrated database) and caches it in the system temp directory, keyed by the
 * migration sources and the PGlite version; later files and runs load it in about a second.
 * RESOLVED_TEST_PGLITE_TEMPLATE=off turns that off. A server that does not answer fails the file, with how to start one: tests
 * chosen for Postgres never quietly skip, least of all in CI.
 *
 *   const t = useTestDatabase();
 *   it("...", async () => { await t.db.insertInto("council")...; });
 */

export type TestBackend = "pglite" | "postgres";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:54329/postgres";

export function testBackend(env: NodeJS.ProcessEnv = process.env): TestBackend {
  const value = env.RESOLVED_TEST_BACKEND?.trim() || "pglite";
  if (value !== "pglite" && value !== "postgres") {
    throw new Error(`RESOLVED_TEST_BACKEND must be pglite or postgres, not "${value}"`);
  }
  return value;
}

export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.RESOLVED_TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
}

export interface TestDatabase {
  readonly backend: TestBackend;
  readonly database: Database;
  readonly db: Kysely<DatabaseSchema>;
  /** The database's URL on a server (for other processes to use it too); undefined on PGlite. */
  readonly url: string | undefined;
  /** Empties every table (identities restart at 1); the schema and the migration records stay. */
  resetDatabase(): Promise<void>;
  /** Closes the database and, on a server, drops it. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Bring the schema up to date on creation (default true). */
  migrate?: boolean;
}

/** A fresh database on the run's backend. Prefer useTestDatabase in test files; close() it when done. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (testBackend() === "pglite") return createPgliteTestDatabase(migrate);

  const server = await createServerDatabase();
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: server.url, poolSize: 4 });
  } catch (error) {
    await server.drop();
    throw error;
  }
  try {
    if (migrate) await migrateToLatest(database);
  } catch (error) {
    await database.close();
    await server.drop();
    throw error;
  }
  return wrap("postgres", database, server.drop, server.url);
}

function wrap(
  backend: TestBackend,
  database: Database,
  drop: () => Promise<void>,
  url?: string,
): TestDatabase {
  let closed = false;
  return {
    backend,
    database,
    db: database.db,
    url,
    resetDatabase: () => truncateAll(database),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await database.close();
      } finally {
        await drop();
      }
    },
  };
}

async function createPgliteTestDatabase(migrate: boolean): Promise<TestDatabase> {
  const templateFile = await pgliteTemplateFile(migrate);
  if (templateFile) {
    const bytes = await readFile(templateFile).catch(() => undefined);
    if (bytes) {
      try {
        const loadDataDir = new Blob([bytes], { type: "application/x-gzip" });
        return wrap("pglite", await openDatabase({ inMemory: true, loadDataDir }), async () => {});
      } catch {
        // A damaged template: build a new one below.
      }
    }
  }
  const database = await openDatabase({ inMemory: true });
  try {
    if (migrate) await migrateToLatest(database);
    if (templateFile) {
      // Written whole under a temporary name, then renamed: a reader never sees half a file.
      const temporary = `${templateFile}.${process.pid}.${randomBytes(4).toString("hex")}`;
      await writeFile(temporary, Buffer.from(await (await database.dumpDataDir()).arrayBuffer()));
      await rename(temporary, templateFile).catch(() => rm(temporary, { force: true }));
      await removeOtherTemplates(templateFile);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return wrap("pglite", database, async () => {});
}

const TEMPLATE_PREFIX = "resolved-pglite-template-";

/** Templates of earlier schemas (a migration was edited) would pile up in the temp directory. */
async function removeOtherTemplates(current: string): Promise<void> {
  const name = current.slice(tmpdir().length + 1);
  const variantPrefix = name.slice(0, name.lastIndexOf("-") + 1);
  for (const other of await readdir(tmpdir()).catch(() => [])) {
    if (other.startsWith(variantPrefix) && other.endsWith(".tar.gz") && other !== name) {
      await rm(join(tmpdir(), other), { force: true });
    }
  }
}

/** Where the template for this schema lives, or undefined when templates are off or the key is unknown. */
async function pgliteTemplateFile(migrated: boolean): Promise<string | undefined> {
  if (process.env.RESOLVED_TEST_PGLITE_TEMPLATE?.trim() === "off") return undefined;
  try {
    const hash = createHash("sha256");
    const pglitePackage = new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url);
    hash.update(JSON.parse(await readFile(pglitePackage, "utf8")).version as string);
    hash.update(migrated ? "migrated" : "empty");
    if (migrated) {
      const directory = fileURLToPath(new URL("../../src/storage/migrations/", import.meta.url));
      for (const name of (await readdir(directory)).sort()) {
        hash.update(name);
        hash.update(await readFile(join(directory, name)));
      }
    }
    const variant = migrated ? "migrated" : "empty";
    return join(tmpdir(), `${TEMPLATE_PREFIX}${variant}-${hash.digest("hex").slice(0, 16)}.tar.gz`);
  } catch {
    return undefined;
  }
}

/**
 * Registers hooks: one database for the test file (beforeAll/afterAll), emptied before each test unless
 * `reset: "manual"`. The returned object's properties are usable inside tests and hooks.
 */
export function useTestDatabase(options: TestDatabaseOptions & { reset?: "before-each" | "manual" } = {}) {
  let current: TestDatabase | undefined;
  const get = (): TestDatabase => {
    if (!current) throw new Error("The test database is not open yet: use it inside tests or hooks");
    return current;
  };
  beforeAll(async () => {
    current = await createTestDatabase(options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  if ((options.reset ?? "before-each") === "before-each") {
    beforeEach(async () => {
      await get().resetDatabase();
    });
  }
  return {
    backend: testBackend(),
    get database(): Database {
      return get().database;
    },
    get db(): Kysely<DatabaseSchema> {
      return get().db;
    },
    get url(): string | undefined {
      return get().url;
    },
    resetDatabase: (): Promise<void> => get().resetDatabase(),
  };
}

/** TRUNCATE every table of ours at once (row triggers, such as the audit log's, do not fire on TRUNCATE). */
export async function truncateAll(database: Database): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely\\_%'
    order by tablename`.execute(database.db);
  if (rows.length === 0) return;
  await sql`truncate table ${sql.join(rows.map((row) => sql.table(row.name)))} restart identity cascade`.execute(
    database.db,
  );
}

async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = testDatabaseUrl();
  let admin: Database;
  try {
    admin = await openDatabase({ databaseUrl: adminUrl, poolSize: 1, connectTimeoutMs: 3000 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const ci = process.env.CI === "true" ? " (CI must start the server before the tests)" : "";
    throw new Error(
      `RESOLVED_TEST_BACKEND=postgres, but the test server does not answer${ci}: ${reason}\n` +
        "Start one with: scripts/start-test-postgres.sh, or set RESOLVED_TEST_DATABASE_URL to a server where " +
        "this user may CREATE DATABASE.",
      { cause: error },
    );
  }
  const name = `resolved_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  try {
    await sql`create database ${sql.id(name)}`.execute(admin.db);
  } catch (error) {
    await admin.close();
    throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
      } finally {
        await admin.close();
      }
    },
  };
}
