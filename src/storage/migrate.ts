import { Migrator, NO_MIGRATIONS, type MigrationResult, type MigrationResultSet } from "kysely";
import { UnavailableError } from "../domain/errors.js";
import type { Database } from "./database.js";
import { migrations } from "./migrations/index.js";

/** A migration failed: the schema is left as it was before the run (migrations run in one transaction). */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

export interface MigrationStatus {
  name: string;
  /** When it ran on this database; undefined when pending. */
  executedAt: Date | undefined;
}

function migratorFor(database: Database): Migrator {
  return new Migrator({
    // Migrations see plain snake_case SQL: no camel-case conversion.
    db: database.db.withoutPlugins(),
    provider: { getMigrations: async () => ({ ...migrations }) },
  });
}

/** Brings the schema up to date; returns the names of the migrations applied now (none when already there). */
export async function migrateToLatest(database: Database): Promise<string[]> {
  return applied(await run(database, (migrator) => migrator.migrateToLatest()));
}

/**
 * Undoes migrations down to `target` (kept), or every migration when target is null. For tests and for
 * recovering from a bad release; it drops tables, data included.
 */
export async function migrateDownTo(database: Database, target: string | null): Promise<string[]> {
  return applied(await run(database, (migrator) => migrator.migrateTo(target ?? NO_MIGRATIONS)));
}

export async function migrationStatus(database: Database): Promise<MigrationStatus[]> {
  try {
    const list = await migratorFor(database).getMigrations();
    return list.map((info) => ({ name: info.name, executedAt: info.executedAt }));
  } catch (error) {
    throw new MigrationError(
      `Cannot read the migration state of ${database.location}: ${message(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
}

async function run(
  database: Database,
  step: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationResultSet> {
  let resultSet: MigrationResultSet;
  try {
    resultSet = await step(migratorFor(database));
  } catch (error) {
    throw wrap(database, error, undefined);
  }
  if (resultSet.error !== undefined) {
    const failed = resultSet.results?.find((result) => result.status === "Error");
    throw wrap(database, resultSet.error, failed);
  }
  return resultSet;
}

function applied(resultSet: MigrationResultSet): string[] {
  return (resultSet.results ?? [])
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}

function wrap(database: Database, error: unknown, failed: MigrationResult | undefined): Error {
  const text = message(error);
  // Kysely refuses to run when the database has migrations this version of Resolved does not know.
  const unknown = /corrupted migrations: previously executed migration (\S+) is missing/.exec(text);
  if (unknown) {
    return new UnavailableError(
      `${database.location} has been migrated by a newer version of Resolved (migration ${unknown[1]} is unknown ` +
        "to this one). Upgrade Resolved, or point it at another database.",
      { cause: error },
    );
  }
  if (failed) {
    return new MigrationError(
      `Migration ${failed.migrationName} failed on ${database.location}: ${text}. Nothing was changed.`,
      failed.migrationName,
      { cause: error },
    );
  }
  return new MigrationError(`Cannot migrate ${database.location}: ${text}`, undefined, { cause: error });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
