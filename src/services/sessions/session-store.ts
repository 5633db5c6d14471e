import type { Executor } from "../../storage/database.js";
import type { JsonObject } from "../../storage/schema.js";

/**
 * Web sessions kept in the database: every server process sees the same sessions, and deleting an account's
 * rows ends its sessions at once (signing out everywhere, an admin disabling an account).
 */

export interface StoredSession {
  data: JsonObject;
  expiresAt: Date;
  accountId: number | null;
}

/** The session `sid` if it exists and has not expired. */
export async function loadSession(db: Executor, sid: string, now: Date): Promise<StoredSession | undefined> {
  const row = await db
    .selectFrom("webSession")
    .select(["data", "expiresAt", "accountId"])
    .where("sid", "=", sid)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  return row ? { data: row.data, expiresAt: row.expiresAt, accountId: row.accountId } : undefined;
}

export async function saveSession(db: Executor, sid: string, session: StoredSession): Promise<void> {
  const values = {
    data: JSON.stringify(session.data),
    expiresAt: session.expiresAt,
    accountId: session.accountId,
  };
  await db
    .insertInto("webSession")
    .values({ sid, ...values })
    .onConflict((oc) => oc.column("sid").doUpdateSet(values))
    .execute();
}

export async function deleteSession(db: Executor, sid: string): Promise<void> {
  await db.deleteFrom("webSession").where("sid", "=", sid).execute();
}

/** Ends every session of an account (signed out everywhere); returns how many there were. */
export async function endAccountSessions(db: Executor, accountId: number): Promise<number> {
  const result = await db.deleteFrom("webSession").where("accountId", "=", accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes expired sessions; the server runs this on a schedule. */
export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom("webSession").where("expiresAt", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
