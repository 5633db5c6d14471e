import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../../support/built-cli.js";
import { useCliRegisters } from "./cli-register.js";

/**
 * `resolved backup`, `resolved backup --verify` and `resolved restore` of a backup, with the built CLI, on the
 * run's backend: each register a data directory (PGlite) or a database of its own on the test server.
 */

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = join(repo, "test", "fixtures");
const SLOW = 180_000;

const registers = useCliRegisters("backup-cli", [
  "RESOLVED_BACKUP_DIR",
  "RESOLVED_BACKUP_KEEP",
  "RESOLVED_BACKUP_SCHEDULE",
]);
const newRegister = registers.newRegister;

const resolved = (args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> =>
  runCli(args, { env, cwd: registers.work() });

const headerless = (jsonl: string) => jsonl.trimEnd().split("\n").slice(1);
const rowsOf = (jsonl: string) => JSON.parse(jsonl.split("\n")[0]!).rows as Record<string, number>;

async function expectEmpty(register: NodeJS.ProcessEnv): Promise<void> {
  const run = await resolved(["export"], register);
  expect(run.code).toBe(0);
  expect(Object.values(rowsOf(run.stdout)).every((n) => n === 0)).toBe(true);
}

describe.sequential("resolved backup and restore", () => {
  let source: NodeJS.ProcessEnv;
  let backups: string;
  let latest: string;

  it(
    "writes gzipped backups with checksums and keeps the newest N, leaving other files alone",
    async () => {
      source = await newRegister();
      const imported = await resolved(["import", join(fixtures, "text"), join(fixtures, "pdf")], source);
      expect(imported.stdout).toMatch(/^imported 8,/);
      backups = join(registers.work(), "backups");

      const written: string[] = [];
      for (let i = 0; i < 3; i++) {
        const run = await resolved(["backup", "--dir", backups, "--keep", "2"], source);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^\/.*\/backups\/resolved-backup-[\dT-]+Z(?:-\d+)?\.jsonl\.gz\n$/);
        expect(run.stderr).toMatch(
          /^backed up \d+ rows \(8 decisions\) in [\d.]+ KB, sha256 [0-9a-f]{64}(?:; removed 1 older backup\(s\))?\n$/,
        );
        written.push(run.stdout.trim());
        if (i === 0) await writeFile(join(backups, "README.txt"), "not a backup");
      }
      latest = written[2]!;
      const names = (await readdir(backups)).sort();
      expect(names).toEqual(
        [
          "README.txt",
          ...written.slice(1).flatMap((f) => [f.split("/").pop()!, f.split("/").pop() + ".sha256"]),
        ].sort(),
      );
    },
    SLOW,
  );

  it(
    "takes the folder and the count from RESOLVED_BACKUP_DIR and RESOLVED_BACKUP_KEEP",
    async () => {
      const folder = join(registers.work(), "from-env");
      const run = await resolved(["backup"], {
        ...source,
        RESOLVED_BACKUP_DIR: folder,
        RESOLVED_BACKUP_KEEP: "1",
      });
      expect(run.code).toBe(0);
      expect(run.stdout.startsWith(folder + "/resolved-backup-")).toBe(true);

      const bad = await resolved(["backup"], { ...source, RESOLVED_BACKUP_KEEP: "0" });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(
        "resolved: RESOLVED_BACKUP_KEEP: must keep at least 1 backup (environment variable)\n",
      );
      const badSchedule = await resolved(["backup"], { ...source, RESOLVED_BACKUP_SCHEDULE: "25:00" });
      expect(badSchedule.code).toBe(1);
      expect(badSchedule.stderr).toMatch(/^resolved: RESOLVED_BACKUP_SCHEDULE: "25:00" is not a time of day/);
      const badFlag = await resolved(["backup", "--keep", "two"], source);
      expect(badFlag.code).toBe(1);
      expect(badFlag.stderr).toBe('resolved: --keep: --keep must be a whole number, at least 1, not "two"\n');
    },
    SLOW,
  );

  it(
    "verifies a backup without restoring it",
    async () => {
      const run = await resolved(["backup", "--verify", latest], {});
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /: OK, \d+ rows exported .*Z; checked: SHA-256 of the file, checksums of every table\n$/,
      );
    },
    SLOW,
  );

  it(
    "restores a backup into an empty register as the same register",
    async () => {
      const copy = await newRegister();
      const restored = await resolved(["restore", latest], copy);
      expect(restored.stderr).toBe("");
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(
        /^restored \d+ rows: 1 councils, 8 decisions, 8 original documents \(exported .*\); checksums verified before and after loading\n$/,
      );
      const [original, again] = await Promise.all([resolved(["export"], source), resolved(["export"], copy)]);
      expect(headerless(again.stdout)).toEqual(headerless(original.stdout));
    },
    SLOW,
  );

  it(
    "refuses a damaged or cut-short backup in one line, exit 1, writing nothing",
    async () => {
      const bytes = await readFile(latest);
      const flipped = Buffer.from(bytes);
      flipped[flipped.length - 100]! ^= 0x10;
      const flippedFile = join(registers.work(), "flipped.jsonl.gz");
      await writeFile(flippedFile, flipped);
      await writeFile(flippedFile + ".sha256", await readFile(latest + ".sha256"));
      const cutFile = join(registers.work(), "cut.jsonl.gz");
      await writeFile(cutFile, bytes.subarray(0, bytes.length - 30));

      const empty = await newRegister();
      for (const [file, message] of [
        [
          flippedFile,
          /^.*flipped\.jsonl\.gz: the file's SHA-256 is [0-9a-f]{12}…, not the [0-9a-f]{12}… its \.sha256 records \(the file is damaged\); nothing was restored\n$/,
        ],
        [cutFile, /^.*cut\.jsonl\.gz: the gzip file is cut short \(it ends before its last block\)\n$/],
      ] as const) {
        const restore = await resolved(["restore", file], empty);
        expect(restore.code).toBe(1);
        expect(restore.stdout).toBe("");
        expect(restore.stderr).toMatch(message);
        const verify = await resolved(["backup", "--verify", file], {});
        expect(verify.code).toBe(1);
        expect(verify.stderr.trimEnd().split("\n")).toHaveLength(1);
      }
      await expectEmpty(empty);
    },
    SLOW,
  );
});
