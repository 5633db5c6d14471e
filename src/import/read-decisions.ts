import { DocumentError } from "../domain/errors.js";
import type { DocumentLayout } from "./layouts/document-layout.js";
import { decisionListLayout } from "./layouts/decision-list-layout.js";
import { modernGovDecisionLayout } from "./layouts/moderngov-decision-layout.js";
import { meetingMinutesLayout } from "./layouts/meeting-minutes-layout.js";
import { minutesTableLayout } from "./layouts/minutes-table-layout.js";
import { proformaLayout } from "./layouts/proforma-layout.js";
import type { ParsedRecord, SourceDescription } from "./proforma-parser.js";

/**
 * The layouts the importer reads, most specific first: a decision list may hold whole proformas, and a
 * meeting's minutes may quote a decision list's labels, so each is asked before the ones it could contain.
 */
export const DOCUMENT_LAYOUTS: readonly DocumentLayout[] = [
  decisionListLayout,
  modernGovDecisionLayout,
  minutesTableLayout,
  meetingMinutesLayout,
  proformaLayout,
];

export interface ReadDocument {
  layout: DocumentLayout;
  /** Every decision found, in document order; `record.source.part` numbers them from 1. */
  decisions: ParsedRecord[];
}

/**
 * Every decision in a document's extracted text. Throws DocumentError when no layout recognises the text,
 * or when the layout that does finds no decision in it.
 */
export function readDecisions(text: string, source: SourceDescription | null): ReadDocument {
  if (text.trim() === "") throw new DocumentError("the document is empty", 1);
  const layout = DOCUMENT_LAYOUTS.find((l) => l.recognises(text));
  if (!layout) {
    throw new DocumentError(
      "not a decision record: no layout the importer reads was recognised (a Cabinet proforma, a ModernGov " +
        "decision page, a decision list, or a meeting's minutes with decisions)",
      1,
    );
  }
  const decisions = layout.read(text, source).map((parsed, index) => ({
    ...parsed,
    record: {
      ...parsed.record,
      source: parsed.record.source && { ...parsed.record.source, part: index + 1, layout: layout.name },
    },
  }));
  if (decisions.length === 0) throw new DocumentError(`no decision found in this ${layout.label}`, 1);
  return { layout, decisions };
}
