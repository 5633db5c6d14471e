import { DECISION_STATUSES, isDecisionStatus, type DecisionStatus } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import { isValidIsoDate, type IsoDate } from "../../domain/iso-date.js";
import type { SearchTuning } from "./search-tuning.js";

/** What a search asks for (SearchQuery, SearchOptions), and its validation into a ResolvedQuery. */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export type SortOrder = "date" | "relevance";
export type YesNo = "yes" | "no";

/** What to search for; every field optional. The web's DecisionQuery (src/web/shared/decision-query.ts) is one. */
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
  /** Overrides of the limits in search-tuning.ts, for tests and benchmarks. */
  tuning?: Partial<SearchTuning>;
}

// ---------------------------------------------------------------------------------------------------------
// Validation (the web validates first, with friendlier messages; these guard other callers)

const PUBLIC_STATUSES = DECISION_STATUSES.filter((status) => status !== "draft");

export interface ResolvedQuery {
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

export function resolveQuery(query: SearchQuery): ResolvedQuery {
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

/** Whether the query has any filter besides its words. */
export function hasFilters(resolved: ResolvedQuery): boolean {
  const { from, to, body, status, callIn, key } = resolved;
  return [from, to, body, status, callIn, key].some((value) => value !== undefined);
}
