import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Who may enter a KPI's values (issue 10):
 *
 * - account_role may hold the new role service-manager: the manager of a service, who enters the figures of the
 *   KPIs that name them (officers and admins may enter any KPI's);
 * - kpi_editor: the accounts a KPI names, one row each. Removing the KPI or the account removes the row.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

const now = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);

/** As in src/domain/roles.ts at this migration, copied: a released migration must not change when the code does. */
const ROLES = [
  "officer",
  "proper-officer",
  "councillor",
  "scrutiny-chair",
  "admin",
  "service-manager",
] as const;
const EARLIER_ROLES = ["officer", "proper-officer", "councillor", "scrutiny-chair", "admin"] as const;

function roleCheck(roles: readonly string[]) {
  return sql`role in (${sql.join(roles.map((role) => sql.lit(role)))})`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("account_role").dropConstraint("account_role_role_check").execute();
  await db.schema
    .alterTable("account_role")
    .addCheckConstraint("account_role_role_check", roleCheck(ROLES))
    .execute();

  await db.schema
    .createTable("kpi_editor")
    .addColumn("kpi_id", "integer", (col) => col.notNull().references("kpi.id").onDelete("cascade"))
    .addColumn("account_id", "integer", (col) => col.notNull().references("account.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", now)
    .addPrimaryKeyConstraint("kpi_editor_pkey", ["kpi_id", "account_id"])
    .execute();
  await db.schema.createIndex("kpi_editor_account_idx").on("kpi_editor").column("account_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("kpi_editor").execute();
  await sql`delete from account_role where role = 'service-manager'`.execute(db);
  await db.schema.alterTable("account_role").dropConstraint("account_role_role_check").execute();
  await db.schema
    .alterTable("account_role")
    .addCheckConstraint("account_role_role_check", roleCheck(EARLIER_ROLES))
    .execute();
}
