import { sql } from "kysely";
import type { Executor } from "../../storage/database.js";

/**
 * Limits on failed sign-ins, counted in the database so that they hold across server processes: per account
 * (someone guessing one person's password) and per address (someone trying many accounts). A key is blocked
 * once it has `limit` failures in the current window; the window starts at its first failure. A success
 * clears the account's count (not the address's: one right guess must not reset a spray from that address).
 */

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

export const ACCOUNT_RULE: ThrottleRule = { limit: 5, windowMs: 15 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { limit: 30, windowMs: 15 * 60_000 };

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** When `key` may try again, or null when it is not blocked. */
export async function blockedUntil(
  db: Executor,
  key: string,
  rule: ThrottleRule,
  now: Date,
): Promise<Date | null> {
  const row = await db
    .selectFrom("signInThrottle")
    .select(["failures", "windowStartedAt"])
    .where("key", "=", key)
    .executeTakeFirst();
  if (!row) return null;
  const ends = row.windowStartedAt.getTime() + rule.windowMs;
  if (ends <= now.getTime() || row.failures < rule.limit) return null;
  return new Date(ends);
}

/** Counts a failure against `key`, starting a new window when the last one has ended. */
export async function recordFailure(db: Executor, key: string, rule: ThrottleRule, now: Date): Promise<void> {
  const windowStart = new Date(now.getTime() - rule.windowMs);
  await sql`
    insert into sign_in_throttle (key, failures, window_started_at) values (${key}, 1, ${now})
    on conflict (key) do update set
      failures = case when sign_in_throttle.window_started_at <= ${windowStart} then 1
                      else sign_in_throttle.failures + 1 end,
      window_started_at = case when sign_in_throttle.window_started_at <= ${windowStart} then ${now}
                               else sign_in_throttle.window_started_at end`.execute(db);
}

export async function clearFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom("signInThrottle").where("key", "=", key).execute();
}
