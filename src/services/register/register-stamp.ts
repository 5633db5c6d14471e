import { sql } from "kysely";
import type { Executor } from "../../storage/database.js";

/**
 * A number that changes whenever the register does: the last audit entry's id. Every change to the register
 * writes an audit entry in the same transaction (and a restore brings the audit log with it), so two equal
 * stamps mean nothing anyone can see has changed in between, except what changes by itself with time (a
 * status at a call-in cutoff), which caches bound by time instead. One index probe: cheap enough to ask on
 * every request.
 */
export async function registerChangeStamp(db: Executor): Promise<string> {
  const { rows } = await sql<{ stamp: string | null }>`
    select max(id)::text as stamp from audit_log`.execute(db);
  return rows[0]?.stamp ?? "0";
}
