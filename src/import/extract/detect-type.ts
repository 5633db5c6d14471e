import { DocumentError } from "../../domain/errors.js";
import { decodeText } from "./decode-text.js";
import { findMainPart } from "./docx-main-part.js";
import { isZip, MAX_ZIP_ENTRY_MB, readZip, ZipFormatError, ZipTooLargeError } from "./zip-archive.js";

/**
 * Which converter a file needs. The bytes decide first (users rename files, and download tools
 * add or drop extensions), the file name only where the bytes cannot tell (HTML vs plain text).
 * Formats we recognise but cannot read get a message saying what to convert them to.
 */

export type DocumentKind = "text" | "pdf" | "docx" | "html";

export const MEDIA_TYPES: Record<DocumentKind, string> = {
  text: "text/plain",
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
};

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, length: number): string {
  return new TextDecoder("latin1").decode(bytes.subarray(0, length));
}

export function extensionOf(fileName: string): string {
  const match = /\.([a-z0-9]+)$/i.exec(fileName.trim());
  return match ? (match[1] as string).toLowerCase() : "";
}

/** "%PDF-" may follow a little junk (the spec allows it within the first kilobyte). */
function isPdf(bytes: Uint8Array): boolean {
  return ascii(bytes, 1024).includes("%PDF-");
}

const IMAGE_SIGNATURES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ["PNG", [0x89, 0x50, 0x4e, 0x47]],
  ["JPEG", [0xff, 0xd8, 0xff]],
  ["GIF", [0x47, 0x49, 0x46, 0x38]],
  ["TIFF", [0x49, 0x49, 0x2a, 0x00]],
  ["TIFF", [0x4d, 0x4d, 0x00, 0x2a]],
];

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Unsupported-but-recognised binary formats: a DocumentError saying what to do, or null. */
function rejectKnownBinary(bytes: Uint8Array): DocumentError | null {
  for (const [name, signature] of IMAGE_SIGNATURES) {
    if (startsWith(bytes, signature)) {
      return new DocumentError(
        `the file is an image (${name}), not a document with text. ` +
          "If it is a scanned record, run it through OCR (text recognition) and import the resulting PDF or text.",
      );
    }
  }
  if (startsWith(bytes, OLE_SIGNATURE)) {
    return new DocumentError(
      `the file is an older Office file (Word 97-2003 .doc, or a password-protected Office document), ` +
        "which Resolved cannot read. Open it in Word and save it as .docx (without a password) or as PDF.",
    );
  }
  if (ascii(bytes, 5) === "{\\rtf") {
    return new DocumentError(
      `the file is a Rich Text Format (.rtf) file, which Resolved cannot read. ` +
        "Open it in Word and save it as .docx or PDF.",
    );
  }
  return null;
}

function zipKind(bytes: Uint8Array, fileName: string): "docx" {
  let entries: ReturnType<typeof readZip>;
  try {
    entries = readZip(bytes);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    if (error instanceof ZipTooLargeError) {
      throw new DocumentError(
        `the file unpacks to more than ${MAX_ZIP_ENTRY_MB} MB a part (or ${2 * MAX_ZIP_ENTRY_MB} MB in all), which ` +
          'no decision record does: it is not a record the importer reads (perhaps a "zip bomb").',
      );
    }
    throw new DocumentError(
      extensionOf(fileName) === "docx"
        ? `the file is a damaged Word document: the file is cut short or corrupt. ` +
            "Open it in Word and save a new copy (or export it as PDF), then import that."
        : `the file is a damaged zip archive, not a readable document. ` +
            "Export the record again as PDF or .docx and import that.",
    );
  }
  if (findMainPart(entries) !== undefined) return "docx";
  const what = entries.has("xl/workbook.xml")
    ? "an Excel workbook"
    : entries.has("ppt/presentation.xml")
      ? "a PowerPoint presentation"
      : entries.has("content.xml")
        ? "an OpenDocument file"
        : "a zip archive";
  throw new DocumentError(
    `the file is ${what}, not a Word document. ` +
      "Save the decision record itself as .docx or PDF and import that (unzip an archive first).",
  );
}

/** HTML announces itself near the start: a doctype, <html>, or a handful of common tags. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096).trimStart().toLowerCase();
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<!doctype\s+html/.test(head)) return true;
  if (/<html[\s>]/.test(head) || /<(?:head|body)[\s>]/.test(head)) return true;
  if (!head.startsWith("<")) return false;
  const tags = head.match(/<\/?(?:p|div|h[1-6]|table|tr|td|br|ul|ol|li|span|strong|em|b|i|a)\b[^>]*>/g);
  return (tags?.length ?? 0) >= 2;
}

/**
 * A file whose name promises a format its bytes are not. A web page under a .pdf or .docx name
 * is usually a failed download (an error or login page), so we say so rather than import it.
 */
function misnamed(bytes: Uint8Array, fileName: string, extension: string): DocumentError {
  let webPage = false;
  try {
    webPage = looksLikeHtml(decodeText(bytes));
  } catch {
    // Binary junk: the plain message below fits.
  }
  const what = extension === "pdf" ? "a PDF" : "a Word document";
  const real = webPage
    ? "it is a web page, perhaps an error page saved by a failed download"
    : extension === "pdf"
      ? "it does not start with %PDF-"
      : extension === "docx"
        ? "a .docx file is a zip archive and this one is not"
        : "it holds plain text";
  return new DocumentError(
    `the file is named like ${what} but is not one (${real}). ` +
      `Download or export the decision record again as ${extension === "pdf" ? "PDF" : ".docx or PDF"} and import the new file.`,
  );
}

/**
 * The kind of document the bytes hold, or a DocumentError for an empty file, a format we do
 * not read, or a name that promises a format the bytes are not. `text` is the decoded content
 * when the kind is text or html, to avoid decoding twice.
 */
export type Detected = { kind: "pdf" | "docx" } | { kind: "text" | "html"; text: string };

export function detectKind(bytes: Uint8Array, fileName: string): Detected {
  if (bytes.length === 0) {
    throw new DocumentError(
      `the file is empty (0 bytes). Export or download the decision record again and import the new file.`,
    );
  }
  if (isPdf(bytes)) return { kind: "pdf" };
  if (isZip(bytes)) return { kind: zipKind(bytes, fileName) };
  const known = rejectKnownBinary(bytes);
  if (known) throw known;

  const extension = extensionOf(fileName);
  if (extension === "docx" || extension === "pdf") {
    throw misnamed(bytes, fileName, extension);
  }

  const text = decodeText(bytes);
  if (looksLikeHtml(text)) return { kind: "html", text };
  // Some systems save web pages with a .doc name so that Word opens them; those are caught above.
  if (extension === "doc") throw misnamed(bytes, fileName, extension);
  if (["html", "htm", "xhtml"].includes(extension) && /<[a-z][^>]*>/i.test(text)) {
    return { kind: "html", text };
  }
  return { kind: "text", text };
}
