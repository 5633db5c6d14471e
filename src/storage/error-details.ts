/** What an error from a driver or the file system says, whatever shape it comes in. */

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code !== "") return code;
  // Node's dual-stack connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = errorCode(inner);
      if (innerCode) return innerCode;
    }
  }
  if (/timeout/i.test(errorMessage(error))) return "TIMEOUT";
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined ? undefined : errorCode(cause);
}

export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.message === "" && error.errors.length > 0) {
    return errorMessage(error.errors[0]);
  }
  return error instanceof Error ? error.message : String(error);
}

/** Network failures and the server's SQLSTATEs meaning "not now": the server is down, restarting or full. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "TIMEOUT",
  "57P01", // admin_shutdown: pg_ctl stop -m fast, or the session was terminated
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "53300", // too_many_connections
]);

/** What pg says when the socket under a client went away, or a client that lost it is used again. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|terminating connection/i;

/**
 * Whether `error` says the database server cannot be reached right now (rather than that a query is wrong): what
 * becomes UnavailableError, 503 on the web, and goes away by itself once the server is back.
 */
export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith("08"))) return true;
  return CONNECTION_MESSAGES.test(errorMessage(error));
}
