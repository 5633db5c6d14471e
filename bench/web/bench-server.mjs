// @ts-check
import fastifyStatic from "@fastify/static";
import { loadConfig } from "../../dist/config.js";
import { openContext } from "../../dist/context.js";
import { createLogger } from "../../dist/logger.js";
import { declareAccess } from "../../dist/web/auth/access.js";
import { createApp } from "../../dist/web/create-app.js";

/**
 * The server bench/web measures, in a process of its own, from the build (dist/, as `npm start` runs it, so no
 * TypeScript loader adds to its memory): the register's app exactly as `resolved serve` builds it
 * (configuration from the environment: RESOLVED_DATA_DIR, LOG_LEVEL), listening on 127.0.0.1 on a free port,
 * plus one extra route, /bench-static/*, that serves the files in the folder given as the first argument with
 * @fastify/static (the plugin the app serves its own assets with): the "same bytes as a static file by the same
 * server" the decision pages are compared with. Tells the parent its port over IPC, and stops on SIGTERM.
 */

const staticDir = process.argv[2];
if (!staticDir) throw new Error("usage: bench-server.mjs STATIC_DIR");

const config = { ...loadConfig(), host: "127.0.0.1", port: 0 };
const logger = createLogger(config, "resolved", { buffered: true });
const context = await openContext(config, { logger });
const app = await createApp({ database: context.database, config, logger });
await app.register(async (scope) => {
  // Every route declares who may use it (src/web/auth): these files are public.
  declareAccess(scope, "public");
  await scope.register(fastifyStatic, { root: staticDir, prefix: "/bench-static/", decorateReply: false });
});
await app.listen({ host: config.host, port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === "object" && address ? address.port : 0 });

process.once("SIGTERM", () => {
  void app
    .close()
    .then(() => context.close())
    .then(() => process.exit(0));
});
