import { resolve } from "node:path";
import { CamelCasePlugin, Kysely, type Dialect, type Transaction } from "kysely";
import { ValidationError } from "../domain/errors.js";
import type { DatabaseSchema } from "./schema.js";
import {
  GuardedDialect,
  transactionScope,
  type GuardedDriver,
  type TransactionScope,
} from "./guarded-dialect.js";
import { type EmbeddedPglite, openPgliteInDataDir, openPgliteInMemory } from "./pglite-backend.js";
import { openPostgres } from "./postgres-server.js";

/**
 * Opening the database: PGlite (Postgres compiled to WebAssembly, in-process) by default, a PostgreSQL server
 * when DATABASE_URL is set. Both backends return the same JavaScript values for the same SQL values:
 * date → "YYYY-MM-DD" string, int8 → number (an error beyond Number.MAX_SAFE_INTEGER), bytea → Buffer,
 * timestamptz → Date, numeric → string, json/jsonb → parsed value. Write jsonb values as JSON text
 * (JSON.stringify): pg would turn a JavaScript array into a Postgres array literal.
 */

export type BackendKind = "pglite" | "postgres";

const committedChangeListeners = new Set<() => void>();

/**
 * Told when a change to the register has committed in this process (see noteRegisterChange); returns a
 * function that stops it. Notifications (Database.listen) tell every process, this one included, but on a
 * server they arrive a moment after the commit: this lets the process that made a change show it on the very
 * next request it answers (a form posted, then the page it redirects to).
 */
export function onRegisterChangeCommitted(listener: () => void): () => void {
  committedChangeListeners.add(listener);
  return () => committedChangeListeners.delete(listener);
}

function registerChangeCommitted(): void {
  for (const listener of committedChangeListeners) listener();
}

/**
 * Called as a change to the register is written (the audit log, as it appends). Inside Database.transaction it
 * marks the transaction, whose commit then tells onRegisterChangeCommitted's listeners, and returns undefined;
 * outside one the statement commits by itself, so it returns the function to call once it has run.
 */
export function noteRegisterChange(): (() => void) | undefined {
  const scope = transactionScope.getStore();
  if (scope?.open) {
    scope.changedRegister = true;
    return undefined;
  }
  return registerChangeCommitted;
}

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
  /**
   * The embedded database in a data directory runs in a thread of its own unless this is false
   * (RESOLVED_EMBEDDED_THREAD=false): then queries run on the main thread, as they did before.
   */
  embeddedThread?: boolean;
}

export const DEFAULT_DATA_DIR = "data";

/** What a listener on a notification channel is told (see Database.listen). */
export interface NotificationHandlers {
  /** A notification on the channel: sent by a transaction that has committed. */
  notify(payload: string): void;
  /**
   * Whether every notification from now on reaches `notify`: true once listening, false when the connection
   * that listens is lost (a server restart, the backend ended), true again after listening anew. Notifications
   * sent while it was false are lost: treat the change to true as "anything may have changed".
   */
  live(live: boolean): void;
  /** Why the listening connection was lost or could not be made (it is tried again by itself). */
  error?(error: Error): void;
}

export interface NotificationListener {
  /** Stops listening (and, on a server, closes the connection that listens). Safe to call twice. */
  close(): Promise<void>;
}

export interface DatabaseParts {
  dialect: Dialect;
  kind: BackendKind;
  location: string;
  pglite?: EmbeddedPglite;
  onClose?: () => Promise<void>;
  /** LISTEN on `channel` (a lower-case SQL identifier), in the backend's way. */
  listen: (channel: string, handlers: NotificationHandlers) => Promise<NotificationListener>;
}

export class Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly kind: BackendKind;
  /** Where the data is, for logs: never contains a password. */
  readonly location: string;
  readonly #driver: GuardedDriver;
  readonly #pglite: EmbeddedPglite | undefined;
  readonly #onClose: () => Promise<void>;
  readonly #listen: DatabaseParts["listen"];
  readonly #listeners = new Set<NotificationListener>();
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
    this.#listen = parts.listen;
  }

  /**
   * Listens for notifications (NOTIFY, pg_notify) on `channel`, delivered only for committed transactions, from
   * any process using this database. On a server, one connection of its own per call, outside the pool, made
   * again with a growing pause after it is lost (`handlers.live` says when); on PGlite, in the one session, told
   * before the committing call returns. Closed with the database at the latest.
   */
  async listen(channel: string, handlers: NotificationHandlers): Promise<NotificationListener> {
    if (this.#closed) throw new Error(`listen(${channel}) on a closed database`);
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    const listener = await this.#listen(channel, handlers);
    const tracked: NotificationListener = {
      close: async () => {
        this.#listeners.delete(tracked);
        await listener.close();
      },
    };
    this.#listeners.add(tracked);
    return tracked;
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
        const result = await this.db.transaction().execute(fn);
        if (scope.changedRegister) registerChangeCommitted();
        return result;
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
      for (const listener of [...this.#listeners]) await listener.close().catch(() => {});
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
    return openPostgres(databaseUrl, options, (parts) => new Database(parts));
  }
  if (options.inMemory) return new Database(await openPgliteInMemory(options.loadDataDir));
  if (options.loadDataDir) throw new ValidationError("loadDataDir works only with an in-memory database");
  return new Database(
    await openPgliteInDataDir(
      resolve(options.dataDir?.trim() || DEFAULT_DATA_DIR),
      options.embeddedThread ?? true,
    ),
  );
}

/** The options the composition root passes to openDatabase, from DATABASE_URL and RESOLVED_DATA_DIR. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenDatabaseOptions {
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: env.RESOLVED_DATA_DIR?.trim() || DEFAULT_DATA_DIR,
    embeddedThread: env.RESOLVED_EMBEDDED_THREAD?.trim().toLowerCase() !== "false",
  };
}
