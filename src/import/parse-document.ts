import { createHash } from "node:crypto";
import { extractText } from "./extract/index.js";
import { parseProforma, type ParsedRecord } from "./proforma-parser.js";

/**
 * A council's document (text, PDF, DOCX or HTML bytes) as a decision record. The record's source
 * names the file and the SHA-256 of the exact bytes, so the original can be kept and matched later.
 */
export async function parseDocument(bytes: Uint8Array, fileName: string): Promise<ParsedRecord> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const { mediaType, text } = await extractText(bytes, fileName);
  return parseProforma(text, { fileName, mediaType, sha256 });
}
