import { DocumentError } from "../../domain/errors.js";

/**
 * Bytes → string for plain-text and HTML records. Council exports are UTF-8 today, but older
 * ones are Windows-1252 (curly quotes as 0x92, en dashes as 0x96), and Notepad's "Unicode" is
 * UTF-16 with a byte order mark, so we try them in that order rather than trusting a label.
 */

// Node's TextDecoder treats "windows-1252" as Latin-1 (0x92 → U+0092), so we map 0x80–0x9F
// ourselves. The five bytes Windows-1252 leaves undefined keep their C1 code points.
const CP1252_HIGH: readonly number[] = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    const codes = Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? b) : b));
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join("");
}

function decodeStrict(bytes: Uint8Array, encoding: string): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The text, or null when it is not text at all (binary data that merely decoded). */
function decodeAny(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeStrict(bytes.subarray(2), "utf-16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeStrict(bytes.subarray(2), "utf-16be");
  return decodeStrict(bytes, "utf-8") ?? decodeWindows1252(bytes);
}

/**
 * Control characters other than tab, line feed, form feed and carriage return, plus the
 * replacement character: a real document has (almost) none, random or binary data has many.
 */
function looksBinary(text: string): boolean {
  let suspicious = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    const control = code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
    if (control || (code >= 0x7f && code <= 0x9f) || code === 0xfffd) suspicious++;
  }
  return suspicious > Math.max(2, text.length * 0.01);
}

/** Decodes a text document, or throws a DocumentError when the bytes are not text. */
export function decodeText(bytes: Uint8Array): string {
  const text = decodeAny(bytes);
  if (text === null || looksBinary(text)) {
    throw new DocumentError(
      `the file is not a document Resolved can read: it holds binary data, not plain text, PDF, ` +
        "Word (.docx) or HTML. Check that you chose the right file, or export the record again as PDF or .docx.",
    );
  }
  return text;
}
