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
