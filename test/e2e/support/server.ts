import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { loadConfig, type Config } from "../../../src/config.js";
import { openDatabase, type Database } from "../../../src/storage/database.js";
import { migrateToLatest } from "../../../src/storage/migrate.js";
import { createApp } from "../../../src/web/create-app.js";

export interface TestServer {
  /** "http://127.0.0.1:PORT", no trailing slash. */
  baseUrl: string;
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/**
 * The real server (createApp + listen) on 127.0.0.1 and a free port, on an empty, migrated PGlite in memory.
 * `setup` may add data or test-only routes before it listens.
 */
export async function startTestServer(
  options: {
    config?: Partial<Config>;
    now?: () => Date;
    setup?: (app: FastifyInstance, database: Database) => Promise<void> | void;
  } = {},
): Promise<TestServer> {
  const database = await openDatabase({ inMemory: true });
  let app: FastifyInstance | undefined;
  try {
    await migrateToLatest(database);
    const config = { ...loadConfig({}), ...options.config };
    const logger = pino({ level: process.env.RESOLVED_E2E_LOG_LEVEL?.trim() || "silent" });
    app = await createApp({ database, config, logger, ...(options.now && { now: options.now }) });
    await options.setup?.(app, database);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const started = app;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      app: started,
      database,
      async close() {
        try {
          await started.close();
        } finally {
          await database.close();
        }
      },
    };
  } catch (error) {
    await app?.close();
    await database.close();
    throw error;
  }
}

/** One server for the test file (beforeAll/afterAll). */
export function useTestServer(options: Parameters<typeof startTestServer>[0] = {}) {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  const get = (): TestServer => {
    if (!server) throw new Error("The test server is not started yet: use it inside tests or hooks");
    return server;
  };
  return {
    get baseUrl(): string {
      return get().baseUrl;
    },
    get database(): Database {
      return get().database;
    },
    /** An absolute URL for a path on the server. */
    url: (path: string): string => `${get().baseUrl}${path}`,
  };
}
