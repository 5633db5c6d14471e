import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { loadConfig } from "../../../src/config.js";
import type { Database } from "../../../src/storage/database.js";
import { createApp } from "../../../src/web/create-app.js";

/** The site on `database`, ready for `inject`, with default configuration, no logs and its clock pinned by `now`. */
export async function startTestApp(database: Database, now: () => Date): Promise<FastifyInstance> {
  const app = await createApp({ database, config: loadConfig({}), logger: pino({ level: "silent" }), now });
  await app.ready();
  return app;
}
