import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Document, Packer, Paragraph } from "docx";
import PDFDocument from "pdfkit";
import type { DecisionRecord } from "../../src/domain/decision-record.js";

/**
 * The floor under our renderers: what the libraries themselves cost to make a document of the same words,
 * with none of our work (no proforma layout, headings, lists, tags, page footers or fixed bytes).
 *
 * - PDF: pdfkit with the same DejaVu fonts (loaded once, as ours are), the record's text written as plain
 *   paragraphs with pdfkit's own line breaking, fonts subset by pdfkit's fontkit, streams compressed.
 * - Word: the docx package's own Packer (asynchronous, zipping with JSZip), one paragraph per line.
 */

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function dejaVu(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
    bold: readFileSync(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
  };
  return fonts;
}

function plainText(record: DecisionRecord): string[] {
  return [
    record.title,
    record.record,
    ...record.outcomes.flatMap((o) => [`${o.kind} ${o.text}`, ...o.items]),
    record.reasons,
    record.alternatives,
    record.conflictsOfInterest,
    record.dispensations,
    record.callIn.text,
  ].flatMap((text) => text.split("\n"));
}

export function pdfkitFloor(record: DecisionRecord): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "A4", margin: 57, font: null });
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.registerFont("regular", dejaVu().regular);
    doc.registerFont("bold", dejaVu().bold);
    doc.font("bold", 14).text(record.title);
    doc.font("regular", 11);
    for (const line of plainText(record).slice(1)) doc.text(line);
    doc.end();
  });
}

export async function docxFloor(record: DecisionRecord): Promise<Uint8Array> {
  const document = new Document({
    sections: [{ children: plainText(record).map((line) => new Paragraph({ text: line })) }],
  });
  return Packer.toBuffer(document);
}
