import { createHash, randomBytes } from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import type { DecisionRecord, Outcome } from "../domain/decision-record.js";
import {
  DECISION_STATUS_TEXT,
  DECISION_STATUSES,
  isDecisionStatus,
  type DecisionStatus,
} from "../domain/decision-status.js";
import { ValidationError } from "../domain/errors.js";
import { isValidIsoDate, type IsoDate } from "../domain/iso-date.js";
import type { Executor } from "../storage/database.js";
import { toUkIsoString, ukDateOf } from "./decision-service.js";
import { refreshStatusTimelines } from "./status-timeline.js";

/**
 * Searching and browsing the register: full-text search over the title, the decision, the record and the
 * reasons, with filters, two sort orders, pages or cursors, and highlighted snippets.
 *
 * Which decisions: the public ones only, as everywhere on the site: not a draft by publication state, and
 * published by `at` (published_on on or before the UK date of `at`, exactly when the derived status stops being
 * draft). Status and call-in filters read each decision's status timeline (derived by decision-service, kept in
 * derived.decision_status_period by status-timeline.ts), so a status filter is a join, not a derivation per row.
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
 * than a bounded set of rows:
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
 * are HTML: the text escaped, with <mark> around matched words (marked with random sentinels by ts_headline,
 * which are replaced after escaping).
 *
 * One search runs in one transaction, so its counts, candidates and rows all see the same register.
 */

// ---------------------------------------------------------------------------------------------------------
// Tuning: the limits on one search's work (tests and benchmarks may override them: SearchOptions.tuning)

/** Rank every match when there are at most this many; above it, rank candidates. */
export const RANK_ALL_MAX = 300;
/** Title/decision matches are looked for first among this many of the most recent decisions. */
export const HEAD_WINDOW = 500;
/** When fewer than HEAD_KEEP are found there, all of them are ranked if there are at most this many. */
export const HEAD_MAX = 200;
/** How many of the best title/decision matches become candidates. */
export const HEAD_KEEP = 30;
/** How many of the most recent matches anywhere become candidates. */
export const RECENT = 30;
/** Exact totals up to this many (phrases: RANK_ALL_MAX); above it, an estimate. */
export const COUNT_MAX = 2000;
/** Counting is skipped when PostgreSQL estimates more than this many times the cap. */
const ESTIMATE_TRUSTED = 1;
/**
 * Ranking every match is not tried when PostgreSQL estimates more than this many times RANK_ALL_MAX: the
 * candidates are ranked straight away (estimates of single words are close; of several, within a few times).
 */
const ESTIMATE_TRUSTED_FOR_RANKING = 2;
/**
 * The most recent matches are found by collecting every match and sorting them when there are at most this
 * many (counted, or with filters PostgreSQL's estimate of the words alone; a rare word: reading the register
 * newest first would test thousands of records to find a few), and by reading newest first otherwise (a
 * common word: the first few hundred records have enough).
 */
const RECENT_BY_SORT_MAX = COUNT_MAX;
/** A status filter matching at most this many decisions is applied as a list of ids. */
const STATUS_IDS_MAX = 1000;
/** Characters of text around the first match that a snippet is cut from. */
const SNIPPET_WINDOW = 320;
const SNIPPET_BEFORE = 80;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

// ---------------------------------------------------------------------------------------------------------
// Types

export type SortOrder = "date" | "relevance";
export type YesNo = "yes" | "no";

/** What to search for; every field optional. The web's DecisionQuery (src/web/decision-query.ts) is one. */
export interface SearchQuery {
  /** Words, as typed into a web search box. */
  q?: string;
  /** Meeting date on or after. */
  from?: IsoDate;
  /** Meeting date on or before. */
  to?: IsoDate;
  /** The decision maker's name (case does not matter). */
  body?: string;
  /** The status at `at`. */
  status?: DecisionStatus;
  /** Subject to call-in (yes) or not (no). */
  callIn?: YesNo;
  /** Key decisions (yes) or not (no). */
  key?: YesNo;
  /** Default: relevance with `q`, date without. */
  sort?: SortOrder;
  /** 1-based page of `limit` results; ignored with `cursor`. */
  page?: number;
  /** From a previous result's `nextCursor`, with the same filters and sort. */
  cursor?: string;
  /** Results per page, 1-100 (default 20). */
  limit?: number;
}

export interface SearchOptions {
  /** Highlighted snippets and titles (default true). */
  snippets?: boolean;
  /** Count the total (default true); without it, `total` is the number of results returned so far. */
  count?: boolean;
  /** Load each result's record, the interchange format of its current version (default false). */
  records?: boolean;
  /** Overrides of the limits above, for tests and benchmarks. */
  tuning?: Partial<SearchTuning>;
}

export interface SearchTuning {
  rankAllMax: number;
  headMax: number;
  headWindow: number;
  headKeep: number;
  recent: number;
  countMax: number;
}

export const DEFAULT_TUNING: Readonly<SearchTuning> = Object.freeze({
  rankAllMax: RANK_ALL_MAX,
  headMax: HEAD_MAX,
  headWindow: HEAD_WINDOW,
  headKeep: HEAD_KEEP,
  recent: RECENT,
  countMax: COUNT_MAX,
});

export type SearchStrategy = "browse" | "date" | "ranked" | "candidates";

export interface SearchItem {
  id: number;
  recordId: string | null;
  title: string;
  /** The title as HTML: escaped, with <mark> around the words that match. */
  titleHtml: string;
  body: string;
  bodyId: number;
  council: { slug: string; name: string };
  meetingId: number | null;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  /** The status at `at` (null when the decision's facts contradict each other: see statusProblem). */
  status: DecisionStatus | null;
  /** "Call-in period open". */
  statusLabel: string | null;
  statusSince: Date | null;
  /** When the status changes by itself (a call-in cutoff), if it does. */
  statusUntil: Date | null;
  statusProblem: string | null;
  subjectToCallIn: boolean | null;
  keyDecision: boolean;
  /** The instant call-in closes, ISO 8601 with the UK offset; null when not subject to call-in. */
  callInCutoff: string | null;
  outcomes: Outcome[];
  /** HTML: an excerpt with <mark> around the matches (with q), or the start of the decision (without). */
  snippet: string;
  /** The relevance (see the module comment); null without q. */
  rank: number | null;
  currentVersion: number;
  /** When the current version was added. */
  updatedAt: Date;
  /** Whether the current version has its original document (/decisions/:id/original). */
  hasOriginal: boolean;
  /** With `records: true`: the current version's record. */
  record?: DecisionRecord;
}

export interface SearchResult {
  at: Date;
  sort: SortOrder;
  strategy: SearchStrategy;
  /** Matches in all (see totalExact). */
  total: number;
  /** False when `total` is PostgreSQL's estimate (more than COUNT_MAX matches). */
  totalExact: boolean;
  /** With q: whether it had any words to search for ("the" and "&|!" have none, and find nothing). */
  queryHasTerms: boolean | null;
  items: SearchItem[];
  limit: number;
  /** The page asked for (1 with a cursor). */
  page: number;
  /** Pages of `limit` results (at least 1). */
  pages: number;
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
  /**
   * The first instant after `at` at which any decision's status changes by itself (a call-in cutoff): results
   * cached from this search must expire by then. Null if none is scheduled.
   */
  nextStatusChange: Date | null;
}

// ---------------------------------------------------------------------------------------------------------
// Validation (the web validates first, with friendlier messages; these guard other callers)

const PUBLIC_STATUSES = DECISION_STATUSES.filter((status) => status !== "draft");

interface ResolvedQuery {
  q: string | undefined;
  from: IsoDate | undefined;
  to: IsoDate | undefined;
  body: string | undefined;
  status: DecisionStatus | undefined;
  callIn: boolean | undefined;
  key: boolean | undefined;
  sort: SortOrder;
  limit: number;
  page: number;
}

function resolveQuery(query: SearchQuery): ResolvedQuery {
  const text = (value: string | undefined) => {
    const trimmed = value?.replace(/\p{Cc}+/gu, " ").trim();
    return trimmed ? trimmed : undefined;
  };
  for (const field of ["from", "to"] as const) {
    const value = query[field];
    if (value !== undefined && !isValidIsoDate(value)) {
      throw new ValidationError(`${field}: "${value}" is not a date; use YYYY-MM-DD`, field);
    }
  }
  if (query.from && query.to && query.from > query.to) {
    throw new ValidationError(
      `to: the end date (${query.to}) is before the start date (${query.from})`,
      "to",
    );
  }
  if (query.status !== undefined && (!isDecisionStatus(query.status) || query.status === "draft")) {
    throw new ValidationError(
      `status: "${String(query.status)}" is not a status; use one of ${PUBLIC_STATUSES.join(", ")}`,
      "status",
    );
  }
  const yesNo = (value: YesNo | undefined, field: string) => {
    if (value === undefined) return undefined;
    if (value !== "yes" && value !== "no")
      throw new ValidationError(`${field}: "${String(value)}" is not yes or no`, field);
    return value === "yes";
  };
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit: use a whole number from 1 to ${MAX_PAGE_SIZE}`, "limit");
  }
  const page = query.page ?? 1;
  if (!Number.isInteger(page) || page < 1) {
    throw new ValidationError("page: use a whole number from 1", "page");
  }
  if (query.sort !== undefined && query.sort !== "date" && query.sort !== "relevance") {
    throw new ValidationError(
      `sort: "${String(query.sort)}" is not a sort order; use date or relevance`,
      "sort",
    );
  }
  const q = text(query.q);
  return {
    q,
    from: query.from,
    to: query.to,
    body: text(query.body),
    status: query.status,
    callIn: yesNo(query.callIn, "callIn"),
    key: yesNo(query.key, "key"),
    sort: query.sort ?? (q !== undefined ? "relevance" : "date"),
    limit,
    page,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Cursors: opaque to clients, base64url JSON inside. A cursor names the last result of a page by its sort key,
// so the next page starts after it even when decisions are added in between.

type DateKey = [meetingDate: IsoDate, publishedOn: IsoDate | null, id: number];

interface CursorData {
  v: 1;
  /** The search it belongs to: a hash of the filters and sort. */
  h: string;
  s: SearchStrategy;
  /** ranked: [rank, ...DateKey]; candidates: [phase, rank | null, ...DateKey]; browse/date: DateKey. */
  k: unknown[];
}

function searchHash(resolved: ResolvedQuery): string {
  const identity = [
    resolved.q ?? "",
    resolved.from ?? "",
    resolved.to ?? "",
    resolved.body?.toLowerCase() ?? "",
    resolved.status ?? "",
    String(resolved.callIn ?? ""),
    String(resolved.key ?? ""),
    resolved.sort,
  ];
  return createHash("sha256").update(JSON.stringify(identity)).digest("base64url").slice(0, 12);
}

function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify(data)).toString("base64url");
}

function badCursor(reason: string): ValidationError {
  return new ValidationError(
    `cursor: ${reason}; follow links.next, or leave the cursor out to start again`,
    "cursor",
  );
}

const STRATEGIES: readonly SearchStrategy[] = ["browse", "date", "ranked", "candidates"];

function decodeCursor(text: string, hash: string): CursorData {
  let data: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
    data = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw badCursor("is not one this service gave");
  }
  const cursor = data as Partial<CursorData>;
  if (
    typeof cursor !== "object" ||
    cursor === null ||
    cursor.v !== 1 ||
    typeof cursor.h !== "string" ||
    !STRATEGIES.includes(cursor.s as SearchStrategy) ||
    !Array.isArray(cursor.k)
  ) {
    throw badCursor("is not one this service gave");
  }
  if (cursor.h !== hash) throw badCursor("belongs to a different search (the filters or sort have changed)");
  const k = cursor.k;
  const isDateKey = (key: unknown[]) =>
    key.length === 3 &&
    typeof key[0] === "string" &&
    isValidIsoDate(key[0]) &&
    (key[1] === null || (typeof key[1] === "string" && isValidIsoDate(key[1]))) &&
    Number.isInteger(key[2]);
  const valid =
    cursor.s === "ranked"
      ? k.length === 4 && Number.isFinite(k[0]) && isDateKey(k.slice(1))
      : cursor.s === "candidates"
        ? k.length === 5 &&
          (k[0] === 0 || k[0] === 1) &&
          (k[1] === null || Number.isFinite(k[1])) &&
          isDateKey(k.slice(2))
        : isDateKey(k);
  if (!valid) throw badCursor("is not one this service gave");
  return cursor as CursorData;
}

// ---------------------------------------------------------------------------------------------------------
// SQL pieces. Every value is a bound parameter; the only SQL text built here is fixed.

const TSQUERY = (q: string) => sql`websearch_to_tsquery('english'::regconfig, ${q}::text)`;

/** The order of the register: newest meeting, then newest publication, then highest id. */
const DATE_ORDER = sql`d.meeting_date desc, d.published_on desc nulls last, d.id desc`;

/**
 * The decisions whose status at `at` matches the query's status and call-in filters, when they are few enough
 * to name (null when there are more, or no such filter). Read from the status periods' index, so a rare status
 * ("called-in") costs next to nothing, however large the register.
 */
async function statusIds(db: Executor, resolved: ResolvedQuery, at: Date): Promise<number[] | null> {
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

function hasFilters(resolved: ResolvedQuery): boolean {
  const { from, to, body, status, callIn, key } = resolved;
  return [from, to, body, status, callIn, key].some((value) => value !== undefined);
}

/** Conditions on `decision d` for the query's filters (no text), public decisions only. */
function filterConditions(resolved: ResolvedQuery, at: Date, ids: number[] | null): RawBuilder<unknown> {
  const { onRow, perRow } = filterParts(resolved, at, ids);
  return perRow ? sql`${onRow} and ${perRow}` : onRow;
}

/**
 * The filters in two parts: those on the decision row itself (`onRow`), and the status or call-in filter
 * when it has to look up each decision's timeline (`perRow`, null when there is none), which a query can test
 * last, on the fewest rows.
 */
function filterParts(
  resolved: ResolvedQuery,
  at: Date,
  ids: number[] | null,
): { onRow: RawBuilder<unknown>; perRow: RawBuilder<unknown> | null } {
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

/** The relevance of `d` (see the module comment), given `tq.q` in scope. */
const RANK = sql`((d.search_head @@ tq.q)::int + ts_rank_cd(d.search, tq.q, 32))`;

// ---------------------------------------------------------------------------------------------------------
// The search

interface TextQuery {
  q: string;
  hasTerms: boolean;
  /** Lexemes the query looks for (not those it excludes), as prefixes, to find where a snippet starts. */
  lexemes: string[];
  /** The lexemes it looks for, as they are (for highlighting). */
  terms: string[];
  /** Whether it has "or" or "-word" (not every term must appear). */
  anyOrNot: boolean;
  /** Whether it has a phrase ("leisure centre"), which only a record's vector can confirm, not the index. */
  phrase: boolean;
}

async function analyseText(db: Executor, q: string): Promise<TextQuery> {
  const { rows } = await sql<{ nodes: number; tree: string }>`
    select numnode(tq) as nodes, querytree(tq) as tree from ${TSQUERY(q)} as tq`.execute(db);
  const tree = rows[0]?.tree ?? "";
  // The words it looks for ('word'), not those it excludes (!'word').
  const lexemes = [...tree.matchAll(/(!?)'((?:[^']|'')*)'/g)]
    .filter((m) => m[1] !== "!")
    .map((m) => (m[2] as string).replace(/''/g, "'"));
  // querytree keeps what an index can look for: "T" (or nothing) when there is no word to look for, as for
  // a query that only excludes words, which would have to read every decision.
  // To find the first match in the text, a lexeme is looked for as the start of a word: stems mostly are
  // ("placement" in "placements"), except where the stemmer made a final y an i ("energi" for "energy").
  const prefixes = lexemes.map((lexeme) =>
    lexeme.length > 3 && lexeme.endsWith("i") ? lexeme.slice(0, -1) : lexeme,
  );
  return {
    q,
    hasTerms: (rows[0]?.nodes ?? 0) > 0 && lexemes.length > 0,
    lexemes: [...new Set(prefixes)],
    terms: [...new Set(lexemes)],
    anyOrNot: /[|!]/.test(tree),
    phrase: /<(?:\d+|-)>/.test(tree),
  };
}

interface OrderedRow {
  id: number;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  rank: number | null;
  phase: 0 | 1 | null;
}

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

async function runSearch(
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

  const items = await loadItems(db, pageRows, text, at, options);
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

function keyOf(row: OrderedRow, strategy: SearchStrategy): unknown[] {
  const dateKey: DateKey = [row.meetingDate, row.publishedOn, row.id];
  if (strategy === "ranked") return [row.rank, ...dateKey];
  if (strategy === "candidates") return [row.phase ?? 1, row.phase === 0 ? row.rank : null, ...dateKey];
  return dateKey;
}

/** Compares two rows in the order of the results (negative: a comes first). */
function compareRanked(a: OrderedRow, b: OrderedRow): number {
  return (
    (b.rank ?? 0) - (a.rank ?? 0) ||
    compareDates(b.meetingDate, a.meetingDate) ||
    compareDates(b.publishedOn ?? "", a.publishedOn ?? "") ||
    b.id - a.id
  );
}

function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows after the cursor's key (or from `offset`), at most `want` of them, from rows in result order. */
function sliceAfter(
  rows: OrderedRow[],
  key: unknown[] | undefined,
  offset: number,
  want: number,
  strategy: "ranked" | "candidates",
): OrderedRow[] {
  if (!key) return rows.slice(offset, offset + want);
  const k = strategy === "ranked" ? key : key.slice(1);
  const marker: OrderedRow = {
    rank: k[0] as number,
    meetingDate: k[1] as IsoDate,
    publishedOn: k[2] as IsoDate | null,
    id: k[3] as number,
    phase: 0,
  };
  const start = rows.findIndex((row) => compareRanked(marker, row) < 0);
  return start === -1 ? [] : rows.slice(start, start + want);
}

async function countUpTo(
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
async function allWordsAtLeast(db: Executor, text: TextQuery, resolved: ResolvedQuery): Promise<number> {
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
async function estimateRows(
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

async function fetchInDateOrder(
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
async function fetchRanked(
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

/** The candidate set (see the module comment), ranked, in result order. */
async function fetchCandidates(
  db: Executor,
  from: RawBuilder<unknown>,
  tqSource: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  filters: ReturnType<typeof filterParts>,
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

/** The first status change after `at` anywhere in the register. */
async function nextChangeAfter(db: Executor, at: Date): Promise<Date | null> {
  const { rows } = await sql<{ next: Date | null }>`
    select min(until_at) as next from derived.decision_status_period
    where until_at > ${at}::timestamptz and until_at < 'infinity'::timestamptz`.execute(db);
  const next = rows[0]?.next;
  return next instanceof Date ? next : next ? new Date(next) : null;
}

// ---------------------------------------------------------------------------------------------------------
// The page's rows

interface ItemRow {
  id: number;
  recordId: string | null;
  title: string;
  meetingId: number | null;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  keyDecision: boolean;
  outcomes: Outcome[];
  currentVersion: number;
  bodyId: number;
  bodyName: string;
  councilSlug: string;
  councilName: string;
  status: DecisionStatus | null;
  statusSince: Date | null;
  statusUntil: Date | null;
  subjectToCallIn: boolean | null;
  callInCutoff: Date | null;
  problem: string | null;
  updatedAt: Date;
  hasOriginal: boolean;
  record?: DecisionRecord;
  rank?: number | null;
  recordText?: string;
  reasonsText?: string;
  titleHeadline?: string;
  headline?: string;
  windowHead?: string;
  windowTail?: string;
  atStart?: boolean;
  atEnd?: boolean;
}

async function loadItems(
  db: Executor,
  ordered: OrderedRow[],
  text: TextQuery | null,
  at: Date,
  options: SearchOptions,
): Promise<SearchItem[]> {
  if (ordered.length === 0) return [];
  const ids = ordered.map((row) => row.id);
  const snippets = options.snippets !== false && text !== null;
  const token = randomBytes(8).toString("hex");
  const start = `rsStart${token}`;
  const stop = `rsStop${token}`;
  const textColumns = text ? sql`, ${RANK}::float8 as rank` : sql``;
  const from = text ? sql`decision d cross join (select ${TSQUERY(text.q)} as q) tq` : sql`decision d`;
  const { rows } = await sql<ItemRow>`
    select d.id, d.record_id, d.title, d.meeting_id, d.meeting_date, d.published_on, d.key_decision, d.outcomes,
      d.current_version, b.id as body_id, b.name as body_name, c.slug as council_slug, c.name as council_name,
      s.status, nullif(s.from_at, '-infinity'::timestamptz) as status_since,
      nullif(s.until_at, 'infinity'::timestamptz) as status_until,
      s.subject_to_call_in, s.call_in_cutoff, s.problem, v.created_at as updated_at,
      v.source_document_id is not null as has_original
      ${options.records ? sql`, v.record` : sql``}
      ${snippets ? sql`, d.record as record_text, d.reasons as reasons_text` : sql``}
      ${textColumns}
    from ${from}
    join body b on b.id = d.body_id
    join council c on c.id = d.council_id
    join decision_version v on v.decision_id = d.id and v.version = d.current_version
    left join derived.decision_status_period s
      on s.decision_id = d.id and s.from_at <= ${at}::timestamptz and s.until_at > ${at}::timestamptz
    where d.id = any(${ids}::int[])`.execute(db);
  if (snippets) await addHeadlines(db, rows, text, start, stop);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const items: SearchItem[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    const status = row.status && isDecisionStatus(row.status) ? row.status : null;
    const item: SearchItem = {
      id: row.id,
      recordId: row.recordId,
      title: row.title,
      titleHtml: snippets ? markHtml(row.titleHeadline ?? row.title, start, stop) : escapeHtml(row.title),
      body: row.bodyName,
      bodyId: row.bodyId,
      council: { slug: row.councilSlug, name: row.councilName },
      meetingId: row.meetingId,
      meetingDate: row.meetingDate,
      publishedOn: row.publishedOn,
      status,
      statusLabel: status ? DECISION_STATUS_TEXT[status].label : null,
      statusSince: toDate(row.statusSince),
      statusUntil: toDate(row.statusUntil),
      statusProblem: row.problem,
      subjectToCallIn: row.subjectToCallIn,
      keyDecision: row.keyDecision,
      callInCutoff: row.callInCutoff ? toUkIsoString(toDate(row.callInCutoff) as Date) : null,
      outcomes: row.outcomes,
      snippet: snippets ? snippetHtml(row, start, stop) : openingHtml(row.outcomes),
      rank: text ? Number(row.rank) : null,
      currentVersion: row.currentVersion,
      updatedAt: toDate(row.updatedAt) as Date,
      hasOriginal: row.hasOriginal,
    };
    if (options.records && row.record) item.record = row.record;
    items.push(item);
  }
  return items;
}

/**
 * Snippets: for each row, the window of its text around the first match (found here, by looking for the
 * query's lexemes as the starts of words), highlighted by ts_headline, so the database only ever highlights
 * SNIPPET_WINDOW characters a row, whatever the length of the record. Titles are highlighted whole. Text given to ts_headline has < > & as stand-ins (see shieldText): what a council
 * wrote is shown, as text.
 */
async function addHeadlines(
  db: Executor,
  rows: ItemRow[],
  text: TextQuery,
  start: string,
  stop: string,
): Promise<void> {
  const headlineOptions = `StartSel=${start}, StopSel=${stop}, MaxWords=30, MinWords=12, ShortWord=3`;
  const titleOptions = `StartSel=${start}, StopSel=${stop}, HighlightAll=true`;
  const windows = rows.map((row) => {
    const full = searchableText(row.outcomes, row.recordText ?? "", row.reasonsText ?? "");
    const lower = full.toLowerCase();
    const first = snippetStart(lower, text.lexemes);
    let from = 0;
    if (first > SNIPPET_BEFORE) {
      const space = full.slice(first - SNIPPET_BEFORE, first).indexOf(" ");
      from = first - SNIPPET_BEFORE + space + 1;
    }
    return {
      window: shieldText(full.slice(from, from + SNIPPET_WINDOW)),
      atStart: from === 0,
      atEnd: from + SNIPPET_WINDOW >= full.length,
    };
  });
  // Highlighted: the words as searched for (a phrase together) where the window holds them so; else any of
  // them, wherever it appears (an OR of the query's words), as in titles.
  const anyTerm = sql`(select string_agg(quote_literal(x), ' | ') from unnest(${text.terms}::text[]) x)::tsquery`;
  const highlighted = await sql<{ i: string; h: string; th: string }>`
    select t.i::text as i,
      case when strpos(exact.h, ${start}::text) > 0 then exact.h
        else ts_headline('english'::regconfig, t.w, tq.any, ${headlineOptions}::text) end as h,
      ts_headline('english'::regconfig, t.title, tq.any, ${titleOptions}::text) as th
    from unnest(${windows.map((w) => w.window)}::text[], ${rows.map((row) => shieldText(row.title))}::text[])
      with ordinality as t(w, title, i)
    cross join (select ${TSQUERY(text.q)} as q, ${anyTerm} as any) tq
    cross join lateral (
      select ts_headline('english'::regconfig, t.w, tq.q, ${headlineOptions}::text) as h offset 0
    ) exact`.execute(db);
  for (const { i, h, th } of highlighted.rows) {
    const index = Number(i) - 1;
    const row = rows[index]!;
    const window = windows[index]!;
    row.titleHeadline = th;
    row.headline = h;
    row.windowHead = window.window.slice(0, 200);
    row.windowTail = window.window.slice(-200);
    row.atStart = window.atStart;
    row.atEnd = window.atEnd;
  }
}

/**
 * Where a snippet should start: where every word searched for appears closest together, if that fits in the
 * window (so "energy advice" is shown together, not the first "advice" on its own), else where the first of
 * them appears; -1 if none does. Words are looked for as the starts of words (their stems).
 */
function snippetStart(lower: string, lexemes: readonly string[]): number {
  const hits: { at: number; word: number }[] = [];
  lexemes.forEach((lexeme, word) => {
    for (
      let at = lower.indexOf(lexeme);
      at !== -1 && hits.length < 2000;
      at = lower.indexOf(lexeme, at + 1)
    ) {
      hits.push({ at, word });
    }
  });
  if (hits.length === 0) return -1;
  hits.sort((a, b) => a.at - b.at);
  // The shortest stretch of text holding every word (the earliest of equals), found by sliding a window over
  // the hits in order.
  const seen = new Map<number, number>();
  let best: { at: number; length: number } | null = null;
  let left = 0;
  for (const hit of hits) {
    seen.set(hit.word, (seen.get(hit.word) ?? 0) + 1);
    while (seen.size === lexemes.length) {
      const start = hits[left]!;
      const length = hit.at - start.at;
      if (best === null || length < best.length) best = { at: start.at, length };
      const n = (seen.get(start.word) ?? 1) - 1;
      if (n === 0) seen.delete(start.word);
      else seen.set(start.word, n);
      left++;
    }
  }
  return best !== null && best.length <= SNIPPET_WINDOW - SNIPPET_BEFORE ? best.at : hits[0]!.at;
}

/** The text a snippet is cut from: the decision (operative words and items), then the record and reasons. */
function searchableText(outcomes: Outcome[], record: string, reasons: string): string {
  const decision = outcomes
    .map((outcome) =>
      [outcome.kind, outcome.text, ...(outcome.items.length > 0 ? [outcome.items.join(" ")] : [])].join(" "),
    )
    .join("\n");
  return [...(outcomes.length > 0 ? [decision] : []), record, reasons].join("\n\n");
}

function toDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// ---------------------------------------------------------------------------------------------------------
// HTML

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/**
 * Characters standing in for < > & while ts_headline works (see loadItems): control characters, which no record
 * contains (any are made spaces first), which the text search parser takes for neither letters nor markup, and
 * which ts_headline passes through on every locale (private-use characters it drops, or glues to words).
 */
const SHIELD_FROM = "<>&";
const SHIELD_TO = "\u0001\u0002\u0003";
// eslint-disable-next-line no-control-regex
const SHIELDED = /[\u0001-\u0003]/g;
const UNSHIELD: Record<string, string> = { "\u0001": "&lt;", "\u0002": "&gt;", "\u0003": "&amp;" };

/** `text` as shield makes it in SQL: stand-in characters it had become spaces, then & < > become them. */
function shieldText(text: string): string {
  return text.replace(SHIELDED, " ").replace(/[<>&]/g, (c) => SHIELD_TO[SHIELD_FROM.indexOf(c)] as string);
}

/** Escapes everything, then turns the sentinels ts_headline put around matches into <mark>. */
function markHtml(headline: string, start: string, stop: string): string {
  const escaped = escapeHtml(headline.replace(/\s+/g, " ").trim()).replace(
    SHIELDED,
    (c) => UNSHIELD[c] ?? "",
  );
  // Adjacent matches ("<mark>home</mark> <mark>school</mark>") stay separate marks: harmless.
  return escaped.split(start).join("<mark>").split(stop).join("</mark>");
}

function plain(text: string, start: string, stop: string): string {
  return text.split(start).join("").split(stop).join("").replace(/\s+/g, " ").trim();
}

function snippetHtml(row: ItemRow, start: string, stop: string): string {
  const headline = row.headline ?? "";
  const body = markHtml(headline, start, stop);
  if (body === "") return openingHtml(row.outcomes);
  const text = plain(headline, start, stop);
  const head = (row.windowHead ?? "").replace(/\s+/g, " ").trim();
  const tail = (row.windowTail ?? "").replace(/\s+/g, " ").trim();
  const probe = text.slice(0, 30);
  const endProbe = text.slice(-30);
  const leading = row.atStart && head.startsWith(probe) ? "" : "… ";
  const trailing = row.atEnd && tail.endsWith(endProbe) ? "" : " …";
  return `${leading}${body}${trailing}`;
}

/** Without a text query: the first words of the decision, escaped. */
function openingHtml(outcomes: Outcome[]): string {
  const first = outcomes[0];
  if (!first) return "";
  const words = [first.kind, first.text, ...first.items].join(" ").replace(/\s+/g, " ").trim().split(" ");
  const cut = words.length > 40;
  return escapeHtml(words.slice(0, 40).join(" ")) + (cut ? " …" : "");
}

// ---------------------------------------------------------------------------------------------------------
// Decisions by id, meetings, originals (for the API)

/** The public decisions among `ids`, as search items in the register's date order (no snippets). */
export async function decisionItemsByIds(
  db: Executor,
  ids: readonly number[],
  at: Date,
): Promise<SearchItem[]> {
  if (ids.length === 0) return [];
  await refreshStatusTimelines(db);
  const { rows } = await sql<{ id: number; meetingDate: IsoDate; publishedOn: IsoDate | null }>`
    select d.id, d.meeting_date, d.published_on from decision d
    where d.id = any(${[...ids]}::int[]) and d.status <> 'draft' and d.published_on <= ${ukDateOf(at)}::date
    order by ${DATE_ORDER}`.execute(db);
  return loadItems(
    db,
    rows.map((row) => ({ ...row, rank: null, phase: null })),
    null,
    at,
    {},
  );
}

export interface MeetingFilters {
  /** The body's name (case does not matter). */
  body?: string;
  from?: IsoDate;
  to?: IsoDate;
  /** From a previous page's nextCursor. */
  cursor?: string;
  limit?: number;
}

export interface MeetingItem {
  id: number;
  date: IsoDate;
  status: "scheduled" | "held" | "postponed" | "cancelled";
  location: string | null;
  sourceUrl: string | null;
  body: { id: number; name: string; kind: "executive" | "committee" | "individual-member" | "officer" };
  council: { slug: string; name: string };
  /** Public decisions filed under the meeting. */
  decisionCount: number;
}

/** A meeting's row with its body and council, as the meeting queries select it. */
export interface MeetingRow {
  id: number;
  date: IsoDate;
  status: MeetingItem["status"];
  location: string | null;
  sourceUrl: string | null;
  bodyId: number;
  bodyName: string;
  bodyKind: MeetingItem["body"]["kind"];
  councilSlug: string;
  councilName: string;
  decisionCount: number;
}

export function meetingItem(row: MeetingRow): MeetingItem {
  return {
    id: row.id,
    date: row.date,
    status: row.status,
    location: row.location,
    sourceUrl: row.sourceUrl,
    body: { id: row.bodyId, name: row.bodyName, kind: row.bodyKind },
    council: { slug: row.councilSlug, name: row.councilName },
    decisionCount: Number(row.decisionCount),
  };
}

function selectMeetings(today: IsoDate) {
  return sql`
    select m.id, m.date, m.status, m.location, m.source_url, b.id as body_id, b.name as body_name,
      b.kind as body_kind, c.slug as council_slug, c.name as council_name,
      (select count(*)::int from decision d
        where d.meeting_id = m.id and d.status <> 'draft' and d.published_on <= ${today}::date) as decision_count
    from meeting m join body b on b.id = m.body_id join council c on c.id = b.council_id`;
}

/** Meetings, newest first (date, then id), a page at a time with a cursor. */
export async function listMeetingsPage(
  db: Executor,
  filters: MeetingFilters,
  at: Date,
): Promise<{ total: number; items: MeetingItem[]; nextCursor: string | null }> {
  const limit = filters.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit: use a whole number from 1 to ${MAX_PAGE_SIZE}`, "limit");
  }
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filters.body !== undefined) conditions.push(sql`lower(b.name) = lower(${filters.body}::text)`);
  if (filters.from !== undefined) conditions.push(sql`m.date >= ${filters.from}::date`);
  if (filters.to !== undefined) conditions.push(sql`m.date <= ${filters.to}::date`);
  const where = sql.join(conditions, sql` and `);
  const identity = JSON.stringify([filters.body?.toLowerCase() ?? "", filters.from ?? "", filters.to ?? ""]);
  const hash = createHash("sha256").update(identity).digest("base64url").slice(0, 12);
  let after = sql``;
  if (filters.cursor !== undefined) {
    let key: unknown;
    try {
      key = JSON.parse(Buffer.from(filters.cursor, "base64url").toString("utf8"));
    } catch {
      throw badCursor("is not one this service gave");
    }
    const k = key as { h?: unknown; d?: unknown; i?: unknown };
    if (typeof k?.d !== "string" || !isValidIsoDate(k.d) || !Number.isInteger(k.i)) {
      throw badCursor("is not one this service gave");
    }
    if (k.h !== hash) throw badCursor("belongs to a different list (the filters have changed)");
    after = sql` and (m.date, m.id) < (${k.d}::date, ${k.i as number}::int)`;
  }
  const { rows } = await sql<MeetingRow>`
    ${selectMeetings(ukDateOf(at))}
    where ${where}${after}
    order by m.date desc, m.id desc
    limit ${limit + 1}`.execute(db);
  const counted = await sql<{ n: number }>`
    select count(*)::int as n from meeting m join body b on b.id = m.body_id where ${where}`.execute(db);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ h: hash, d: last.date, i: last.id })).toString("base64url")
      : null;
  return { total: Number(counted.rows[0]?.n ?? 0), items: page.map(meetingItem), nextCursor };
}

/** One meeting with its public decisions; NotFoundError when there is no such meeting. */
export async function getMeetingWithDecisions(
  db: Executor,
  id: number,
  at: Date,
): Promise<(MeetingItem & { decisions: SearchItem[] }) | null> {
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const { rows } = await sql<MeetingRow>`${selectMeetings(ukDateOf(at))} where m.id = ${id}::int`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const decisionIds = await sql<{
    id: number;
  }>`select id from decision where meeting_id = ${id}::int`.execute(db);
  const decisions = await decisionItemsByIds(
    db,
    decisionIds.rows.map((r) => r.id),
    at,
  );
  return { ...meetingItem(row), decisions };
}

export interface OriginalDocument {
  decisionId: number;
  version: number;
  fileName: string;
  mediaType: string;
  sha256: string;
  bytes: Buffer;
}

/**
 * The original document a public decision's version (default: the current one) was imported from; null when
 * there is no such public decision or version, or it has no original.
 */
export async function getOriginalDocument(
  db: Executor,
  decisionId: number,
  at: Date,
  version?: number,
): Promise<OriginalDocument | null> {
  if (!Number.isInteger(decisionId) || decisionId < 1 || decisionId > 2_147_483_647) return null;
  const { rows } = await sql<{
    version: number;
    fileName: string;
    mediaType: string;
    sha256: string;
    bytes: Buffer;
  }>`
    select v.version, s.file_name, s.media_type, s.sha256, s.bytes
    from decision d
    join decision_version v on v.decision_id = d.id and v.version = coalesce(${version ?? null}::int, d.current_version)
    join source_document s on s.id = v.source_document_id
    where d.id = ${decisionId}::int and d.status <> 'draft' and d.published_on <= ${ukDateOf(at)}::date`.execute(
    db,
  );
  const row = rows[0];
  if (!row) return null;
  return { decisionId, ...row, bytes: Buffer.from(row.bytes) };
}

// ---------------------------------------------------------------------------------------------------------
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
    rows.map((row) => ({ ...row, rank: null, phase: null })),
    null,
    at,
    {},
  );
  return { items, nextStatusChange };
}
