import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely } from "kysely";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionSettings,
} from "kysely";

/**
 * A driver wrapper that makes both backends behave alike inside transactions: a query through the database
 * handle while a transaction holds the connection throws instead of waiting (for ever, on PGlite).
 */

export interface TransactionScope {
  driver: GuardedDriver;
  open: boolean;
  connectionTaken: boolean;
  /** Something in it changed what the register shows (noteRegisterChange): say so once it commits. */
  changedRegister?: boolean;
}

export const transactionScope = new AsyncLocalStorage<TransactionScope>();

export class GuardedDialect implements Dialect {
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
export class GuardedDriver implements Driver {
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
