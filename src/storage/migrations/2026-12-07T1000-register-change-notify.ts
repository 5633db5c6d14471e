import { sql, type Kysely } from "kysely";

/**
 * Telling server processes that the register changed (issue 12): every change to the register appends to the
 * audit log in its own transaction, so a statement-level trigger on audit_log sends
 * `NOTIFY resolved_register_changed` (empty payload). PostgreSQL delivers a notification only when (and if) the
 * transaction commits, and sends one per transaction however many entries it wrote (identical notifications in a
 * transaction are folded into one): a bulk import of 100,000 records wakes each listener once. TRUNCATE notifies
 * too (tests empty the tables; a restore may), though row triggers do not fire on it.
 *
 * The channel name is copied here, not imported: a released migration must not change when the code does.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function resolved_register_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('resolved_register_changed', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger audit_log_register_changed after insert or truncate on audit_log
    for each statement execute function resolved_register_changed()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger audit_log_register_changed on audit_log`.execute(db);
  await sql`drop function resolved_register_changed()`.execute(db);
}
