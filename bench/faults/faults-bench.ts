import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runKillSeries, type KillSeriesReport } from "./kill-import.js";
import { pgliteTarget, postgresTarget, type FaultsBackend } from "./register-target.js";
import { writeDocuments } from "./write-documents.js";

/**
 * `npm run bench -- faults`: kill -9 during imports (kill-import.ts), on each backend. Settings:
 *
 *   RESOLVED_BENCH_FAULTS_RECORDS   documents imported (default 10,000)
 *   RESOLVED_BENCH_FAULTS_KILLS     kills per backend (default 20)
 *   RESOLVED_BENCH_FAULTS_BACKEND   pglite, postgres or both (default both)
 *   RESOLVED_BENCH_FAULTS_SEED      the seed of the kill moments (default 1212)
 *   RESOLVED_BENCH_FAULTS_MAX_DELAY_MS  the latest kill, in ms after the start (default: about the time a whole
 *                                   import takes here: 2 s + 8 ms a record on PGlite, 4.5 ms on a server)
 *   RESOLVED_BENCH_FAULTS_JSON      also write the whole report, as JSON, to this file
 *   RESOLVED_BENCH_FAULTS_DATABASE_URL  a server where we may CREATE DATABASE (default RESOLVED_TEST_DATABASE_URL,
 *                                   else scripts/start-test-postgres.sh's)
 */

export interface FaultsBenchResult {
  records: number;
  megabytes: number;
  series: KillSeriesReport[];
}

function numberFrom(name: string, fallback: number): number {
  const value = process.env[name]?.trim();
  if (!value) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, not "${value}"`);
  return n;
}

export async function runFaultsBench(): Promise<FaultsBenchResult> {
  const records = numberFrom("RESOLVED_BENCH_FAULTS_RECORDS", 10_000);
  const kills = numberFrom("RESOLVED_BENCH_FAULTS_KILLS", 20);
  const seed = numberFrom("RESOLVED_BENCH_FAULTS_SEED", 1212);
  const which = process.env.RESOLVED_BENCH_FAULTS_BACKEND?.trim() || "both";
  if (!["pglite", "postgres", "both"].includes(which)) {
    throw new Error(`RESOLVED_BENCH_FAULTS_BACKEND must be pglite, postgres or both, not "${which}"`);
  }
  const backends: FaultsBackend[] = which === "both" ? ["pglite", "postgres"] : [which as FaultsBackend];
  const adminUrl =
    process.env.RESOLVED_BENCH_FAULTS_DATABASE_URL?.trim() ||
    process.env.RESOLVED_TEST_DATABASE_URL?.trim() ||
    // scripts/start-test-postgres.sh's default.
    "postgres://postgres@127.0.0.1:54329/postgres";

  const work = join(tmpdir(), `resolved-bench-faults-${process.pid}`);
  const dir = join(work, "documents");
  try {
    const files = await writeDocuments(dir, records);
    const series: KillSeriesReport[] = [];
    for (const backend of backends) {
      const perRecord = backend === "pglite" ? 8 : 4.5;
      series.push(
        await runKillSeries({
          backend,
          dir,
          files,
          kills,
          seed,
          minDelayMs: 300,
          maxDelayMs: numberFrom("RESOLVED_BENCH_FAULTS_MAX_DELAY_MS", 2000 + perRecord * records),
          newTarget: (cycle) =>
            backend === "pglite"
              ? pgliteTarget(join(work, "registers"), `register-${cycle}`)
              : postgresTarget(adminUrl, "resolved_bench_faults"),
          log: (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`),
        }),
      );
    }
    const megabytes = files.reduce((sum, file) => sum + file.size, 0) / 2 ** 20;
    const result = { records, megabytes, series };
    const json = process.env.RESOLVED_BENCH_FAULTS_JSON?.trim();
    if (json) await writeFile(json, JSON.stringify(result, null, 2));
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The result as Markdown, for docs/reliability.md. */
export function faultsMarkdown(result: FaultsBenchResult): string {
  const n = (value: number) => Math.round(value).toLocaleString("en-GB");
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines: string[] = ["## bench/faults", ""];
  lines.push(
    `${n(result.records)} generated decision records (bench/web's generator: proforma text, 300-1,500 words, ` +
      `${result.megabytes.toFixed(0)} MiB), imported with \`resolved import DIR\` (the built CLI, a child process) ` +
      "and killed with SIGKILL at seeded random moments.",
    "",
  );
  lines.push(
    "| backend | kills | kill moments | stale locks taken over | decisions present after a kill | whole or absent after every kill | audit verify after every kill | re-runs that completed the register | time |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  );
  for (const r of result.series) {
    const after = r.kills.map((k) => k.state.decisions);
    const clean = r.kills.filter((k) => k.state.problems.length === 0).length;
    const verified = r.kills.filter((k) => k.verified && k.lockReleased).length;
    const stale = r.kills.filter((k) => k.lock === "left by the killed process").length;
    const staleTaken = r.kills.filter(
      (k) => k.lock === "left by the killed process" && k.verified && k.lockReleased,
    ).length;
    const completed = r.cycles.filter((c) => c.verified && c.state.problems.length === 0).length;
    lines.push(
      `| ${r.backend} | ${r.kills.length} | ${s(r.minDelayMs)}-${s(r.maxDelayMs)} after ${r.armOnLock ? "the lock was taken" : "the process started"}, seed ${r.seed} | ` +
        `${r.backend === "pglite" ? `${stale} left by the killed process, ${staleTaken} taken over` : "none (no lock on a server)"} | ` +
        `${after.length ? `${n(Math.min(...after))}-${n(Math.max(...after))} of ${n(r.records)}` : "-"} | ` +
        `${clean} of ${r.kills.length} | ${verified} of ${r.kills.length} | ${completed} of ${r.cycles.length} | ` +
        `${(r.seconds / 60).toFixed(1)} min |`,
    );
  }
  for (const r of result.series) {
    lines.push("", `### ${r.backend}: each kill`, "");
    lines.push(
      "| kill | register | killed after | decisions before → after the kill | lock file left | reopened by audit verify | problems |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const k of r.kills) {
      lines.push(
        `| ${k.kill} | ${k.cycle} | ${s(k.afterMs)} | ${n(k.decisionsBefore)} → ${n(k.state.decisions)} ` +
          `(${k.state.timelinesPending > 0 ? `${n(k.state.timelinesPending)} timelines pending` : "timelines derived"}) | ` +
          `${k.lock} | ${k.verified ? `chains intact, ${s(k.verifyMs)}` : "FAILED"}${k.lockReleased ? "" : ", lock kept"} | ` +
          `${k.state.problems.length === 0 ? "none" : k.state.problems.join("; ")} |`,
      );
    }
    lines.push("", `### ${r.backend}: the re-run that completed each register`, "");
    lines.push(
      "| register | kills before it | the completing run | decisions | originals byte for byte | audit verify | problems |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const c of r.cycles) {
      lines.push(
        `| ${c.cycle} | ${c.kills} | ${c.completingRun.summary || `exit ${c.completingRun.exitCode}`} in ` +
          `${c.completingRun.seconds.toFixed(1)} s | ${n(c.state.decisions)} of ${n(r.records)} | ` +
          `${n(c.state.comparedByteForByte)} equal | ${c.verified ? c.verifyLine : "FAILED"} | ` +
          `${c.state.problems.length === 0 ? "none" : c.state.problems.join("; ")} |`,
      );
    }
    if (r.failures.length > 0) lines.push("", `Failures: ${r.failures.join("; ")}`);
  }
  lines.push("");
  return lines.join("\n");
}
