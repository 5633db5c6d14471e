import { AsyncLocalStorage } from "node:async_hooks";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  PostgresDialect,
  sql,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Transaction,
  type TransactionSettings,
} from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import { Pool, types as pgTypes, type CustomTypesConfig } from "pg";
import { UnavailableError, ValidationError } from "../domain/errors.js";
import type { DatabaseSchema } from "./schema.js";

/**
 * Opening the database: PGlite (Postgres compiled to WebAssembly, in-process) by default, a PostgreSQL server
 * when DATABASE_URL is set. Both backends return the same JavaScript values for the same SQL values:
 * date → "YYYY-MM-DD" string, int8 → number (an error beyond Number.MAX_SAFE_INTEGER), bytea → Buffer,
 * timestamptz → Date, numeric → string, json/jsonb → parsed value. Write jsonb values as JSON text
 * (JSON.stringify): pg would turn a JavaScript array into a Postgres array literal.
 */

export type BackendKind = "pglite" | "postgres";

/** Anything that runs queries: the database itself or a transaction. Repositories take one of these. */
export type Executor = Kysely<DatabaseSchema>;

export interface OpenDatabaseOptions {
  /** `postgres://user:password@host:port/database`: use this PostgreSQL server (15 or later). */
  databaseUrl?: string;
  /** Where the embedded database lives when there is no databaseUrl; created if missing. Default "./data". */
  dataDir?: string;
  /** An embedded database in memory, gone on close (tests). Not allowed with databaseUrl. */
  inMemory?: boolean;
  /** Most connections to the server at once (default 10). */
  poolSize?: number;
  /** How long to wait for the server to answer when connecting, in milliseconds (default 5000). */
  connectTimeoutMs?: number;
  /** Told about errors on idle server connections (e.g. the server restarted); default: written to stderr. */
  onPoolError?: (error: Error) => void;
  /**
   * With inMemory: start from this copy of an embedded database (made by database.dumpDataDir()) instead of
   * an empty one. A second or so instead of several: test suites use it to start from a migrated database.
   */
  loadDataDir?: Blob;
}

export const DEFAULT_DATA_DIR = "data";
/** Session settings on both backends, so SQL date arithmetic (now()::date, current_date) means the same. */
export const SESSION_TIME_ZONE = "Europe/London";
const MIN_SERVER_VERSION = 150000;
const LOCK_FILE = "resolved.lock";
const PGLITE_SUBDIR = "pglite";
/**
 * PGlite's own page cache. Its default, 128MB, is memory the WebAssembly heap takes for good once touched; the
 * operating system caches the data files anyway. Measured with 100,000 decisions (docs/benchmarks.md, bench/web):
 * 64MB keeps the server under 400 MB resident with searches at a p95 under 50 ms; 32MB saves 30 MB more but
 * searches slow by a quarter; 128MB is 10 ms faster at the p95 and 100 MB larger.
 */
const PGLITE_SHARED_BUFFERS = "64MB";

interface DatabaseParts {
  dialect: Dialect;
  kind: BackendKind;
  location: string;
  pglite?: PGlite;
  onClose?: () => Promise<void>;
}

export class Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly kind: BackendKind;
  /** Where the data is, for logs: never contains a password. */
  readonly location: string;
  readonly #driver: GuardedDriver;
  readonly #pglite: PGlite | undefined;
  readonly #onClose: () => Promise<void>;
  #closed = false;

  /** @internal Use openDatabase. */
  constructor(parts: DatabaseParts) {
    const guarded = new GuardedDialect(parts.dialect);
    this.db = new Kysely<DatabaseSchema>({
      dialect: guarded,
      // Keep jsonb contents exactly as stored: only column names are converted.
      plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
    });
    this.kind = parts.kind;
    this.location = parts.location;
    this.#driver = guarded.driver;
    this.#pglite = parts.pglite;
    this.#onClose = parts.onClose ?? (async () => {});
  }

  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws. Inside, use only the
   * `trx` handle: a query through `database.db` would run outside the transaction (and on PGlite, which has a
   * single connection, wait for ever), so it throws instead. Transactions do not nest.
   */
  async transaction<T>(fn: (trx: Transaction<DatabaseSchema>) => Promise<T>): Promise<T> {
    const outer = transactionScope.getStore();
    if (outer?.driver === this.#driver && outer.open) {
      throw new Error(
        "database.transaction() called inside another transaction: pass the trx handle down instead",
      );
    }
    const scope: TransactionScope = { driver: this.#driver, open: true, connectionTaken: false };
    return transactionScope.run(scope, async () => {
      try {
        return await this.db.transaction().execute(fn);
      } finally {
        scope.open = false;
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A copy of the whole embedded database (a gzipped tar of its files), to load with
   * openDatabase({ inMemory: true, loadDataDir }). PGlite only.
   */
  async dumpDataDir(): Promise<Blob> {
    if (!this.#pglite) throw new Error(`dumpDataDir() needs the embedded database, not ${this.location}`);
    return this.#pglite.dumpDataDir("gzip");
  }

  /** Closes the connections (and, for PGlite, the files and the data-directory lock). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.db.destroy();
      // Kysely's destroy() does nothing before the first query, so an untouched PGlite would stay open.
      if (this.#pglite && !this.#pglite.closed) await this.#pglite.close();
    } finally {
      await this.#onClose();
    }
  }
}

/**
 * Opens the database described by the options: a PostgreSQL server when `databaseUrl` is set, otherwise PGlite
 * in memory (`inMemory`) or in `dataDir`. Does not migrate: call migrateToLatest. Throws UnavailableError when
 * the server does not answer or refuses us, or the data directory cannot be used; nothing is written then.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const databaseUrl = options.databaseUrl?.trim() || undefined;
  if (databaseUrl !== undefined) {
    if (options.inMemory) {
      throw new ValidationError(
        "Choose either DATABASE_URL or an in-memory database, not both",
        "DATABASE_URL",
      );
    }
    return openPostgres(databaseUrl, options);
  }
  if (options.inMemory) return openPgliteInMemory(options.loadDataDir);
  if (options.loadDataDir) throw new ValidationError("loadDataDir works only with an in-memory database");
  return openPgliteInDataDir(resolve(options.dataDir?.trim() || DEFAULT_DATA_DIR));
}

/** The options the composition root passes to openDatabase, from DATABASE_URL and RESOLVED_DATA_DIR. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenDatabaseOptions {
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: env.RESOLVED_DATA_DIR?.trim() || DEFAULT_DATA_DIR,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Values: the same JavaScript value for the same SQL value on both backends.

const OID = {
  bytea: 17,
  int8: 20,
  text: 25,
  int8Array: 1016,
  textArray: 1009,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

/** int8 (bigint, count(*)) as a number; beyond 2^53 an error rather than a silently wrong number. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `The bigint value ${text} is too large for a JavaScript number; cast it to text in SQL`,
    );
  }
  return value;
}

/** pg-types' own parser for a type (its `TypeId` enum lacks many oids). */
const pgTypesParser = (oid: number) =>
  pgTypes.getTypeParser(oid as Parameters<typeof pgTypes.getTypeParser>[0], "text") as (
    text: string,
  ) => unknown;
const parseText = (text: string): string => text;
const parseTextArray = pgTypesParser(OID.textArray) as (text: string) => (string | null)[];
const parseInt8Array = (text: string): (number | null)[] =>
  parseTextArray(text).map((item) => (item === null ? null : parseInt8(item)));

/** Type parsers for pg, on the pool only (pg's global `types` are left alone). */
const pgTypeConfig: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === undefined || format === "text") {
      switch (oid) {
        case OID.date:
          return parseText;
        case OID.dateArray:
          return parseTextArray;
        case OID.int8:
          return parseInt8;
        case OID.int8Array:
          return parseInt8Array;
      }
    }
    return pgTypes.getTypeParser(oid as Parameters<typeof pgTypes.getTypeParser>[0], format);
  }) as CustomTypesConfig["getTypeParser"],
};

/**
 * PGlite's defaults differ from pg's: date → Date at UTC midnight, int8 → number or BigInt, bytea → Uint8Array,
 * timestamps parsed by `new Date`. Use pg's choices (and pg-types' timestamp parser) instead.
 */
const pgliteParsers: Record<number, (value: string) => unknown> = {
  [OID.date]: parseText,
  [OID.int8]: parseInt8,
  [OID.bytea]: pgTypesParser(OID.bytea),
  [OID.timestamptz]: pgTypesParser(OID.timestamptz),
  [OID.timestamp]: pgTypesParser(OID.timestamp),
};

// ---------------------------------------------------------------------------------------------------------
// PostgreSQL server

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<Database> {
  const target = describeUrl(databaseUrl);
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    application_name: "resolved",
    options: `-c TimeZone=${SESSION_TIME_ZONE} -c DateStyle=ISO`,
    types: pgTypeConfig,
  });
  const onPoolError =
    options.onPoolError ??
    ((error: Error) =>
      console.error(`resolved: PostgreSQL connection error (${target.where}): ${error.message}`));
  // Without a listener an idle connection dropped by the server would crash the process. Once closing, a
  // connection ended by the server (e.g. the database being dropped) is expected.
  pool.on("error", (error) => {
    if (database.closed) return;
    onPoolError(new Error(redact(error.message, target.password), { cause: error }));
  });

  const database: Database = new Database({
    dialect: new PostgresDialect({ pool }),
    kind: "postgres",
    location: `PostgreSQL at ${target.where}`,
  });
  let version: number;
  try {
    const result = await sql<{
      version: string;
    }>`select current_setting('server_version_num') as version`.execute(database.db);
    version = Number(result.rows[0]?.version);
  } catch (error) {
    await database.close().catch(() => {});
    throw new UnavailableError(connectFailureMessage(error, target, options.connectTimeoutMs ?? 5000), {
      cause: error,
    });
  }
  if (!(version >= MIN_SERVER_VERSION)) {
    await database.close().catch(() => {});
    throw new UnavailableError(
      `The PostgreSQL server at ${target.where} runs version ${formatServerVersion(version)}; ` +
        "Resolved needs PostgreSQL 15 or later. Upgrade the server, or unset DATABASE_URL to use the embedded database.",
    );
  }
  return database;
}

interface UrlTarget {
  /** host:port/database, for messages. */
  where: string;
  host: string;
  port: string;
  database: string;
  password: string;
}

function describeUrl(databaseUrl: string): UrlTarget {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ValidationError(
      "DATABASE_URL is not a valid URL; expected postgres://user:password@host:port/database",
      "DATABASE_URL",
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ValidationError(
      `DATABASE_URL must start with postgres:// or postgresql:// (it starts with ${url.protocol}//)`,
      "DATABASE_URL",
    );
  }
  const socketHost = url.searchParams.get("host");
  const host = decodeURIComponent(url.hostname) || socketHost || "localhost";
  const port = url.port || url.searchParams.get("port") || "5432";
  const database =
    decodeURIComponent(url.pathname.replace(/^\//, "")) || decodeURIComponent(url.username) || "";
  const password = decodeURIComponent(url.password);
  const where = host.startsWith("/")
    ? `${host}/.s.PGSQL.${port}${database ? ` (database ${database})` : ""}`
    : `${host}:${port}${database ? `/${database}` : ""}`;
  return { where, host, port, database, password };
}

function connectFailureMessage(error: unknown, target: UrlTarget, timeoutMs: number): string {
  const code = errorCode(error);
  const server = `the PostgreSQL server at ${target.where}`;
  const fallback =
    " Or unset DATABASE_URL to use the embedded database (in RESOLVED_DATA_DIR, default ./data).";
  switch (code) {
    case "ENOENT":
      return `Cannot connect to ${server}: there is no server socket there. Start the server, or correct the host in DATABASE_URL.${fallback}`;
    case "ECONNREFUSED":
      return `Cannot connect to ${server}: nothing is listening there (connection refused). Start the server, or correct the host and port in DATABASE_URL.${fallback}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot connect to ${server}: the host name ${target.host} cannot be found. Correct the host in DATABASE_URL.${fallback}`;
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "TIMEOUT":
      return `Cannot connect to ${server}: no answer within ${Math.round(timeoutMs / 1000)} s. Check that the server is running and reachable from here (firewall, host, port).${fallback}`;
    case "28P01":
    case "28000":
      return `${capitalise(server)} refused the login: ${redact(errorMessage(error), target.password)}. Check the user name and password in DATABASE_URL.`;
    case "3D000":
      return `${capitalise(server)} has no database named "${target.database}". Create it (createdb ${target.database}) or correct the database name in DATABASE_URL.`;
    case "57P03":
      return `${capitalise(server)} is starting up or shutting down. Try again in a moment.`;
    case "53300":
      return `${capitalise(server)} has no connection slots left. Try again later, or raise max_connections.`;
    default:
      return `Cannot connect to ${server}: ${redact(errorMessage(error), target.password)}. Check that the server is running and that DATABASE_URL is right.${fallback}`;
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "") return code;
  // Node's dual-stack connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner);
      if (innerCode) return innerCode;
    }
  }
  if (/timeout/i.test(errorMessage(error))) return "TIMEOUT";
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.message === "" && error.errors.length > 0) {
    return errorMessage(error.errors[0]);
  }
  return error instanceof Error ? error.message : String(error);
}

function redact(message: string, password: string): string {
  if (!password) return message;
  let result = message.split(password).join("***");
  const encoded = encodeURIComponent(password);
  if (encoded !== password) result = result.split(encoded).join("***");
  return result;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatServerVersion(version: number): string {
  if (!Number.isFinite(version)) return "(unknown)";
  return version >= 100000 ? `${Math.floor(version / 10000)}.${version % 10000}` : String(version);
}

// ---------------------------------------------------------------------------------------------------------
// PGlite

async function openPgliteInMemory(loadDataDir: Blob | undefined): Promise<Database> {
  const pglite = await createPglite({ loadDataDir }, "in memory");
  return new Database({
    dialect: new PGliteDialect(pglite),
    kind: "pglite",
    location: "PGlite in memory",
    pglite,
  });
}

async function openPgliteInDataDir(dataDir: string): Promise<Database> {
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
    return new Database({
      dialect: new PGliteDialect(pglite),
      kind: "pglite",
      location: `PGlite in ${dataDir}`,
      pglite,
      onClose: releaseLock,
    });
  } catch (error) {
    await releaseLock();
    throw error;
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
    await pglite.exec(`set time zone '${SESSION_TIME_ZONE}'; set datestyle = 'ISO'`);
    return pglite;
  } catch (error) {
    await pglite?.close().catch(() => {});
    throw new UnavailableError(`Cannot open the embedded database ${where}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/** Lock files this process holds, so a lock left by an earlier process that had our pid is seen as stale. */
const heldLocks = new Set<string>();

interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

/**
 * PGlite has no protection against two processes opening the same files, which corrupts them. Take a lock file
 * in the data directory; a lock whose process is gone is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        const holder: LockHolder = {
          pid: process.pid,
          hostname: hostname(),
          startedAt: new Date().toISOString(),
        };
        await handle.writeFile(`${JSON.stringify(holder)}\n`);
      } finally {
        await handle.close();
      }
      heldLocks.add(file);
      return async () => {
        heldLocks.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") {
        throw new UnavailableError(`Cannot write to the data directory ${dataDir}: ${errorMessage(error)}`, {
          cause: error,
        });
      }
    }
    const holder = await readLockHolder(file);
    if (holder === "fresh" || (holder !== "stale" && lockIsLive(file, holder))) {
      const who =
        holder === "fresh"
          ? "another Resolved process"
          : `another Resolved process (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt})`;
      throw new UnavailableError(
        `The embedded database in ${dataDir} is in use by ${who}. Stop that process first; ` +
          "to run several processes at once, use a PostgreSQL server (DATABASE_URL). " +
          `If no such process is running, delete ${file}.`,
      );
    }
    await rm(file, { force: true });
  }
  throw new UnavailableError(
    `Cannot lock the data directory ${dataDir}: another process keeps taking the lock.`,
  );
}

async function readLockHolder(file: string): Promise<LockHolder | "fresh" | "stale"> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      typeof (parsed as LockHolder).pid === "number" &&
      typeof (parsed as LockHolder).hostname === "string"
    ) {
      return parsed as LockHolder;
    }
  } catch (error) {
    if (errorCode(error) === "ENOENT") return "stale";
  }
  // Unreadable: being written right now by another process, or left half-written by a crash.
  try {
    const { mtimeMs } = await stat(file);
    return Date.now() - mtimeMs < 5000 ? "fresh" : "stale";
  } catch {
    return "stale";
  }
}

function lockIsLive(file: string, holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true; // cannot tell: assume it is
  if (holder.pid === process.pid) return heldLocks.has(file);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------------------
// A driver wrapper that makes both backends behave alike inside transactions.

interface TransactionScope {
  driver: GuardedDriver;
  open: boolean;
  connectionTaken: boolean;
}

const transactionScope = new AsyncLocalStorage<TransactionScope>();

class GuardedDialect implements Dialect {
  readonly driver: GuardedDriver;

  constructor(private readonly inner: Dialect) {
    this.driver = new GuardedDriver(inner.createDriver());
  }

  createDriver(): Driver {
    return this.driver;
  }
  createQueryCompiler() {
    return this.inner.createQueryCompiler();
  }
  createAdapter() {
    return this.inner.createAdapter();
  }
  createIntrospector(db: Kysely<unknown>) {
    return this.inner.createIntrospector(db);
  }
}

/**
 * Inside Database.transaction the first connection taken is the transaction's; another one means a query went
 * through `database.db` instead of `trx`. PGlite's driver would wait for ever for its single connection, and
 * pg would run the query outside the transaction: throw instead, on both. Also gives PGlite savepoints.
 */
class GuardedDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = transactionScope.getStore();
    if (scope?.driver === this && scope.open) {
      if (scope.connectionTaken) {
        throw new Error(
          "A query went through database.db inside database.transaction(): use the trx handle given to the callback",
        );
      }
      scope.connectionTaken = true;
    }
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
