import { z } from "zod";
import { DECISION_STATUSES, type DecisionStatus } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import { isValidIsoDate, type IsoDate } from "../../domain/iso-date.js";

/**
 * The decision search query, as it appears in the URL of every view of the register:
 *
 *   /decisions?q=&from=&to=&body=&status=&callIn=&key=&sort=&page=     the search page
 *   /api/v1/decisions?...&cursor=&limit=                                the API (cursor instead of page)
 *   /decisions.atom, .csv, .jsonl, /call-in.ics                          the feeds and downloads
 *
 * ONE schema (`decisionQuerySchema`) validates every one of them and generates the parameters of the OpenAPI
 * document. `parseDecisionQuery` is the way in: it treats an empty value as not given (forms submit empty
 * fields), trims, refuses a parameter given twice, and turns any problem into a ValidationError whose `field`
 * is the parameter's name and whose message a person can act on ("from: "2024-13-01" is not a date; use
 * YYYY-MM-DD"). Unknown parameters are ignored (links shared with tracking parameters still work).
 */

/** The statuses a public search can ask for: every status but draft (drafts are never public). */
export const PUBLIC_DECISION_STATUSES = DECISION_STATUSES.filter(
  (status): status is Exclude<DecisionStatus, "draft"> => status !== "draft",
);
export type PublicDecisionStatus = (typeof PUBLIC_DECISION_STATUSES)[number];

export const SORT_ORDERS = ["date", "relevance"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const YES_NO = ["yes", "no"] as const;
export type YesNo = (typeof YES_NO)[number];

/** Longest search text: websearch_to_tsquery is cheap, but ranking cost grows with the number of terms. */
export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE = 1000;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
const MAX_BODY_LENGTH = 200;
const MAX_CURSOR_LENGTH = 1000;

const isoDate = z.iso.date().refine(isValidIsoDate);

export const decisionQuerySchema = z.object({
  q: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .optional()
    .meta({
      description:
        "Words to find in the title, the record, the decision and the reasons. Phrases in double quotes, " +
        "`or` between alternatives, `-` before a word to leave it out (as in web search engines).",
      examples: ["children's services", '"home to school transport" -consultation'],
    }),
  from: isoDate.optional().meta({
    description: "Decisions made (meeting date) on or after this date, YYYY-MM-DD.",
    examples: ["2026-10-01"],
  }),
  to: isoDate.optional().meta({
    description: "Decisions made (meeting date) on or before this date, YYYY-MM-DD.",
    examples: ["2026-11-30"],
  }),
  body: z
    .string()
    .max(MAX_BODY_LENGTH)
    .optional()
    .meta({ description: "The decision maker, by name (case does not matter).", examples: ["Cabinet"] }),
  status: z
    .enum(PUBLIC_DECISION_STATUSES)
    .optional()
    .meta({
      description:
        "Only decisions in this status now: published (call-in period open), called-in, effective, confirmed, " +
        "referred-back, referred-to-council, implemented, recommended-to-council.",
      examples: ["published"],
    }),
  callIn: z
    .enum(YES_NO)
    .optional()
    .meta({
      description: "yes: only decisions subject to call-in; no: only those that are not.",
      examples: ["yes"],
    }),
  key: z
    .enum(YES_NO)
    .optional()
    .meta({
      description: "yes: only key decisions; no: only decisions that are not key decisions.",
      examples: ["yes"],
    }),
  sort: z
    .enum(SORT_ORDERS)
    .optional()
    .meta({
      description:
        "relevance (the default when q is given: best matches first) or date (the default otherwise: newest " +
        "meeting first).",
      examples: ["date"],
    }),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .optional()
    .meta({ description: "Page of results on the website and in the Atom feed, from 1.", examples: [2] }),
  cursor: z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .optional()
    .meta({
      description:
        "API only: where the next page starts. Opaque: take it from links.next of the previous page, with the same " +
        "other parameters.",
    }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .meta({
      description: `API only: results per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`,
      examples: [50],
    }),
});

export type DecisionQueryParameter = keyof typeof decisionQuerySchema.shape;
export const DECISION_QUERY_PARAMETERS = Object.keys(decisionQuerySchema.shape) as DecisionQueryParameter[];

/** A valid search query, with the defaults applied. */
export interface DecisionQuery {
  q?: string;
  from?: IsoDate;
  to?: IsoDate;
  body?: string;
  status?: PublicDecisionStatus;
  callIn?: YesNo;
  key?: YesNo;
  /** As asked, or the default: relevance when `q` is given, date otherwise. */
  sort: SortOrder;
  /** Whether `sort` was given (links leave out a default). */
  sortGiven: boolean;
  /** 1 when not given. */
  page: number;
  cursor?: string;
  /** DEFAULT_LIMIT when not given. */
  limit: number;
}

const INTEGER_PARAMETERS = new Set<DecisionQueryParameter>(["page", "limit"]);

/**
 * Reads a query string object (Fastify's `request.query`, or URLSearchParams) as a DecisionQuery. Throws
 * ValidationError naming the first parameter at fault.
 */
export function parseDecisionQuery(raw: unknown): DecisionQuery {
  const given = normaliseParameters(raw, DECISION_QUERY_PARAMETERS);
  for (const name of INTEGER_PARAMETERS) {
    const value = given[name];
    if (value !== undefined && !/^\d{1,9}$/.test(value)) throw problem(name, value);
  }
  const result = decisionQuerySchema.safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = (issue?.path[0] ?? "q") as DecisionQueryParameter;
    throw problem(name, given[name] ?? "");
  }
  const parsed = result.data;
  if (parsed.from !== undefined && parsed.to !== undefined && parsed.from > parsed.to) {
    throw new ValidationError(
      `to: the end date (${parsed.to}) is before the start date (${parsed.from}); swap them or change one`,
      "to",
    );
  }
  const query: DecisionQuery = {
    sort: parsed.sort ?? (parsed.q !== undefined ? "relevance" : "date"),
    sortGiven: parsed.sort !== undefined,
    page: parsed.page ?? 1,
    limit: parsed.limit ?? DEFAULT_LIMIT,
  };
  if (parsed.q !== undefined) query.q = parsed.q;
  if (parsed.from !== undefined) query.from = parsed.from;
  if (parsed.to !== undefined) query.to = parsed.to;
  if (parsed.body !== undefined) query.body = parsed.body;
  if (parsed.status !== undefined) query.status = parsed.status;
  if (parsed.callIn !== undefined) query.callIn = parsed.callIn;
  if (parsed.key !== undefined) query.key = parsed.key;
  if (parsed.cursor !== undefined) query.cursor = parsed.cursor;
  return query;
}

/** The filters and sort of a query (no page, cursor or limit): what identifies a search. */
export type DecisionSearchFilters = Pick<
  DecisionQuery,
  "q" | "from" | "to" | "body" | "status" | "callIn" | "key" | "sort"
>;

/**
 * The query as URL parameters in a fixed order, leaving out what was not given and the defaults (page 1, the
 * default sort and limit), so equal searches have equal URLs. (`sort` is kept when given in `overrides`.) `overrides` replace or (with undefined) remove
 * values: `decisionQueryParams(query, { page: 3 })`, `decisionQueryParams(query, { cursor: next })`.
 */
export function decisionQueryParams(
  query: Partial<DecisionQuery>,
  overrides: Partial<Record<DecisionQueryParameter, string | number | undefined>> = {},
): URLSearchParams {
  const merged: Partial<Record<DecisionQueryParameter, unknown>> = { ...query, ...overrides };
  const params = new URLSearchParams();
  const sortIsDefault = merged.sort === (merged.q !== undefined ? "relevance" : "date");
  for (const name of DECISION_QUERY_PARAMETERS) {
    const value = merged[name];
    if (value === undefined || value === null || value === "") continue;
    if (name === "page" && Number(value) === 1) continue;
    if (name === "limit" && Number(value) === DEFAULT_LIMIT) continue;
    if (name === "sort" && sortIsDefault && !("sort" in overrides)) continue;
    params.set(name, String(value));
  }
  return params;
}

// ---------------------------------------------------------------------------------------------------------
// Reading raw parameters

/**
 * The named parameters of `raw` as trimmed strings: empty ones left out, control characters (which no search
 * needs, and which PostgreSQL refuses in text) replaced by spaces. A parameter given more than once is refused.
 */
export function normaliseParameters<K extends string>(
  raw: unknown,
  names: readonly K[],
): Partial<Record<K, string>> {
  const source = raw instanceof URLSearchParams ? searchParamsObject(raw) : raw;
  const object = typeof source === "object" && source !== null ? (source as Record<string, unknown>) : {};
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(object, name)) continue;
    let value = object[name];
    if (Array.isArray(value)) {
      const nonEmpty = value.filter((v) => typeof v === "string" && cleanText(v) !== "");
      if (nonEmpty.length > 1) {
        throw new ValidationError(
          `${name}: given ${nonEmpty.length} times; give it once (${describeParameter(name)})`,
          name,
        );
      }
      value = nonEmpty[0] ?? "";
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && typeof value !== "number") {
      throw new ValidationError(`${name}: is not a single value; give it once as text`, name);
    }
    const text = cleanText(String(value));
    if (text !== "") out[name] = text;
  }
  return out;
}

function searchParamsObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? (all[0] as string) : all;
  }
  return out;
}

// C0 and C1 control characters, except nothing: tabs and line breaks in a search box are just spaces.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]+/g;

function cleanText(value: string): string {
  return value.replace(CONTROL_CHARACTERS, " ").trim();
}

/** What a parameter should be, for messages. */
function describeParameter(name: string): string {
  switch (name) {
    case "from":
    case "to":
      return "a date as YYYY-MM-DD";
    case "status":
      return `one of ${PUBLIC_DECISION_STATUSES.join(", ")}`;
    case "callIn":
    case "key":
      return "yes or no";
    case "sort":
      return "date or relevance";
    case "page":
      return `a whole number from 1 to ${MAX_PAGE}`;
    case "limit":
      return `a whole number from 1 to ${MAX_LIMIT}`;
    default:
      return "text";
  }
}

/** Shows a value in a message: quoted, and cut short when long. */
function shown(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `"${short}"`;
}

function problem(name: DecisionQueryParameter, value: string): ValidationError {
  const v = shown(value);
  switch (name) {
    case "q":
      return new ValidationError(
        `q: the search is ${value.length} characters long; use at most ${MAX_QUERY_LENGTH}`,
        name,
      );
    case "from":
    case "to":
      return new ValidationError(`${name}: ${v} is not a date; use YYYY-MM-DD, for example 2026-11-20`, name);
    case "body":
      return new ValidationError(
        `body: the name is ${value.length} characters long; use at most ${MAX_BODY_LENGTH}`,
        name,
      );
    case "status":
      return new ValidationError(
        `status: ${v} is not a status; use one of ${PUBLIC_DECISION_STATUSES.join(", ")}`,
        name,
      );
    case "callIn":
    case "key":
      return new ValidationError(`${name}: ${v} is not yes or no`, name);
    case "sort":
      return new ValidationError(`sort: ${v} is not a sort order; use date or relevance`, name);
    case "page":
      return new ValidationError(
        `page: ${v} is not a page number; use a whole number from 1 to ${MAX_PAGE}`,
        name,
      );
    case "limit":
      return new ValidationError(
        `limit: ${v} is not a number of results; use a whole number from 1 to ${MAX_LIMIT}`,
        name,
      );
    case "cursor":
      return new ValidationError(
        "cursor: is not one this service gave; follow links.next, or leave the cursor out to start again",
        name,
      );
  }
}

/** For a cursor that decodes to nothing usable, or that belongs to another search. */
export function invalidCursor(reason?: string): ValidationError {
  return new ValidationError(
    `cursor: ${reason ?? "is not one this service gave"}; follow links.next, or leave the cursor out to start again`,
    "cursor",
  );
}
