import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

/** How long a buffered log line may wait before it is written. */
const BUFFERED_FLUSH_MS = 250;

/**
 * Structured logs to stderr (stdout is for command output); the database URL is never logged.
 *
 * `buffered` (the server): lines are gathered and written 4 KB at a time, or every quarter of a second,
 * instead of one write to stderr a line. With a line a response, one write a line cost a cached page about as
 * much CPU as sending the page (docs/benchmarks.md, issue 12). What is buffered is written when the process
 * exits, an uncaught error included (pino flushes on exit); only a kill -9 loses the last quarter second.
 */
export function createLogger(
  config: Pick<Config, "logLevel">,
  name = "resolved",
  options: { buffered?: boolean } = {},
): Logger {
  const destination = options.buffered
    ? pino.destination({ dest: 2, sync: false, minLength: 4096 })
    : pino.destination(2);
  if (options.buffered) setInterval(() => destination.flush(), BUFFERED_FLUSH_MS).unref();
  return pino(
    {
      name,
      level: config.logLevel,
      redact: {
        paths: ["databaseUrl", "*.databaseUrl", "req.headers.authorization", "req.headers.cookie"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
