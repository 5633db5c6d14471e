import { DocumentError, ResolvedError, ValidationError } from "../domain/errors.js";
import { storageFailure, storageFailureKind } from "../storage/storage-failure.js";

/**
 * The one place errors become CLI output: `FILE:LINE: what is wrong` (or FILE:LINE:COLUMN:) for a document, a plain message
 * for other user mistakes, and for a bug a short message (the stack only with RESOLVED_DEBUG=1).
 */
export function describeError(error: unknown, file?: string): string {
  if (error instanceof DocumentError) {
    const at =
      error.line !== undefined ? `:${error.line}${error.column !== undefined ? `:${error.column}` : ""}` : "";
    const where = file ? `${file}${at}: ` : "";
    return `${where}${error.message}`;
  }
  if (error instanceof ValidationError) {
    const where = file ? `${file}: ` : "";
    // Messages often start with their field already ("period: ..."): say it once.
    const named = error.field && !error.message.startsWith(`${error.field}:`) ? `${error.field}: ` : "";
    return `${where}${named}${error.message}`;
  }
  if (error instanceof ResolvedError) return `${file ? `${file}: ` : ""}${error.message}`;
  // A full disk, a read-only or damaged database, a lost connection: not a bug, and not the file's fault.
  const storage = storageFailure(error, "what was stored before is kept");
  if (storage) return `${file ? `${file}: ` : ""}${storage.message}`;
  const detail = process.env.RESOLVED_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : "";
  const message = error instanceof Error ? error.message : String(error);
  return `${file ? `${file}: ` : ""}unexpected error: ${message} (this is a bug in Resolved; run again with RESOLVED_DEBUG=1 and report what it prints)${detail}`;
}

export function isUserError(error: unknown): boolean {
  return error instanceof ResolvedError || storageFailureKind(error) !== undefined;
}
