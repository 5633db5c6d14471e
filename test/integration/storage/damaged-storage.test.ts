import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runResolved } from "../../../bench/faults/kill-import.js";
import { cleanEnv } from "../../../bench/faults/register-target.js";
import { writeDocuments } from "../../../bench/faults/write-documents.js";
import { ensureCliBuilt } from "../../support/built-cli.js";
import { testBackend } from "../backends.js";

/**
 * The embedded database's folder damaged, made read-only, or on a full disk, with the built CLI as a user runs
 * it: one line on stderr saying what is wrong (no stack, no "bug in Resolved"), exit status 1, `resolved serve`
 * refusing to start, and nothing already stored lost. These faults are of a PGlite folder: the postgres project
 * skips the file (a server's disk is the server's; see docs/reliability.md).
 *
 * Read-only: as root, file modes do not stop writes, so the folder is bind-mounted read-only; as another user,
 * chmod does it. A full disk is a small tmpfs, which only root may mount: skipped otherwise, with the reason.
 */

const isRoot = process.getuid?.() === 0;

/** Whether this process may mount (root with CAP_SYS_ADMIN, as in this project's containers). */
function canMount(): boolean {
  if (!isRoot) return false;
  const probe = mkdtempSync(join(tmpdir(), "resolved-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const pgliteOnly = testBackend() === "pglite";
const mounting = pgliteOnly && canMount();

let scratch: string;
let documents: string;
/** A register holding RECORDS decisions, to copy and spoil. */
let base: string;
const RECORDS = 30;

beforeAll(async () => {
  if (!pgliteOnly) return;
  await ensureCliBuilt();
  scratch = await mkdtemp(join(tmpdir(), "resolved-damaged-"));
  documents = join(scratch, "documents");
  await writeDocuments(documents, 300);
  const first = join(scratch, "first");
  mkdirSync(first);
  for (const name of (await readdir(documents)).slice(0, RECORDS)) {
    await cp(join(documents, name), join(first, name));
  }
  base = join(scratch, "base");
  const run = await resolved(base, ["import", first]);
  expect(run.stdout).toContain(`imported ${RECORDS},`);
}, 180_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function resolved(dataDir: string, args: string[], killAfterMs = 120_000) {
  return runResolved(args, cleanEnv({ RESOLVED_DATA_DIR: dataDir }), killAfterMs);
}

/** A copy of the base register. */
async function copyOfBase(name: string): Promise<string> {
  const dir = join(scratch, name);
  await cp(base, dir, { recursive: true });
  return dir;
}

/** Every file under `dir` (path and bytes), hashed: to show a refused folder was left exactly as it was. */
async function treeHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (at: string) => {
    for (const entry of (await readdir(at, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else hash.update(path).update(await readFile(path));
    }
  };
  await walk(dir);
  return hash.digest("hex");
}

/** One line, exit 1, no stack trace and no talk of a bug. */
function expectOneClearLine(
  run: { exitCode: number | null; stderrTail: string; killed: boolean },
  pattern: RegExp,
) {
  expect(run.killed).toBe(false);
  expect(run.exitCode).toBe(1);
  const lines = run.stderrTail.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^resolved: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).not.toMatch(/bug in Resolved|\bat .*\.js:\d+/);
}

async function decisionCount(dataDir: string): Promise<number> {
  const run = await resolved(dataDir, ["decisions", "list", "--json", "--limit", "100000"]);
  expect(run.exitCode, run.stderrTail).toBe(0);
  return (JSON.parse(run.stdout) as unknown[]).length;
}

describe.skipIf(!pgliteOnly)("a damaged PGlite folder", () => {
  const damages: [string, (pglite: string) => Promise<void>][] = [
    [
      "PG_VERSION deleted (PGlite alone would make a new database over the files)",
      (p) => unlink(join(p, "PG_VERSION")),
    ],
    ["pg_control cut short", (p) => truncate(join(p, "global", "pg_control"), 100)],
    [
      "the write-ahead log overwritten with noise",
      async (p) => {
        const wal = join(p, "pg_wal");
        const segment = (await readdir(wal)).find((name) => /^[0-9A-F]{24}$/.test(name))!;
        const noise = Buffer.alloc(1 << 20);
        for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
        const bytes = await readFile(join(wal, segment));
        noise.copy(bytes, 0);
        await writeFile(join(wal, segment), bytes);
      },
    ],
  ];

  it.each(damages)(
    "%s: refused with one line, and left exactly as it was",
    async (_name, damage) => {
      const dataDir = await copyOfBase(`damaged-${damages.findIndex(([n]) => n === _name)}`);
      await damage(join(dataDir, "pglite"));
      const before = await treeHash(join(dataDir, "pglite"));

      const list = await resolved(dataDir, ["decisions", "list"]);
      expectOneClearLine(
        list,
        /The embedded database in .* is damaged \(.+\); it was left as it is\. Restore/,
      );
      const serve = await resolved(dataDir, ["serve", "--host", "127.0.0.1", "--port", "0"], 60_000);
      expectOneClearLine(serve, /is damaged/);

      expect(await treeHash(join(dataDir, "pglite"))).toBe(before);
    },
    120_000,
  );

  it("a folder of only the lock and an abandoned creation is made afresh (a first start that was killed)", async () => {
    const dataDir = join(scratch, "abandoned");
    mkdirSync(join(dataDir, "pglite.new", "base"), { recursive: true });
    await writeFile(join(dataDir, "pglite.new", "base", "junk"), "half a database");
    const run = await resolved(dataDir, ["decisions", "list"]);
    expect(run.exitCode, run.stderrTail).toBe(0);
    expect(run.stdout).toMatch(/No decisions/);
    await expect(stat(join(dataDir, "pglite.new"))).rejects.toThrow(/ENOENT/);
  }, 120_000);
});

/** Makes `dir` read-only for this process until the returned function is called. */
function makeReadOnly(dir: string): () => void {
  if (isRoot) {
    // chmod does not stop root: a read-only bind mount of the folder over itself does.
    execFileSync("mount", ["--bind", dir, dir]);
    execFileSync("mount", ["-o", "remount,ro,bind", dir]);
    return () => execFileSync("umount", [dir]);
  }
  const chmodAll = (mode: (isDir: boolean) => number) => {
    const walk = (at: string) => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        const path = join(at, entry.name);
        if (entry.isDirectory()) walk(path);
        chmodSync(path, mode(entry.isDirectory()));
      }
      chmodSync(at, mode(true));
    };
    walk(dir);
  };
  chmodAll((isDir) => (isDir ? 0o555 : 0o444));
  return () => chmodAll((isDir) => (isDir ? 0o755 : 0o644));
}

describe.skipIf(!pgliteOnly || (isRoot && !mounting))("a read-only data directory", () => {
  for (const [what, sub, pattern] of [
    ["the whole data directory", "", /Cannot write to the data directory .*(EROFS|EACCES)/],
    [
      "its pglite folder only",
      "pglite",
      /pglite cannot be written to \((it is on a read-only file system|this user may not read and write it)\)/,
    ],
  ] as const) {
    it(`${what}: one line, serve refuses to start, and the register is whole once writable again`, async () => {
      const dataDir = await copyOfBase(`read-only-${sub || "all"}`);
      const restore = makeReadOnly(join(dataDir, sub));
      try {
        expectOneClearLine(await resolved(dataDir, ["decisions", "list"]), pattern);
        expectOneClearLine(await resolved(dataDir, ["import", documents]), pattern);
        expectOneClearLine(
          await resolved(dataDir, ["serve", "--host", "127.0.0.1", "--port", "0"], 60_000),
          pattern,
        );
      } finally {
        restore();
      }
      expect(await decisionCount(dataDir)).toBe(RECORDS);
      const verify = await resolved(dataDir, ["audit", "verify"]);
      expect(verify.stdout).toMatch(/chains intact/);
    }, 180_000);
  }
});

describe.skipIf(!mounting)("a full disk (a small tmpfs)", () => {
  it("stops the import with one line, keeps what was stored, and a re-run with room completes it", async () => {
    const mountPoint = join(scratch, "small-disk");
    mkdirSync(mountPoint);
    // The register and about 1.5 MB more: room for some of the 300 documents, not all.
    const used = Number(execFileSync("du", ["-sk", base], { encoding: "utf8" }).split("\t")[0]);
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${used + 1500}k`, "tmpfs", mountPoint]);
    try {
      const dataDir = join(mountPoint, "data");
      await cp(base, dataDir, { recursive: true });

      const full = await resolved(dataDir, ["import", documents]);
      expectOneClearLine(
        full,
        /^resolved: Stopped: the disk holding the database is full \(.*No space left on device\); the files imported before it are kept/,
      );

      execFileSync("mount", ["-o", "remount,size=400m", mountPoint]);
      expect(await decisionCount(dataDir)).toBeGreaterThanOrEqual(RECORDS);
      const again = await resolved(dataDir, ["import", documents]);
      expect(again.exitCode, again.stderrTail).toBe(0);
      expect(again.stdout).toMatch(/new versions 0, unchanged \d+, failed 0/);
      expect(await decisionCount(dataDir)).toBe(300);
      const verify = await resolved(dataDir, ["audit", "verify"]);
      expect(verify.exitCode).toBe(0);
      expect(verify.stdout).toMatch(/chains intact/);
    } finally {
      execFileSync("umount", [mountPoint]);
    }
  }, 300_000);
});
