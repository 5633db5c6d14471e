import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Strategies and KPIs (issue 10): a strategy the council agreed, its priorities, the KPIs under them and each
 * KPI's figures by financial quarter.
 *
 * - strategy: slug unique within the council; the period it covers as dates (a strategy "2017-2020" runs from
 *   1 April 2017 to 31 March 2020); the decision that agreed it, when it is in the register.
 * - strategy_priority: the strategy's priorities in order (position from 1).
 * - kpi: code unique within the council ("CS01"), so values can be typed and imported by code; unit and
 *   polarity as in src/domain/kpi.ts.
 * - kpi_value: one a KPI a quarter (start_year 2017 and quarter 2 for "2017-18 Q2"): the actual, the target
 *   (either may wait for the other, not both), commentary, who entered it and when. numeric keeps the figures
 *   as typed (no binary rounding).
 * - council.kpi_rag_rule: the council's RAG rule, as src/domain/kpi-rag.ts reads it.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

const identity = (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
const now = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);
const emptyText = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo("");

/** As in src/domain/kpi.ts, copied: a released migration must not change when the code does. */
const KPI_UNITS = ["number", "%", "money", "days", "ratio"] as const;
const KPI_POLARITIES = ["higher-is-better", "lower-is-better"] as const;

function inList(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

const MUTABLE_TABLES = ["strategy", "strategy_priority", "kpi", "kpi_value"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("council")
    .addColumn("kpi_rag_rule", "jsonb", (col) =>
      col.notNull().defaultTo(sql`'{"kind":"tolerance","amberPercent":10}'::jsonb`),
    )
    .execute();
  await db.schema
    .alterTable("council")
    .addCheckConstraint(
      "council_kpi_rag_rule_kind",
      sql`kpi_rag_rule->>'kind' in ('tolerance', 'improving-amber')`,
    )
    .execute();

  await db.schema
    .createTable("strategy")
    .addColumn("id", "integer", identity)
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id"))
    .addColumn("slug", "text", (col) => col.notNull())
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("period_from", "date", (col) => col.notNull())
    .addColumn("period_to", "date", (col) => col.notNull())
    .addColumn("owner", "text")
    .addColumn("agreed_by_decision_id", "integer", (col) =>
      col.references("decision.id").onDelete("set null"),
    )
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("strategy_council_slug_unique", ["council_id", "slug"])
    .addCheckConstraint("strategy_slug_format", sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
    .addCheckConstraint("strategy_title_present", sql`btrim(title) <> ''`)
    .addCheckConstraint("strategy_period_order", sql`period_to >= period_from`)
    .execute();

  await db.schema
    .createTable("strategy_priority")
    .addColumn("id", "integer", identity)
    .addColumn("strategy_id", "integer", (col) => col.notNull().references("strategy.id").onDelete("cascade"))
    .addColumn("position", "integer", (col) => col.notNull())
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("strategy_priority_position_unique", ["strategy_id", "position"])
    .addCheckConstraint("strategy_priority_position_positive", sql`position >= 1`)
    .addCheckConstraint("strategy_priority_title_present", sql`btrim(title) <> ''`)
    .execute();

  await db.schema
    .createTable("kpi")
    .addColumn("id", "integer", identity)
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id"))
    .addColumn("priority_id", "integer", (col) =>
      col.notNull().references("strategy_priority.id").onDelete("cascade"),
    )
    .addColumn("code", "text", (col) => col.notNull())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("definition", "text", emptyText)
    .addColumn("unit", "text", (col) => col.notNull())
    .addColumn("polarity", "text", (col) => col.notNull())
    .addColumn("data_source", "text", emptyText)
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("kpi_council_code_unique", ["council_id", "code"])
    .addCheckConstraint("kpi_code_format", sql`code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$'`)
    .addCheckConstraint("kpi_name_present", sql`btrim(name) <> ''`)
    .addCheckConstraint("kpi_unit_check", inList("unit", KPI_UNITS))
    .addCheckConstraint("kpi_polarity_check", inList("polarity", KPI_POLARITIES))
    .execute();
  await db.schema.createIndex("kpi_priority_idx").on("kpi").column("priority_id").execute();

  await db.schema
    .createTable("kpi_value")
    .addColumn("id", "integer", identity)
    .addColumn("kpi_id", "integer", (col) => col.notNull().references("kpi.id").onDelete("cascade"))
    .addColumn("start_year", "integer", (col) => col.notNull())
    .addColumn("quarter", "smallint", (col) => col.notNull())
    .addColumn("actual", "numeric")
    .addColumn("target", "numeric")
    .addColumn("commentary", "text", emptyText)
    .addColumn("entered_by", "text", (col) => col.notNull())
    .addColumn("entered_at", "timestamptz", now)
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("kpi_value_period_unique", ["kpi_id", "start_year", "quarter"])
    .addCheckConstraint("kpi_value_quarter_check", sql`quarter between 1 and 4`)
    .addCheckConstraint("kpi_value_start_year_check", sql`start_year between 1900 and 2999`)
    .addCheckConstraint("kpi_value_has_figure", sql`actual is not null or target is not null`)
    .execute();

  for (const table of MUTABLE_TABLES) {
    await sql`
      create trigger ${sql.id(`${table}_set_updated_at`)} before update on ${sql.table(table)}
      for each row execute function resolved_set_updated_at()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("kpi_value").execute();
  await db.schema.dropTable("kpi").execute();
  await db.schema.dropTable("strategy_priority").execute();
  await db.schema.dropTable("strategy").execute();
  await db.schema.alterTable("council").dropConstraint("council_kpi_rag_rule_kind").execute();
  await db.schema.alterTable("council").dropColumn("kpi_rag_rule").execute();
}
