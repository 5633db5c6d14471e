import type { Command } from "commander";
import { loadConfig, type Config } from "../config.js";
import { openContext, type AppContext } from "../context.js";
import { ValidationError } from "../domain/errors.js";
import { createLogger } from "../logger.js";
import { refreshInBackground, startBackupSchedule } from "../services/register/index.js";
import { deleteExpiredSessions } from "../services/sessions/index.js";
import { createApp } from "../web/create-app.js";
import type { CliIo } from "./cli-io.js";
import { describeError, isUserError } from "./report-error.js";

export interface ServeCommandOptions {
  /**
   * Runs once the database is open and migrated, before the server listens: e.g. "import the example
   * records when the register is empty". An error stops the start-up.
   */
  onFirstStart?: (context: AppContext) => Promise<void>;
  /** Resolves when the server should stop; default: the first SIGINT or SIGTERM. Tests pass their own. */
  stopSignal?: () => Promise<void>;
}

/** How often `serve` deletes expired sessions. */
const SESSION_SWEEP_MS = 60 * 60_000;

/**
 * `resolved serve`: the website and API on config.host:config.port (HOST, PORT; DATABASE_URL or
 * RESOLVED_DATA_DIR for the data), until SIGINT or SIGTERM, then a clean close.
 */
export function registerServeCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  options: ServeCommandOptions = {},
): void {
  program
    .command("serve")
    .description("serve the register (website and API) at http://HOST:PORT until stopped (Ctrl-C)")
    .option("--port <port>", "port to listen on (default: PORT, else 3000; 0 picks a free one)")
    .option("--host <host>", "address to listen on (default: HOST, else localhost)")
    .action(async (flags: { port?: string; host?: string }) =>
      setExitCode(await serveCommand(flags, io, options)),
    );
}

export async function serveCommand(
  flags: { port?: string; host?: string },
  io: CliIo,
  options: ServeCommandOptions = {},
): Promise<number> {
  let context: AppContext | undefined;
  try {
    const config = withFlags(loadConfig(), flags);
    const logger = createLogger(config, "resolved", { buffered: true });
    context = await openContext(config, { logger });
    if (options.onFirstStart) await options.onFirstStart(context);

    const app = await createApp({ database: context.database, config, logger });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await app.close();
      throw listenError(error, config);
    }
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = `http://${urlHost(config.host)}:${port}`;
    logger.info({ url, database: context.database.location }, `Resolved is serving the register at ${url}`);
    const refreshing = refreshInBackground(context.database, (error) =>
      logger.warn({ err: error }, "could not derive the status timelines at start-up; searches will retry"),
    );

    // Expired sessions are refused when read; this only keeps their table small.
    const database = context.database;
    const sweep = setInterval(() => {
      deleteExpiredSessions(database.db, new Date()).catch((error: unknown) =>
        logger.warn({ err: error }, "could not delete expired sessions"),
      );
    }, SESSION_SWEEP_MS);
    sweep.unref();

    // Several processes may share the database: each arms the schedule, one takes each backup (a claim row).
    const backups = config.backupSchedule
      ? startBackupSchedule(database, config.backupSchedule, {
          dir: config.backupDir,
          keep: config.backupKeep,
          log: logger,
        })
      : undefined;

    await (options.stopSignal ?? untilSignal)();
    logger.info("stopping");
    clearInterval(sweep);
    await backups?.stop();
    await app.close();
    await refreshing;
    return 0;
  } catch (error) {
    io.stderr(`resolved: ${describeError(error)}\n`);
    return isUserError(error) ? 1 : 2;
  } finally {
    await context?.close();
  }
}

function withFlags(config: Config, flags: { port?: string; host?: string }): Config {
  const result = { ...config };
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port > 65535) {
      throw new ValidationError(
        `--port must be a whole number from 0 to 65535, not "${flags.port}"`,
        "--port",
      );
    }
    result.port = port;
  }
  if (flags.host !== undefined) {
    if (flags.host.trim() === "") throw new ValidationError("--host must not be empty", "--host");
    result.host = flags.host.trim();
  }
  return result;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

function listenError(error: unknown, config: Config): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${config.host}:${config.port}`;
  if (code === "EADDRINUSE") {
    return new ValidationError(
      `Cannot listen on ${where}: the port is in use. Stop the other server or set PORT.`,
      "PORT",
    );
  }
  if (code === "EACCES") {
    return new ValidationError(
      `Cannot listen on ${where}: permission denied. Use a port above 1023 (PORT).`,
      "PORT",
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new ValidationError(
      `Cannot listen on ${where}: no such address on this machine. Check HOST.`,
      "HOST",
    );
  }
  return error;
}

/** The first SIGINT or SIGTERM; a second one while closing ends the process at once. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once(signal, () => process.exit(signal === "SIGINT" ? 130 : 143));
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
