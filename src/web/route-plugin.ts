import type { FastifyPluginAsync } from "fastify";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { RegisterChanges } from "../services/register/index.js";
import type { Database } from "../storage/database.js";

/** What every route plugin is given: build services from these, not from globals. */
export interface RouteDeps {
  database: Database;
  config: Config;
  logger: Logger;
  /** The clock: use it instead of `new Date()` so tests can pin "today". */
  now: () => Date;
  /** Whether the register has changed, from memory: what caches of pages key their entries with. */
  registerChanges: RegisterChanges;
}

/**
 * A feature's routes: `export const meetingRoutes: RoutePlugin = async (app, deps) => { app.get(...) }`, in
 * the feature's folder (src/web/meetings/meeting-routes.ts) beside its templates. Handlers render with
 * `return reply.view("meetings/meeting.njk", { ... })` and throw ValidationError / NotFoundError for the error
 * pages (src/web/errors/error-pages.ts).
 */
export type RoutePlugin = FastifyPluginAsync<RouteDeps>;
