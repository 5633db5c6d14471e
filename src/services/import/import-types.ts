import type { DecisionRecord } from "../../domain/decision-record.js";
import type { ParsedRecord } from "../../import/parsed-record.js";

/** What an import takes and gives. */

export type ImportOutcome = "imported" | "unchanged" | "new-version";

export interface ImportWarning {
  /** 1-based line in the text extracted from the document, when known. */
  line?: number;
  message: string;
}

export interface ImportResult {
  outcome: ImportOutcome;
  decisionId: number;
  /** The version this document is (for "unchanged", the version it matched). */
  version: number;
  recordId: string | null;
  title: string;
  /** The decision's position in its document (1 for the first or only one). */
  part: number;
  /** Everything the person importing should look at: the parser's warnings, then the register's checks. */
  warnings: string[];
  /** The same warnings with the line each refers to, where known (for `FILE:LINE: warning: ...`). */
  warningDetails: ImportWarning[];
}

/**
 * A document's import: its first decision's result (all of it, for the many documents that hold one decision),
 * and every decision's result in document order in `decisions`.
 */
export interface DocumentImportResult extends ImportResult {
  decisions: ImportResult[];
}

export interface ImportInput {
  bytes: Uint8Array;
  /** The original's name, kept with its bytes; a base name is best ("D080067.pdf"). */
  fileName: string;
  /** Where the document was published, if known. */
  sourceUrl?: string;
}

export interface ImportOptions {
  /** Council slug. Default: the council the record names, else `defaultCouncil`. */
  council?: string;
  /** The configured default council (RESOLVED_COUNCIL), for records that do not name theirs. */
  defaultCouncil?: string;
  /** Who is importing, for the audit log and the stored original. */
  actor: string;
}

/** A document parsed (or not) ahead of its batch. */
export interface ParsedInput {
  input: ImportInput;
  /** The document's first (or only) decision. */
  record?: DecisionRecord;
  parseWarnings?: ImportWarning[];
  /** The document's other decisions: such a document is stored whole, on its own, after the batch. */
  otherDecisions?: ParsedRecord[];
  /** Why it could not be parsed. */
  error?: unknown;
}
