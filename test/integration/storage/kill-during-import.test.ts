import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKillSeries } from "../../../bench/faults/kill-import.js";
import { pgliteTarget, postgresTarget } from "../../../bench/faults/register-target.js";
import { writeDocuments } from "../../../bench/faults/write-documents.js";
import { ensureCliBuilt } from "../../support/built-cli.js";
import { testBackend, testDatabaseUrl } from "../backends.js";

/**
 * A small run of the kill -9 harness (bench/faults, `npm run bench -- faults` for the full one): the built CLI
 * imports 200 generated records into a register of its own (a PGlite data directory, or a new database on the
 * test server) and is killed with SIGKILL three times; after each kill `resolved audit verify` must reopen the
 * register (taking over the lock the killed process left) with the chains intact, and every record must be
 * whole or absent; the import run again must then complete it, originals equal to their files byte for byte.
 */

const backend = testBackend();
const RECORDS = 200;
let scratch: string;

beforeAll(async () => {
  await ensureCliBuilt();
  scratch = await mkdtemp(join(tmpdir(), "resolved-kill-import-"));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe(`kill -9 during resolved import (${backend})`, () => {
  it("leaves every record whole or absent, the register opens again, and a re-run completes it", async () => {
    const dir = join(scratch, "documents");
    const files = await writeDocuments(dir, RECORDS);
    const report = await runKillSeries({
      backend,
      dir,
      files,
      kills: 3,
      seed: 20261204,
      // On PGlite counted from when the process holds the lock; up to about when the import ends.
      minDelayMs: 200,
      maxDelayMs: 4000,
      armOnLock: true,
      newTarget: (cycle) =>
        backend === "pglite"
          ? pgliteTarget(scratch, `register-${cycle}`)
          : postgresTarget(testDatabaseUrl(), "resolved_test_kill"),
    });

    expect(report.failures).toEqual([]);
    expect(report.kills).toHaveLength(3);
    for (const kill of report.kills) {
      expect(kill.verified).toBe(true);
      expect(kill.state.problems).toEqual([]);
      expect(kill.lockReleased).toBe(true);
    }
    if (backend === "pglite") {
      // The killed process's lock was there each time, and audit verify took it over without anyone deleting it.
      expect(report.kills.map((kill) => kill.lock)).toEqual(Array(3).fill("left by the killed process"));
    }
    const last = report.cycles.at(-1)!;
    expect(last.verified).toBe(true);
    expect(last.state.problems).toEqual([]);
    expect(last.state.decisions).toBe(RECORDS);
    expect(last.state.comparedByteForByte).toBe(RECORDS);
  }, 180_000);
});
