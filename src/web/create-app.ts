import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { getCouncil } from "../services/councils/index.js";
import { watchRegisterChanges, type RegisterChanges } from "../services/register/index.js";
import type { Database } from "../storage/database.js";
import { createErrorResponder } from "./errors/error-pages.js";
import { declareAccess } from "./auth/access.js";
import { registerAuth } from "./auth/auth-plugin.js";
import type { RouteDeps } from "./route-plugin.js";
import { registerRoutes } from "./routes.js";
import { applySecurityHeaders } from "./server/security-headers.js";
import {
  answerClientError,
  SERVER_TIMEOUTS,
  serverTimeoutOptions,
  type ServerTimeouts,
} from "./server/server-limits.js";
import { ResponseLog } from "./server/request-log.js";
import { registerStaticAssets, type AssetUrl } from "./server/static-assets.js";
import { createViewEnvironment, GOVUK_FRONTEND_VERSION } from "./server/view-environment.js";

/** What a template is given, on top of the globals (see `renderPage`). */
export type ViewContext = Record<string, unknown>;

declare module "fastify" {
  interface FastifyRequest {
    /** This request's CSP nonce: the only way an inline script may run (templates get it as cspNonce). */
    cspNonce: string;
  }
  interface FastifyReply {
    /**
     * Renders `template` (a path under src/web, e.g. "meetings/meeting.njk") with `context` and
     * sends it as HTML. In a handler: `return reply.view("decisions/index.njk", { decisions })`.
     */
    view(template: string, context?: ViewContext): Promise<FastifyReply>;
    /** Renders `template` as `view` would, and returns the HTML instead of sending it. */
    renderView(template: string, context?: ViewContext): Promise<string>;
  }
}

export interface AppDeps {
  database: Database;
  config: Config;
  logger: Logger;
  /** The clock (tests pin it); default `() => new Date()`. */
  now?: () => Date;
  /** How long slow clients are waited for; default SERVER_TIMEOUTS (tests shorten them). */
  timeouts?: Partial<ServerTimeouts>;
}

export const SERVICE_NAME = "Resolved";
const COUNCIL_NAME_TTL_MS = 60_000;
const COUNCIL_LOOKUP_TIMEOUT_MS = 1_000;

/**
 * Builds the website and API (not listening: `app.listen` or `app.inject`). Tests may add routes to the
 * returned instance before the first request.
 */
export async function createApp(deps: AppDeps): Promise<FastifyInstance> {
  // Listening for changes to the register (in this process or any other on the same server) lets cached pages
  // be served without asking the database; while it cannot listen, the caches ask the database instead.
  const registerChanges = await watchRegisterChanges(deps.database, {
    onError: (error) =>
      deps.logger.warn(
        { err: error },
        "not hearing of changes to the register: cached pages are checked against the database until it is heard again",
      ),
  });
  const routeDeps: RouteDeps = {
    database: deps.database,
    config: deps.config,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    registerChanges,
  };

  const app = Fastify({
    // Behind a proxy that terminates HTTPS (RESOLVED_TRUST_PROXY): the client's address and scheme from it.
    trustProxy: deps.config.trustProxy,
    // Typed as Fastify's logger interface so the instance is the plain FastifyInstance routes expect.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Slow clients (slowloris) are cut off; what Node's parser refuses gets the security headers too.
    ...serverTimeoutOptions({ ...SERVER_TIMEOUTS, ...deps.timeouts }),
    clientErrorHandler: answerClientError,
    // One line a response, not two a request: see request-log.ts.
    logController: new ResponseLog(),
    // Errors Fastify finds before routing (a malformed URL) go through the same error pages.
    frameworkErrors: (error, request, reply) => {
      void errors.handleError(error, request, reply);
    },
  });
  app.addHook("onClose", () => registerChanges.close());

  // Every response, pages, API, assets and errors alike, gets the security headers and a fresh nonce.
  app.decorateRequest("cspNonce", "");
  app.addHook("onRequest", async (request, reply) => {
    applySecurityHeaders(request, reply);
  });

  // Sessions, CSRF and every route's declared access, before any route is added (see src/web/auth).
  await registerAuth(app, routeDeps);

  // Static assets are public; registered in a scope of their own so that they say so.
  let staticUrl: AssetUrl = (path) => path;
  await app.register(async (scope) => {
    declareAccess(scope, "public");
    staticUrl = await registerStaticAssets(scope);
  });
  const views = createViewEnvironment({
    globals: { serviceName: SERVICE_NAME, staticUrl, govukFrontendVersion: GOVUK_FRONTEND_VERSION },
  });

  const councilName = cachedCouncilName(deps, registerChanges);

  /** Renders a page: the handler's context over the per-request values every layout needs. */
  async function renderPage(
    request: FastifyRequest,
    template: string,
    context: ViewContext,
    options: { lookups: boolean } = { lookups: true },
  ): Promise<string> {
    const base: ViewContext = {
      cspNonce: request.cspNonce,
      currentPath: request.url.split("?", 1)[0],
      councilName: options.lookups ? await councilName.get() : councilName.cached(),
    };
    return views.render(template, { ...base, ...context });
  }

  app.decorateReply("view", async function (this: FastifyReply, template: string, context: ViewContext = {}) {
    const html = await renderPage(this.request, template, context);
    return this.type("text/html; charset=utf-8").send(html);
  });
  app.decorateReply("renderView", function (this: FastifyReply, template: string, context: ViewContext = {}) {
    return renderPage(this.request, template, context);
  });

  const errors = createErrorResponder(renderPage);
  app.setErrorHandler((error, request, reply) => errors.handleError(error, request, reply));
  app.setNotFoundHandler((request, reply) => errors.handleNotFound(request, reply));

  await registerRoutes(app, routeDeps);
  return app;
}

/**
 * The default council's name for page titles and the header ("Decisions – Resolved – Stockton-on-Tees
 * Borough Council"). Looked up at most once a minute, and again after the register changes (a renamed council
 * shows at once on pages rendered after it); until the register has that council, no name. A failed or slow
 * lookup never fails the page.
 */
function cachedCouncilName(deps: AppDeps, registerChanges: RegisterChanges) {
  let value: string | undefined;
  let fetchedAt = -Infinity;
  let pending: Promise<string | undefined> | undefined;
  registerChanges.onChange(() => (fetchedAt = -Infinity));

  async function lookup(): Promise<string | undefined> {
    try {
      const council = await getCouncil(deps.database.db, deps.config.defaultCouncil);
      value = council.name;
      fetchedAt = Date.now();
    } catch {
      // No such council yet, or the database does not answer: the pages do without the name.
    }
    return value;
  }

  return {
    cached: (): string | undefined => value,
    async get(): Promise<string | undefined> {
      if (Date.now() - fetchedAt < COUNCIL_NAME_TTL_MS || deps.database.closed) return value;
      pending ??= lookup().finally(() => (pending = undefined));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string | undefined>((resolve) => {
        timer = setTimeout(() => resolve(value), COUNCIL_LOOKUP_TIMEOUT_MS);
        timer.unref();
      });
      try {
        return await Promise.race([pending, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
