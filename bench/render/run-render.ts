import { cpus } from "node:os";
import { runRenderBench } from "./render-bench.js";

/** `node --import tsx bench/render/run-render.ts [records]`: the render bench alone, as Markdown. */
const count = Number(process.argv[2] ?? 200);
const r = await runRenderBench(count);
console.log(`${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}\n`);
console.log(`${r.records} generated proformas after ${r.warmUp} to warm up, one at a time on one core.\n`);
console.log("| format | mean per record | CPU per record | first in process | average size |");
console.log("| --- | --- | --- | --- | --- |");
for (const f of r.results) {
  const cells = [
    f.format,
    `${f.meanMs.toFixed(2)} ms`,
    `${f.cpuMs.toFixed(2)} ms`,
    `${f.firstMs.toFixed(1)} ms`,
    `${Math.round(f.averageBytes / 1024)} KiB`,
  ];
  console.log(`| ${cells.join(" | ")} |`);
}
