import { sql } from "kysely";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import { refreshStatusTimelines } from "../decisions/status-timeline.js";
import { filterConditions, nextChangeAfter, statusIds, TSQUERY } from "./search-filters.js";
import { loadItems, type SearchItem } from "./search-items.js";
import { resolveQuery, type SearchQuery } from "./search-query.js";
import { analyseText } from "./search-text.js";

// Call-in cutoffs (the calendar)

/** How far back the calendar keeps cutoffs that have passed. */
export const CALL_IN_CALENDAR_PAST_DAYS = 60;
const CALL_IN_CALENDAR_MAX = 2000;

/**
 * Public decisions matching the query's filters (and words, if any) whose call-in period closes after
 * `at` less CALL_IN_CALENDAR_PAST_DAYS, soonest cutoff first, with the first status change after `at`.
 */
export async function listCallInCutoffs(
  db: Executor,
  query: SearchQuery,
  at: Date,
): Promise<{ items: SearchItem[]; nextStatusChange: Date | null }> {
  const resolved = resolveQuery({ ...query, page: undefined, cursor: undefined, limit: undefined });
  await refreshStatusTimelines(db);
  const nextStatusChange = await nextChangeAfter(db, at);
  const text = resolved.q !== undefined ? await analyseText(db, resolved.q) : null;
  if (text && !text.hasTerms) return { items: [], nextStatusChange };
  const where = filterConditions(resolved, at, await statusIds(db, resolved, at));
  const since = new Date(at.getTime() - CALL_IN_CALENDAR_PAST_DAYS * 86_400_000);
  const from = text ? sql`decision d cross join (select ${TSQUERY(text.q)} as q) tq` : sql`decision d`;
  const { rows } = await sql<{ id: number; meetingDate: IsoDate; publishedOn: IsoDate | null }>`
    select d.id, d.meeting_date, d.published_on
    from ${from}
    join derived.decision_status_period s
      on s.decision_id = d.id and s.from_at <= ${at}::timestamptz and s.until_at > ${at}::timestamptz
    where ${where} and ${text ? sql`d.search @@ tq.q` : sql`true`}
      and s.call_in_cutoff >= ${since}::timestamptz
    order by s.call_in_cutoff, d.id
    limit ${CALL_IN_CALENDAR_MAX}`.execute(db);
  const items = await loadItems(
    db,
    rows.map((row) => row.id),
    null,
    at,
    {},
  );
  return { items, nextStatusChange };
}
