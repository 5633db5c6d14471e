import { createHash } from "node:crypto";
import { DocumentError } from "../domain/errors.js";
import { extractText } from "./extract/index.js";
import type { ParsedRecord } from "./proforma-parser.js";
import { readDecisions } from "./read-decisions.js";

export interface ParsedDocument {
  /** The layout's name, e.g. "proforma" or "moderngov-decision". */
  layout: string;
  /** Every decision in the document, in order: at least one. */
  decisions: ParsedRecord[];
}

/**
 * A council's document (text, PDF, DOCX or HTML bytes) as the decision records it holds. Each record's source
 * names the file, the SHA-256 of the exact bytes (so the original can be kept and matched later) and the
 * decision's place in the document.
 */
export async function parseDocument(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const { mediaType, text } = await extractText(bytes, fileName);
  const { layout, decisions } = readDecisions(text, { fileName, mediaType, sha256 });
  return { layout: layout.name, decisions };
}

/**
 * A document that holds exactly one decision, as that decision's record: for uses that make one thing of a
 * document (a draft from an upload). Throws DocumentError naming how many decisions a longer document holds.
 */
export async function parseSingleDecision(bytes: Uint8Array, fileName: string): Promise<ParsedRecord> {
  const { decisions } = await parseDocument(bytes, fileName);
  if (decisions.length > 1) {
    throw new DocumentError(
      `the document holds ${decisions.length} decisions; upload a document with one, or import it whole (resolved import)`,
    );
  }
  return decisions[0]!;
}
