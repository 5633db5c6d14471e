import { cpus, totalmem } from "node:os";
import { runMixedBench } from "./mixed/mixed-bench.js";
import { runBackupBench } from "./backup/backup-bench.js";
import { faultsMarkdown, runFaultsBench } from "./faults/faults-bench.js";
import { runFuzzBench } from "./fuzz/fuzz-bench.js";
import { runLineSweep } from "./fuzz/line-sweep.js";
import { runParseBench } from "./parse/parse-bench.js";
import { runRenderBench } from "./render/render-bench.js";
import { runSearchOptions } from "./store/search-options.js";
import { runScaleBench, scaleMarkdown } from "./scale/scale-bench.js";
import { runStoreBench } from "./store/store-bench.js";
import { runWebBench } from "./web/web-bench.js";
import { runWorkspaceBench } from "./workspace/workspace-bench.js";
import { migrations } from "../src/storage/migrations/index.js";

/** `npm run bench [name...]`: runs the benchmarks and prints Markdown for docs/benchmarks.md. */
const wanted = process.argv.slice(2);
const runs = (name: string) => wanted.length === 0 || wanted.includes(name);

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Machine: ${machine}; date: ${new Date().toISOString().slice(0, 10)}\n`);

if (runs("parse")) {
  const r = await runParseBench();
  console.log("## bench/parse\n");
  console.log("| input | documents | rate | target |\n| --- | --- | --- | --- |");
  console.log(
    `| generated proforma text (~${r.averageWords} words) | ${r.textRecords} in ${r.textSeconds.toFixed(2)} s | ${Math.round(r.textRecordsPerSecond)} records/s | ≥ 2,000/s |`,
  );
  for (const b of r.binary)
    console.log(
      `| ${b.format} fixtures (${b.files} files) | ${b.parses} parses | ${b.perSecond.toFixed(1)} documents/s | report |`,
    );
  console.log(
    "\n| layout | format | fixtures | parses | documents/s | decision records/s | extraction alone, documents/s |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const l of r.layouts)
    console.log(
      `| ${l.layout} | ${l.format} | ${l.files} | ${l.parses} | ${l.documentsPerSecond.toFixed(1)} | ` +
        `${l.recordsPerSecond.toFixed(1)} | ${l.extractOnlyPerSecond.toFixed(1)} |`,
    );
  console.log();
}

if (runs("render")) {
  const r = await runRenderBench();
  console.log("## bench/render\n");
  console.log(`${r.records} generated proformas after ${r.warmUp} to warm up, one at a time on one core.\n`);
  console.log("| renders | mean per record | CPU per record | first in process | average size |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const f of r.results) {
    console.log(
      `| ${f.format} | ${f.meanMs.toFixed(2)} ms | ${f.cpuMs.toFixed(2)} ms | ${f.firstMs.toFixed(1)} ms | ` +
        `${Math.round(f.averageBytes / 1024)} KiB |`,
    );
  }
  console.log();
}

if (runs("store")) {
  const r = await runStoreBench();
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const n = (value: number) => Math.round(value).toLocaleString("en-GB");
  console.log("## bench/store\n");
  console.log(
    `${n(r.count)} generated proformas (~${n(r.results[0]?.averageDocumentBytes ?? 0)} bytes of text each), ` +
      `batches of ${r.batchSize}, into an empty register (schema: ${Object.keys(migrations).join(", ")}).\n`,
  );
  console.log("| backend | run | time | rate | target | peak RSS |\n| --- | --- | --- | --- | --- | --- |");
  for (const b of r.results) {
    const target = b.backend === "PGlite" ? "≥ 1,000/s" : "≥ 5,000/s";
    for (const [name, run] of [
      ["end to end (bytes → committed rows, parse included)", b.endToEnd],
      ["storage only (parsed beforehand)", b.storageOnly],
    ] as const) {
      console.log(
        `| ${b.backend} | ${name} | ${run.seconds.toFixed(1)} s | ${n(run.perSecond)} records/s | ${target} | ${mib(run.peakRssMiB * 2 ** 20)} |`,
      );
    }
  }
  console.log("\n| backend | database size | on disk | search check |\n| --- | --- | --- | --- |");
  for (const b of r.results) {
    console.log(
      `| ${b.backend} (${b.detail}) | ${mib(b.databaseBytes)} (pg_database_size) | ` +
        `${b.dataDirBytes === undefined ? "n/a" : `${mib(b.dataDirBytes)} (data directory)`} | ` +
        `"${b.search.query}": ${n(b.search.matches)} matches in ${b.search.ms.toFixed(0)} ms |`,
    );
  }
  for (const b of r.results) {
    if (!b.serverFloor) continue;
    const f = b.serverFloor;
    console.log(
      `\n${b.backend}, the floor: the same rows copied within the server (INSERT ... SELECT into tables made LIKE ` +
        `the register's, no client): ${n(f.records)} records in ${f.seconds.toFixed(1)} s = ${n(f.perSecond)} records/s ` +
        `(${f.tables.map((t) => `${t.table} ${t.seconds.toFixed(1)} s`).join(", ")}).`,
    );
  }
  for (const note of r.notes) console.log(`\n${note}`);
  if (process.env.RESOLVED_BENCH_STORE_OPTIONS !== "off") {
    const options = await runSearchOptions();
    console.log(
      "\nPGlite, decision rows only, 3,000 in batches of 500 (best of 3), by how decision.search is filled:\n",
    );
    console.log("| search vector | ms per record |\n| --- | --- |");
    for (const o of options) console.log(`| ${o.variant} | ${o.msPerRecord.toFixed(3)} |`);
  }
  console.log();
}

if (runs("web")) {
  const r = await runWebBench();
  const n = (value: number) => Math.round(value).toLocaleString("en-GB");
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log("## bench/web\n");
  console.log(
    `${n(r.count)} generated decisions (~${n(r.register.averageWords)} words each), PGlite, ` +
      `${(r.register.databaseBytes / 2 ** 20).toFixed(0)} MiB (pg_database_size); register ` +
      (r.register.reused ? "reused from bench/.cache" : `imported in ${r.register.seconds.toFixed(0)} s`) +
      ".\n",
  );
  console.log(
    `Start (\`npm start\` to the first 200 from GET /): ${r.startMs.map((t) => ms(t)).join(", ")}\n`,
  );
  for (const [name, rows] of [
    ["/decisions (HTML page)", r.searchPage],
    ["/api/v1/decisions (JSON)", r.searchApi],
  ] as const) {
    console.log(`Search latency, ${name}:\n`);
    console.log("| searches | requests | p50 | p95 | max |\n| --- | --- | --- | --- | --- |");
    for (const row of rows)
      console.log(`| ${row.kind} | ${row.requests} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.max)} |`);
    console.log();
  }
  if (r.decisionPage && r.staticFile) {
    console.log("| served | requests/s | bytes | p50 | p99 |\n| --- | --- | --- | --- | --- |");
    for (const [name, load] of [
      ["decision page /decisions/:id", r.decisionPage],
      ["the same bytes as static files", r.staticFile],
    ] as const) {
      console.log(
        `| ${name} | ${n(load.perSecond)} | ${n(load.bytesPerResponse)} | ${ms(load.p50Ms)} | ${ms(load.p99Ms)} |`,
      );
    }
    console.log(
      `\nDecision pages at ${((100 * r.decisionPage.perSecond) / r.staticFile.perSecond).toFixed(0)}% of the static rate.`,
    );
  }
  if (r.cachedVsBare.length > 0) {
    console.log(
      "\nCached decision pages against a bare node:http server sending the same bytes (bench/web/bare-server.mjs), " +
        "same load client and connections, alternately:\n",
    );
    console.log(
      "| round | cached page requests/s | p50 | p99 | server CPU a request | bare node:http requests/s | p50 | p99 | bare CPU a request | ratio (requests/s) | ratio (CPU) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    const us = (value: number) => `${Math.round(value)} µs`;
    r.cachedVsBare.forEach(({ page, bare, pageCpuUs, bareCpuUs }, i) =>
      console.log(
        `| ${i + 1} | ${n(page.perSecond)} | ${ms(page.p50Ms)} | ${ms(page.p99Ms)} | ${us(pageCpuUs)} | ${n(bare.perSecond)} | ` +
          `${ms(bare.p50Ms)} | ${ms(bare.p99Ms)} | ${us(bareCpuUs)} | ${((100 * page.perSecond) / bare.perSecond).toFixed(0)}% | ` +
          `${((100 * bareCpuUs) / pageCpuUs).toFixed(0)}% |`,
      ),
    );
    const ratios = r.cachedVsBare
      .map(({ page, bare }) => page.perSecond / bare.perSecond)
      .sort((a, b) => a - b);
    console.log(
      `\nMedian ratio: ${(100 * ratios[Math.floor(ratios.length / 2)]!).toFixed(0)}% (target ≥ 50%).`,
    );
  }
  console.log(`\nServer RSS after the run: ${n(r.rss.currentMiB)} MiB (peak ${n(r.rss.peakMiB)} MiB).\n`);
  if (r.relevance.length > 0) {
    console.log(
      "| search | matches | strategy | relevance of the first 10 (share of the exact top 10's) | exact top 10 on page 1 | naive ranked query |\n| --- | --- | --- | --- | --- | --- |",
    );
    for (const c of r.relevance)
      console.log(
        `| ${c.query} | ${n(c.matches)} | ${c.strategy} | ${(100 * c.rankAttained).toFixed(1)}% | ${c.top10OnFirstPage}/10 | ${ms(c.naiveMs)} |`,
      );
    console.log(`\nNaive ranked query p95: ${ms(r.naiveP95)}.\n`);
  }
}

if (runs("workspace")) {
  const r = await runWorkspaceBench();
  console.log("## bench/workspace\n");
  console.log(
    `The example register with ${r.drafts} drafts on PGlite; the server from the build; 8 keep-alive connections ` +
      "for 10 s after 2 s of warm-up; writes one at a time.\n",
  );
  console.log("| path | requests/s | p50 | p99 | bytes |\n| --- | --- | --- | --- | --- |");
  for (const load of r.loads) {
    const l = load.report;
    console.log(
      `| ${load.name} (\`${load.path}\`) | ${Math.round(l.perSecond)} | ${l.p50Ms.toFixed(1)} ms | ${l.p99Ms.toFixed(1)} ms | ${Math.round(l.bytesPerResponse)} |`,
    );
  }
  console.log("\n| write | requests | p50 | p95 | max |\n| --- | --- | --- | --- | --- |");
  for (const w of r.writes) {
    console.log(
      `| ${w.kind} | ${w.requests} | ${w.p50.toFixed(1)} ms | ${w.p95.toFixed(1)} ms | ${w.max.toFixed(1)} ms |`,
    );
  }
  console.log(
    `\nServer RSS after the run: ${r.rss.currentMiB.toFixed(0)} MiB (peak ${r.rss.peakMiB.toFixed(0)} MiB).\n`,
  );
}

if (runs("mixed")) {
  const r = await runMixedBench();
  console.log(
    `## bench/mixed: ${r.connections} connections for ${r.seconds} s over ${r.paths} paths${r.varied ? " (the words of searches, API lists and feeds drawn for each request)" : ""}, ${r.count.toLocaleString("en-GB")} decisions\n`,
  );
  console.log(
    "| run | requests/s | p50 ms | p99 ms | errors | server RSS now / peak MiB | import during the load |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const run of r.runs) {
    const imported = run.importRun
      ? `${run.importRun.records} records in ${run.importRun.seconds.toFixed(1)} s (exit ${run.importRun.exitCode})`
      : "";
    console.log(
      `| ${run.name} | ${run.report.perSecond.toFixed(1)} | ${run.report.p50Ms.toFixed(1)} | ${run.report.p99Ms.toFixed(1)} | ` +
        `${run.report.errors} | ${run.rss.currentMiB.toFixed(0)} / ${run.rss.peakMiB.toFixed(0)} | ${imported} |`,
    );
  }
  for (const run of r.runs) {
    console.log(
      `\n${run.name}, by kind:\n\n| kind | requests | p50 ms | p99 ms |\n| --- | --- | --- | --- |`,
    );
    for (const [kind, g] of Object.entries(run.report.groups ?? {}))
      console.log(`| ${kind} | ${g.requests} | ${g.p50Ms.toFixed(1)} | ${g.p99Ms.toFixed(1)} |`);
  }
  console.log();
}

if (runs("backup")) {
  const r = await runBackupBench();
  const n = (value: number) => Math.round(value).toLocaleString("en-GB");
  console.log("## bench/backup\n");
  console.log(
    `${n(r.decisions)} generated decisions (${n(r.rows)} rows in all), embedded database; restore into a fresh one.\n`,
  );
  console.log("| step | time | size |\n| --- | --- | --- |");
  console.log(
    `| resolved backup | ${r.backupSeconds.toFixed(1)} s | ${(r.backupBytes / 2 ** 20).toFixed(1)} MiB gzipped |`,
  );
  console.log(`| resolved backup --verify | ${r.verifySeconds.toFixed(1)} s | |`);
  console.log(`| resolved restore (verify, load, read back) | ${r.restoreSeconds.toFixed(1)} s | |`);
  if (r.server) {
    console.log(
      `| on a PostgreSQL server: restore of the same backup | ${r.server.restoreSeconds.toFixed(1)} s | |`,
    );
    console.log(
      `| on a PostgreSQL server: resolved backup | ${r.server.backupSeconds.toFixed(1)} s | ${(r.server.backupBytes / 2 ** 20).toFixed(1)} MiB gzipped |`,
    );
  }
  console.log(
    `\nRestored register exports the same rows: ${r.identical ? "yes" : "NO"}` +
      (r.server ? `; on the server: ${r.server.identical ? "yes" : "NO"}` : "") +
      "\n",
  );
}

if (wanted.includes("faults")) {
  // Not in a plain `npm run bench`: it kills imports for half an hour. `npm run bench -- faults`.
  console.log(faultsMarkdown(await runFaultsBench()));
}

if (runs("fuzz")) {
  const r = await runFuzzBench();
  const n = (value: number) => Math.round(value).toLocaleString("en-GB");
  const total = r.rows.reduce((sum, row) => sum + row.cases, 0);
  console.log("## bench/fuzz\n");
  console.log(
    `${n(total)} hostile documents from ${r.fixtures} fixtures (seed ${r.seed}); a case is slow over ` +
      "2 s + 3 s per MB of CPU.\n",
  );
  console.log("| damage | cases | read | refused | crashed | slow | unclear message | max CPU |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const row of r.rows)
    console.log(
      `| ${row.op} | ${n(row.cases)} | ${n(row.parsed)} | ${n(row.refused)} | ${row.crashed} | ${row.slow} | ` +
        `${row.unclear} | ${row.maxCpuSeconds.toFixed(2)} s |`,
    );
  console.log(
    `\nHeap growth over the run: ${r.heapGrowthMiB.toFixed(0)} MiB; peak RSS ${n(r.maxRssMiB)} MiB.` +
      (r.failures.length > 0 ? `\n\nFailures:\n${r.failures.map((f) => `- ${f}`).join("\n")}` : ""),
  );
  console.log(
    "\n| where | over-long line | characters | outcome | CPU | wall |\n| --- | --- | --- | --- | --- | --- |",
  );
  for (const l of r.longLines)
    console.log(
      `| ${l.where} | ${l.shape} | ${n(l.characters)} | ${l.outcome} | ${l.cpuSeconds.toFixed(3)} s | ${l.wallSeconds.toFixed(3)} s |`,
    );
  if (process.env.RESOLVED_FUZZ_SWEEP === "1") {
    const sweep = await runLineSweep();
    console.log(
      `\nSweep for super-linear parsing (bench/fuzz/line-sweep.ts): ${n(sweep.cases)} cases, ` +
        `${sweep.suspects.length} suspects${sweep.suspects.map((s) => `\n- ${s}`).join("")}`,
    );
  }
  console.log();
}

if (wanted.includes("scale")) {
  const r = await runScaleBench();
  if (r) console.log(scaleMarkdown(r));
}
