import type { RecordFieldName } from "../../domain/decision-record.js";
import { readDecisionText, type DecisionText, type TextWrap } from "../decision-text.js";
import type { SourceLine } from "../document-lines.js";
import {
  blocksToText,
  estimateWrapWidth,
  hyphenatedCompounds,
  listItemMarker,
  toBlocks,
} from "../paragraphs.js";
import type { ParseWarning } from "../parsed-record.js";
import type { DecisionFacts } from "../record-builder.js";
import { isReferenceLine } from "./item-title.js";
import type { MeetingHeading } from "./meeting-heading.js";

/** A meeting's item, ready to be read as a decision: whatever layout the minutes came in. */
export interface ItemToRead {
  recordId: string | null;
  title: string | null;
  keyDecision: boolean | null;
  /** Line of the item's number (or row), where warnings about what it lacks point. */
  line: number;
  titleLine?: number;
  /** The item's text: narrative, labelled parts ("Decision:", "Reason for decision:") and the resolution. */
  lines: SourceLine[];
  /** Lines that are the decision whatever their wording (a table's "Decision" column), if the layout has them. */
  decisionLines?: SourceLine[];
  /** Declarations of interest the minutes attribute to this item elsewhere (under "Declarations of Interest"). */
  declarations: string[];
  declarationsLine?: number;
}

type Part =
  "preamble" | "minutes" | "decision" | "purpose" | "reasons" | "alternatives" | "keyDecision" | "callIn";

// Labels that open a part of an item, with the rest of their line as its first words.
const LABELS: ReadonlyArray<[RegExp, Part]> = [
  [/^(?:minutes?|summary of discussion|discussion)\s*:\s*(.*)$/i, "minutes"],
  [/^(?:decision|decisions|decision taken|outcome)\s*:\s*(.*)$/i, "decision"],
  [/^(?:purpose(?: of (?:the )?(?:report|item|decision))?|report summary|summary)\s*:\s*(.*)$/i, "purpose"],
  [/^reasons?(?: for (?:the )?(?:decisions?|recommendations?))?\s*:\s*(.*)$/i, "reasons"],
  [/^alternative(?:s| options?)(?: considered)?(?: and rejected)?\s*:\s*(.*)$/i, "alternatives"],
  [/^key decision\s*[:?]\s*(.*)$/i, "keyDecision"],
];
// "This recommendation is not subject to call-in.", "This decision is subject to call-in until ...".
const CALL_IN_NOTE =
  /\b(?:not )?(?:subject to|exempt from) call[- ]?in\b|\bcall[- ]?in (?:deadline|period|expires)\b/i;
const DECLARATION = /\bdeclared\b.*\binterest|\binterest\b.*\bdeclared\b|\bdispensation\b/i;

/**
 * Splits an item's lines into its labelled parts; lines before any label are the preamble. A label's line
 * keeps its words after the label; `labels` remembers the label, so that the line is measured whole when
 * deciding whether the author wrapped it ("Reason for decision: ... budget for" / "2025/26.").
 */
function splitParts(lines: readonly SourceLine[]): {
  parts: Map<Part, SourceLine[]>;
  labels: Map<number, string>;
} {
  const parts = new Map<Part, SourceLine[]>();
  const labels = new Map<number, string>();
  let current: Part = "preamble";
  for (const l of lines) {
    if (isReferenceLine(l.text)) continue;
    const label = LABELS.find(([re]) => re.test(l.text));
    if (label) {
      current = label[1];
      const rest = label[0].exec(l.text)![1]!.trim();
      if (!parts.has(current)) parts.set(current, []);
      if (rest !== "") {
        parts.get(current)!.push({ text: rest, line: l.line });
        labels.set(l.line, l.text.slice(0, l.text.length - rest.length));
      }
      continue;
    }
    if (!parts.has(current)) parts.set(current, []);
    parts.get(current)!.push(l);
  }
  return { parts, labels };
}

/**
 * How the document's lines were wrapped, measured on all of them (an item's parts are too short to tell).
 * Minutes pasted from Word are wrapped by hand, raggedly: a line that runs on into the next in lower case
 * shows a wrap, and the shorter of those (the lower quartile) is the width below which a break is the
 * author's. Text with no such lines (a web page, a paragraph a line) keeps every break.
 */
export function documentWrap(lines: readonly SourceLine[]): TextWrap {
  const wrapped: number[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const [line, next] = [lines[i]!.text, lines[i + 1]!.text];
    if (line !== "" && /^\p{Ll}/u.test(next) && listItemMarker(next) === null) wrapped.push(line.length);
  }
  wrapped.sort((a, b) => a - b);
  const wrapWidth =
    wrapped.length === 0
      ? estimateWrapWidth(lines)
      : Math.min(estimateWrapWidth(lines), wrapped[Math.floor(wrapped.length / 4)]!);
  return { wrapWidth, compounds: hyphenatedCompounds(lines) };
}

function textOf(
  lines: readonly SourceLine[] | undefined,
  wrap: TextWrap,
  labels: Map<number, string>,
): string {
  if (!lines) return "";
  const whole = lines.map((l) => (labels.has(l.line) ? { ...l, text: labels.get(l.line)! + l.text } : l));
  const blocks = toBlocks(whole, wrap.wrapWidth, wrap.compounds).map((b) =>
    labels.has(b.line) ? { ...b, text: b.text.slice(labels.get(b.line)!.length) } : b,
  );
  return blocksToText(blocks);
}

function firstLine(lines: readonly SourceLine[] | undefined): number | undefined {
  return lines?.find((l) => l.text !== "")?.line;
}

/** Paragraphs (of wrapped lines) that match `test`, taken out of `lines`. */
function takeParagraphs(
  lines: readonly SourceLine[],
  test: RegExp,
): { kept: SourceLine[]; taken: SourceLine[] } {
  const kept: SourceLine[] = [];
  const taken: SourceLine[] = [];
  let paragraph: SourceLine[] = [];
  const flush = (): void => {
    const joined = paragraph.map((l) => l.text).join(" ");
    (paragraph.length > 0 && test.test(joined) ? taken : kept).push(...paragraph);
    paragraph = [];
  };
  for (const l of lines) {
    if (l.text === "") {
      flush();
      kept.push(l);
    } else {
      paragraph.push(l);
    }
  }
  flush();
  return { kept, taken };
}

export interface ItemReading {
  /** Null when the item decides nothing: no operative word, no "Decision:" part. */
  facts: DecisionFacts | null;
  warnings: ParseWarning[];
}

/**
 * One item as the facts of a decision taken by the meeting's body on the meeting's date. An item decides
 * something when its text has an operative word ("RESOLVED", "Cabinet agreed that") or a part given as the
 * decision ("Decision:", a table's Decision column), whose wording may then be a bare list or plain text.
 */
export function readItem(
  item: ItemToRead,
  meeting: MeetingHeading,
  body: string,
  wrap: TextWrap,
): ItemReading {
  const warnings: ParseWarning[] = [];
  const { parts, labels } = splitParts(item.lines);
  const text = (lines: readonly SourceLine[] | undefined): string => textOf(lines, wrap, labels);
  const lines: Partial<Record<RecordFieldName, number>> = {};

  // Call-in notes and the item's own declarations are read out of the text before the resolution is.
  const callInNotes: SourceLine[] = [];
  for (const part of ["preamble", "minutes", "decision"] as const) {
    const found = parts.get(part);
    if (!found) continue;
    const { kept, taken } = takeParagraphs(found, CALL_IN_NOTE);
    parts.set(part, kept);
    callInNotes.push(...taken);
  }

  const labelled = parts.has("decision") || item.decisionLines !== undefined;
  const decisionLines = item.decisionLines ?? parts.get("decision");
  const discussion = [...(parts.get("preamble") ?? []), ...(parts.get("minutes") ?? [])];
  let decision: DecisionText;
  let narrativeStart: number | undefined;
  let purposeLines = parts.get("purpose");
  if (decisionLines !== undefined) {
    decision = readDecisionText(decisionLines, wrap);
    // A ModernGov item's text before "Minutes:"/"Decision:" is the agenda's description of it: its purpose.
    if (purposeLines === undefined && item.decisionLines === undefined && parts.has("preamble")) {
      purposeLines = parts.get("preamble");
    }
    if (decision.narrative === "") {
      const source = item.decisionLines !== undefined ? discussion : (parts.get("minutes") ?? []);
      const minutes = readDecisionText(source, wrap);
      decision = {
        ...decision,
        narrative:
          minutes.outcomes.length > 0 && minutes.wording === "operative-word"
            ? minutes.narrative
            : text(source),
      };
      narrativeStart = firstLine(source);
    } else {
      narrativeStart = firstLine(decisionLines);
    }
  } else if (parts.has("minutes") && parts.has("preamble") && purposeLines === undefined) {
    // A ModernGov item with "Minutes:" only: the agenda's description above it is the purpose.
    purposeLines = parts.get("preamble");
    const minutes = parts.get("minutes")!;
    decision = readDecisionText(minutes, wrap);
    narrativeStart = firstLine(minutes);
  } else {
    decision = readDecisionText(discussion, wrap);
    narrativeStart = firstLine(discussion);
  }
  if (decision.outcomes.length === 0 || (!labelled && decision.wording !== "operative-word")) {
    return { facts: null, warnings };
  }
  if (decision.narrative !== "" && narrativeStart !== undefined) lines.record = narrativeStart;
  if (decision.outcomeLine !== undefined) lines.outcomes = decision.outcomeLine;
  if (decision.wording === "bare-list") {
    warnings.push({
      line: decision.outcomeLine ?? item.line,
      message: "the decision is a numbered list with no operative word: read as DECIDED",
    });
  }

  if (item.titleLine !== undefined) lines.title = item.titleLine;
  if (item.recordId !== null) lines.recordId = item.line;
  if (meeting.bodyLine !== undefined) lines.body = meeting.bodyLine;
  if (meeting.councilLine !== undefined) lines.council = meeting.councilLine;
  if (meeting.dateLine !== undefined) {
    lines.meetingDate = meeting.dateLine;
    lines.decidedOn = meeting.dateLine;
  }
  if (meeting.publishedLine !== undefined) lines.publishedOn = meeting.publishedLine;

  const purpose = text(purposeLines);
  if (purpose !== "") lines.purpose = firstLine(purposeLines)!;
  const reasons = text(parts.get("reasons"));
  if (reasons !== "") lines.reasons = firstLine(parts.get("reasons"))!;
  const alternatives = text(parts.get("alternatives"));
  if (alternatives !== "") lines.alternatives = firstLine(parts.get("alternatives"))!;

  let keyDecision = item.keyDecision;
  const keyText = text(parts.get("keyDecision"));
  if (/^(?:yes|y)\b/i.test(keyText)) keyDecision = true;
  else if (/^(?:no|n)\b/i.test(keyText)) keyDecision = false;

  // Declarations: those attributed to the item under "Declarations of Interest", then the item's own.
  const ownDeclarations = takeParagraphs(discussion, DECLARATION).taken;
  const declarations = [...item.declarations, ...(ownDeclarations.length > 0 ? [text(ownDeclarations)] : [])];
  const declarationsLine = item.declarationsLine ?? firstLine(ownDeclarations);
  if (declarations.length > 0 && declarationsLine !== undefined) lines.conflictsOfInterest = declarationsLine;

  let callIn = meeting.callIn;
  let subjectToCallIn: boolean | null = meeting.callIn.deadline !== null ? true : null;
  if (meeting.callInLine !== undefined) {
    lines.callIn = meeting.callInLine;
    if (subjectToCallIn !== null) lines.subjectToCallIn = meeting.callInLine;
  }
  if (callInNotes.length > 0) {
    const note = text(callInNotes);
    const not = /\bnot subject to call[- ]?in|\bexempt from call[- ]?in/i.test(note);
    callIn = not ? { deadline: null, text: note } : { ...callIn, text: note };
    subjectToCallIn = !not;
    lines.callIn = callInNotes[0]!.line;
    lines.subjectToCallIn = callInNotes[0]!.line;
  }

  const facts: DecisionFacts = {
    council: meeting.council,
    body,
    decisionMakerKind: "body",
    documentType: meeting.documentType,
    recordId: item.recordId,
    title: item.title,
    meetingDate: meeting.date,
    decidedOn: meeting.date,
    publishedOn: meeting.publishedOn,
    purpose: purpose === "" ? null : purpose,
    decision,
    reasons,
    alternatives,
    conflictsOfInterest: declarations.join("\n\n"),
    callIn,
    keyDecision,
    subjectToCallIn,
    effectiveFrom: null,
    statusAsPrinted: null,
    wardsAffected: null,
    lines,
    startLine: item.line,
  };
  return { facts, warnings };
}
