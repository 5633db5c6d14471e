import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

/** Structured logs to stderr (stdout is for command output); the database URL is never logged. */
export function createLogger(config: Pick<Config, "logLevel">, name = "resolved"): Logger {
  return pino(
    {
      name,
      level: config.logLevel,
      redact: {
        paths: ["databaseUrl", "*.databaseUrl", "req.headers.authorization", "req.headers.cookie"],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}
