import { DocumentError } from "../../domain/errors.js";
import { toSourceLines, type SourceLine } from "../document-lines.js";
import type { ParsedRecord, ParseWarning, SourceDescription } from "../parsed-record.js";
import { buildRecord } from "../record-builder.js";
import type { DocumentLayout } from "./document-layout.js";
import { readMeetingHeading, type MeetingHeading } from "./meeting-heading.js";
import { findMinutesItems, type MinutesItem } from "./minutes-items.js";
import { attributedDeclarations } from "./declarations-by-item.js";
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
  // A minutes heading near the top and at least one numbered item under it: a proforma that mentions
  // "Minutes of the meeting" in passing has no numbered items.
  recognises: (text) => {
    const head = text
      .split("\n", HEAD_LINES * 3)
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .slice(0, HEAD_LINES);
    return (
      head.some((l) => MINUTES_HEADING.test(l)) && findMinutesItems(toSourceLines(text)).items.length > 0
    );
  },
  read: (text, source) => decisionsOf(readMinutes(text, source)),
};
