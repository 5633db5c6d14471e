import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseBackupSchedule } from "../../../src/domain/backup-schedule.js";
import { DocumentError } from "../../../src/domain/errors.js";
import { verifyAuditChain } from "../../../src/services/audit/index.js";
import { importFiles } from "../../../src/services/import/index.js";
import {
  backupLines,
  exportRegister,
  restoreRegister,
  startBackupSchedule,
  takeBackup,
  takeScheduledBackup,
  verifyBackup,
  type BackupLog,
} from "../../../src/services/register/index.js";
import { createTestDatabase, useTestDatabase, type TestDatabase } from "../backends.js";

/**
 * Backups on the run's backend: a backup restores into a fresh database as the same register; a damaged,
 * cut-short or re-checksummed file is refused with nothing written; rotation keeps N and nothing else; two
 * schedulers take one backup per instant; a backup taken while imports run is one consistent snapshot.
 */

const t = useTestDatabase();
let target: TestDatabase;
let dir: string;
const actor = "test";
const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

beforeAll(async () => {
  target = await createTestDatabase();
});
afterAll(async () => {
  await target?.close();
});
beforeEach(async () => {
  await target.resetDatabase();
  dir = await mkdtemp(join(tmpdir(), "resolved-backup-test-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportLines(database: TestDatabase["database"]): Promise<string[]> {
  const lines: string[] = [];
  await exportRegister(database, (line) => void lines.push(line));
  return lines;
}

/** Everything but the header (whose exportedAt differs). */
const body = (lines: string[]) => lines.slice(1);

async function importFixtures(kinds = ["text", "pdf", "docx", "html"]): Promise<void> {
  const results = await importFiles(
    t.database,
    kinds.map((kind) => fixtures + kind),
    { actor },
  );
  expect(results.every((r) => r.result?.outcome === "imported")).toBe(true);
}

async function targetIsEmpty(): Promise<boolean> {
  const lines = await exportLines(target.database);
  const rows = JSON.parse(lines[0]!).rows as Record<string, number>;
  return lines.length === 1 && Object.values(rows).every((n) => n === 0);
}

async function refusal(promise: Promise<unknown>): Promise<DocumentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  return error as DocumentError;
}

/** Restores a file as `resolved restore` does: verified whole first, then loaded. */
async function restoreFile(file: string): Promise<void> {
  await verifyBackup(file, "nothing was restored");
  await restoreRegister(target.database, backupLines(file), actor);
}

/** A backup file's lines, changed by `edit`, gzipped again (with no .sha256 beside it). */
async function rewrite(file: string, edit: (lines: string[]) => string[]): Promise<string> {
  const lines = gunzipSync(await readFile(file))
    .toString("utf8")
    .trimEnd()
    .split("\n");
  const changed = join(dir, "changed.jsonl.gz");
  await writeFile(changed, gzipSync(edit(lines).join("\n") + "\n"));
  return changed;
}

/** The trailer recomputed for edited lines: a file whose checksums are right for what it holds. */
function withFreshTrailer(lines: string[]): string[] {
  const trailer = JSON.parse(lines[lines.length - 1]!);
  const rows = lines.slice(1, -1);
  for (const name of Object.keys(trailer.tables)) {
    const hash = createHash("sha256");
    for (const line of rows.filter((l) => JSON.parse(l).table === name)) hash.update(line + "\n");
    trailer.tables[name].sha256 = hash.digest("hex");
  }
  return [...lines.slice(0, -1), JSON.stringify(trailer)];
}

describe("resolved backup (service)", () => {
  it("restores into a fresh database as the same register, checksums verified", async () => {
    await importFixtures();
    const before = await exportLines(t.database);
    const backup = await takeBackup(t.database, { dir, keep: 14 });

    expect(backup.file).toMatch(/resolved-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.jsonl\.gz$/);
    expect(await readFile(backup.file + ".sha256", "utf8")).toBe(
      `${createHash("sha256")
        .update(await readFile(backup.file))
        .digest("hex")}  ${backup.file.split("/").pop()}\n`,
    );
    expect(backup.rows.decision).toBeGreaterThan(5);
    // Only the backup and its checksum: no temporary file left.
    expect((await readdir(dir)).length).toBe(2);

    const verified = await verifyBackup(backup.file);
    expect(verified).toMatchObject({ checksums: true, fileChecksum: true });

    await restoreFile(backup.file);
    expect(body(await exportLines(target.database))).toEqual(body(before));
    expect((await verifyAuditChain(target.database)).ok).toBe(true);
  });

  it("refuses a flipped byte, a cut-short file and wrong checksums, writing nothing", async () => {
    await importFixtures(["text"]);
    const { file } = await takeBackup(t.database, { dir, keep: 14 });
    const bytes = await readFile(file);

    // One byte flipped: the .sha256 says so first.
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    const flippedFile = join(dir, "flipped.jsonl.gz");
    await writeFile(flippedFile, flipped);
    await writeFile(flippedFile + ".sha256", await readFile(file + ".sha256"));
    expect((await refusal(restoreFile(flippedFile))).message).toMatch(/SHA-256 .* \(the file is damaged\)/);
    // Without its .sha256, gzip's own check finds it, or before it the line the flip garbled.
    await rm(flippedFile + ".sha256");
    expect((await refusal(restoreFile(flippedFile))).message).toMatch(
      /gzip file is damaged|not valid JSON|do not match their checksum/,
    );

    // Cut short: in the middle of the gzip stream, and at a line boundary (gzipped whole again).
    const cutFile = join(dir, "cut.jsonl.gz");
    await writeFile(cutFile, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    expect((await refusal(restoreFile(cutFile))).message).toMatch(/gzip file is cut short/);
    const noTrailer = await rewrite(file, (lines) => lines.slice(0, -1));
    expect((await refusal(restoreRegister(target.database, backupLines(noTrailer), actor))).message).toMatch(
      /^the checksums trailer that the header announces is missing \(was the file cut short\?\); nothing was restored$/,
    );
    const lastRows = await rewrite(file, (lines) => [...lines.slice(0, -3), lines[lines.length - 1]!]);
    expect((await refusal(restoreFile(lastRows))).message).toMatch(/the export is incomplete/);

    // A row changed (still valid) but the trailer left as it was: the checksum of its table.
    const changedRow = await rewrite(file, (lines) =>
      lines.map((line) =>
        line.includes('"table":"decision"') ? line.replace(/"title":"/, '"title":"Amended: ') : line,
      ),
    );
    const error = await refusal(restoreFile(changedRow));
    expect(error.message).toMatch(/^the rows of decision do not match their checksum in the trailer/);
    // The header changed: its own checksum.
    const changedHeader = await rewrite(file, (lines) => [
      lines[0]!.replace(/"exportedAt":"\d{4}/, '"exportedAt":"1999'),
      ...lines.slice(1),
    ]);
    expect((await refusal(restoreFile(changedHeader))).message).toMatch(/header line does not match/);
    // A wrong checksum in the trailer.
    const wrongChecksum = await rewrite(file, (lines) => {
      const trailer = JSON.parse(lines[lines.length - 1]!);
      trailer.tables.council.sha256 = "0".repeat(64);
      return [...lines.slice(0, -1), JSON.stringify(trailer)];
    });
    expect((await refusal(restoreFile(wrongChecksum))).message).toMatch(/rows of council do not match/);

    expect(await targetIsEmpty()).toBe(true);
  });

  it("rolls the restore back when the loaded tables read back differently from the checksums", async () => {
    await importFixtures(["text"]);
    const { file } = await takeBackup(t.database, { dir, keep: 14 });
    // The same instant written with +00:00: valid, and right for a trailer recomputed over it, but the register
    // gives it back as …Z, so the tables read back do not match the file's checksums.
    const instant = /"([a-z_]+_at)":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})Z"/;
    let table = "";
    const sameInstant = await rewrite(file, (lines) => {
      const n = lines.findIndex((l, i) => i > 0 && instant.test(l));
      table = JSON.parse(lines[n]!).table as string;
      lines[n] = lines[n]!.replace(instant, '"$1":"$2+00:00"');
      return withFreshTrailer(lines);
    });
    expect(table).not.toBe("");
    await verifyBackup(sameInstant);
    const error = await refusal(restoreRegister(target.database, backupLines(sameInstant), actor));
    expect(error.message).toBe(
      `after loading, ${table} reads back differently from the file (its checksum does not match); nothing was restored`,
    );
    expect(await targetIsEmpty()).toBe(true);
  });

  it("keeps the newest N backups and touches nothing else", async () => {
    const old = [
      "resolved-backup-2026-01-01T02-30-00Z.jsonl.gz",
      "resolved-backup-2026-01-02T02-30-00Z.jsonl.gz",
      "resolved-backup-2026-01-03T02-30-00Z.jsonl.gz",
      "resolved-backup-2026-01-03T02-30-00Z-2.jsonl.gz",
    ];
    const others = [
      "notes.txt",
      "resolved-backup-2026-01-01.jsonl.gz", // not our name pattern
      "register.jsonl.gz",
      "resolved-backup-2026-01-01T02-30-00Z.jsonl.gz.bak",
    ];
    for (const name of [...old, ...others]) await writeFile(join(dir, name), name);
    for (const name of old) await writeFile(join(dir, name + ".sha256"), "x");

    const first = await takeBackup(t.database, { dir, keep: 3 });
    const newest = first.file.split("/").pop()!;
    expect(first.removed.map((f) => f.split("/").pop()).sort()).toEqual(old.slice(0, 2));
    expect((await readdir(dir)).sort()).toEqual(
      [
        ...others,
        old[2]!,
        old[2] + ".sha256",
        old[3]!,
        old[3] + ".sha256",
        newest,
        newest + ".sha256",
      ].sort(),
    );

    // The one just written is never removed, even when newer names (a clock put back) fill the count.
    await writeFile(join(dir, "resolved-backup-2099-01-01T00-00-00Z.jsonl.gz"), "future");
    const second = await takeBackup(t.database, { dir, keep: 1 });
    const names = await readdir(dir);
    expect(names).toContain(second.file.split("/").pop());
    expect(names).toContain("resolved-backup-2099-01-01T00-00-00Z.jsonl.gz");
    expect(names.filter((n) => /^resolved-backup-2026-\d\d-\d\dT.*\.jsonl\.gz$/.test(n))).toEqual([
      second.file.split("/").pop(),
    ]);
    for (const name of others) expect(names).toContain(name);
  });

  it("two schedulers racing for the same instant take one backup", async () => {
    await importFixtures(["text"]);
    const slot = new Date("2026-12-05T02:30:00.000Z");
    const [a, b] = await Promise.all([
      takeScheduledBackup(t.database, slot, { dir, keep: 14, takenBy: "a" }),
      takeScheduledBackup(t.database, slot, { dir, keep: 14, takenBy: "b" }),
    ]);
    expect([a, b].filter((r) => r !== undefined)).toHaveLength(1);
    expect((await readdir(dir)).filter((n) => n.endsWith(".jsonl.gz"))).toHaveLength(1);
    const runs = await t.db.selectFrom("backupRun").selectAll().execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ slot: slot.toISOString(), error: null });
    expect(runs[0]!.file).toBe((a ?? b)!.file);

    // Later, the same instant again (a process whose clock runs late): still none.
    expect(await takeScheduledBackup(t.database, slot, { dir, keep: 14, takenBy: "c" })).toBeUndefined();
  });

  it("two running schedules fire at the same instant and one of them takes the backup", async () => {
    await importFixtures(["text"]);
    // Each process's clock is put 1.5 s (and 1.6 s) before a minute, UK time: both timers fire at it.
    const { schedule, minute } = nextMinuteSchedule();
    const logs: string[] = [];
    const log = collect(logs);
    const started = Date.now();
    const schedulers = [1500, 1600].map((lead, i) => {
      const skew = minute - lead - started;
      return startBackupSchedule(t.database, schedule, {
        dir,
        keep: 14,
        takenBy: `process-${i}`,
        now: () => new Date(Date.now() + skew),
        log,
      });
    });
    expect(schedulers.map((s) => s.nextAt?.getTime())).toEqual([minute, minute]);
    await waitFor(() => logs.filter((m) => !m.startsWith("backups scheduled")).length >= 2, 20_000);
    await Promise.all(schedulers.map((s) => s.stop()));

    const outcomes = logs.filter((m) => !m.startsWith("backups scheduled")).sort();
    expect(outcomes).toHaveLength(2);
    expect(outcomes[0]).toMatch(/^backup written to /);
    expect(outcomes[1]).toBe("scheduled backup taken by another server process");
    expect((await readdir(dir)).filter((n) => n.endsWith(".jsonl.gz"))).toHaveLength(1);
    // Both re-armed for the next day.
    expect(schedulers.every((s) => s.nextAt!.getTime() > minute)).toBe(true);
  }, 30_000);

  it("logs a failed scheduled backup, records it, and keeps the schedule", async () => {
    const notAFolder = join(dir, "file");
    await writeFile(notAFolder, "a file where the folder should be");
    const { schedule, minute } = nextMinuteSchedule();
    const logs: string[] = [];
    const started = Date.now();
    const scheduler = startBackupSchedule(t.database, schedule, {
      dir: join(notAFolder, "backups"),
      keep: 3,
      now: () => new Date(Date.now() + (minute - 500 - started)),
      log: collect(logs),
    });
    await waitFor(() => logs.some((m) => m.startsWith("error:")), 20_000);
    await scheduler.stop();
    expect(logs.find((m) => m.startsWith("error:"))).toMatch(
      /^error: scheduled backup failed: cannot create the backup folder .*\/file\/backups \(ENOTDIR\); the next one is still scheduled$/,
    );
    expect(scheduler.nextAt!.getTime()).toBeGreaterThan(minute);
    const run = await t.db.selectFrom("backupRun").selectAll().executeTakeFirstOrThrow();
    expect(run).toMatchObject({ slot: new Date(minute).toISOString(), file: null });
    expect(run.error).toMatch(/^cannot create the backup folder/);
  }, 30_000);

  it("takes one consistent snapshot while imports write", async () => {
    const writing = importFiles(
      t.database,
      ["text", "pdf", "docx", "html"].map((kind) => fixtures + kind),
      { actor },
    );
    // Started while the import is under way (on a server, really at the same time; embedded, in turn).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const backup = await takeBackup(t.database, { dir, keep: 14 });
    await writing;

    const verified = await verifyBackup(backup.file);
    await restoreFile(backup.file);
    // Whatever the snapshot caught, it is whole: counts, foreign keys (checked by the restore), audit chain.
    const restored = JSON.parse((await exportLines(target.database))[0]!).rows as Record<string, number>;
    expect(restored).toEqual(verified.header.rows);
    expect(restored.decision).toBe(restored.decision_version);
    expect((await verifyAuditChain(target.database)).ok).toBe(true);
  });
});

/** A schedule for a minute from now (each scheduler's clock is then skewed to just before it). */
function nextMinuteSchedule() {
  const minute = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
  const schedule = parseBackupSchedule(
    new Date(minute).toLocaleTimeString("en-GB", {
      timeZone: "Europe/London",
      hour: "2-digit",
      minute: "2-digit",
    }),
  )!;
  return { schedule, minute };
}

function collect(logs: string[]): BackupLog {
  return {
    info: (_details, message) => void logs.push(message),
    error: (_details, message) => void logs.push(`error: ${message}`),
  };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
