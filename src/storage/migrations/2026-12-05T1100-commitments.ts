import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Commitments (issue 10): what a decision record says will come next ("The next quarter would see: a. ...",
 * "a report to Cabinet in December"), tracked until a later decision fulfils it.
 *
 * - commitment: one a promise, read from its decision's current record (position is its order there). Due is a
 *   financial quarter (due_start_year 2017 + due_quarter 3 = "2017-18 Q3"), with the words it was worked out
 *   from (due_phrase) and how sure that reading is. status is what people decided: open, done (fulfilled_by the
 *   decision that did it, when one did) or dropped; "overdue" is derived from the due quarter and today, never
 *   stored. confirmed_by/at: who confirmed the fulfilment, and when.
 * - commitment_suggestion_review: an officer's verdict on a suggested fulfilling decision (confirmed or
 *   rejected); a rejected decision is never suggested again for that commitment.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

const identity = (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
const now = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);

/** As in src/services/commitments, copied: a released migration must not change when the code does. */
const STATUSES = ["open", "done", "dropped"] as const;
const CONFIDENCES = ["high", "medium", "low"] as const;
const VERDICTS = ["confirmed", "rejected"] as const;
const inList = (values: readonly string[]) => sql.join(values.map((value) => sql.lit(value)));

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("commitment")
    .addColumn("id", "integer", identity)
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("position", "integer", (col) => col.notNull())
    .addColumn("text", "text", (col) => col.notNull())
    .addColumn("due_start_year", "integer", (col) => col.notNull())
    .addColumn("due_quarter", "smallint", (col) => col.notNull())
    .addColumn("due_phrase", "text", (col) => col.notNull())
    .addColumn("confidence", "text", (col) => col.notNull())
    .addColumn("owner", "text")
    .addColumn("status", "text", (col) => col.notNull().defaultTo("open"))
    .addColumn("progress", "text", (col) => col.notNull().defaultTo(""))
    .addColumn("fulfilled_by", "integer", (col) => col.references("decision.id").onDelete("set null"))
    .addColumn("confirmed_by", "text")
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("commitment_position_positive", sql`position > 0`)
    .addCheckConstraint("commitment_text_present", sql`btrim(text) <> ''`)
    .addCheckConstraint("commitment_due_quarter_check", sql`due_quarter between 1 and 4`)
    .addCheckConstraint("commitment_due_start_year_check", sql`due_start_year between 1900 and 2999`)
    .addCheckConstraint("commitment_status_check", sql`status in (${inList(STATUSES)})`)
    .addCheckConstraint("commitment_confidence_check", sql`confidence in (${inList(CONFIDENCES)})`)
    // Only a done commitment names what fulfilled it, and a decision never fulfils its own commitment.
    .addCheckConstraint("commitment_fulfilled_when_done", sql`fulfilled_by is null or status = 'done'`)
    .addCheckConstraint("commitment_not_self_fulfilled", sql`fulfilled_by is distinct from decision_id`)
    .addCheckConstraint("commitment_confirmation_whole", sql`(confirmed_by is null) = (confirmed_at is null)`)
    .execute();
  await db.schema
    .createIndex("commitment_decision_idx")
    .on("commitment")
    .columns(["decision_id", "position"])
    .execute();
  await db.schema
    .createIndex("commitment_fulfilled_by_idx")
    .on("commitment")
    .column("fulfilled_by")
    .execute();
  await db.schema
    .createIndex("commitment_open_due_idx")
    .on("commitment")
    .columns(["due_start_year", "due_quarter"])
    .where(sql.ref("status"), "=", "open")
    .execute();
  await sql`
    create trigger commitment_set_updated_at before update on commitment
    for each row execute function resolved_set_updated_at()`.execute(db);

  await db.schema
    .createTable("commitment_suggestion_review")
    .addColumn("commitment_id", "integer", (col) =>
      col.notNull().references("commitment.id").onDelete("cascade"),
    )
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("verdict", "text", (col) => col.notNull())
    .addColumn("reviewed_by", "text", (col) => col.notNull())
    .addColumn("reviewed_at", "timestamptz", now)
    .addPrimaryKeyConstraint("commitment_suggestion_review_pkey", ["commitment_id", "decision_id"])
    .addCheckConstraint("commitment_suggestion_review_verdict_check", sql`verdict in (${inList(VERDICTS)})`)
    .execute();
  await db.schema
    .createIndex("commitment_suggestion_review_decision_idx")
    .on("commitment_suggestion_review")
    .column("decision_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("commitment_suggestion_review").execute();
  await db.schema.dropTable("commitment").execute();
}
