import { sql, type Kysely } from "kysely";

/**
 * Managing commitments (issue 10): officers record progress and drop commitments with a reason.
 *
 * - commitment_progress: a dated progress note on a commitment, kept as a history (newest last). The
 *   commitment's own `progress` column keeps holding the latest note, so a list needs no join to show it.
 * - commitment.dropped_reason: why a dropped commitment was dropped (shown publicly); present exactly when the
 *   status is dropped. Rows dropped before this migration (none were: nothing could drop one) get a placeholder.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("commitment_progress")
    .addColumn("id", "integer", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("commitment_id", "integer", (col) =>
      col.notNull().references("commitment.id").onDelete("cascade"),
    )
    .addColumn("note", "text", (col) => col.notNull())
    .addColumn("recorded_by", "text", (col) => col.notNull())
    .addColumn("recorded_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("commitment_progress_note_present", sql`btrim(note) <> ''`)
    .execute();
  await db.schema
    .createIndex("commitment_progress_commitment_idx")
    .on("commitment_progress")
    .columns(["commitment_id", "recorded_at"])
    .execute();
  await db.schema.alterTable("commitment").addColumn("dropped_reason", "text").execute();
  await sql`update commitment set dropped_reason = 'Dropped before reasons were recorded'
            where status = 'dropped'`.execute(db);
  await db.schema
    .alterTable("commitment")
    .addCheckConstraint(
      "commitment_dropped_reason_when_dropped",
      sql`(status = 'dropped') = (dropped_reason is not null and btrim(dropped_reason) <> '')`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("commitment").dropConstraint("commitment_dropped_reason_when_dropped").execute();
  await db.schema.alterTable("commitment").dropColumn("dropped_reason").execute();
  await db.schema.dropTable("commitment_progress").execute();
}
