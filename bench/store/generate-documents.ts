import type { ImportInput } from "../../src/services/import/index.js";
import { renderProformaText } from "../../src/import/render/render-proforma.js";
import { generateRecords } from "../parse/generate-proformas.js";

/**
 * Proforma text documents for the store benchmark: the parse benchmark's generated records (a few hundred
 * words each, 2008-2026 meetings of Stockton's Cabinet), rendered to the proforma layout, each with its own
 * record number so every document is a decision of its own. Made `size` at a time (from a seed per chunk), so
 * 100,000 documents never have to be in memory at once; the same documents for the same arguments.
 */
export function generateDocuments(start: number, size: number, seed = 2017): ImportInput[] {
  const records = generateRecords(size, seed + start);
  return records.map((record, i) => {
    const n = start + i;
    const unique = { ...record, recordId: `D${record.meetingDate.slice(2, 4)}${String(n).padStart(6, "0")}` };
    return {
      bytes: Buffer.from(renderProformaText(unique), "utf8"),
      fileName: `${unique.recordId}.txt`,
    };
  });
}
