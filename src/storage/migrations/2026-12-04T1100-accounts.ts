import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * Accounts (issue 9): who may sign in, with which roles, and the API tokens programs use.
 *
 * - account: one a person who signs in. The email is the sign-in name: stored lower-cased (a check constraint
 *   holds that) so a plain unique constraint makes it unique whatever the case typed. password_hash is an
 *   argon2id PHC string, null for an account that signs in only through single sign-on. A councillor's account
 *   is linked to the councillor's person row (person_id); no person has two accounts. Accounts are disabled,
 *   never deleted, so the audit log's actors stay meaningful.
 * - account_role: the roles an account holds (src/domain/roles.ts), one row each.
 * - api_token: only the SHA-256 (hex) of a token is kept; the token itself is shown once, when made. Revoked
 *   tokens stay, with when, for the record.
 * - person.portfolio: a cabinet member's portfolio ("Adult Social Care"), beside an officer's job_title.
 *
 * Same conventions as the initial schema; typed against Kysely<unknown>; one statement per call (PGlite).
 */

const identity = (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
const now = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);

/** As in src/domain/roles.ts, copied: a released migration must not change when the code does. */
const ROLES = ["officer", "proper-officer", "councillor", "scrutiny-chair", "admin"] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("person").addColumn("portfolio", "text").execute();
  await db.schema
    .alterTable("person")
    .addCheckConstraint("person_officer_has_no_portfolio", sql`role = 'councillor' or portfolio is null`)
    .execute();

  await db.schema
    .createTable("account")
    .addColumn("id", "integer", identity)
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id"))
    .addColumn("email", "text", (col) => col.notNull().unique())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("person_id", "integer", (col) => col.references("person.id").onDelete("set null"))
    .addColumn("password_hash", "text")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addColumn("disabled_at", "timestamptz")
    .addCheckConstraint("account_email_lower_case", sql`email = lower(email)`)
    .addCheckConstraint("account_email_format", sql`email ~ '^[^@[:space:]]+@[^@[:space:]]+$'`)
    .addCheckConstraint("account_name_present", sql`btrim(name) <> ''`)
    // An argon2id PHC string: never a plain password by mistake.
    .addCheckConstraint("account_password_hash_argon2id", sql`password_hash like '$argon2id$%'`)
    .execute();
  await sql`create unique index account_person_unique on account (person_id) where person_id is not null`.execute(
    db,
  );
  await db.schema.createIndex("account_council_idx").on("account").column("council_id").execute();
  await sql`
    create trigger account_set_updated_at before update on account
    for each row execute function resolved_set_updated_at()`.execute(db);

  await db.schema
    .createTable("account_role")
    .addColumn("account_id", "integer", (col) => col.notNull().references("account.id").onDelete("cascade"))
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", now)
    .addPrimaryKeyConstraint("account_role_pkey", ["account_id", "role"])
    .addCheckConstraint(
      "account_role_role_check",
      sql`role in (${sql.join(ROLES.map((role) => sql.lit(role)))})`,
    )
    .execute();

  await db.schema
    .createTable("api_token")
    .addColumn("id", "integer", identity)
    .addColumn("account_id", "integer", (col) => col.notNull().references("account.id").onDelete("cascade"))
    .addColumn("label", "text", (col) => col.notNull().defaultTo(""))
    // SHA-256 of the whole token ("rsv_…"), hex: enough to recognise it, useless to sign in with.
    .addColumn("token_hash", "text", (col) => col.notNull().unique())
    .addColumn("created_at", "timestamptz", now)
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .addCheckConstraint("api_token_hash_format", sql`token_hash ~ '^[0-9a-f]{64}$'`)
    .execute();
  await db.schema.createIndex("api_token_account_idx").on("api_token").column("account_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("api_token").execute();
  await db.schema.dropTable("account_role").execute();
  await db.schema.dropTable("account").execute();
  await db.schema.alterTable("person").dropConstraint("person_officer_has_no_portfolio").execute();
  await db.schema.alterTable("person").dropColumn("portfolio").execute();
}
