import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UnavailableError } from "../../../src/domain/errors.js";
import { lockDataDir } from "../../../src/storage/data-dir-lock.js";

/**
 * The embedded database's lock (src/storage/data-dir-lock.ts) when the process that left it is gone but its
 * pid is in use again, as after a reboot or a container restart: the lock is stale if the process with that pid
 * started after the lock was written. (The other cases are in database.test.ts and kill-during-import.test.ts.)
 */

let scratch: string | undefined;
let sleeper: ChildProcess | undefined;

afterEach(async () => {
  sleeper?.kill("SIGKILL");
  sleeper = undefined;
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

async function liveProcess(): Promise<number> {
  sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  await new Promise((resolve) => sleeper!.on("spawn", resolve));
  return sleeper.pid!;
}

async function lockNaming(pid: number, startedAt: Date): Promise<{ dir: string; file: string }> {
  scratch = await mkdtemp(join(tmpdir(), "resolved-lock-"));
  const file = join(scratch, "resolved.lock");
  await writeFile(file, JSON.stringify({ pid, hostname: hostname(), startedAt: startedAt.toISOString() }));
  return { dir: scratch, file };
}

describe.skipIf(!existsSync("/proc/self/stat"))("a lock whose pid now belongs to another process", () => {
  it("is taken over when that process started after the lock was written", async () => {
    const pid = await liveProcess();
    // Written by a process killed an hour before this one started.
    const { dir, file } = await lockNaming(pid, new Date(Date.now() - 3_600_000));
    const release = await lockDataDir(dir);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ pid: process.pid });
    await release();
    expect(existsSync(file)).toBe(false);
  });

  it("is respected when that process started before the lock was written: it may be the holder", async () => {
    const pid = await liveProcess();
    const { dir, file } = await lockNaming(pid, new Date(Date.now() + 1000));
    const refused = await lockDataDir(dir).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as Error).message).toMatch(
      new RegExp(`in use by another Resolved process \\(pid ${pid}`),
    );
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ pid });
  });
});
