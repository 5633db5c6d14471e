import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { extractText } from "../../src/import/extract/index.js";
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
  layouts: LayoutRate[];
}

/** One layout in one format, over the fixtures that read as it: the whole import path against extraction alone. */
export interface LayoutRate {
  layout: string;
  format: string;
  files: number;
  parses: number;
  documentsPerSecond: number;
  recordsPerSecond: number;
  extractOnlyPerSecond: number;
}

const layoutFolders = [
  "test/fixtures/moderngov",
  "test/fixtures/minutes",
  "test/fixtures/text",
  "test/fixtures/html",
  "test/fixtures/pdf",
  "test/fixtures/docx",
];

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Every fixture grouped by the layout it reads as and its format; each group parsed `rounds` times. */
async function runLayoutBench(rounds: number): Promise<LayoutRate[]> {
  const groups = new Map<string, Array<{ name: string; bytes: Buffer; records: number }>>();
  for (const folder of layoutFolders) {
    for (const name of (await readdir(folder).catch(() => [])).sort()) {
      const bytes = await readFile(join(folder, name));
      const parsed = await parseDocument(bytes, name).catch(() => undefined); // a fixture meant to fail
      if (!parsed) continue;
      const key = `${parsed.layout}\t${name.slice(name.lastIndexOf(".") + 1)}`;
      groups.set(key, [...(groups.get(key) ?? []), { name, bytes, records: parsed.decisions.length }]);
    }
  }
  const rates: LayoutRate[] = [];
  for (const [key, files] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [layout = "", format = ""] = key.split("\t");
    const n = format === "pdf" || format === "docx" ? Math.max(4, rounds / 10) : rounds;
    let start = process.hrtime.bigint();
    for (let r = 0; r < n; r++) for (const f of files) await extractText(f.bytes, f.name);
    const extractSeconds = seconds(start);
    start = process.hrtime.bigint();
    for (let r = 0; r < n; r++) for (const f of files) await parseDocument(f.bytes, f.name);
    const parseSeconds = seconds(start);
    const records = files.reduce((sum, f) => sum + f.records, 0);
    rates.push({
      layout,
      format: `.${format}`,
      files: files.length,
      parses: n * files.length,
      documentsPerSecond: (n * files.length) / parseSeconds,
      recordsPerSecond: (n * records) / parseSeconds,
      extractOnlyPerSecond: (n * files.length) / extractSeconds,
    });
  }
  return rates;
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
  const layouts = await runLayoutBench(200);
  return {
    textRecords: count,
    textSeconds,
    textRecordsPerSecond: count / textSeconds,
    averageWords,
    binary,
    layouts,
  };
}
