import { sql } from "kysely";
import { RETRY_AFTER_SECONDS } from "../errors/error-pages.js";
import type { RoutePlugin } from "../route-plugin.js";

const HEALTH_TIMEOUT_MS = 3_000;

/**
 * Probes for load balancers and monitoring, quiet in the logs (warn level):
 *   GET /ping    200 "pong": the process answers
 *   GET /health  200 { status: "ok", database: "reachable" } after `select 1`;
 *                503 { status: "unavailable", database: "unreachable" } when the database does not answer
 *                within 3 s (the reason is logged, never returned)
 */
export const healthRoutes: RoutePlugin = async (app, deps) => {
  app.get("/ping", { logLevel: "warn" }, async (_request, reply) =>
    reply.header("cache-control", "no-store").type("text/plain; charset=utf-8").send("pong"),
  );

  app.get("/health", { logLevel: "warn" }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    let timer: NodeJS.Timeout | undefined;
    try {
      if (deps.database.closed) throw new Error("the database has been closed");
      await Promise.race([
        sql`select 1`.execute(deps.database.db),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)),
            HEALTH_TIMEOUT_MS,
          );
        }),
      ]);
      return reply.send({ status: "ok", database: "reachable" });
    } catch (error) {
      request.log.error({ err: error }, "health check: the database does not answer");
      return reply
        .code(503)
        .header("retry-after", String(RETRY_AFTER_SECONDS))
        .send({ status: "unavailable", database: "unreachable" });
    } finally {
      clearTimeout(timer);
    }
  });
};
