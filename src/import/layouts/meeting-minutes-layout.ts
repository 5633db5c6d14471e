import { DocumentError } from "../../domain/errors.js";
import { toSourceLines, type SourceLine } from "../document-lines.js";
import type { ParsedRecord, ParseWarning, SourceDescription } from "../parsed-record.js";
import { buildRecord } from "../record-builder.js";
import type { DocumentLayout } from "./document-layout.js";
import { readMeetingHeading, type MeetingHeading } from "./meeting-heading.js";
import { findMinutesItems, type MinutesItem } from "./minutes-items.js";
import { documentWrap, readItem } from "./minutes-record.js";

/** What the minutes hold, item by item: for the layout, and for tests and tools that show what was skipped. */
export interface MinutesReading {
  meeting: MeetingHeading;
  items: Array<{
    item: MinutesItem;
    /** "decision" makes a record; "procedural" (apologies, minutes, ...) and "no-decision" items do not. */
    kind: "decision" | "procedural" | "no-decision";
    parsed?: ParsedRecord;
  }>;
}

// "Minutes of the meeting of the Cabinet held on", "Agenda, decisions and minutes", "MINUTES".
const MINUTES_HEADING =
  /^(?:minutes of\b|(?:draft |confirmed |approved )?minutes$|agenda,? decisions and minutes$|decisions and minutes$)/i;
const HEAD_LINES = 60;

/** Declarations under "Declarations of Interest" that name items ("in item CAB/43/25", "in minute 57"). */
function attributedDeclarations(
  items: readonly MinutesItem[],
): Map<MinutesItem, { sentences: string[]; line: number }> {
  const out = new Map<MinutesItem, { sentences: string[]; line: number }>();
  for (const declarations of items.filter((i) => i.procedural && /interest/i.test(i.title ?? ""))) {
    // Labels ("Minutes:") and the agenda's wording ("To receive any declarations ...") are not declarations.
    const lines = declarations.lines.filter((l) => l.text !== "" && !/^[A-Z][\w ]{0,30}:$/.test(l.text));
    const paragraph = lines
      .map((l) => l.text)
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
    const sentences = paragraph
      .split(/(?<=[.;])\s+(?=[A-Z])/)
      .filter((s) => !/^to (?:receive|note)\b/i.test(s));
    for (const sentence of sentences) {
      const opening = sentence.slice(0, 24);
      const line = (lines.find((l) => l.text.includes(opening)) ?? lines[0])!.line;
      if (!/\bdeclared\b|\binterest\b/i.test(sentence)) continue;
      for (const target of items) {
        if (target === declarations) continue;
        const ref = target.recordId ?? target.number;
        const named = new RegExp(
          `\\b(?:item|minute|agenda item)s?\\s+(?:no\\.?\\s*)?(?:[\\w/]+(?:,\\s*|\\s+and\\s+))*${ref.replace(/[/.]/g, "\\$&")}(?![\\w/])`,
          "i",
        );
        const byTitle = target.title !== null && target.title.length > 8 && sentence.includes(target.title);
        if (!named.test(sentence) && !byTitle) continue;
        const found = out.get(target) ?? { sentences: [], line };
        found.sentences.push(sentence);
        out.set(target, found);
      }
    }
  }
  return out;
}

/**
 * Reads minutes into the meeting's heading and its items, each with the record it makes if it decides
 * something. Throws DocumentError when the minutes name no body or no date for the meeting.
 */
export function readMinutes(text: string, source: SourceDescription | null): MinutesReading {
  return readMinutesLines(toSourceLines(text), source);
}

export function readMinutesLines(
  lines: readonly SourceLine[],
  source: SourceDescription | null,
): MinutesReading {
  const { heading, items } = findMinutesItems(lines);
  const meeting = readMeetingHeading(heading);
  const start = items[0]?.line ?? 1;
  if (meeting.body === null) {
    throw new DocumentError(
      'the minutes do not name the meeting (expected e.g. "Minutes of the meeting of the Cabinet held on ...")',
      start,
    );
  }
  if (meeting.date === null) throw new DocumentError("the minutes do not give the meeting's date", start);
  const body = meeting.body;
  const wrap = documentWrap(lines);
  const declarations = attributedDeclarations(items);
  const reading: MinutesReading = { meeting, items: [] };
  for (const item of items) {
    if (item.procedural) {
      reading.items.push({ item, kind: "procedural" });
      continue;
    }
    const attributed = declarations.get(item);
    const { facts, warnings } = readItem(
      {
        recordId: item.recordId,
        title: item.title,
        keyDecision: item.keyDecision,
        line: item.line,
        ...(item.titleLine !== undefined && { titleLine: item.titleLine }),
        lines: item.lines,
        declarations: attributed?.sentences ?? [],
        ...(attributed && { declarationsLine: attributed.line }),
      },
      meeting,
      body,
      wrap,
    );
    if (facts === null) {
      reading.items.push({ item, kind: "no-decision" });
      continue;
    }
    const found: ParseWarning[] = [...meeting.warnings, ...warnings];
    reading.items.push({ item, kind: "decision", parsed: buildRecord(facts, source, found) });
  }
  return reading;
}

/**
 * Items that decide nothing but are not procedural ("Public Questions" answered, a report only discussed)
 * are worth a look: the person importing is told on the first decision, with the item's line.
 */
export function decisionsOf(reading: MinutesReading): ParsedRecord[] {
  const decisions = reading.items.flatMap((i) => (i.parsed ? [i.parsed] : []));
  const undecided = reading.items.filter((i) => i.kind === "no-decision");
  if (decisions.length > 0 && undecided.length > 0) {
    decisions[0]!.warnings.push(
      ...undecided.map((i) => ({
        line: i.item.line,
        message: `item ${i.item.number}${i.item.title ? ` "${i.item.title}"` : ""} records no decision (no RESOLVED or "Decision:"): not imported`,
      })),
    );
  }
  return decisions;
}

/** Minutes of a meeting, a council's minutes document or a ModernGov "Agenda, decisions and minutes" page. */
export const meetingMinutesLayout: DocumentLayout = {
  name: "meeting-minutes",
  label: "meeting's minutes (numbered items)",
  recognises: (text) => {
    const head = text
      .split("\n", HEAD_LINES * 3)
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .slice(0, HEAD_LINES);
    return head.some((l) => MINUTES_HEADING.test(l));
  },
  read: (text, source) => decisionsOf(readMinutes(text, source)),
};
