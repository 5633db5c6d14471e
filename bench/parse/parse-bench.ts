import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "../../src/import/parse-document.js";
import { parseProforma } from "../../src/import/proforma-parser.js";
import { renderProformaText } from "../../src/import/render/render-proforma.js";
import { generateRecords } from "./generate-proformas.js";

export interface ParseBenchResult {
  textRecords: number;
  textSeconds: number;
  textRecordsPerSecond: number;
  averageWords: number;
  binary: Array<{ format: string; files: number; parses: number; perSecond: number }>;
}

/** Parses 10,000 generated proformas on one core, then the PDF and DOCX fixtures repeatedly. */
export async function runParseBench(count = 10_000): Promise<ParseBenchResult> {
  const texts = generateRecords(count).map(renderProformaText);
  const averageWords = Math.round(texts.reduce((n, t) => n + t.split(/\s+/).length, 0) / texts.length);
  for (const text of texts.slice(0, 200)) parseProforma(text); // warm up the JIT
  const start = process.hrtime.bigint();
  for (const text of texts) parseProforma(text);
  const textSeconds = Number(process.hrtime.bigint() - start) / 1e9;

  const binary: ParseBenchResult["binary"] = [];
  for (const [format, folder] of [
    ["PDF", "test/fixtures/pdf"],
    ["DOCX", "test/fixtures/docx"],
  ] as const) {
    const names = (await readdir(folder).catch(() => [])).filter((n) =>
      n.endsWith(`.${format.toLowerCase()}`),
    );
    const files = await Promise.all(
      names.map(async (n) => ({ name: n, bytes: await readFile(join(folder, n)) })),
    );
    if (files.length === 0) continue;
    const rounds = 40;
    const begin = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) for (const f of files) await parseDocument(f.bytes, f.name);
    const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
    binary.push({
      format,
      files: files.length,
      parses: rounds * files.length,
      perSecond: (rounds * files.length) / seconds,
    });
  }
  return { textRecords: count, textSeconds, textRecordsPerSecond: count / textSeconds, averageWords, binary };
}
