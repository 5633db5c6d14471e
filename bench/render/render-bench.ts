import { performance } from "node:perf_hooks";
import type { DecisionRecord } from "../../src/domain/decision-record.js";
import { renderProformaDocx } from "../../src/import/render/render-docx.js";
import { renderProformaPdf } from "../../src/import/render/render-pdf.js";
import { generateRecords } from "../parse/generate-proformas.js";
import { docxFloor, pdfkitFloor } from "./library-floor.js";

export interface RenderFormatResult {
  format: "PDF" | "DOCX" | "PDF floor (pdfkit alone)" | "DOCX floor (docx alone)";
  records: number;
  /** The first record rendered in the process: loading the renderer's fonts and code included. */
  firstMs: number;
  /** Mean wall-clock time over `records`, after the warm-up. */
  meanMs: number;
  /**
   * Mean CPU time of the process (all its threads, the garbage collector's included) over the same
   * records: steadier than wall-clock time on a machine that is busy with other work.
   */
  cpuMs: number;
  averageBytes: number;
}

export interface RenderBenchResult {
  records: number;
  warmUp: number;
  results: RenderFormatResult[];
}

type Render = (record: DecisionRecord) => Uint8Array | Promise<Uint8Array>;

async function measure(
  format: RenderFormatResult["format"],
  render: Render,
  warmUp: readonly DecisionRecord[],
  records: readonly DecisionRecord[],
): Promise<RenderFormatResult> {
  const first = performance.now();
  await render(warmUp[0]!);
  const firstMs = performance.now() - first;
  // Warm up the JIT (and any caches the renderer keeps) on records that are not measured.
  for (const record of warmUp.slice(1)) await render(record);
  let bytes = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const record of records) bytes += (await render(record)).byteLength;
  const meanMs = (performance.now() - start) / records.length;
  const used = process.cpuUsage(cpu);
  return {
    format,
    records: records.length,
    firstMs,
    meanMs,
    cpuMs: (used.user + used.system) / 1000 / records.length,
    averageBytes: Math.round(bytes / records.length),
  };
}

/**
 * Renders generated proformas (a few hundred words each) to PDF and to Word on one core, one after
 * another, and reports the mean time and size per record. `await` takes either a synchronous or an
 * asynchronous renderer, so the same bench measures an older tree too. In the same run, the libraries'
 * own floor (library-floor.ts): the same words as a plain document, with no work of ours.
 */
export async function runRenderBench(count = 200, warmUpCount = 20): Promise<RenderBenchResult> {
  const all = generateRecords(count + warmUpCount, 1811);
  const warmUp = all.slice(0, warmUpCount);
  const records = all.slice(warmUpCount);
  const results = [
    await measure("PDF", renderProformaPdf, warmUp, records),
    await measure("DOCX", renderProformaDocx, warmUp, records),
    await measure("PDF floor (pdfkit alone)", pdfkitFloor, warmUp, records),
    await measure("DOCX floor (docx alone)", docxFloor, warmUp, records),
  ];
  return { records: count, warmUp: warmUpCount, results };
}
