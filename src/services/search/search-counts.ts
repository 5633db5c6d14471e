import { sql, type RawBuilder } from "kysely";
import type { Executor } from "../../storage/database.js";
import { hasFilters, type ResolvedQuery } from "./search-query.js";
import type { TextQuery } from "./search-text.js";

/** How many match: counted up to a cap, or PostgreSQL's estimate (see the strategies in search-decisions.ts). */

export async function countUpTo(
  db: Executor,
  from: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  cap: number,
): Promise<{ n: number; capped: boolean }> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (select 1 from ${from} where ${where} limit ${cap + 1}) x`.execute(db);
  const n = Number(rows[0]?.n ?? 0);
  return { n: Math.min(n, cap), capped: n > cap };
}

/**
 * For words that must all appear (no "or", no "-word", no filters): PostgreSQL's estimate for the rarest of
 * them. The matches cannot outnumber it, and come close to it when the words go together, as a council's
 * words do ("homelessness", "rough sleeping"); PostgreSQL's own estimate for all of them multiplies their
 * frequencies as if they were independent: a hundred for what is ten thousand. 0 when this does not apply.
 */
export async function allWordsAtLeast(
  db: Executor,
  text: TextQuery,
  resolved: ResolvedQuery,
): Promise<number> {
  if (text.terms.length < 2 || text.anyOrNot || hasFilters(resolved)) return 0;
  let least = Infinity;
  for (const term of text.terms) {
    least = Math.min(
      least,
      await estimateRows(db, sql`decision d`, sql`d.search @@ (quote_literal(${term}::text))::tsquery`),
    );
  }
  return Number.isFinite(least) ? least : 0;
}

/** The planner's estimate of the number of matches: cheap, and good enough for "about 85,000". */
export async function estimateRows(
  db: Executor,
  from: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
): Promise<number> {
  const { rows } = await sql<{ queryPlan: unknown }>`
    explain (format json) select 1 from ${from} where ${where}`.execute(db);
  // The column is "QUERY PLAN"; whatever the result plugins make of its name, it is the row's only value.
  const raw = rows[0] ? Object.values(rows[0] as object)[0] : undefined;
  const plan = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{
    Plan?: { "Plan Rows"?: number };
  }>;
  return Math.round(plan?.[0]?.Plan?.["Plan Rows"] ?? 0);
}
