import { userInfo } from "node:os";
import { loadConfig, type Config } from "../config.js";
import { openContext, type AppContext } from "../context.js";
import { createLogger } from "../logger.js";
import type { CliIo } from "./cli-io.js";
import { describeError, isUserError } from "./report-error.js";

/**
 * Runs a command that needs the register: opens the database (migrating it), runs, closes, and maps
 * any error to one line on stderr and exit status 1 (2 for a bug). Logs below "warn" stay quiet on a terminal.
 */
export async function withContext(
  io: CliIo,
  run: (context: AppContext) => Promise<number>,
  configOverrides: Partial<Config> = {},
): Promise<number> {
  let context: AppContext | null = null;
  try {
    const config = { ...loadConfig(), ...configOverrides };
    const logger = createLogger({ logLevel: process.env.LOG_LEVEL ? config.logLevel : "warn" });
    context = await openContext(config, { logger });
    return await run(context);
  } catch (error) {
    io.stderr(`resolved: ${describeError(error)}\n`);
    return isUserError(error) ? 1 : 2;
  } finally {
    await context?.close();
  }
}

/** Who the audit log records for CLI actions. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return "cli";
  }
}
