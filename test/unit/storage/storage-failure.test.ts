import { describe, expect, it } from "vitest";
import { describeError, isUserError } from "../../../src/cli/report-error.js";
import { UnavailableError } from "../../../src/domain/errors.js";
import { storageFailure, storageFailureKind } from "../../../src/storage/storage-failure.js";

/** Errors shaped as the drivers give them: pg and PGlite put the SQLSTATE in `code`, Node the errno name. */
function driverError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe("storage failures", () => {
  it.each([
    [driverError('could not extend file "base/5/16698": No space left on device', "53100"), "disk-full"],
    [driverError("could not write to file: No space left on device"), "disk-full"],
    [driverError("ENOSPC: no space left on device, write", "ENOSPC"), "disk-full"],
    [driverError("cannot execute INSERT in a read-only transaction", "25006"), "read-only"],
    [driverError("EROFS: read-only file system, open 'x'", "EROFS"), "read-only"],
    [driverError("terminating connection due to administrator command", "57P01"), "connection-lost"],
    [driverError("Connection terminated unexpectedly", "08006"), "connection-lost"],
    [driverError("invalid page in block 3 of relation base/5/16531", "XX001"), "damaged"],
  ])("%s is %s", (error, kind) => {
    expect(storageFailureKind(error)).toBe(kind);
  });

  it("leaves every other error alone: a constraint, a bug", () => {
    expect(storageFailureKind(driverError("duplicate key value", "23505"))).toBeUndefined();
    expect(storageFailureKind(new TypeError("x is undefined"))).toBeUndefined();
    expect(storageFailure(driverError("duplicate key value", "23505"), "kept")).toBeUndefined();
  });

  it("becomes one line saying what happened, what is kept and what to do; not a bug", () => {
    const error = driverError('could not extend file "base/5/16698": No space left on device', "53100");
    const stopped = storageFailure(error, "the files imported before it are kept");
    expect(stopped).toBeInstanceOf(UnavailableError);
    expect(stopped!.message).toBe(
      'Stopped: the disk holding the database is full (could not extend file "base/5/16698": No space left on ' +
        "device); the files imported before it are kept. Free some space, then run it again.",
    );
    expect(describeError(error)).not.toMatch(/bug|\n/);
    expect(describeError(error)).toMatch(/^Stopped: the disk holding the database is full/);
    expect(isUserError(error)).toBe(true);
  });
});
