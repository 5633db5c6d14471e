/**
 * Typed domain errors. Adapters (CLI, web) map these once to exit codes / HTTP statuses;
 * anything that is not a ResolvedError is a bug and is reported as such.
 */
export abstract class ResolvedError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that cannot be accepted: a field, a flag, a form value. */
export class ValidationError extends ResolvedError {
  readonly code = "validation";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * A document that cannot be read (a decision record, a CSV file). `line` is 1-based, when known; `column` too
 * (for a CSV file, the field's position in its row).
 */
export class DocumentError extends ResolvedError {
  readonly code = "document";
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

export class NotFoundError extends ResolvedError {
  readonly code = "not_found";
}

export class ConflictError extends ResolvedError {
  readonly code = "conflict";
}

/** A dependency we need (the database, a file) is not there or does not answer. */
export class UnavailableError extends ResolvedError {
  readonly code = "unavailable";
}

/** Who is asking is not known: not signed in, or a missing, revoked or unknown API token. */
export class AuthenticationError extends ResolvedError {
  readonly code = "unauthenticated";
}

/** Who is asking is known, but their roles do not allow this. */
export class PermissionError extends ResolvedError {
  readonly code = "forbidden";
}
