import { toSourceLines, type SourceLine } from "../document-lines.js";
import { estimateWrapWidth, hyphenatedCompounds } from "../paragraphs.js";
import type { ParsedRecord, SourceDescription } from "../parsed-record.js";
import { buildRecord } from "../record-builder.js";
import type { DocumentLayout } from "./document-layout.js";
import { matchLabel, readLabelledFields } from "./labelled-fields.js";
import {
  DISTINCTIVE_KEYS,
  MODERNGOV_LABELS,
  readModernGovFields,
  type DecisionContext,
  type ModernGovKey,
} from "./moderngov-fields.js";
import { firstParagraph, readPageHeading } from "./page-heading.js";
import { splitTitleReference } from "./title-reference.js";

/** What a page that does not say what it is gets called: ModernGov's own heading for it. */
export const DECISION_DETAILS = "Decision details";

/**
 * ModernGov's "Decision details" page (mgIssueHistoryHome / ieDecisionDetails): a title, then "Label: value"
 * fields in any order, any of them missing. One decision a page.
 */
export const modernGovDecisionLayout: DocumentLayout = {
  name: "moderngov-decision",
  label: "ModernGov decision details page",
  // Two of the labels only such a page prints, or a decision maker above a "Decision:" (a page that prints
  // little else); a proforma prints neither.
  recognises: (text) => {
    const lines = toSourceLines(text);
    const distinctive = distinctiveLabels(lines);
    if (distinctive.size >= 2) return true;
    return (
      distinctive.has("decisionMaker") &&
      lines.some((l) => l.text !== "" && matchLabel(l.text, MODERNGOV_LABELS)?.key === "decision")
    );
  },
  read: (text, source) => [readModernGovPage(toSourceLines(text), source)],
};

/** Each distinctive label the lines print, with how many times. */
export function distinctiveLabels(lines: readonly SourceLine[]): Map<ModernGovKey, number> {
  const counts = new Map<ModernGovKey, number>();
  for (const { text } of lines) {
    const label = text === "" ? null : matchLabel(text, MODERNGOV_LABELS);
    if (label && DISTINCTIVE_KEYS.includes(label.key))
      counts.set(label.key, (counts.get(label.key) ?? 0) + 1);
  }
  return counts;
}

function readModernGovPage(lines: readonly SourceLine[], source: SourceDescription | null): ParsedRecord {
  const wrapWidth = estimateWrapWidth(lines);
  const compounds = hyphenatedCompounds(lines);
  const { before, fields } = readLabelledFields(lines, MODERNGOV_LABELS);
  const heading = readPageHeading(before);
  const printedTitle = firstParagraph(heading.belowType);
  const split = printedTitle ? splitTitleReference(printedTitle.text) : null;
  const context: DecisionContext = {
    council: heading.council?.text ?? null,
    ...(heading.council && { councilLine: heading.council.line }),
    documentType: heading.documentType?.text ?? DECISION_DETAILS,
    ...(heading.documentType && { documentTypeLine: heading.documentType.line }),
    title: split && split.title !== "" ? { text: split.title, line: printedTitle!.line } : null,
    recordId: split?.recordId ? { text: split.recordId, line: printedTitle!.line } : null,
    defaults: {},
    startLine: lines.find((l) => l.text !== "")?.line ?? 1,
    wrapWidth,
    compounds,
  };
  const { facts, warnings } = readModernGovFields(fields, context);
  return buildRecord(facts, source, warnings);
}
