import { getDocumentProxy } from "unpdf";
import { DocumentError } from "../../domain/errors.js";
import { layoutPdfText, type PdfPageText, type PdfTextRun } from "./pdf-layout.js";

/**
 * PDF → text with unpdf (pdf.js). pdf.js gives positioned text runs per page; pdf-layout.ts
 * turns them into lines and paragraphs. pdf.js is lenient and will happily read half a file,
 * so we check for the end-of-file marker ourselves: a record cut short must not be imported
 * as if it were whole.
 */

type Matrix = readonly [number, number, number, number, number, number];

/** pdf.js Util.transform: the text matrix in viewport (device) space. */
function multiply(m1: Matrix, m2: Matrix): Matrix {
  return [
    m1[0] * m2[0] + m1[2] * m2[1],
    m1[1] * m2[0] + m1[3] * m2[1],
    m1[0] * m2[2] + m1[2] * m2[3],
    m1[1] * m2[2] + m1[3] * m2[3],
    m1[0] * m2[4] + m1[2] * m2[5] + m1[4],
    m1[1] * m2[4] + m1[3] * m2[5] + m1[5],
  ];
}

function asMatrix(value: unknown): Matrix | null {
  if (!Array.isArray(value) || value.length < 6 || !value.every((n) => typeof n === "number")) return null;
  return value as unknown as Matrix;
}

/**
 * A run in the viewport, where y grows downwards and rotated pages are turned upright. Runs that
 * are not upright (a diagonal "DRAFT" watermark, vertical margin text) are not part of the record.
 */
function toRun(
  item: { str: string; transform: unknown; width: number },
  viewport: Matrix,
): PdfTextRun | null {
  const own = asMatrix(item.transform);
  if (!own) return null;
  const m = multiply(viewport, own);
  const fontSize = Math.hypot(m[2], m[3]);
  const tolerance = 0.01 * Math.max(fontSize, 1);
  if (m[0] <= 0 || m[3] >= 0 || Math.abs(m[1]) > tolerance || Math.abs(m[2]) > tolerance) return null;
  return { text: item.str, x: m[4], y: m[5], width: item.width, fontSize };
}

/** A complete PDF ends with "%%EOF" (give or take trailing junk from e-mail or upload tools). */
function hasEndOfFile(bytes: Uint8Array): boolean {
  const tail = new TextDecoder("latin1").decode(bytes.subarray(Math.max(0, bytes.length - 4096)));
  return tail.includes("%%EOF");
}

function damaged(): DocumentError {
  return new DocumentError(
    `the file is a damaged PDF that cannot be read. ` +
      "Download or export the record again and import the new copy.",
  );
}

export async function pdfToText(bytes: Uint8Array): Promise<string> {
  if (!hasEndOfFile(bytes)) {
    throw new DocumentError(
      `the file is an incomplete PDF: the end of the file is missing, so it was probably cut short ` +
        "while downloading or copying. Download or export the record again and import the complete file.",
    );
  }

  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of (and may detach) the buffer it is given, so it gets a copy; not
    // bytes.slice(), which for a Node Buffer is a view of the caller's memory.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    if (error instanceof Error && error.name === "PasswordException") {
      throw new DocumentError(
        `the file is a password-protected PDF. Ask for a copy without a password (or remove it), then import that.`,
      );
    }
    throw damaged();
  }

  const pages: PdfPageText[] = [];
  try {
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const transform = asMatrix(viewport.transform) ?? [1, 0, 0, -1, 0, viewport.height];
      const runs: PdfTextRun[] = [];
      for (const item of content.items) {
        if (!("str" in item)) continue;
        const run = toRun(item, transform);
        if (run) runs.push(run);
      }
      pages.push({ width: viewport.width, height: viewport.height, runs });
      page.cleanup();
    }
  } catch {
    throw damaged();
  } finally {
    await pdf.destroy();
  }

  const text = layoutPdfText(pages);
  if (text === "") {
    throw new DocumentError(
      `the file is a PDF with no text in it, only images: it looks like a scanned paper record. ` +
        "Run it through OCR (text recognition) to make a searchable PDF or a text file, then import that.",
    );
  }
  return text;
}
