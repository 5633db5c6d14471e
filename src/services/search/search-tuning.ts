/**
 * Tuning: the limits on one search's work (tests and benchmarks may override them: SearchOptions.tuning). What
 * each limit bounds is explained with the strategies in search-decisions.ts.
 */

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
export const ESTIMATE_TRUSTED = 1;
/**
 * Ranking every match is not tried when PostgreSQL estimates more than this many times RANK_ALL_MAX: the
 * candidates are ranked straight away (estimates of single words are close; of several, within a few times).
 */
export const ESTIMATE_TRUSTED_FOR_RANKING = 2;
/**
 * The most recent matches are found by collecting every match and sorting them when there are at most this
 * many (counted, or with filters PostgreSQL's estimate of the words alone; a rare word: reading the register
 * newest first would test thousands of records to find a few), and by reading newest first otherwise (a
 * common word: the first few hundred records have enough).
 */
export const RECENT_BY_SORT_MAX = COUNT_MAX;

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
