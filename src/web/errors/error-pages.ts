import { STATUS_CODES } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import {
  AuthenticationError,
  ConflictError,
  DocumentError,
  NotFoundError,
  PermissionError,
  ResolvedError,
  UnavailableError,
  ValidationError,
} from "../../domain/errors.js";
import { isConnectionFailure } from "../../storage/error-details.js";
import { applySecurityHeaders } from "../server/security-headers.js";

/**
 * The one place errors become HTTP responses. Pages get a GOV.UK error page, requests under /api/ get
 *
 *   { "error": { "status": 400, "code": "validation", "message": "...", "field": "from" } }
 *
 *   ValidationError, DocumentError, a Fastify 4xx (bad JSON, schema)   400 (or Fastify's own 4xx)
 *   NotFoundError, an unknown URL                                       404
 *   ConflictError                                                       409
 *   AuthenticationError (not signed in, no valid API token)             401
 *   PermissionError (signed in, but the role does not allow it)         403
 *   UnavailableError, a lost database connection (ECONNREFUSED, 57P01)  503 with Retry-After
 *   anything else: a bug                                                500, stack logged, never shown
 */

export interface HttpProblem {
  status: number;
  /** Stable, machine-readable: "validation", "not_found", "internal", ... */
  code: string;
  /** Safe to show: never a stack, never an internal detail. */
  message: string;
  /** The query parameter or form field at fault (its input's id on the page), when known. */
  field?: string;
}

const INTERNAL_MESSAGE = "Sorry, there is a problem with the service. Try again later.";
const UNAVAILABLE_MESSAGE = "Sorry, the service is unavailable. Try again later.";
/** Seconds a client (or a proxy) should wait before trying again after a 503: about a server restart. */
export const RETRY_AFTER_SECONDS = 10;

interface FastifyLikeError {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  validation?: { instancePath?: string; params?: Record<string, unknown> }[];
}

export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof ValidationError) {
    return {
      status: 400,
      code: error.code,
      message: error.message,
      ...(error.field && { field: error.field }),
    };
  }
  if (error instanceof DocumentError) return { status: 400, code: error.code, message: error.message };
  if (error instanceof NotFoundError) return { status: 404, code: error.code, message: error.message };
  if (error instanceof ConflictError) return { status: 409, code: error.code, message: error.message };
  if (error instanceof AuthenticationError) return { status: 401, code: error.code, message: error.message };
  if (error instanceof PermissionError) return { status: 403, code: error.code, message: error.message };
  if (error instanceof UnavailableError)
    return { status: 503, code: error.code, message: UNAVAILABLE_MESSAGE };
  if (error instanceof ResolvedError) return { status: 500, code: "internal", message: INTERNAL_MESSAGE };
  // A database failure that reached us without passing the storage layer's translation (a plugin's own query).
  if (isConnectionFailure(error)) return { status: 503, code: "unavailable", message: UNAVAILABLE_MESSAGE };

  // Fastify's own client errors (unparseable body, schema validation, unsupported media type, bad URL):
  // their messages describe the request, not our internals.
  const candidate = (typeof error === "object" && error !== null ? error : {}) as FastifyLikeError;
  const status = typeof candidate.statusCode === "number" ? candidate.statusCode : 500;
  if (candidate.code === "FST_ERR_BAD_URL") {
    return {
      status: 400,
      code: "bad_url",
      message: "The web address is not valid: check it for mistyped characters.",
    };
  }
  if (status >= 400 && status < 500) {
    const message =
      typeof candidate.message === "string" && candidate.message ? candidate.message : STATUS_CODES[status]!;
    if (candidate.validation) {
      const first = candidate.validation[0];
      const field =
        (typeof first?.params?.missingProperty === "string" && first.params.missingProperty) ||
        first?.instancePath?.replace(/^\//, "").split("/")[0] ||
        undefined;
      return { status: 400, code: "validation", message, ...(field && { field }) };
    }
    if (status === 404) return { status, code: "not_found", message };
    return { status, code: statusCode(status), message };
  }
  return { status: 500, code: "internal", message: INTERNAL_MESSAGE };
}

/** "Payload Too Large" → "payload_too_large". */
function statusCode(status: number): string {
  return (STATUS_CODES[status] ?? "error")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}

/** Requests whose errors are JSON: the API. /api/docs is a page. */
export function isApiRequest(request: FastifyRequest): boolean {
  const path = request.url.split("?", 1)[0]!;
  if (path === "/api/docs" || path.startsWith("/api/docs/")) return false;
  return path === "/api" || path.startsWith("/api/");
}

/** Renders a page to HTML; `lookups: false` when the database may be what failed. */
export type ErrorPageRenderer = (
  request: FastifyRequest,
  template: string,
  context: Record<string, unknown>,
  options: { lookups: boolean },
) => Promise<string>;

const PLAIN_500 = "Sorry, there is a problem with the service. Try again later.\n";

/** Where the error summary sends the reader: the form page, without the bad value, at the field's input. */
export function fieldHref(request: FastifyRequest, field: string): string | undefined {
  const url = new URL(request.url, "http://localhost");
  if (!url.searchParams.has(field)) return undefined;
  url.searchParams.delete(field);
  const query = url.searchParams.toString();
  return `${url.pathname}${query ? `?${query}` : ""}#${encodeURIComponent(field)}`;
}

export function createErrorResponder(render: ErrorPageRenderer) {
  async function sendProblem(
    request: FastifyRequest,
    reply: FastifyReply,
    problem: HttpProblem,
  ): Promise<FastifyReply> {
    applySecurityHeaders(request, reply);
    reply.code(problem.status).header("cache-control", "no-store");
    if (problem.status === 503) reply.header("retry-after", String(RETRY_AFTER_SECONDS));
    if (isApiRequest(request)) {
      return reply.type("application/json; charset=utf-8").send({ error: problem });
    }
    try {
      const html = await render(request, ...pageFor(request, problem));
      return reply.type("text/html; charset=utf-8").send(html);
    } catch (renderError) {
      request.log.error({ err: renderError }, "could not render the error page");
      return reply.code(500).type("text/plain; charset=utf-8").send(PLAIN_500);
    }
  }

  function pageFor(
    request: FastifyRequest,
    problem: HttpProblem,
  ): [string, Record<string, unknown>, { lookups: boolean }] {
    if (problem.status === 404) return ["errors/404.njk", { status: 404 }, { lookups: true }];
    if (problem.status >= 500) {
      return [
        "errors/500.njk",
        { status: problem.status, unavailable: problem.status === 503 },
        { lookups: false },
      ];
    }
    const href = problem.field ? fieldHref(request, problem.field) : undefined;
    return [
      "errors/400.njk",
      {
        status: problem.status,
        heading: problem.status === 400 ? undefined : STATUS_CODES[problem.status],
        errorList: [{ text: problem.message, ...(href && { href }) }],
      },
      { lookups: true },
    ];
  }

  return {
    /** For setErrorHandler and frameworkErrors: maps, logs (stack for 5xx only) and answers. */
    async handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      const problem = toHttpProblem(error);
      if (problem.status >= 500) {
        request.log.error(
          { err: error },
          problem.status === 503 ? "service unavailable" : "unexpected error",
        );
      } else {
        request.log.debug({ err: error }, "client error");
      }
      return sendProblem(request, reply, problem);
    },

    /** For setNotFoundHandler: an unknown URL. */
    async handleNotFound(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      const path = request.url.split("?", 1)[0]!;
      return sendProblem(request, reply, {
        status: 404,
        code: "not_found",
        message: `Nothing at ${request.method} ${path}`,
      });
    },
  };
}
