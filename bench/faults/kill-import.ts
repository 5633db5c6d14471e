import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { seededRandom } from "../random.js";
import {
  checkComplete,
  checkWholeOrAbsent,
  type CompleteState,
  type RegisterState,
} from "./register-checks.js";
import type { FaultsBackend, RegisterTarget } from "./register-target.js";
import type { WrittenDocument } from "./write-documents.js";

/**
 * kill -9 during `resolved import DIR`, repeated. The real CLI (bin/resolved.js, the built dist/) runs as a child
 * process on a register and is killed with SIGKILL after a random delay (seeded, so a series can be run again);
 * then, as an operator would: the register is opened again by `resolved audit verify` (which must recognise the
 * lock the killed process left and take it over, and find both hash chains intact), and the harness checks that
 * every record is whole or absent (register-checks.ts). The import is started again on the same register and
 * killed again, until a run finishes before its kill: that run must complete the register (one decision and one
 * original per file, byte for byte, the chains intact). Then the next series of kills starts on a new register,
 * until `kills` kills have been made.
 */

export interface KillSeriesOptions {
  backend: FaultsBackend;
  /** The folder of documents imported. */
  dir: string;
  files: readonly WrittenDocument[];
  kills: number;
  seed: number;
  /** Kills land uniformly between these delays after the process starts (or takes the lock: armOnLock). */
  minDelayMs: number;
  maxDelayMs: number;
  /** PGlite: count the delay from when the process has taken the data directory's lock. */
  armOnLock?: boolean;
  /** A new, empty register for the n-th cycle. */
  newTarget: (cycle: number) => Promise<RegisterTarget>;
  log?: (line: string) => void;
}

export type LockSeen = "left by the killed process" | "none" | "another process's";

export interface KillRecord {
  kill: number;
  cycle: number;
  /** Milliseconds after the process started. */
  afterMs: number;
  decisionsBefore: number;
  /** The register after the kill, read after `resolved audit verify` reopened it. */
  state: RegisterState;
  lock: LockSeen;
  /** `resolved audit verify` opened the register (taking over any stale lock) and found the chains intact. */
  verified: boolean;
  verifyMs: number;
  /** No lock file was left once `resolved audit verify` had finished. */
  lockReleased: boolean;
}

export interface CycleRecord {
  cycle: number;
  kills: number;
  /** The run that finished before its kill. */
  completingRun: { seconds: number; exitCode: number | null; summary: string };
  state: CompleteState;
  verified: boolean;
  verifyLine: string;
}

export interface KillSeriesReport {
  backend: FaultsBackend;
  records: number;
  seed: number;
  minDelayMs: number;
  maxDelayMs: number;
  armOnLock: boolean;
  kills: KillRecord[];
  cycles: CycleRecord[];
  seconds: number;
  /** Everything that did not hold; empty when the register survived every kill. */
  failures: string[];
}

const root = new URL("../../", import.meta.url).pathname;
const cli = join(root, "bin/resolved.js");

interface ChildRun {
  killed: boolean;
  exitCode: number | null;
  pid: number;
  ms: number;
  stdout: string;
  /** The end of stderr (an import of thousands of files warns a lot). */
  stderrTail: string;
}

/**
 * Runs `resolved ARGS` and, unless it ends first, kills it with SIGKILL `killAfterMs` after it started, or after
 * `armOnFile` appeared (polled every 20 ms: the kill then lands on a process that holds the register).
 */
export function runResolved(
  args: string[],
  env: NodeJS.ProcessEnv,
  killAfterMs = Infinity,
  armOnFile?: string,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer = setTimeout(() => {
        killed = child.kill("SIGKILL");
      }, killAfterMs);
    };
    if (Number.isFinite(killAfterMs)) {
      if (armOnFile === undefined) arm();
      else {
        timer = setInterval(() => {
          if (!existsSync(armOnFile)) return;
          clearInterval(timer);
          arm();
        }, 20);
      }
    }
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        killed: killed && signal === "SIGKILL",
        exitCode: code,
        pid: child.pid ?? -1,
        ms: performance.now() - started,
        stdout,
        stderrTail: stderr,
      });
    });
  });
}

async function lockHolder(file: string | undefined): Promise<number | undefined> {
  if (!file) return undefined;
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as { pid?: unknown };
    return typeof parsed.pid === "number" ? parsed.pid : -1;
  } catch {
    return undefined;
  }
}

async function stateOf(
  target: RegisterTarget,
  files: readonly WrittenDocument[],
  dir?: string,
): Promise<CompleteState> {
  const database = await target.open();
  try {
    return dir !== undefined
      ? await checkComplete(database.db, dir, files)
      : { ...(await checkWholeOrAbsent(database.db, files)), comparedByteForByte: 0 };
  } finally {
    await database.close();
  }
}

export async function runKillSeries(options: KillSeriesOptions): Promise<KillSeriesReport> {
  const { dir, files } = options;
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed);
  const started = performance.now();
  const report: KillSeriesReport = {
    backend: options.backend,
    records: files.length,
    seed: options.seed,
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
    armOnLock: options.armOnLock === true,
    kills: [],
    cycles: [],
    seconds: 0,
    failures: [],
  };
  const fail = (what: string) => {
    report.failures.push(what);
    log(`FAILED: ${what}`);
  };
  let cycle = 1;
  let target = await options.newTarget(cycle);
  let killsInCycle = 0;
  let decisionsBefore = 0;
  try {
    for (;;) {
      const killAfterMs =
        report.kills.length < options.kills
          ? options.minDelayMs + random() * (options.maxDelayMs - options.minDelayMs)
          : Infinity;
      const run = await runResolved(
        ["import", dir],
        target.env,
        killAfterMs,
        options.armOnLock ? target.lockFile : undefined,
      );
      if (run.killed) {
        const kill = report.kills.length + 1;
        const holder = await lockHolder(target.lockFile);
        const lock: LockSeen =
          holder === undefined
            ? "none"
            : holder === run.pid
              ? "left by the killed process"
              : "another process's";
        const verify = await runResolved(["audit", "verify"], target.env);
        const verified = verify.exitCode === 0 && /chains intact/.test(verify.stdout);
        const lockReleased = (await lockHolder(target.lockFile)) === undefined;
        if (!verified) fail(`kill ${kill}: audit verify: ${(verify.stdout + verify.stderrTail).trim()}`);
        if (!lockReleased) fail(`kill ${kill}: a lock file was left after audit verify`);
        if (lock === "another process's")
          fail(`kill ${kill}: the lock file named a process other than the one killed`);
        const state = await stateOf(target, files);
        for (const problem of state.problems) fail(`kill ${kill}: ${problem}`);
        report.kills.push({
          kill,
          cycle,
          afterMs: killAfterMs,
          decisionsBefore,
          state,
          lock,
          verified,
          verifyMs: verify.ms,
          lockReleased,
        });
        log(
          `${options.backend} kill ${kill} (cycle ${cycle}) after ${(killAfterMs / 1000).toFixed(1)} s: ` +
            `${decisionsBefore} → ${state.decisions} decisions, lock ${lock}, verify ${verified ? "ok" : "FAILED"}, ` +
            `${state.problems.length === 0 ? "whole or absent" : state.problems.join("; ")}`,
        );
        decisionsBefore = state.decisions;
        killsInCycle++;
        continue;
      }

      // The run finished before its kill: it must have completed the register.
      const summary = /imported \d+, new versions \d+, unchanged \d+, failed \d+/.exec(run.stdout)?.[0] ?? "";
      if (run.exitCode !== 0 || summary === "") {
        fail(
          `cycle ${cycle}: the import exited with ${run.exitCode}: ${run.stderrTail.trim().split("\n").pop()}`,
        );
      }
      const verify = await runResolved(["audit", "verify"], target.env);
      const verified = verify.exitCode === 0 && /chains intact/.test(verify.stdout);
      if (!verified) fail(`cycle ${cycle}: audit verify: ${(verify.stdout + verify.stderrTail).trim()}`);
      const state = await stateOf(target, files, dir);
      for (const problem of state.problems) fail(`cycle ${cycle}: ${problem}`);
      report.cycles.push({
        cycle,
        kills: killsInCycle,
        completingRun: { seconds: run.ms / 1000, exitCode: run.exitCode, summary },
        state,
        verified,
        verifyLine: verify.stdout.trim(),
      });
      log(
        `${options.backend} cycle ${cycle} completed after ${killsInCycle} kills: ${summary}; ` +
          `${state.decisions} decisions, ${state.comparedByteForByte} originals byte for byte, verify ${verified ? "ok" : "FAILED"}`,
      );
      await target.dispose();
      if (report.kills.length >= options.kills) break;
      cycle++;
      killsInCycle = 0;
      decisionsBefore = 0;
      target = await options.newTarget(cycle);
    }
  } catch (error) {
    await target.dispose().catch(() => {});
    throw error;
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
