import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Quarterly updates to strategies (issue 10): which Cabinet decision considered each quarter's performance
 * update, found by reading the records (title, meeting, quarter) and confirmed by an officer.
 *
 * - strategy.origin: 'defined' (created from JSON: `resolved strategy import`, the API) or 'found-in-record'
 *   (created when a record agreed a strategy the register did not know; filled in when its JSON arrives).
 * - strategy_update: a decision linked to a strategy as its update for one financial quarter (start_year 2017 and
 *   quarter 2 for "2017-18 Q2"); proposed by the reading, confirmed by an officer; found_by says why in words.
 *   One link a decision a strategy; one confirmed link a strategy a quarter.
 * - strategy_update_rejection: a pairing an officer rejected, never proposed again.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

const identity = (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
const now = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);

/** As in src/storage/schema.ts, copied: a released migration must not change when the code does. */
const ORIGINS = ["defined", "found-in-record"] as const;
const STATUSES = ["proposed", "confirmed"] as const;
const inList = (values: readonly string[]) => sql.join(values.map((value) => sql.lit(value)));

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("strategy")
    .addColumn("origin", "text", (col) => col.notNull().defaultTo("defined"))
    .execute();
  await db.schema
    .alterTable("strategy")
    .addCheckConstraint("strategy_origin_check", sql`origin in (${inList(ORIGINS)})`)
    .execute();
  await db.schema
    .createIndex("strategy_agreed_by_idx")
    .on("strategy")
    .column("agreed_by_decision_id")
    .execute();

  await db.schema
    .createTable("strategy_update")
    .addColumn("id", "integer", identity)
    .addColumn("strategy_id", "integer", (col) => col.notNull().references("strategy.id").onDelete("cascade"))
    .addColumn("start_year", "integer", (col) => col.notNull())
    .addColumn("quarter", "smallint", (col) => col.notNull())
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("status", "text", (col) => col.notNull().defaultTo("proposed"))
    .addColumn("found_by", "text", (col) => col.notNull())
    .addColumn("confirmed_by", "text")
    .addColumn("confirmed_at", "timestamptz")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("strategy_update_decision_strategy_unique", ["decision_id", "strategy_id"])
    .addCheckConstraint("strategy_update_quarter_check", sql`quarter between 1 and 4`)
    .addCheckConstraint("strategy_update_start_year_check", sql`start_year between 1900 and 2999`)
    .addCheckConstraint("strategy_update_status_check", sql`status in (${inList(STATUSES)})`)
    .addCheckConstraint(
      "strategy_update_confirmation_whole",
      sql`(confirmed_by is null) = (confirmed_at is null) and (status = 'confirmed') = (confirmed_by is not null)`,
    )
    .execute();
  await db.schema
    .createIndex("strategy_update_confirmed_quarter_unique")
    .on("strategy_update")
    .columns(["strategy_id", "start_year", "quarter"])
    .unique()
    .where(sql.ref("status"), "=", "confirmed")
    .execute();
  await db.schema
    .createIndex("strategy_update_strategy_idx")
    .on("strategy_update")
    .columns(["strategy_id", "start_year", "quarter"])
    .execute();
  await sql`
    create trigger strategy_update_set_updated_at before update on strategy_update
    for each row execute function resolved_set_updated_at()`.execute(db);

  await db.schema
    .createTable("strategy_update_rejection")
    .addColumn("strategy_id", "integer", (col) => col.notNull().references("strategy.id").onDelete("cascade"))
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("rejected_by", "text", (col) => col.notNull())
    .addColumn("rejected_at", "timestamptz", now)
    .addPrimaryKeyConstraint("strategy_update_rejection_pkey", ["strategy_id", "decision_id"])
    .execute();
  await db.schema
    .createIndex("strategy_update_rejection_decision_idx")
    .on("strategy_update_rejection")
    .column("decision_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("strategy_update_rejection").execute();
  await db.schema.dropTable("strategy_update").execute();
  await db.schema.dropIndex("strategy_agreed_by_idx").execute();
  await db.schema.alterTable("strategy").dropConstraint("strategy_origin_check").execute();
  await db.schema.alterTable("strategy").dropColumn("origin").execute();
}
