import type { RecordFieldName } from "../../domain/decision-record.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { toSourceLines, type SourceLine } from "../document-lines.js";
import { estimateWrapWidth, hyphenatedCompounds } from "../paragraphs.js";
import type { ParsedRecord, SourceDescription } from "../parsed-record.js";
import { parseProformaLines } from "../proforma-parser.js";
import { matchSectionHeading } from "../proforma-sections.js";
import { buildRecord } from "../record-builder.js";
import { findUkDate } from "../uk-date.js";
import { decisionMakerKind } from "./decision-maker.js";
import type { DocumentLayout } from "./document-layout.js";
import { matchLabel, readLabelledFields, type LabelledField } from "./labelled-fields.js";
import { distinctiveLabels } from "./moderngov-decision-layout.js";
import {
  MODERNGOV_LABELS,
  readModernGovFields,
  type DecisionContext,
  type ModernGovKey,
} from "./moderngov-fields.js";
import { firstParagraph, isDocumentTypeLine, readPageHeading } from "./page-heading.js";
import { splitTitleReference } from "./title-reference.js";

/** What a list that does not say what it is gets called. */
export const DECISION_LIST = "Decision list";

/**
 * Several decisions on one page: ModernGov's "Decisions" and "Delegated decisions" lists, or a council's
 * "Decision list" for a meeting. Each decision is a title then labelled fields (as on a decision page); the
 * list's heading may state the meeting, the publication date and the call-in deadline once for all of them.
 * A decision whose text is a whole Cabinet proforma is read as a proforma.
 */
export const decisionListLayout: DocumentLayout = {
  name: "decision-list",
  label: "list of decisions",
  // A label that each decision prints, printed more than once.
  recognises: (text) => [...distinctiveLabels(toSourceLines(text)).values()].some((n) => n >= 2),
  read: (text, source) => readDecisionList(toSourceLines(text), source),
};

interface Entry {
  /** The title's lines (perhaps none) and the decision's fields, to the next decision's title. */
  lines: SourceLine[];
  titleLines: SourceLine[];
}

function readDecisionList(lines: readonly SourceLine[], source: SourceDescription | null): ParsedRecord[] {
  const wrapWidth = estimateWrapWidth(lines);
  const compounds = hyphenatedCompounds(lines);
  const { header, entries } = splitEntries(lines);
  const heading = readPageHeading(header);
  const listFields = readLabelledFields(heading.rest, MODERNGOV_LABELS);
  const defaults = listDefaults(listFields.before, listFields.fields);

  return entries.map((entry) => {
    const printedTitle = firstParagraph(entry.titleLines);
    // A list prints its titles as items: "- Title" (a bulleted list), "4. Title" (a meeting's item numbers).
    const listed = printedTitle?.text.replace(/^(?:[-–•*▪◦]\s+)?(?:\d{1,3}[.)]\s+)?/, "");
    const split = listed === undefined ? null : splitTitleReference(listed);
    const context: DecisionContext = {
      council: heading.council?.text ?? null,
      ...(heading.council && { councilLine: heading.council.line }),
      documentType: heading.documentType?.text ?? DECISION_LIST,
      ...(heading.documentType && { documentTypeLine: heading.documentType.line }),
      title: split && split.title !== "" ? { text: split.title, line: printedTitle!.line } : null,
      recordId: split?.recordId ? { text: split.recordId, line: printedTitle!.line } : null,
      defaults,
      startLine: entry.lines.find((l) => l.text !== "")!.line,
      wrapWidth,
      compounds,
    };
    const body = entry.lines.slice(entry.titleLines.length);
    const proformaStart = embeddedProformaStart(body);
    if (proformaStart !== null) return readEmbeddedProforma(body, proformaStart, context, source);
    const { fields } = readLabelledFields(body, MODERNGOV_LABELS);
    const { facts, warnings } = readModernGovFields(fields, context);
    return buildRecord(facts, source, warnings);
  });
}

/**
 * The list's heading, and its decisions. Each decision starts with the first label every decision prints
 * (most often "Decision Maker"); its title is the paragraph just above that label.
 */
function splitEntries(lines: readonly SourceLine[]): { header: SourceLine[]; entries: Entry[] } {
  const labelled = lines.map((l) => (l.text === "" ? null : matchLabel(l.text, MODERNGOV_LABELS)));
  const counts = distinctiveLabels(lines);
  // "Decision Maker" when every decision prints it; else the first label that repeats (a list's heading may
  // print "Effective from" once for all, so a repeated label is only the anchor failing "Decision Maker").
  const anchorKey =
    (counts.get("decisionMaker") ?? 0) >= 2
      ? "decisionMaker"
      : labelled.find((label) => label && (counts.get(label.key) ?? 0) >= 2)?.key;
  const starts: Array<{ at: number; titleAt: number }> = [];
  labelled.forEach((label, at) => {
    if (label?.key !== anchorKey) return;
    // The title: the run of non-empty, unlabelled lines above the anchor, after blank lines if any.
    let end = at;
    while (end > 0 && lines[end - 1]!.text === "") end--;
    let titleAt = end;
    const floor = starts.length > 0 ? starts[starts.length - 1]!.at + 1 : 0;
    while (
      titleAt > floor &&
      lines[titleAt - 1]!.text !== "" &&
      labelled[titleAt - 1] === null &&
      !isDocumentTypeLine(lines[titleAt - 1]!.text)
    )
      titleAt--;
    // A run with a blank line (or the page's top) above it is the title, perhaps wrapped. Without one, the run
    // may begin with the last decision's words (a saved list puts no blank line between decisions): a title
    // is then its last line, the one line a list prints it on.
    const standsAlone = titleAt === 0 || lines[titleAt - 1]!.text === "";
    if (!standsAlone && end - titleAt > 1) titleAt = end - 1;
    if (end - titleAt > 3 || titleAt === end) titleAt = at;
    starts.push({ at, titleAt });
  });
  const entries = starts.map(({ at, titleAt }, i) => {
    const next = starts[i + 1]?.titleAt ?? lines.length;
    return { lines: lines.slice(titleAt, next), titleLines: lines.slice(titleAt, at) };
  });
  return { header: lines.slice(0, starts[0]?.titleAt ?? lines.length), entries };
}

/** What the list's heading states for every decision: the meeting, a publication date, the call-in deadline. */
function listDefaults(
  unlabelled: readonly SourceLine[],
  fields: readonly LabelledField<ModernGovKey>[],
): DecisionContext["defaults"] {
  const defaults: DecisionContext["defaults"] = {};
  const dateOf = (key: ModernGovKey): { iso: IsoDate; line: number; text: string } | null => {
    const field = fields.find((f) => f.key === key && f.lines.length > 0);
    if (!field) return null;
    // Only the value's first paragraph: a note may follow ("Decisions come into force unless called in").
    const value = firstParagraph(field.lines)!;
    const found = findUkDate(value.text, value.line);
    return found && { iso: found.iso, line: value.line, text: value.text };
  };
  const published = dateOf("published");
  if (published) defaults.publishedOn = { iso: published.iso, line: published.line };
  const effective = dateOf("effectiveFrom");
  if (effective) defaults.effectiveFrom = { iso: effective.iso, line: effective.line };
  const callIn = dateOf("callIn");
  if (callIn) defaults.callIn = { deadline: callIn.iso, text: callIn.text, line: callIn.line };
  // "Cabinet - Tuesday, 8 October 2024", "Meeting of the Cabinet held on 8 October 2024".
  for (const line of unlabelled) {
    const found = line.text === "" ? null : findUkDate(line.text, line.line);
    if (!found || defaults.meetingDate) continue;
    // Only a line that names a body is a meeting ("Decisions published between 9/9/2024 and ..." is not).
    const body = (line.text.slice(0, found.index) + line.text.slice(found.index + found.text.length))
      .replace(/^(?:meeting of (?:the )?)/i, "")
      .replace(/\s+(?:held )?on\s*$/i, "")
      .replace(/^[\s,–—:-]+/, "")
      .replace(/(?<![\s,–—:-])[\s,–—:-]+$/, "")
      .trim();
    if (body === "" || decisionMakerKind(body) !== "body") continue;
    defaults.meetingDate = { iso: found.iso, line: line.line };
    defaults.body = { text: body, line: line.line };
  }
  return defaults;
}

/** Where a whole proforma starts in a decision's lines ("1. Title of Item/Report" and its heading), if any. */
function embeddedProformaStart(lines: readonly SourceLine[]): number | null {
  const titleAt = lines.findIndex((l) => matchSectionHeading(l.text)?.key === "title" && /^1\b/.test(l.text));
  if (titleAt < 0) return null;
  // The proforma's own heading (council, "CABINET DECISION PROFORMA", "Cabinet Meeting ...") sits above
  // section 1, after the list's last label.
  let start = titleAt;
  while (
    start > 0 &&
    (lines[start - 1]!.text === "" || !matchLabel(lines[start - 1]!.text, MODERNGOV_LABELS))
  )
    start--;
  return start;
}

// Labels a proforma prints itself ("Date of Publication:", an unnumbered "Reasons for the decision:").
const PROFORMA_OWN_KEYS: readonly ModernGovKey[] = [
  "published",
  "decision",
  "reasons",
  "alternatives",
  "interests",
  "dispensations",
  "callIn",
];

/** The proforma ends where the list's fields start again ("Lead officer:" under it). */
function embeddedProformaEnd(lines: readonly SourceLine[], start: number): number {
  for (let i = start; i < lines.length; i++) {
    const label = lines[i]!.text === "" ? null : matchLabel(lines[i]!.text, MODERNGOV_LABELS);
    if (label && !PROFORMA_OWN_KEYS.includes(label.key)) return i;
  }
  return lines.length;
}

/**
 * A decision whose text is a Cabinet proforma: the proforma says what it says, and the list's own fields
 * (effective from, status, key decision, wards, ...) fill in what a proforma never states.
 */
function readEmbeddedProforma(
  lines: readonly SourceLine[],
  start: number,
  context: DecisionContext,
  source: SourceDescription | null,
): ParsedRecord {
  const end = embeddedProformaEnd(lines, start);
  const parsed = parseProformaLines(lines.slice(start, end), source);
  const around = [...lines.slice(0, start), ...lines.slice(end)];
  const { fields } = readLabelledFields(around, MODERNGOV_LABELS);
  const record = parsed.record;
  // A list that prints no decision maker for it leaves the proforma's body to say who decided.
  const proformaBody = { text: record.body, line: record.source?.lines.body ?? context.startLine };
  const listed = readListedFacts(fields, {
    ...context,
    defaults: { ...context.defaults, body: context.defaults.body ?? proformaBody },
  });
  const proformaLines = record.source?.lines ?? {};
  const merged = {
    ...record,
    effectiveFrom: record.effectiveFrom ?? listed.effectiveFrom,
    statusAsPrinted: record.statusAsPrinted ?? listed.statusAsPrinted,
    keyDecision: record.keyDecision ?? listed.keyDecision,
    subjectToCallIn: record.subjectToCallIn ?? listed.subjectToCallIn,
    purpose: record.purpose ?? listed.purpose,
    wardsAffected: record.wardsAffected ?? listed.wardsAffected,
    decisionMakerKind: listed.decisionMakerKind ?? record.decisionMakerKind,
    recordId: record.recordId ?? listed.recordId,
  };
  const fromList: Partial<Record<RecordFieldName, number>> = {};
  for (const key of [
    "effectiveFrom",
    "statusAsPrinted",
    "keyDecision",
    "subjectToCallIn",
    "purpose",
  ] as const) {
    if (record[key] == null && merged[key] != null && listed.lines[key] !== undefined)
      fromList[key] = listed.lines[key];
  }
  if (
    record.wardsAffected == null &&
    merged.wardsAffected != null &&
    listed.lines.wardsAffected !== undefined
  )
    fromList.wardsAffected = listed.lines.wardsAffected;
  if (record.recordId === null && merged.recordId !== null && listed.lines.recordId !== undefined)
    fromList.recordId = listed.lines.recordId;
  const warnings = [...listed.warnings, ...parsed.warnings];
  if (
    listed.subjectToCallIn !== null &&
    record.subjectToCallIn !== null &&
    listed.subjectToCallIn !== record.subjectToCallIn
  ) {
    warnings.push({
      line: listed.lines.subjectToCallIn ?? context.startLine,
      message:
        `the list says subject to call-in: ${listed.subjectToCallIn ? "Yes" : "No"}, but the proforma's call-in ` +
        `section says "${record.callIn.text}"; the proforma's is kept`,
    });
  }
  return {
    record: {
      ...merged,
      source: record.source && { ...record.source, lines: { ...fromList, ...proformaLines } },
    },
    warnings,
  };
}

/** The list's fields for a decision whose text is a proforma: read as any decision's, without its text. */
function readListedFacts(fields: readonly LabelledField<ModernGovKey>[], context: DecisionContext) {
  const withoutText = fields.filter((f) => f.key !== "decision");
  // The proforma supplies the decision itself; a placeholder keeps the reader from asking for one.
  const placeholder: LabelledField<ModernGovKey> = {
    key: "decision",
    label: "Decision",
    labelLine: context.startLine,
    lines: [{ text: "DECIDED as set out in the proforma", line: context.startLine }],
  };
  const { facts, warnings } = readModernGovFields([...withoutText, placeholder], context);
  return { ...facts, warnings };
}
