import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { importCommand } from "../../../src/cli/import-command.js";
import { runCli, type CliRun } from "../../support/built-cli.js";
import { testBackend } from "../backends.js";
import { useCliRegisters } from "./cli-register.js";

/**
 * The built CLI (`node bin/resolved.js`), run as a user would: exit status, stdout and stderr. Each register is a
 * data directory (PGlite) or a database of its own on the test server (Postgres), per RESOLVED_TEST_BACKEND.
 */

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = join(repo, "test", "fixtures");
const SLOW = 180_000;

const registers = useCliRegisters("cli-test");
const newRegister = registers.newRegister;

const resolved = (args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliRun> =>
  runCli(args, { env, cwd: registers.work(), ...(input !== undefined && { input }) });

/** A path as a 60-column progress bar shows it after "[...] n/4 ": 32 characters, an ellipsis then its end. */
const fit = (path: string) => (path.length > 32 ? `…${path.slice(path.length - 31)}` : path);

const headerless = (jsonl: string) => jsonl.trimEnd().split("\n").slice(1);
const rowsOf = (jsonl: string) => JSON.parse(jsonl.split("\n")[0]!).rows as Record<string, number>;

describe.sequential("resolved import, export and restore", () => {
  let register: NodeJS.ProcessEnv;
  let exported: string;

  it(
    "imports a batch: a summary, each failure and warning on stderr, exit 1 when any failed",
    async () => {
      register = await newRegister();
      const batch = join(registers.work(), "batch");
      await mkdir(batch);
      const text = await readFile(join(fixtures, "text", "cab-41-25-flood-strategy.txt"), "utf8");
      await writeFile(
        join(batch, "late-deadline.txt"),
        text
          .replace("CAB/41/25", "CAB/42/25")
          .replace("Midnight, Friday 24 October 2025", "Midnight, Thursday 23 October 2025"),
      );
      const run = await resolved(
        ["import", join(fixtures, "text"), join(fixtures, "pdf"), batch, join(fixtures, "bad", "junk.bin")],
        register,
      );
      expect(run.stdout).toBe("imported 9, new versions 0, unchanged 0, failed 1\n");
      const stderr = run.stderr.trimEnd().split("\n");
      expect(stderr).toHaveLength(4);
      expect(stderr[0]).toMatch(new RegExp(`^${join(fixtures, "bad", "junk.bin")}: .*binary data`));
      // Both financial plan records resolve as well as recommend, yet print "Not applicable": flagged.
      for (const [i, file] of [
        [1, join(fixtures, "text", "mtfp-decision-proforma.txt")],
        [2, join(fixtures, "pdf", "mtfp-2024-25-recommendations.pdf")],
      ] as const) {
        expect(stderr[i]).toMatch(
          new RegExp(
            `^${file}:\\d+: warning: the record says call-in is "Not applicable", although it has RESOLVED outcomes`,
          ),
        );
      }
      expect(stderr[3]).toMatch(
        new RegExp(
          `^${join(batch, "late-deadline.txt")}:\\d+: warning: the record says call-in ends 23 October 2025; ` +
            "Stockton-on-Tees Borough Council's rule gives 24 October 2025$",
        ),
      );
      expect(run.stderr).not.toContain("\r");
      expect(run.code).toBe(1);
    },
    SLOW,
  );

  it(
    "imports the same files again as unchanged, and a changed one as a new version (--json)",
    async () => {
      const changed = join(registers.work(), "changed");
      await mkdir(changed);
      const text = await readFile(join(fixtures, "text", "cab-41-25-flood-strategy.txt"), "utf8");
      await writeFile(join(changed, "cab-41-25-v2.txt"), text.replace("four objectives", "five objectives"));
      const run = await resolved(["import", "--json", join(fixtures, "text"), changed], register);
      expect(run.code).toBe(0);
      const lines = run.stdout
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(lines.map((l) => l.outcome)).toEqual([...Array(6).fill("unchanged"), "new-version"]);
      expect(lines[6]).toMatchObject({ recordId: "CAB/41/25", version: 2, warnings: [] });
      expect(run.stderr).toMatch(/^imported 0, new versions 1, unchanged 6, failed 0\n/);
    },
    SLOW,
  );

  it(
    "exports the register as JSON Lines, to stdout or completely to a file",
    async () => {
      const run = await resolved(["export"], register);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      exported = run.stdout;
      expect(rowsOf(exported)).toMatchObject({
        council: 1,
        decision: 9,
        decision_version: 10,
        source_document: 10,
      });

      const output = join(registers.work(), "register.jsonl");
      const toFile = await resolved(["export", "--output", output], register);
      expect(toFile.code).toBe(0);
      expect(toFile.stdout).toBe("");
      expect(headerless(await readFile(output, "utf8"))).toEqual(headerless(exported));
      // No temporary file left beside it.
      expect((await readdir(registers.work())).filter((name) => name.includes("register.jsonl"))).toEqual([
        "register.jsonl",
      ]);
    },
    SLOW,
  );

  it(
    "restores an export into an empty register, losslessly",
    async () => {
      const copy = await newRegister();
      const restored = await resolved(["restore", join(registers.work(), "register.jsonl")], copy);
      expect(restored.stderr).toBe("");
      expect(restored.stdout).toMatch(/^restored \d+ rows: 1 councils, 9 decisions, 10 original documents/);
      expect(restored.code).toBe(0);
      const again = await resolved(["export"], copy);
      expect(headerless(again.stdout)).toEqual(headerless(exported));

      // A register that holds anything is refused, and left as it was.
      const refused = await resolved(["restore", join(registers.work(), "register.jsonl")], copy);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/^resolved: restore needs an empty register/);
    },
    SLOW,
  );

  it(
    "restores from standard input, and refuses a damaged export naming the line, writing nothing",
    async () => {
      const lines = exported.trimEnd().split("\n");
      const n = lines.findIndex((line) => line.includes('"table":"decision"'));
      lines[n] = lines[n]!.replace('"status":"published"', '"status":"approved"');
      const empty = await newRegister();
      const damaged = await resolved(["restore", "-"], empty, lines.join("\n") + "\n");
      expect(damaged.code).toBe(1);
      expect(damaged.stderr).toMatch(
        new RegExp(`^<stdin>:${n + 1}: decision row not accepted: .*decision_status_check`),
      );

      const stillEmpty = await resolved(["export"], empty);
      expect(Object.values(rowsOf(stillEmpty.stdout)).every((count) => count === 0)).toBe(true);

      const fromStdin = await resolved(["restore", "-"], empty, exported);
      expect(fromStdin.code).toBe(0);
    },
    SLOW,
  );

  it(
    "gives a clear message and exit 1 for bad input, writing nothing",
    async () => {
      const empty = await newRegister();
      const missing = await resolved(["import", join(registers.work(), "nowhere.txt")], empty);
      expect(missing.code).toBe(1);
      expect(missing.stdout).toBe("imported 0, new versions 0, unchanged 0, failed 1\n");
      expect(missing.stderr).toBe(`${join(registers.work(), "nowhere.txt")}: no such file\n`);

      const badCouncil = await resolved(
        ["import", "--council", "Not A Slug", join(fixtures, "text", "d110016-web-record.txt")],
        empty,
      );
      expect(badCouncil.code).toBe(1);
      expect(badCouncil.stdout).toBe("");
      expect(badCouncil.stderr).toMatch(/^resolved: council: "Not A Slug" is not a council slug/);

      const record = join(fixtures, "text", "d110016-web-record.txt");
      const noJobs = await resolved(["import", "--jobs", "0", record], empty);
      expect(noJobs.code).toBe(1);
      expect(noJobs.stderr).toBe('resolved: --jobs: "0" is not a whole number of at least 1\n');
      const tooMany = await resolved(["import", "--jobs", "12", record], empty);
      expect(tooMany.code).toBe(1);
      expect(tooMany.stderr).toBe("resolved: jobs: give a whole number of jobs from 1 to 8\n");
      if (testBackend() === "pglite") {
        const embedded = await resolved(["import", "--jobs", "2", record], empty);
        expect(embedded.code).toBe(1);
        expect(embedded.stderr).toMatch(
          /^resolved: jobs: several jobs need a PostgreSQL server \(set DATABASE_URL\)/,
        );
      }

      const noFile = await resolved(["restore", join(registers.work(), "no-such-export.jsonl")], empty);
      expect(noFile.code).toBe(1);
      expect(noFile.stderr).toBe(`${join(registers.work(), "no-such-export.jsonl")}: no such file\n`);

      const nothing = await resolved(["export"], empty);
      expect(Object.values(rowsOf(nothing.stdout)).every((count) => count === 0)).toBe(true);
    },
    SLOW,
  );

  it(
    "draws a progress bar on a terminal, and clears it before the summary",
    async () => {
      const register = await newRegister();
      for (const [name, value] of Object.entries(register)) vi.stubEnv(name, value ?? "");
      const out: string[] = [];
      const err: string[] = [];
      const io = {
        stdout: (text: string) => void out.push(text),
        stderr: (text: string) => void err.push(text),
        readStdin: async () => Buffer.alloc(0),
      };
      try {
        const code = await importCommand([join(fixtures, "docx"), join(fixtures, "html")], {}, io, {
          stderrIsTty: true,
          columns: 60,
        });
        expect(code).toBe(0);
      } finally {
        vi.unstubAllEnvs();
      }
      expect(out.join("")).toBe("imported 4, new versions 0, unchanged 0, failed 0\n");
      // Each update redraws one line: carriage return, erase the line, bar, count, the file (its end, to fit).
      const clear = "\r\x1b[2K";
      expect(err.every((text) => text.startsWith(clear))).toBe(true);
      const drawn = err.map((text) => text.slice(clear.length));
      expect(drawn).toEqual([
        `[                    ] 0/4 ${fit(join(fixtures, "docx", "adult-social-care-fees-2024-25.docx"))}`,
        `[=====               ] 1/4 ${fit(join(fixtures, "docx", "town-centre-public-realm-contractor.docx"))}`,
        `[==========          ] 2/4 ${fit(join(fixtures, "html", "household-support-fund-2024.html"))}`,
        `[===============     ] 3/4 ${fit(join(fixtures, "html", "view-cabinet-decision-record-2011.html"))}`,
        `[====================] 4/4 ${fit(join(fixtures, "html", "view-cabinet-decision-record-2011.html"))}`,
        "",
      ]);
    },
    SLOW,
  );
});
