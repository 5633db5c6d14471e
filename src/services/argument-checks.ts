import { NotFoundError, ValidationError } from "../domain/errors.js";

/** Checks on the arguments services are given, one wording for every adapter. */

export function assertAt(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new ValidationError("the instant must be a valid date and time", "at");
  }
}

export function checkCount(value: number | undefined, field: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(`must be a whole number of at least ${min} (got ${String(value)})`, field);
  }
}

/** An id that cannot be in the table (not a positive 32-bit integer) names nothing: NotFoundError. */
export function checkId(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new NotFoundError(`no ${what} ${String(value)}`);
  }
}

export function checkPaging(limit: number | undefined, offset: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new ValidationError(`must be a whole number of at least 1 (got ${String(limit)})`, "limit");
  }
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) {
    throw new ValidationError(`must be a whole number of at least 0 (got ${String(offset)})`, "offset");
  }
}
