import type { DecisionRecord } from "../../domain/decision-record.js";
import { chooseLayout } from "./pdf-pages.js";
import { writePdf } from "./pdf-writer.js";

export { recordAsReadFromPdf } from "./pdf-pages.js";

/**
 * The record as a PDF in the proforma layout: A4 portrait, DejaVu Sans 11 pt embedded (so Welsh,
 * Irish, Polish, Greek and Cyrillic names print as written), 2 cm side margins, headings in bold,
 * "Page N of M" in the footer, and a structure tree (headings, paragraphs, lists) with the
 * document's title and language (en-GB) for screen readers. The same record gives the same bytes.
 *
 * The lines are laid out here (render/pdf-lines.ts, render/pdf-pages.ts) and checked by reading
 * them back through our own importer, so a downloaded PDF imports as the record it was made from;
 * pdfkit writes the file (render/pdf-writer.ts). Synchronous: pdfkit has the whole file in memory
 * when it ends.
 */
export function renderProformaPdf(record: DecisionRecord): Uint8Array {
  return writePdf(record, chooseLayout(record));
}
