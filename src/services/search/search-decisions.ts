import { sql } from "kysely";
import { ValidationError } from "../../domain/errors.js";
import type { Executor } from "../../storage/database.js";
import { refreshStatusTimelines } from "../decisions/status-timeline.js";
import { decodeCursor, searchHash } from "./search-cursor.js";
import { resolveQuery, type SearchOptions, type SearchQuery } from "./search-query.js";
import type { SearchResult } from "./search-result.js";
import { runSearch } from "./search-strategies.js";
import { DEFAULT_TUNING, type SearchTuning } from "./search-tuning.js";

/**
 * Searching and browsing the register: full-text search over the title, the decision, the record and the
 * reasons, with filters, two sort orders, pages or cursors, and highlighted snippets.
 *
 * Which decisions: the public ones only, as everywhere on the site: not a draft by publication state, and
 * published by `at` (published_on on or before the UK date of `at`, exactly when the derived status stops being
 * draft). Status and call-in filters read each decision's status timeline (derived by the decisions service,
 * kept in derived.decision_status_period by status-timeline.ts), so a status filter is a join, not a derivation
 * per row.
 *
 * The text query is `websearch_to_tsquery('english', q)`, always as a bound parameter: any input is a valid
 * search (quotes for phrases, `or`, `-word`), and nothing the user types reaches SQL as SQL.
 *
 * Relevance (`rank`): decisions whose title or decision text (decision.search_head) matches come first, then
 * those that match only in the record or reasons; within each group, PostgreSQL's cover density rank over the
 * whole decision (title weighted A, the decision B, record and reasons C), normalised to [0, 1). Ties go to the
 * newer meeting.
 *
 * Ranking costs tens of microseconds per row (each test unpacks a record's vector), so it never touches more
 * than a bounded set of rows (the limits are in search-tuning.ts; the strategies in search-strategies.ts):
 *
 *   1. How many match. Words: counted up to COUNT_MAX through the full-text index (cheap: no vector is
 *      unpacked), unless PostgreSQL's estimate is already above that. A phrase, or a status or call-in filter
 *      tested per row: only up to RANK_ALL_MAX, ranking them in the same pass.
 *   2. At most RANK_ALL_MAX matches ("ranked"): they are all ranked. The order is exact and so is the total.
 *   3. More ("candidates"): rank a bounded candidate set instead of every match:
 *        - the HEAD_KEEP best title and decision matches, ranked on the small search_head vector: those among
 *          the HEAD_WINDOW most recent decisions when there are at least HEAD_KEEP of them (a word that common in
 *          titles says little about relevance; recency decides), else those and up to HEAD_MAX more found
 *          through search_head's own GIN index;
 *        - the RECENT most recent matches anywhere: found by gathering every match from the full-text index and
 *          sorting them when there are at most COUNT_MAX, else by reading the register newest first until
 *          enough match (matches are then common enough to come soon).
 *      The candidates come first in rank order; every other match follows in date order, so paging still reaches
 *      every match exactly once. The total is exact up to COUNT_MAX, else PostgreSQL's estimate (never less than
 *      what was counted), and `totalExact` is false.
 *   4. sort=date, or no text: newest meeting first, read in index order; no ranking at all.
 *
 * Snippets (`ts_headline`) are computed for the returned page only, over a window of the text around the first
 * match, so their cost does not grow with the length of a record; any of the words searched for is marked. They
 * are data, not HTML (search-snippets.ts): the text in parts, the matched words marked; the web escapes them and
 * puts <mark> around the matches (src/web/search-markup.ts).
 *
 * One search runs in one transaction, so its counts, candidates and rows all see the same register.
 */

/**
 * Searches the register at the instant `at` (statuses, "published by then"). Throws ValidationError for a query
 * or cursor that cannot be used.
 */
export async function searchDecisions(
  db: Executor,
  query: SearchQuery,
  at: Date,
  options: SearchOptions = {},
): Promise<SearchResult> {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new ValidationError("the instant must be a valid date and time", "at");
  }
  const resolved = resolveQuery(query);
  const tuning: SearchTuning = { ...DEFAULT_TUNING, ...options.tuning };
  const hash = searchHash(resolved);
  const cursor = query.cursor ? decodeCursor(query.cursor, hash) : null;
  await refreshStatusTimelines(db);
  return withSearchPlans(db, (trx) => runSearch(trx, resolved, cursor, hash, tuning, at, options));
}

/**
 * Runs `fn` in one transaction (or the caller's), so that the counts, candidates and rows of one search all see
 * the same register, told not to read the whole decision table when an index can answer. Every search here is
 * meant to be answered from an index (the GIN indexes, the date order, the primary key), so a sequential scan
 * is only ever the planner misjudging what a full-text test costs (see the migration
 * 2026-11-22T1500-text-match-cost, which corrects that where it may).
 */
async function withSearchPlans<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) {
    await sql`set local enable_seqscan = off`.execute(db);
    return fn(db);
  }
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    return fn(trx);
  });
}
