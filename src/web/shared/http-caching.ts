import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * HTTP caching and CORS for the open data (the API, the feeds and downloads).
 *
 * Caching: every response carries a strong ETag (a hash of its bytes), answers If-None-Match with 304, and says
 * `Cache-Control: public, max-age=N`, where N never reaches past the next moment a status in it can change by
 * itself (a call-in period closing at its cutoff), so no cache serves "call-in period open" after the cutoff.
 *
 * CORS: anyone may read the open data from a browser: `Access-Control-Allow-Origin: *` on GET and HEAD, and
 * preflight (OPTIONS) answered. No credentials are involved, so the wildcard is safe.
 */

/** The longest any open data response may be cached (changes by import are not scheduled: keep it short). */
export const MAX_AGE_SECONDS = 300;

/** Seconds a response may be cached at `now`, if what it says changes by itself at `until` (null: never). */
export function maxAgeFor(now: Date, until: Date | null, ceiling: number = MAX_AGE_SECONDS): number {
  if (until === null) return ceiling;
  const seconds = Math.floor((until.getTime() - now.getTime()) / 1000);
  return Math.max(0, Math.min(ceiling, seconds));
}

export function cacheControlFor(maxAge: number): string {
  return maxAge > 0 ? `public, max-age=${maxAge}` : "public, max-age=0, must-revalidate";
}

/** A strong entity tag: the SHA-256 of the bytes, base64url. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url")}"`;
}

/** Whether an If-None-Match header matches `etag` (weak comparison, as RFC 9110 asks for If-None-Match). */
export function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return value.split(",").some((candidate) => opaque(candidate) === wanted);
}

export interface CachedBody {
  body: string | Buffer;
  contentType: string;
  /** Seconds (see maxAgeFor). */
  maxAge: number;
  /** Defaults to the strong ETag of the body. */
  etag?: string;
}

/** Sends `body` with ETag and Cache-Control, or 304 when the client already has it. */
export function sendCached(request: FastifyRequest, reply: FastifyReply, cached: CachedBody): FastifyReply {
  const etag = cached.etag ?? strongEtag(cached.body);
  reply.header("etag", etag).header("cache-control", cacheControlFor(cached.maxAge));
  if (etagMatches(request.headers["if-none-match"], etag)) {
    return reply.code(304).send();
  }
  return reply.type(cached.contentType).send(cached.body);
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "ETag, Link, Content-Disposition",
};

const TOKEN_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * CORS for the routes registered in `app` (call it inside the plugin that registers them, so it covers them
 * only): the headers on every answer, errors included, and OPTIONS preflight for each of `paths`.
 */
export function enableCors(app: FastifyInstance, paths: readonly string[]): void {
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(CORS_HEADERS);
  });
  for (const path of paths) {
    app.options(path, async (request, reply) => {
      const asked = request.headers["access-control-request-headers"];
      reply
        .headers(CORS_HEADERS)
        .header("access-control-allow-methods", "GET, HEAD, OPTIONS")
        .header("access-control-max-age", "86400")
        .header("cache-control", "public, max-age=86400")
        .header("vary", "Access-Control-Request-Headers");
      if (typeof asked === "string" && TOKEN_LIST.test(asked.trim())) {
        reply.header("access-control-allow-headers", asked.trim());
      }
      return reply.code(204).send();
    });
  }
}
