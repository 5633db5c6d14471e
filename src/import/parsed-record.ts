import type { DecisionRecord, RecordSource } from "../domain/decision-record.js";

/** Something the person importing should look at, with the line of the extracted text it refers to. */
export interface ParseWarning {
  line?: number;
  message: string;
}

/** One decision read from a document, and what the reader noticed on the way. */
export interface ParsedRecord {
  record: DecisionRecord;
  warnings: ParseWarning[];
}

/** Where the text came from, for `record.source`; lines (and part, layout) are filled in by the readers. */
export type SourceDescription = Omit<RecordSource, "lines" | "part" | "layout">;
