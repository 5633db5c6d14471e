import { loadConfig, type Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import { openDatabase, type Database } from "./storage/database.js";
import { migrateToLatest } from "./storage/migrate.js";

/**
 * The composition root: configuration → logger → database (migrated). Adapters (CLI, web) open one
 * context and hand `database` to the services.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  database: Database;
  close(): Promise<void>;
}

export async function openContext(
  config: Config = loadConfig(),
  options: { logger?: Logger } = {},
): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config);
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  );
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) logger.info({ applied, database: database.location }, "database migrated");
  } catch (error) {
    await database.close();
    throw error;
  }
  return { config, logger, database, close: () => database.close() };
}
