import { detectKind, MEDIA_TYPES } from "./detect-type.js";
import { tidyLines } from "./normalise-text.js";
import { DocumentError } from "../../domain/errors.js";

/**
 * The importer's first step: the bytes of a council's decision record (plain text, PDF, Word
 * .docx or HTML) → plain text in the layout of the seed records, for the proforma parser.
 *
 * The text has LF line ends and ends with one newline; paragraphs and headings are one per line
 * where the source keeps them whole (PDF lines may be wrapped lines of one paragraph), with a
 * blank line between paragraphs; list items are one per line and start with their visible
 * marker ("a.", "1.", "-" for bullets); table cells are separated by a tab. Anything that is not
 * a readable record throws a DocumentError with a message for the person importing it.
 *
 * The PDF, Word and HTML readers (pdf.js, mammoth, parse5: megabytes of code) are loaded the first time a
 * document of their kind is read, so a server that imports only text, or nothing, never holds them.
 */

export interface ExtractedText {
  mediaType: string;
  text: string;
}

export { MEDIA_TYPES } from "./detect-type.js";

/**
 * Limits on what the importer reads, far above any council's record (a year of a committee's minutes is a few
 * hundred KB of text, a PDF with photographs some tens of MB) and low enough that a hostile file cannot hold a
 * server for long: parsing is linear, about a second per 5 MB of text on one core.
 */
export const MAX_DOCUMENT_BYTES = 64 * 2 ** 20;
export const MAX_TEXT_CHARACTERS = 10 * 2 ** 20;

const megabytes = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

export async function extractText(bytes: Uint8Array, fileName: string): Promise<ExtractedText> {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    throw new DocumentError(
      `${fileName} is ${megabytes(bytes.length)}, more than the ${MAX_DOCUMENT_BYTES / 2 ** 20} MB the importer ` +
        "reads: no decision record is that large. Check that you chose the right file.",
    );
  }
  const detected = detectKind(bytes, fileName);
  let text: string;
  switch (detected.kind) {
    case "pdf":
      text = await (await import("./pdf-to-text.js")).pdfToText(bytes);
      break;
    case "docx":
      text = await (await import("./docx-to-text.js")).docxToText(bytes);
      break;
    case "html":
      text = (await import("./html-to-text.js")).htmlToText(detected.text);
      break;
    case "text":
      text = tidyLines(detected.text, { collapseSpaces: false });
      break;
  }
  if (text.length > MAX_TEXT_CHARACTERS) {
    throw new DocumentError(
      `${fileName} holds ${megabytes(text.length)} of text, more than the ${MAX_TEXT_CHARACTERS / 2 ** 20} MB the ` +
        "importer reads in one document. Split it into smaller documents (one meeting or decision each).",
    );
  }
  if (text === "") {
    throw new DocumentError(
      `the file has no text in it. Check that you chose the right file, and export the decision record again if it should have text.`,
    );
  }
  return { mediaType: MEDIA_TYPES[detected.kind], text };
}
