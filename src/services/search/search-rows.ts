import { sql, type RawBuilder } from "kysely";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { DateKey } from "./search-cursor.js";
import { DATE_ORDER, RANK, type FilterParts } from "./search-filters.js";
import { compareDates, compareRanked, type OrderedRow } from "./search-order.js";
import type { SearchTuning } from "./search-tuning.js";

/** The queries that find a page's rows, in the order of each strategy (see search-decisions.ts). */

export async function fetchInDateOrder(
  db: Executor,
  from: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  after: DateKey | undefined,
  offset: number,
  want: number,
): Promise<OrderedRow[]> {
  const keyset = after
    ? sql` and (d.meeting_date, d.published_on, d.id) < (${after[0]}::date, ${after[1]}::date, ${after[2]}::int)`
    : sql``;
  const { rows } = await sql<{ id: number; meetingDate: IsoDate; publishedOn: IsoDate | null }>`
    select d.id, d.meeting_date, d.published_on from ${from}
    where ${where}${keyset}
    order by ${DATE_ORDER}
    limit ${want} offset ${offset}`.execute(db);
  return rows.map((row) => ({ ...row, rank: null, phase: null }));
}

/** Every match with its rank, in result order (used when there are at most RANK_ALL_MAX). */
export async function fetchRanked(
  db: Executor,
  from: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  limit: number,
): Promise<OrderedRow[]> {
  const { rows } = await sql<{ id: number; meetingDate: IsoDate; publishedOn: IsoDate | null; rank: number }>`
    select d.id, d.meeting_date, d.published_on, ${RANK}::float8 as rank from ${from}
    where ${where}
    limit ${limit}`.execute(db);
  return rows.map((row) => ({ ...row, rank: Number(row.rank), phase: 0 as const })).sort(compareRanked);
}

/** The candidate set (see search-decisions.ts), ranked, in result order. */
export async function fetchCandidates(
  db: Executor,
  from: RawBuilder<unknown>,
  tqSource: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  filters: FilterParts,
  match: RawBuilder<unknown>,
  tuning: SearchTuning,
  bySort: boolean,
): Promise<OrderedRow[]> {
  type HeadRow = { id: number; meetingDate: IsoDate; publishedOn: IsoDate | null; headRank: number };
  const byHeadRank = (a: HeadRow, b: HeadRow) =>
    b.headRank - a.headRank ||
    compareDates(b.meetingDate, a.meetingDate) ||
    compareDates(b.publishedOn ?? "", a.publishedOn ?? "") ||
    b.id - a.id;
  // Title and decision matches among the most recent decisions first: the ORDER BY and LIMIT inside keep this
  // to HEAD_WINDOW rows read in index order, whatever the planner thinks of the words.
  // Ranked within the window, best first; a status or call-in filter (a look-up per decision) is then tested
  // in that order until HEAD_KEEP pass, not on the whole window.
  const windowed = await sql<HeadRow>`
    select d.id, d.meeting_date, d.published_on, d.head_rank from (
      select w.id, w.meeting_date, w.published_on, ts_rank_cd(w.search_head, tq.q)::float8 as head_rank
      from (
        select d.id, d.meeting_date, d.published_on, d.search_head from decision d
        where ${filters.onRow}
        order by ${DATE_ORDER}
        limit ${tuning.headWindow}
      ) w cross join ${tqSource}
      where w.search_head @@ tq.q
      order by head_rank desc, w.meeting_date desc, w.published_on desc nulls last, w.id desc
      offset 0
    ) d
    ${filters.perRow ? sql`where ${filters.perRow}` : sql``}
    limit ${tuning.headKeep}`.execute(db);
  let heads: HeadRow[] = windowed.rows;
  if (heads.length < tuning.headKeep) {
    // Few recent ones: the words are rare in titles, so look through the others too (their own GIN index), at
    // most HEAD_MAX of them: all of them when there are no more, else as many as that (each a title or
    // decision match, so still better than any match in the record alone), beside the recent ones.
    const allHeads = await sql<HeadRow>`
      select d.id, d.meeting_date, d.published_on, ts_rank_cd(d.search_head, tq.q)::float8 as head_rank
      from ${from}
      where ${where} and d.search_head @@ tq.q
      limit ${tuning.headMax}`.execute(db);
    const recentIds = new Set(heads.map((row) => row.id));
    heads = [...heads, ...allHeads.rows.filter((row) => !recentIds.has(row.id))];
  }
  const headIds = heads
    .map((row) => ({ ...row, headRank: Number(row.headRank) }))
    .sort(byHeadRank)
    .slice(0, tuning.headKeep)
    .map((row) => row.id);
  // By sort: every match found through the full-text index, sorted newest first, then the filters tested in
  // that order until enough pass (a filter on status looks up each decision's timeline: not for all of them).
  const recent = bySort
    ? await sql<{ id: number }>`
        with m as materialized (
          select d.id, d.meeting_date, d.published_on, d.status, d.body_id, d.key_decision
          from ${from} where ${match}
        )
        select d.id from (
          select * from m order by m.meeting_date desc, m.published_on desc nulls last, m.id desc offset 0
        ) d
        where ${where}
        order by ${DATE_ORDER}
        limit ${tuning.recent}`.execute(db)
    : // Newest first: the match is written so that no index can answer it (coalesce), so the planner reads the
      // register in date order and tests each decision until it has enough, rather than gathering every match
      // from the full-text index to sort them (its estimates of several words together are far too low).
      await sql<{ id: number }>`
        select d.id from ${from}
        where ${where} and coalesce(${match}, false)
        order by ${DATE_ORDER}
        limit ${tuning.recent}`.execute(db);
  const candidateIds = [...new Set([...headIds, ...recent.rows.map((row) => row.id)])];
  if (candidateIds.length === 0) return [];
  const { rows } = await sql<{ id: number; meetingDate: IsoDate; publishedOn: IsoDate | null; rank: number }>`
    select d.id, d.meeting_date, d.published_on, ${RANK}::float8 as rank
    from ${from}
    where d.id = any(${candidateIds}::int[]) and ${match}`.execute(db);
  return rows.map((row) => ({ ...row, rank: Number(row.rank), phase: 0 as const })).sort(compareRanked);
}
