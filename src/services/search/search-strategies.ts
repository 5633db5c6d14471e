import { sql } from "kysely";
import type { Executor } from "../../storage/database.js";
import { allWordsAtLeast, countUpTo, estimateRows } from "./search-counts.js";
import { badCursor, encodeCursor, keyOf, type CursorData, type DateKey } from "./search-cursor.js";
import { filterConditions, filterParts, nextChangeAfter, statusIds, TSQUERY } from "./search-filters.js";
import { loadItems } from "./search-items.js";
import { sliceAfter, type OrderedRow } from "./search-order.js";
import { hasFilters, type ResolvedQuery, type SearchOptions } from "./search-query.js";
import type { SearchResult, SearchStrategy } from "./search-result.js";
import { fetchCandidates, fetchInDateOrder, fetchRanked } from "./search-rows.js";
import { analyseText } from "./search-text.js";
import {
  ESTIMATE_TRUSTED,
  ESTIMATE_TRUSTED_FOR_RANKING,
  RECENT_BY_SORT_MAX,
  type SearchTuning,
} from "./search-tuning.js";

/**
 * One search, in the transaction withSearchPlans gives it: how many match, which strategy that calls for (see
 * search-decisions.ts), the page's rows in that strategy's order, the total, and the page's items.
 */
export async function runSearch(
  db: Executor,
  resolved: ResolvedQuery,
  cursor: CursorData | null,
  hash: string,
  tuning: SearchTuning,
  at: Date,
  options: SearchOptions,
): Promise<SearchResult> {
  const nextStatusChange = await nextChangeAfter(db, at);

  const text = resolved.q !== undefined ? await analyseText(db, resolved.q) : null;
  const base = {
    at,
    sort: resolved.sort,
    limit: resolved.limit,
    queryHasTerms: text ? text.hasTerms : null,
    nextStatusChange,
  };
  if (text && !text.hasTerms) {
    return {
      ...base,
      strategy: resolved.sort === "date" ? "date" : "ranked",
      total: 0,
      totalExact: true,
      items: [],
      page: cursor ? 1 : resolved.page,
      pages: 1,
      nextCursor: null,
    };
  }

  const ids = await statusIds(db, resolved, at);
  const where = filterConditions(resolved, at, ids);
  const match = text ? sql`d.search @@ tq.q` : sql`true`;
  const tqSource = sql`(select ${TSQUERY(text?.q ?? "")} as q) tq`;
  const from = text ? sql`decision d cross join ${tqSource}` : sql`decision d`;

  // How many, and so how to order them.
  // Counting stops at a cap, but even that reads a thousand rows. When PostgreSQL's estimate is far above the
  // cap (a common word, or browsing a large register), the count would only say "more": skip it.
  const matches = sql`${where} and ${match}`;
  let estimate: number | null = null;
  const estimated = async () => (estimate ??= await estimateRows(db, from, matches));
  const countOrSkip = async (cap: number): Promise<{ n: number; capped: boolean }> =>
    (await estimated()) > cap * ESTIMATE_TRUSTED
      ? { n: cap, capped: true }
      : countUpTo(db, from, matches, cap);

  // A phrase is confirmed row by row against the vectors, and a status or call-in filter not given as a list of
  // ids looks up each decision's timeline: those are counted no further than needed to choose a strategy.
  const perRowCost =
    text?.phrase === true ||
    (ids === null && (resolved.status !== undefined || resolved.callIn !== undefined));
  const countCap = perRowCost ? tuning.rankAllMax : tuning.countMax;
  let strategy: SearchStrategy;
  let counted: { n: number; capped: boolean } | null = null;
  let ranked: OrderedRow[] | null = null;
  if (!text) strategy = "browse";
  else if (resolved.sort === "date") strategy = "date";
  else if (cursor && (cursor.s === "ranked" || cursor.s === "candidates")) strategy = cursor.s;
  else if (!text.phrase) {
    // Counting words needs only the index and the rows' visibility, not their vectors: cheap, so count up to
    // COUNT_MAX (unless there are clearly more), and rank every match if there are few enough.
    counted =
      (await allWordsAtLeast(db, text, resolved)) > countCap * ESTIMATE_TRUSTED
        ? { n: countCap, capped: true }
        : await countOrSkip(countCap);
    strategy = counted.capped || counted.n > tuning.rankAllMax ? "candidates" : "ranked";
  } else if ((await estimated()) > tuning.rankAllMax * ESTIMATE_TRUSTED_FOR_RANKING) {
    strategy = "candidates";
    counted = { n: countCap, capped: true };
  } else {
    // A phrase is checked against each row's vector, for counting as for ranking: rank them all in the same
    // pass that finds out whether there are too many to.
    ranked = await fetchRanked(db, from, sql`${where} and ${match}`, tuning.rankAllMax + 1);
    const capped = ranked.length > tuning.rankAllMax;
    strategy = capped ? "candidates" : "ranked";
    counted = { n: Math.min(ranked.length, tuning.rankAllMax), capped };
  }
  if (cursor && cursor.s !== strategy) throw badCursor("belongs to a different search");

  const offset = cursor ? 0 : (resolved.page - 1) * resolved.limit;
  const want = resolved.limit + 1;
  let ordered: OrderedRow[];
  if (strategy === "browse" || strategy === "date") {
    ordered = await fetchInDateOrder(
      db,
      from,
      sql`${where} and ${match}`,
      cursor?.k as DateKey | undefined,
      offset,
      want,
    );
  } else if (strategy === "ranked") {
    // The limit guards against a register that grew since the first page (a cursor's strategy).
    const all = ranked ?? (await fetchRanked(db, from, sql`${where} and ${match}`, tuning.rankAllMax * 2));
    ordered = sliceAfter(all, cursor?.k, offset, want, "ranked");
  } else {
    // How many match the words alone decides (the filters are tested after the sort): without filters, the
    // count says; with them, PostgreSQL's estimate.
    const bySort =
      !text!.phrase &&
      (hasFilters(resolved)
        ? (await estimateRows(db, from, match)) <= RECENT_BY_SORT_MAX
        : counted !== null && !counted.capped && counted.n <= RECENT_BY_SORT_MAX);
    const candidates = await fetchCandidates(
      db,
      from,
      tqSource,
      where,
      filterParts(resolved, at, ids),
      match,
      tuning,
      bySort,
    );
    const key = cursor?.k;
    const inPhase0 = !key || key[0] === 0;
    let rows: OrderedRow[] = inPhase0 ? sliceAfter(candidates, key, offset, want, "candidates") : [];
    if (rows.length < want) {
      const phaseOneOffset = key ? 0 : Math.max(0, offset - candidates.length);
      const after = key && key[0] === 1 ? (key.slice(2) as DateKey) : undefined;
      const exclude = candidates.map((row) => row.id);
      const rest = await fetchInDateOrder(
        db,
        from,
        sql`${where} and ${match} and d.id <> all(${exclude}::int[])`,
        after,
        phaseOneOffset,
        want - rows.length,
      );
      rows = rows.concat(rest.map((row) => ({ ...row, phase: 1 as const })));
    }
    ordered = rows;
  }

  const hasMore = ordered.length > resolved.limit;
  const pageRows = ordered.slice(0, resolved.limit);
  const last = pageRows[pageRows.length - 1];
  const nextCursor =
    hasMore && last ? encodeCursor({ v: 1, h: hash, s: strategy, k: keyOf(last, strategy) }) : null;

  // The total.
  let total: number;
  let totalExact = true;
  if (options.count === false) {
    total = offset + pageRows.length + (hasMore ? 1 : 0);
    totalExact = !hasMore;
  } else {
    counted ??= await countOrSkip(countCap);
    if (counted.capped) {
      total = Math.max(counted.n + 1, await estimated(), offset + pageRows.length + (hasMore ? 1 : 0));
      totalExact = false;
    } else {
      total = counted.n;
    }
  }

  const items = await loadItems(
    db,
    pageRows.map((row) => row.id),
    text,
    at,
    options,
  );
  return {
    ...base,
    strategy,
    total,
    totalExact,
    items,
    page: cursor ? 1 : resolved.page,
    pages: Math.max(1, Math.ceil(total / resolved.limit)),
    nextCursor,
  };
}
