import { UnavailableError } from "../domain/errors.js";
import { errorCode, errorMessage } from "./error-details.js";

/**
 * Failures of the database's storage rather than of the data: no room left, a read-only file system, the
 * connection lost. Every statement after one fails the same way, so a command stops at the first with one
 * line saying what happened, instead of blaming each document (or calling it a bug).
 */

/** SQLSTATEs: disk_full, out_of_memory-like shortage of resources, and a database that may not be written. */
const DISK_FULL = new Set(["53100", "ENOSPC"]);
const READ_ONLY = new Set(["25006", "EROFS"]);
/** connection_exception (08...), admin_shutdown, crash_shutdown, cannot_connect_now, and sockets closing. */
const CONNECTION_LOST = /^(08...|57P01|57P02|57P03|ECONNRESET|ECONNREFUSED|EPIPE)$/;

/** data_corrupted, index_corrupted: PostgreSQL found a damaged page. */
const DAMAGED = new Set(["XX001", "XX002"]);

export type StorageFailureKind = "disk-full" | "read-only" | "connection-lost" | "damaged";

export function storageFailureKind(error: unknown): StorageFailureKind | undefined {
  const code = errorCode(error);
  const message = errorMessage(error);
  if ((code && DISK_FULL.has(code)) || /no space left on device/i.test(message)) return "disk-full";
  if ((code && READ_ONLY.has(code)) || /read-only file system/i.test(message)) return "read-only";
  if (code && CONNECTION_LOST.test(code)) return "connection-lost";
  if (code && DAMAGED.has(code)) return "damaged";
  return undefined;
}

/**
 * The error to stop with when `error` is a storage failure (see above), else undefined. `committed` says what
 * is kept, e.g. "decisions imported before it are kept".
 */
export function storageFailure(error: unknown, committed: string): UnavailableError | undefined {
  if (error instanceof UnavailableError) return error;
  const kind = storageFailureKind(error);
  if (!kind) return undefined;
  const what =
    kind === "disk-full"
      ? "the disk holding the database is full"
      : kind === "read-only"
        ? "the database cannot be written to (a read-only file system or database)"
        : kind === "damaged"
          ? "the database's files are damaged"
          : "the connection to the database was lost";
  const next =
    kind === "disk-full"
      ? "free some space, then run it again"
      : kind === "read-only"
        ? "make it writable, then run it again"
        : kind === "damaged"
          ? "restore the register from a backup (resolved restore) into a new database"
          : "run it again once the database answers";
  return new UnavailableError(
    `Stopped: ${what} (${errorMessage(error)}); ${committed}. ${capitalised(next)}.`,
    {
      cause: error,
    },
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
