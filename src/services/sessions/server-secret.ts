import { randomBytes } from "node:crypto";
import type { Executor } from "../../storage/database.js";

/**
 * A secret the server makes for itself, once, and keeps in the database, so that every process (and every
 * restart) uses the same one: the session cookie's signing key when RESOLVED_SESSION_SECRET is not set.
 */
export async function serverSecret(db: Executor, name: string): Promise<string> {
  const made = randomBytes(48).toString("base64url");
  await db
    .insertInto("serverSecret")
    .values({ name, value: made })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db
    .selectFrom("serverSecret")
    .select("value")
    .where("name", "=", name)
    .executeTakeFirstOrThrow();
  return row.value;
}
