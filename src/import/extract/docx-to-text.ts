import mammoth from "mammoth";
import { DocumentError } from "../../domain/errors.js";
import { findMainPart } from "./docx-main-part.js";
import { addListMarkers, parseNumbering } from "./docx-numbering.js";
import { htmlToText } from "./html-to-text.js";
import { entryText, readZip, storedEntry, writeZip, ZipFormatError, type ZipEntry } from "./zip-archive.js";

/**
 * Word (.docx) → text, through mammoth's HTML rather than its raw text: the HTML keeps manual
 * line breaks, list items and table cells apart, and goes through the same converter as council
 * web pages, so both formats come out in the same layout.
 */

function damaged(): DocumentError {
  return new DocumentError(
    `the file is a damaged Word document: parts of it cannot be read. ` +
      "Open it in Word, save a new copy (or export it as PDF) and import that.",
  );
}

/**
 * A Word part read as text larger than this is refused before mammoth sees it: the text of a 300-page report is
 * a few MB of XML, and a "zip bomb" of a few hundred KB can inflate to hundreds of MB of valid paragraphs, which
 * would hold the importer for minutes and take gigabytes.
 */
export const MAX_WORD_PART_BYTES = 32 * 2 ** 20;

function tooLarge(name: string, size: number): DocumentError {
  return new DocumentError(
    `the Word document's part ${name} is ${Math.round(size / 2 ** 20)} MB of XML once unpacked, more than the ` +
      `${MAX_WORD_PART_BYTES / 2 ** 20} MB the importer reads: it is not a decision record (perhaps a "zip bomb").`,
  );
}

function optionalText(entries: Map<string, ZipEntry>, name: string): string | undefined {
  const entry = entries.get(name);
  return entry ? entryText(entry) : undefined;
}

export async function docxToText(bytes: Uint8Array): Promise<string> {
  let repacked: Uint8Array;
  try {
    const entries = readZip(bytes);
    const mainPart = findMainPart(entries);
    const main = mainPart === undefined ? undefined : entries.get(mainPart);
    if (mainPart === undefined || !main) {
      throw new DocumentError(
        `the file is a zip archive but not a Word document (it has no word/document.xml). ` +
          "Open the record in Word and save it as .docx, or export it as PDF.",
      );
    }
    for (const part of [main, entries.get("word/numbering.xml"), entries.get("word/styles.xml")]) {
      if (part && part.size > MAX_WORD_PART_BYTES) throw tooLarge(part.name, part.size);
    }
    const numbering = parseNumbering(
      optionalText(entries, "word/numbering.xml"),
      optionalText(entries, "word/styles.xml"),
    );
    const marked = addListMarkers(entryText(main), numbering);
    entries.set(mainPart, storedEntry(mainPart, new TextEncoder().encode(marked)));
    repacked = writeZip(entries.values());
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    if (error instanceof ZipFormatError) throw damaged();
    throw error;
  }

  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(repacked.buffer, repacked.byteOffset, repacked.byteLength) },
      {
        // Images are never part of the record's text; without this mammoth inlines them as base64.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })),
      },
    );
    html = result.value;
  } catch {
    throw damaged();
  }
  return htmlToText(html, { generateListMarkers: false });
}
