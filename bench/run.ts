import { cpus, totalmem } from "node:os";
import { runParseBench } from "./parse/parse-bench.js";

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
