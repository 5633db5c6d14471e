import type { SearchItem } from "./search-items.js";
import type { SortOrder } from "./search-query.js";

/** What a search answers (see search-decisions.ts for the strategies). */

export type SearchStrategy = "browse" | "date" | "ranked" | "candidates";

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
