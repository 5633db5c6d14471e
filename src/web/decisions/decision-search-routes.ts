import { DECISION_STATUS_TEXT } from "../../domain/decision-status.js";
import { listDecisionBodies } from "../../services/councils/index.js";
import type { StatusView } from "../../services/decisions/index.js";
import type { Executor } from "../../storage/database.js";
import {
  DEFAULT_LIMIT,
  PUBLIC_DECISION_STATUSES,
  decisionQueryParams,
  parseDecisionQuery,
  type DecisionQuery,
} from "../shared/decision-query.js";
import { searchDecisions } from "../shared/search-markup.js";
import { formatIsoDate } from "../server/view-environment.js";
import type { FastifyReply } from "fastify";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { NONCE_PLACEHOLDER } from "../shared/page-cache.js";
import { registerResponses } from "../shared/register-responses.js";
import { statusTag } from "../shared/format.js";
import { paginationFor } from "../shared/pagination.js";

/**
 * GET /decisions?q=&from=&to=&body=&status=&callIn=&key=&sort=&page=: search and browse. The query is read
 * with the one decision query schema (src/web/shared/decision-query.ts): a bad parameter is a ValidationError, so the
 * 400 page with the error summary, linking back to the field.
 */

/** One result as the page shows it. */
export interface DecisionResult {
  id: number;
  recordId: string | null;
  title: string;
  /** Safe HTML: the title escaped, with the words that match in <mark> (search-markup.ts). */
  titleHtml: string;
  body: string;
  meetingDate: string;
  status: Pick<StatusView, "status" | "label"> | null;
  /** Safe HTML: the matching words in <mark>, everything else escaped (search-markup.ts). */
  snippet: string;
}

/** The search behind the page: the search service, one page of DEFAULT_LIMIT results, no cursor. */
async function runSearch(
  db: Executor,
  query: DecisionQuery,
  at: Date,
): Promise<{ total: number; totalExact: boolean; items: DecisionResult[]; nextStatusChange: Date | null }> {
  const { cursor: _cursor, sortGiven: _sortGiven, ...rest } = query;
  const result = await searchDecisions(db, { ...rest, limit: DEFAULT_LIMIT }, at);
  return {
    total: result.total,
    totalExact: result.totalExact,
    nextStatusChange: result.nextStatusChange,
    items: result.items.map((item) => ({
      id: item.id,
      recordId: item.recordId,
      title: item.title,
      titleHtml: item.titleHtml,
      body: item.body,
      meetingDate: item.meetingDate,
      status: item.status && item.statusLabel ? { status: item.status, label: item.statusLabel } : null,
      snippet: item.snippet,
    })),
  };
}

const CALL_IN_WORDS = { yes: "subject to call-in", no: "not subject to call-in" } as const;
const KEY_WORDS = { yes: "key decisions", no: "not key decisions" } as const;

/** Search pages kept in memory (register-responses.ts): about 250 pages of 30 KB. */
const SEARCH_CACHE_BYTES = 8 * 2 ** 20;

export const decisionSearchRoutes: RoutePlugin = async (app, deps) => {
  const serve = registerResponses(deps, { maxBytes: SEARCH_CACHE_BYTES });
  app.get("/decisions", async (request, reply) => {
    const query = parseDecisionQuery(request.query);
    // The query as parsed: parameters in any order, tracking parameters and empty fields share one entry.
    return serve(request, reply, JSON.stringify(query), async (at) => {
      const { html, nextStatusChange } = await searchPage(deps, reply, query, at);
      // The page shows each decision's status now: it changes by itself at the register's next status change.
      return { body: html, contentType: "text/html; charset=utf-8", changesAt: nextStatusChange };
    });
  });
};

/** The search page for `query` at `at`, rendered with NONCE_PLACEHOLDER as its nonce. */
async function searchPage(
  deps: RouteDeps,
  reply: FastifyReply,
  query: DecisionQuery,
  at: Date,
): Promise<{ html: string; nextStatusChange: Date | null }> {
  const db = deps.database.db;
  const results = await runSearch(db, query, at);
  const pages = Math.max(1, Math.ceil(results.total / DEFAULT_LIMIT));
  const params = decisionQueryParams(query, { page: undefined, cursor: undefined, limit: undefined });
  const bodies = await listDecisionBodies(db);

  const bodyNames = [...new Set(bodies.map((body) => body.name))];
  if (
    query.body !== undefined &&
    !bodyNames.some((name) => name.toLowerCase() === query.body!.toLowerCase())
  ) {
    bodyNames.push(query.body);
  }
  const selected = (value: string | undefined, option: string) =>
    value !== undefined && value.toLowerCase() === option.toLowerCase();
  const filtered = [query.q, query.from, query.to, query.body, query.status, query.callIn, query.key].some(
    (value) => value !== undefined,
  );

  const summary: string[] = [];
  if (query.q !== undefined) summary.push(`matching “${query.q}”`);
  if (query.from !== undefined) summary.push(`meetings from ${formatIsoDate(query.from)}`);
  if (query.to !== undefined) summary.push(`meetings to ${formatIsoDate(query.to)}`);
  if (query.body !== undefined) summary.push(`decided by ${query.body}`);
  if (query.status !== undefined) summary.push(`status: ${DECISION_STATUS_TEXT[query.status].label}`);
  if (query.callIn !== undefined) summary.push(CALL_IN_WORDS[query.callIn]);
  if (query.key !== undefined) summary.push(KEY_WORDS[query.key]);
  if (results.total > 0) {
    summary.push(query.sort === "relevance" ? "best matches first" : "newest meeting first");
  }

  const first = (query.page - 1) * DEFAULT_LIMIT + 1;
  const feedQuery = params.toString();
  const html = await reply.renderView("decisions/decisions.njk", {
    cspNonce: NONCE_PLACEHOLDER,
    pageTitle: filtered ? "Search decisions" : "Decisions",
    searching: query.q !== undefined,
    filtered,
    query,
    total: results.total,
    totalExact: results.totalExact,
    items: results.items.map((item) => ({ ...item, tag: statusTag(item.status) })),
    page: query.page,
    pages,
    first,
    last: first + results.items.length - 1,
    summary: summary.length > 0 ? `${summary.join(", ").replace(/^./, (c) => c.toUpperCase())}.` : "",
    pagination: paginationFor("/decisions", params, query.page, pages),
    atomHref: `/decisions.atom${feedQuery ? `?${feedQuery}` : ""}`,
    firstPageHref: `/decisions${params.toString() ? `?${params.toString()}` : ""}`,
    bodyOptions: [
      { value: "", text: "Any decision maker" },
      ...bodyNames.map((name) => ({ value: name, text: name, selected: selected(query.body, name) })),
    ],
    statusOptions: [
      { value: "", text: "Any status" },
      ...PUBLIC_DECISION_STATUSES.map((status) => ({
        value: status,
        text: DECISION_STATUS_TEXT[status].label,
        selected: query.status === status,
      })),
    ],
    callInOptions: [
      { value: "", text: "Either" },
      { value: "yes", text: "Subject to call-in", selected: query.callIn === "yes" },
      { value: "no", text: "Not subject to call-in", selected: query.callIn === "no" },
    ],
    keyOptions: [
      { value: "", text: "Either" },
      { value: "yes", text: "Key decisions only", selected: query.key === "yes" },
      { value: "no", text: "Not key decisions", selected: query.key === "no" },
    ],
    // "" is the default: best match for a search, newest first otherwise, so adding search words to a
    // browse does not keep the browse's order.
    sortOptions: [
      { value: "", text: "Best match", selected: !(query.sortGiven && query.sort === "date") },
      { value: "date", text: "Newest meeting first", selected: query.sortGiven && query.sort === "date" },
    ],
  });
  return { html, nextStatusChange: results.nextStatusChange };
}
