import type { ParsedRecord, SourceDescription } from "../proforma-parser.js";

/**
 * One way councils lay out their published decisions (a Stockton proforma, a ModernGov "Decision details"
 * page, a decision list, a meeting's minutes). The importer asks each layout in turn whether it recognises
 * the extracted text; the first that does reads every decision in it.
 */
export interface DocumentLayout {
  /** Kebab-case, stored in `record.source.layout`, e.g. "moderngov-decision". */
  name: string;
  /** For people: "ModernGov decision details page". */
  label: string;
  /** Whether the text looks like this layout; cheap, no parsing of fields. */
  recognises(text: string): boolean;
  /**
   * Every decision in the text, in document order, each with its own warnings (line numbers are the
   * document's). `source` is null when the text has no file behind it. Throws DocumentError only when the
   * text holds no decision at all.
   */
  read(text: string, source: SourceDescription | null): ParsedRecord[];
}
