import type { FastifyReply, FastifyRequest } from "fastify";
import { strategyLinksForDecision } from "../../services/strategy-updates/index.js";
import { decisionStrategyLinksJson } from "./strategy-update-routes.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { listCouncils, listBodies } from "../../services/councils/index.js";
import { getDecision, type DecisionDetail } from "../../services/decisions/index.js";
import { getOriginalDocument } from "../../services/decisions/original-document.js";
import { getMeetingWithDecisions, listMeetingsPage } from "../../services/meetings/meeting-pages.js";
import {
  DEFAULT_LIMIT,
  decisionQueryParams,
  normaliseParameters,
  parseDecisionQuery,
} from "../shared/decision-query.js";
import { enableCors, MAX_AGE_SECONDS, sendCached } from "../shared/http-caching.js";
import { registerResponses } from "../shared/register-responses.js";
import { docsOperations, MEETING_PATH_PARAMETERS, openApiDocument } from "./openapi.js";
import {
  API_PREFIX,
  decisionDetailJson,
  decisionSummaryJson,
  decisionVersionJson,
  meetingSummaryJson,
} from "./present.js";
import {
  meetingQuerySchema,
  type BodyListJson,
  type DecisionListJson,
  type MeetingDetailJson,
  type MeetingListJson,
} from "./schemas.js";
import { searchDecisions, withHtml } from "../shared/search-markup.js";
import type { RoutePlugin } from "../route-plugin.js";

/**
 * The open data API (JSON; errors are JSON too, see src/web/errors/error-pages.ts) and its documentation:
 *
 *   GET /api/v1/decisions                          search (the decisions page's parameters), cursor pages
 *   GET /api/v1/decisions/:id                      one decision (number or record id)
 *   GET /api/v1/decisions/:id/versions/:version    one version of its record
 *   GET /api/v1/meetings, /api/v1/meetings/:id     meetings, one meeting with its decisions
 *   GET /api/v1/bodies                             decision makers
 *   GET /api/openapi.json                          the OpenAPI 3.1 document
 *   GET /api/docs                                  the same, as a page
 *   GET /decisions/:id/original                    the original document, byte for byte
 *
 * Every JSON answer has a strong ETag (If-None-Match → 304), Cache-Control bounded by the next status change of
 * anything in it, and Access-Control-Allow-Origin: *.
 */

const JSON_TYPE = "application/json; charset=utf-8";
const API_CACHE_BYTES = 8 * 2 ** 20;

export const apiRoutes: RoutePlugin = async (app, deps) => {
  enableCors(app, ["/api/*", "/decisions/:id/original"]);
  const db = () => deps.database.db;

  // The API's reads are kept in memory until the register changes (register-responses.ts), keyed by route and
  // the parameters as parsed (their links are relative: the site's address is not in them).
  const serve = registerResponses(deps, { maxBytes: API_CACHE_BYTES });

  /** JSON for `value`, which changes by itself at `until` (null: only with the register). */
  function serveJson(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    read: (at: Date) => Promise<{ value: unknown; until: Date | null }>,
  ) {
    return serve(request, reply, key, async (at) => {
      const { value, until } = await read(at);
      return { body: JSON.stringify(value), contentType: JSON_TYPE, changesAt: until, http: { etag: true } };
    });
  }

  app.get(`${API_PREFIX}/decisions`, async (request, reply) => {
    const query = parseDecisionQuery(request.query);
    return serveJson(request, reply, `decisions ${JSON.stringify(query)}`, async (at) => {
      const result = await searchDecisions(db(), query, at);
      const base = `${API_PREFIX}/decisions`;
      const withQuery = (params: URLSearchParams) =>
        params.size > 0 ? `${base}?${params.toString()}` : base;
      const body: DecisionListJson = {
        data: result.items.map(decisionSummaryJson),
        links: {
          self: withQuery(decisionQueryParams(query)),
          next: result.nextCursor
            ? withQuery(decisionQueryParams(query, { cursor: result.nextCursor, page: undefined }))
            : null,
        },
        meta: { total: result.total, totalExact: result.totalExact, limit: result.limit, sort: result.sort },
      };
      return { value: body, until: result.nextStatusChange };
    });
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/decisions/:id`, async (request, reply) =>
    serveJson(request, reply, `decision ${request.params.id}`, async (at) => {
      const detail = await publicDecision(request.params.id, at);
      const json = decisionDetailJson(detail);
      json.data.strategy = decisionStrategyLinksJson(await strategyLinksForDecision(db(), detail.id));
      return { value: json, until: detail.status?.until ?? null };
    }),
  );

  app.get<{ Params: { id: string; version: string } }>(
    `${API_PREFIX}/decisions/:id/versions/:version`,
    async (request, reply) => {
      const version = wholeNumber(request.params.version, "version");
      // A version's record never changes; its links do not either (but it may become public at midnight).
      return serve(request, reply, `version ${request.params.id} ${version}`, async (at) => {
        const detail = await publicDecision(request.params.id, at, version);
        return {
          body: JSON.stringify(decisionVersionJson(detail)),
          contentType: JSON_TYPE,
          changesAt: null,
          http: { etag: true },
        };
      });
    },
  );

  app.get(`${API_PREFIX}/meetings`, async (request, reply) => {
    const filters = parseMeetingQuery(request.query);
    return serveJson(request, reply, `meetings ${JSON.stringify(filters)}`, async (at) => {
      const result = await listMeetingsPage(db(), filters, at);
      const params = new URLSearchParams();
      for (const name of ["body", "from", "to"] as const) {
        const value = filters[name];
        if (value !== undefined) params.set(name, value);
      }
      if (filters.limit !== DEFAULT_LIMIT) params.set("limit", String(filters.limit));
      const self = new URLSearchParams(params);
      if (filters.cursor) self.set("cursor", filters.cursor);
      const next = new URLSearchParams(params);
      if (result.nextCursor) next.set("cursor", result.nextCursor);
      const base = `${API_PREFIX}/meetings`;
      const body: MeetingListJson = {
        data: result.items.map(meetingSummaryJson),
        links: {
          self: self.size > 0 ? `${base}?${self.toString()}` : base,
          next: result.nextCursor ? `${base}?${next.toString()}` : null,
        },
        meta: { total: result.total, limit: filters.limit },
      };
      return { value: body, until: null };
    });
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/meetings/:id`, async (request, reply) => {
    const id = /^\d{1,10}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    return serveJson(request, reply, `meeting ${id}`, async (at) => {
      const meeting = Number.isNaN(id) ? null : await getMeetingWithDecisions(db(), id, at);
      if (!meeting) throw new NotFoundError(`no meeting ${request.params.id}`);
      const body: MeetingDetailJson = {
        data: {
          ...meetingSummaryJson(meeting),
          sourceUrl: meeting.sourceUrl,
          decisions: meeting.decisions.map((item) => decisionSummaryJson(withHtml(item))),
        },
        links: { self: `${API_PREFIX}/meetings/${meeting.id}`, html: `/meetings/${meeting.id}` },
      };
      const until = meeting.decisions.reduce<Date | null>(
        (first, d) => (d.statusUntil && (!first || d.statusUntil < first) ? d.statusUntil : first),
        null,
      );
      return { value: body, until };
    });
  });

  app.get(`${API_PREFIX}/bodies`, async (request, reply) =>
    serveJson(request, reply, "bodies", async () => {
      const data: BodyListJson["data"] = [];
      for (const council of await listCouncils(db())) {
        for (const body of await listBodies(db(), council.id)) {
          const name = encodeURIComponent(body.name);
          data.push({
            id: body.id,
            name: body.name,
            kind: body.kind,
            scrutiny: body.scrutiny,
            council: { slug: council.slug, name: council.name },
            meetingCount: body.meetingCount,
            decisionCount: body.decisionCount,
            lastMeeting: body.lastMeeting,
            links: {
              html: `/bodies/${body.id}`,
              decisions: `${API_PREFIX}/decisions?body=${name}`,
              meetings: `${API_PREFIX}/meetings?body=${name}`,
            },
          });
        }
      }
      return { value: { data } satisfies BodyListJson, until: null };
    }),
  );

  const document = JSON.stringify(openApiDocument());
  app.get("/api/openapi.json", async (request, reply) =>
    sendCached(request, reply, {
      body: document,
      contentType: "application/vnd.oai.openapi+json; charset=utf-8",
      maxAge: MAX_AGE_SECONDS,
    }),
  );

  app.get("/api/docs", async (_request, reply) => {
    const operations = docsOperations(openApiDocument());
    const groups = openApiDocument().tags.map((tag) => ({
      ...tag,
      operations: operations.filter((op) => op.tag === tag.name),
    }));
    reply.header("cache-control", `public, max-age=${MAX_AGE_SECONDS}`);
    return reply.view("api/docs.njk", {
      pageTitle: "Open data and API",
      info: openApiDocument().info,
      groups,
    });
  });

  app.get<{ Params: { id: string } }>("/decisions/:id/original", async (request, reply) => {
    const id = /^\d{1,10}$/.test(request.params.id) ? Number(request.params.id) : NaN;
    const { version: rawVersion } = normaliseParameters(request.query, ["version"]);
    const version = rawVersion === undefined ? undefined : wholeNumber(rawVersion, "version");
    const original = Number.isNaN(id) ? null : await getOriginalDocument(db(), id, deps.now(), version);
    if (!original) {
      throw new NotFoundError(`no original document for decision ${request.params.id}`);
    }
    // The bytes are served as a download, never as a page of this site.
    reply
      .header("content-disposition", attachment(original.fileName))
      .header("content-security-policy", "sandbox; default-src 'none'")
      .header("content-length", String(original.bytes.length));
    return sendCached(request, reply, {
      body: original.bytes,
      contentType: original.mediaType || "application/octet-stream",
      etag: `"${original.sha256}"`,
      // A numbered version's original never changes; the current one changes when a version is added.
      maxAge: version === undefined ? MAX_AGE_SECONDS : 86_400,
    });
  });

  /** A public decision (not a draft), by number or record id; NotFoundError otherwise. */
  async function publicDecision(ref: string, at: Date, version?: number): Promise<DecisionDetail> {
    const text = ref.trim();
    // Control characters (a NUL most of all, which PostgreSQL refuses in text) are in no identifier.
    if (text === "" || text.length > 100 || /\p{Cc}/u.test(text)) throw new NotFoundError("no such decision");
    const detail = await getDecision(db(), text, at, version === undefined ? {} : { version });
    const published =
      detail.publicationState !== "draft" &&
      (detail.status ? detail.status.status !== "draft" : (detail.publishedOn ?? "9999") <= ukDateOf(at));
    if (!published) throw new NotFoundError(`no decision "${ref}"`);
    return detail;
  }
};

function wholeNumber(value: string, field: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new ValidationError(
      `${field}: "${value.slice(0, 40)}" is not a version number; use a whole number from 1`,
      field,
    );
  }
  return Number(value);
}

interface MeetingQuery {
  body?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

function parseMeetingQuery(raw: unknown): MeetingQuery {
  const given = normaliseParameters(raw, MEETING_PATH_PARAMETERS);
  if (given.limit !== undefined && !/^\d{1,9}$/.test(given.limit)) throw meetingProblem("limit", given.limit);
  const result = meetingQuerySchema.safeParse(given);
  if (!result.success) {
    const field = String(result.error.issues[0]?.path[0] ?? "body");
    throw meetingProblem(field, (given as Record<string, string>)[field] ?? "");
  }
  const { from, to } = result.data;
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError(`to: the end date (${to}) is before the start date (${from})`, "to");
  }
  return { ...result.data, limit: result.data.limit ?? DEFAULT_LIMIT };
}

function meetingProblem(field: string, value: string): ValidationError {
  const shown = `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  switch (field) {
    case "from":
    case "to":
      return new ValidationError(
        `${field}: ${shown} is not a date; use YYYY-MM-DD, for example 2026-11-20`,
        field,
      );
    case "limit":
      return new ValidationError(
        `limit: ${shown} is not a number of results; use a whole number from 1 to 100`,
        field,
      );
    default:
      return new ValidationError(`${field}: ${shown} is too long`, field);
  }
}

/** Content-Disposition for a download: an ASCII fallback name and the exact name (RFC 6266 / 8187). */
export function attachment(fileName: string): string {
  const name =
    fileName
      .replace(/[\\/]/g, "_")
      .replace(/\p{Cc}/gu, "")
      .trim() || "original";
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
