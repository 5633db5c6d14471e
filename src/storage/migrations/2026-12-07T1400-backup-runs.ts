import { sql, type Kysely } from "kysely";

/**
 * Scheduled backups (RESOLVED_BACKUP_SCHEDULE): one row per scheduled instant, claimed by the first server
 * process to insert it, so that with several processes on one database only one takes each backup. Server
 * state, not part of the register: not exported.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("backup_run")
    // The scheduled instant, e.g. 2026-12-05T02:30:00.000Z: the same in every process, whatever its clock.
    .addColumn("slot", "text", (col) => col.primaryKey())
    .addColumn("taken_by", "text", (col) => col.notNull())
    .addColumn("started_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .addColumn("file", "text")
    .addColumn("error", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("backup_run").execute();
}
