import { sql, type RawBuilder } from "kysely";
import { ukDateOf } from "../../domain/uk-time.js";
import type { Executor } from "../../storage/database.js";
import type { ResolvedQuery } from "./search-query.js";

// SQL pieces. Every value is a bound parameter; the only SQL text built here is fixed.

/** A status filter matching at most this many decisions is applied as a list of ids. */
const STATUS_IDS_MAX = 1000;

export const TSQUERY = (q: string) => sql`websearch_to_tsquery('english'::regconfig, ${q}::text)`;

/** The order of the register: newest meeting, then newest publication, then highest id. */
export const DATE_ORDER = sql`d.meeting_date desc, d.published_on desc nulls last, d.id desc`;

/** The relevance of `d` (see search-decisions.ts), given `tq.q` in scope. */
export const RANK = sql`((d.search_head @@ tq.q)::int + ts_rank_cd(d.search, tq.q, 32))`;

/**
 * The decisions whose status at `at` matches the query's status and call-in filters, when they are few enough
 * to name (null when there are more, or no such filter). Read from the status periods' index, so a rare status
 * ("called-in") costs next to nothing, however large the register.
 */
export async function statusIds(db: Executor, resolved: ResolvedQuery, at: Date): Promise<number[] | null> {
  if (resolved.status === undefined) return null;
  const callIn =
    resolved.callIn === undefined ? sql`` : sql` and s.subject_to_call_in = ${resolved.callIn}::boolean`;
  const { rows } = await sql<{ decisionId: number }>`
    select s.decision_id from derived.decision_status_period s
    where s.status = ${resolved.status}::text and s.until_at > ${at}::timestamptz
      and s.from_at <= ${at}::timestamptz${callIn}
    order by s.status, s.until_at
    limit ${STATUS_IDS_MAX + 1}`.execute(db);
  // (The ORDER BY follows the index on (status, until_at), so the planner reads that index from the first period
  // still running instead of scanning every period in the hope of finding enough soon.)
  return rows.length > STATUS_IDS_MAX ? null : rows.map((row) => row.decisionId);
}

/** Conditions on `decision d` for the query's filters (no text), public decisions only. */
export function filterConditions(
  resolved: ResolvedQuery,
  at: Date,
  ids: number[] | null,
): RawBuilder<unknown> {
  const { onRow, perRow } = filterParts(resolved, at, ids);
  return perRow ? sql`${onRow} and ${perRow}` : onRow;
}

export interface FilterParts {
  onRow: RawBuilder<unknown>;
  perRow: RawBuilder<unknown> | null;
}

/**
 * The filters in two parts: those on the decision row itself (`onRow`), and the status or call-in filter
 * when it has to look up each decision's timeline (`perRow`, null when there is none), which a query can test
 * last, on the fewest rows.
 */
export function filterParts(resolved: ResolvedQuery, at: Date, ids: number[] | null): FilterParts {
  const today = ukDateOf(at);
  const conditions: RawBuilder<unknown>[] = [sql`d.status <> 'draft'`, sql`d.published_on <= ${today}::date`];
  if (resolved.from !== undefined) conditions.push(sql`d.meeting_date >= ${resolved.from}::date`);
  if (resolved.to !== undefined) conditions.push(sql`d.meeting_date <= ${resolved.to}::date`);
  if (resolved.body !== undefined) {
    conditions.push(
      sql`d.body_id in (select b.id from body b where lower(b.name) = lower(${resolved.body}::text))`,
    );
  }
  if (resolved.key !== undefined) conditions.push(sql`d.key_decision = ${resolved.key}::boolean`);
  let perRow: RawBuilder<unknown> | null = null;
  if (ids !== null) {
    conditions.push(sql`d.id = any(${ids}::int[])`);
  } else if (resolved.status !== undefined || resolved.callIn !== undefined) {
    const period: RawBuilder<unknown>[] = [
      sql`s.decision_id = d.id`,
      sql`s.from_at <= ${at}::timestamptz`,
      sql`s.until_at > ${at}::timestamptz`,
    ];
    if (resolved.status !== undefined) period.push(sql`s.status = ${resolved.status}::text`);
    if (resolved.callIn !== undefined) period.push(sql`s.subject_to_call_in = ${resolved.callIn}::boolean`);
    perRow = sql`exists (select 1 from derived.decision_status_period s where ${sql.join(period, sql` and `)})`;
  }
  return { onRow: sql.join(conditions, sql` and `), perRow };
}

/** The first status change after `at` anywhere in the register. */
export async function nextChangeAfter(db: Executor, at: Date): Promise<Date | null> {
  const { rows } = await sql<{ next: Date | null }>`
    select min(until_at) as next from derived.decision_status_period
    where until_at > ${at}::timestamptz and until_at < 'infinity'::timestamptz`.execute(db);
  const next = rows[0]?.next;
  return next instanceof Date ? next : next ? new Date(next) : null;
}
