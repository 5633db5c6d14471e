import { cpus, totalmem } from "node:os";
import { runParseBench } from "./parse/parse-bench.js";
import { runSearchOptions } from "./store/search-options.js";
import { runStoreBench } from "./store/store-bench.js";
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
