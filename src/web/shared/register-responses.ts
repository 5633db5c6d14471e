import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { addDays } from "../../domain/iso-date.js";
import { startOfUkDay, ukDateOf } from "../../domain/uk-time.js";
import { SESSION_COOKIE } from "../auth/auth-plugin.js";
import type { RouteDeps } from "../route-plugin.js";
import { cacheControlFor, etagMatches, maxAgeFor, strongEtag } from "./http-caching.js";
import { createPageCache, NONCE_PLACEHOLDER } from "./page-cache.js";

/**
 * The public register's answers that change only when the register does (the home page, a search's page, the
 * meetings list, the API's lists and records, the Atom and iCalendar feeds, the CSV and JSON Lines downloads),
 * kept in memory (page-cache.ts) by route and normalised query, so that a page shared widely, or a feed polled
 * by many, costs no query.
 *
 * An entry is served until the register changes anywhere (registerChanges.stamp()), until what it says changes
 * by itself (`changesAt`: the next status change in the register, a calendar's oldest event leaving it), or
 * until midnight (UK time), when decisions published for "today" become public; and only:
 *   - to GET (and HEAD) requests answered 200: anything thrown (a 400, a 404) is not kept;
 *   - to anonymous requests: one with a session cookie or an Authorization header is neither served from it
 *     nor kept in it (public pages are the same for everyone, but what a signed-in visitor is sent is theirs);
 *   - under a key naming everything the body depends on (the caller's job: the route, the query as parsed, the
 *     site's address for feeds with absolute links), of at most MAX_KEY_LENGTH characters (longer: not kept).
 * Pages get each response's own CSP nonce; data keep their ETag (If-None-Match → 304) and Cache-Control, worked
 * out again for each response from `changesAt`.
 */

/** A key longer than this is not kept: the parsed queries that make keys are far shorter (cursor ≤ 1,000). */
export const MAX_KEY_LENGTH = 4096;

export interface RegisterResponse {
  /**
   * HTML rendered with NONCE_PLACEHOLDER as its nonce (a string, content type text/html), other text or bytes
   * sent as they are, or text streamed (kept once it has all been sent, if it fits).
   */
  body: string | Buffer | AsyncIterable<string>;
  contentType: string;
  /** The next moment what it says changes by itself (null: only when the register changes). */
  changesAt: Date | null;
  /**
   * Open data: Cache-Control bounded by `changesAt` (http-caching.ts), and with `etag` a strong ETag
   * answering If-None-Match with 304 (not for a streamed body). Pages have neither.
   */
  http?: { etag: boolean };
  /** More headers (Content-Disposition). */
  headers?: Record<string, string>;
}

interface Kept {
  contentType: string;
  changesAt: Date | null;
  etag: string | undefined;
  http: boolean;
  headers: Record<string, string> | undefined;
}

export type ServeRegisterResponse = (
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  render: (at: Date) => Promise<RegisterResponse>,
) => Promise<FastifyReply>;

/** A cache of `maxBytes` (one per feature) and the function its routes answer through. */
export function registerResponses(deps: RouteDeps, options: { maxBytes: number }): ServeRegisterResponse {
  const cache = createPageCache<Kept>({ maxBytes: options.maxBytes });

  return async (request, reply, key, render) => {
    const at = deps.now();
    let stamp: string | undefined;
    if (key.length <= MAX_KEY_LENGTH && isAnonymous(request)) {
      // Taken before reading, so a change committed while rendering leaves the entry stale, never the reverse.
      const heard = deps.registerChanges.stamp();
      stamp = typeof heard === "string" ? heard : await heard;
      const hit = cache.get(key, stamp, at, request.cspNonce);
      if (hit) return send(request, reply, at, hit.meta, hit.body);
    }
    const response = await render(at);
    const validUntil = new Date(
      Math.min(response.changesAt?.getTime() ?? Infinity, nextUkMidnight(at).getTime()),
    );
    const kept: Kept = {
      contentType: response.contentType,
      changesAt: response.changesAt,
      etag: undefined,
      http: response.http !== undefined,
      headers: response.headers,
    };
    const keep = (body: string | Buffer) => {
      if (stamp !== undefined) cache.set(key, body, stamp, at, validUntil, kept);
    };
    const { body } = response;
    if (typeof body === "string" && isHtml(response.contentType)) {
      keep(body);
      return send(request, reply, at, kept, body.replaceAll(NONCE_PLACEHOLDER, request.cspNonce));
    }
    if (typeof body === "string" || Buffer.isBuffer(body)) {
      const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
      if (response.http?.etag) kept.etag = strongEtag(bytes);
      keep(bytes);
      return send(request, reply, at, kept, bytes);
    }
    return send(request, reply, at, kept, Readable.from(keepingAll(body, cache.maxEntryBytes, keep)));
  };
}

/** The text of `source` as it comes, kept (`keep`) once it has all been read, if it is at most `limit` bytes. */
async function* keepingAll(
  source: AsyncIterable<string>,
  limit: number,
  keep: (body: Buffer) => void,
): AsyncGenerator<string> {
  let chunks: Buffer[] | null = [];
  let size = 0;
  for await (const text of source) {
    if (chunks !== null) {
      const chunk = Buffer.from(text, "utf8");
      size += chunk.length;
      if (size > limit) chunks = null;
      else chunks.push(chunk);
    }
    yield text;
  }
  // Only a download read to its end is kept (a client that went away stops the generator before this).
  if (chunks !== null) keep(Buffer.concat(chunks));
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  at: Date,
  kept: Kept,
  body: string | Buffer | Readable,
): FastifyReply {
  if (kept.headers) reply.headers(kept.headers);
  if (kept.http) reply.header("cache-control", cacheControlFor(maxAgeFor(at, kept.changesAt)));
  if (kept.etag !== undefined) {
    reply.header("etag", kept.etag);
    if (etagMatches(request.headers["if-none-match"], kept.etag)) return reply.code(304).send();
  }
  return reply.type(kept.contentType).send(body);
}

function isHtml(contentType: string): boolean {
  return contentType.startsWith("text/html");
}

/** Whether the request comes from no one in particular: no session cookie, no API token. */
function isAnonymous(request: FastifyRequest): boolean {
  if (request.account !== null || request.headers.authorization !== undefined) return false;
  const cookie = request.headers.cookie;
  return (
    cookie === undefined || !cookie.split(";").some((pair) => pair.trim().startsWith(`${SESSION_COOKIE}=`))
  );
}

/** The next midnight in the UK after `at`: when a decision published "today" becomes public. */
function nextUkMidnight(at: Date): Date {
  return startOfUkDay(addDays(ukDateOf(at), 1));
}
