import { sql, type Kysely } from "kysely";

/**
 * Signing in to the website: sessions kept in the database (so that several server processes share them and
 * ending one, or every one of an account's, takes effect at once), failed sign-ins counted per account and per
 * address (so the limits hold across processes too), and the server's own secrets (the session cookie's
 * signing key when RESOLVED_SESSION_SECRET is not set: made once, kept here, shared by every process).
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("web_session")
    .addColumn("sid", "text", (col) => col.primaryKey())
    .addColumn("account_id", "integer", (col) => col.references("account.id").onDelete("cascade"))
    .addColumn("data", "jsonb", (col) => col.notNull())
    .addColumn("expires_at", "timestamptz", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("web_session_data_object", sql`jsonb_typeof(data) = 'object'`)
    .execute();
  await db.schema.createIndex("web_session_account_idx").on("web_session").column("account_id").execute();
  await db.schema.createIndex("web_session_expires_idx").on("web_session").column("expires_at").execute();

  await db.schema
    .createTable("sign_in_throttle")
    // "account:<email>" or "address:<ip>"
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("failures", "integer", (col) => col.notNull())
    .addColumn("window_started_at", "timestamptz", (col) => col.notNull())
    .addCheckConstraint("sign_in_throttle_failures_positive", sql`failures > 0`)
    .execute();

  await db.schema
    .createTable("server_secret")
    .addColumn("name", "text", (col) => col.primaryKey())
    .addColumn("value", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("server_secret").execute();
  await db.schema.dropTable("sign_in_throttle").execute();
  await db.schema.dropTable("web_session").execute();
}
