import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../storage/database.js";
import { apiRoutes } from "./api.js";
import { feedRoutes } from "./feeds.js";
import { healthRoutes } from "./health.js";
import { pageRoutes } from "./pages/index.js";

/** What every route plugin is given: build services from these, not from globals. */
export interface RouteDeps {
  database: Database;
  config: Config;
  logger: Logger;
  /** The clock: use it instead of `new Date()` so tests can pin "today". */
  now: () => Date;
}

/**
 * A feature's routes: `export const decisionRoutes: RoutePlugin = async (app, deps) => { app.get(...) }`.
 * Handlers render with `return reply.view("decisions/index.njk", { ... })` and throw ValidationError /
 * NotFoundError for the error pages (src/web/errors.ts).
 */
export type RoutePlugin = FastifyPluginAsync<RouteDeps>;

/** The single place feature routes are registered, in this order. */
export async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  // Probes first: /ping and /health.
  await app.register(healthRoutes, deps);

  // Pages (server-rendered, src/web/views/<feature>/), one plugin per feature folder, e.g.
  //   await app.register(homeRoutes, deps);       // "/"
  //   await app.register(decisionRoutes, deps);   // "/decisions", "/decisions/:id"
  //   await app.register(meetingRoutes, deps);    // "/meetings", "/meetings/:id"
  //   await app.register(bodyRoutes, deps);       // "/bodies/:slug"
  //   await app.register(councilRoutes, deps);    // "/councils/:slug"
  // Pages are added below this line.
  await app.register(pageRoutes, deps);

  // Open data: the JSON API (errors answered in JSON under /api/) and its docs page (/api/docs), e.g.
  //   await app.register(apiRoutes, { ...deps, prefix: "/api/v1" });
  // API routes are added below this line.
  await app.register(apiRoutes, deps); // /api/v1/..., /api/openapi.json, /api/docs, /decisions/:id/original

  // Feeds (Atom/RSS, CSV), e.g.
  //   await app.register(feedRoutes, deps);
  // Feed routes are added below this line.
  await app.register(feedRoutes, deps); // /decisions.atom, .csv, .jsonl, /call-in.ics
}
