import {
  PostgresDialect,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { Pool } from "pg";
import { UnavailableError, ValidationError } from "../domain/errors.js";
import { pgTypeConfig, SESSION_TIME_ZONE } from "./backend-values.js";
import type { DatabaseParts, Executor, OpenDatabaseOptions } from "./database.js";
import { errorCode, errorMessage, isConnectionFailure } from "./error-details.js";
import { listenOnServer } from "./server-notifications.js";

/** The PostgreSQL server backend: a pool checked before use, and what to tell people when it cannot be reached. */

const MIN_SERVER_VERSION = 150000;

/**
 * A connection pool to the server at `databaseUrl`, checked (it answers, and runs PostgreSQL 15 or later) before
 * it is handed to `assemble`, which makes the Database of it.
 */
export async function openPostgres<
  T extends { readonly closed: boolean; close(): Promise<void>; db: Executor },
>(
  databaseUrl: string,
  options: Pick<OpenDatabaseOptions, "poolSize" | "connectTimeoutMs" | "onPoolError">,
  assemble: (parts: DatabaseParts) => T,
): Promise<T> {
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

  // A connection checked out between two queries (inside a transaction, say) that the server ends (57P01 on
  // pg_ctl stop -m fast) emits 'error' with no pool listener on it, which would crash the process too. Its next
  // query fails (an UnavailableError) and the pool drops it on release: nothing more to do here.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });

  const database = assemble({
    dialect: new UnavailableWhenDownDialect(new PostgresDialect({ pool }), target.where),
    kind: "postgres",
    location: `PostgreSQL at ${target.where}`,
    listen: (channel, handlers) =>
      listenOnServer(
        {
          connectionString: databaseUrl,
          connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
          application_name: "resolved-listen",
        },
        channel,
        {
          ...handlers,
          error: (error) =>
            handlers.error?.(new Error(redact(error.message, target.password), { cause: error })),
        },
      ),
  });
  let version: number;
  try {
    const result = await sql<{
      version: string;
    }>`select current_setting('server_version_num') as version`.execute(database.db);
    version = Number(result.rows[0]?.version);
  } catch (caught) {
    await database.close().catch(() => {});
    // The driver has made a lost server an UnavailableError already: word the first connection's failure from
    // what pg said.
    const error = caught instanceof UnavailableError && caught.cause !== undefined ? caught.cause : caught;
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

/**
 * The server stopped, restarted or unreachable under a running process: every query's failure becomes an
 * UnavailableError (503 on the web, one line in the CLI) instead of a bug's 500. Nothing else is needed to
 * recover: pg drops the broken connections and the pool opens new ones once the server answers again.
 */
class UnavailableWhenDownDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly where: string,
  ) {}

  createDriver(): Driver {
    return new UnavailableWhenDownDriver(this.inner.createDriver(), this.where);
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

class UnavailableWhenDownDriver implements Driver {
  /** The wrapper given out for each of pg's connections, and back: the inner driver releases its own. */
  readonly #inner = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly driver: Driver,
    private readonly where: string,
  ) {}

  #translate = (error: unknown): never => {
    if (!isConnectionFailure(error)) throw error;
    throw new UnavailableError(
      `The PostgreSQL server at ${this.where} does not answer (${errorMessage(error) || errorCode(error)}). ` +
        "Check that it is running; try again in a moment.",
      { cause: error },
    );
  };

  #unwrap(connection: DatabaseConnection): DatabaseConnection {
    return this.#inner.get(connection) ?? connection;
  }

  init(): Promise<void> {
    return this.driver.init().catch(this.#translate);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.driver.acquireConnection().catch(this.#translate);
    const translate = this.#translate;
    const wrapper: DatabaseConnection = {
      executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        return inner.executeQuery<R>(query).catch(translate);
      },
      async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
        try {
          yield* inner.streamQuery<R>(query, chunkSize);
        } catch (error) {
          translate(error);
        }
      },
    };
    this.#inner.set(wrapper, inner);
    return wrapper;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.driver.beginTransaction(this.#unwrap(connection), settings).catch(this.#translate);
  }
  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.commitTransaction(this.#unwrap(connection)).catch(this.#translate);
  }
  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.driver.rollbackTransaction(this.#unwrap(connection)).catch(this.#translate);
  }
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.driver.releaseConnection(this.#unwrap(connection));
  }
  destroy(): Promise<void> {
    return this.driver.destroy();
  }
}
