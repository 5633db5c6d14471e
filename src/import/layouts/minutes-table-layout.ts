import { DocumentError } from "../../domain/errors.js";
import { toSourceLines, type SourceLine } from "../document-lines.js";
import type { ParsedRecord, SourceDescription } from "../parsed-record.js";
import { buildRecord } from "../record-builder.js";
import type { DocumentLayout } from "./document-layout.js";
import { cleanItemTitle } from "./item-title.js";
import { readMeetingHeading } from "./meeting-heading.js";
import { documentWrap, readItem } from "./minutes-record.js";
import { isProceduralTitle } from "./procedural-items.js";
import { attributedDeclarations } from "./declarations-by-item.js";
import { joinLines, listItemMarker } from "../paragraphs.js";

/**
 * Older minutes kept as a table, "Item | Description | Decision": a number, the item's title (and what it
 * was about), and the decision in a column of its own. Read from text where the columns are separated by
 * tabs (a table copied out of Word, a spreadsheet, or HTML's `<table>` as html-to-text lays it out: the row's
 * number, a tab and its title, then each cell's lines indented by one tab per column before it), or aligned
 * with spaces under the header row's words.
 */

// The header row's words: a number column first, then a decision column.
const NUMBER_HEADING =
  /^(?:item|items|minute|minutes|min\.?|no\.?|ref\.?|number|agenda item|item no\.?|minute no\.?)$/i;
const DECISION_HEADING = /^(?:decisions?|decision taken|resolutions?|resolved|outcome|decision\/action)$/i;

// "41", "6.", "12a", "P/104/09", "CAB/41/25".
const ITEM_NUMBER = /^(?:\d{1,3}[a-z]?[.:]?|[A-Z][A-Za-z]{0,7}\/\d{1,4}(?:\/\d{2,4})?[.:]?)$/;

interface Header {
  line: number;
  /** Where each column starts: a tab count (tab-separated) or a character offset (aligned with spaces). */
  columns: number[];
  byTabs: boolean;
  decisionColumn: number;
}

function headerCells(raw: string): { cells: string[]; byTabs: boolean; offsets: number[] } {
  if (raw.includes("\t")) {
    const cells = raw.split("\t").map((c) => c.trim());
    return { cells, byTabs: true, offsets: cells.map((_, i) => i) };
  }
  const offsets: number[] = [];
  const cells: string[] = [];
  for (const m of raw.matchAll(/\S+(?: \S+)*/g)) {
    offsets.push(m.index);
    cells.push(m[0]);
  }
  return { cells, byTabs: false, offsets };
}

function findHeader(raw: readonly string[]): Header | null {
  for (const [index, text] of raw.entries()) {
    if (text.trim() === "") continue;
    const { cells, byTabs, offsets } = headerCells(text);
    if (cells.length < 2 || !NUMBER_HEADING.test(cells[0]!)) continue;
    const decisionColumn = cells.findIndex((c) => DECISION_HEADING.test(c));
    if (decisionColumn < 1) continue;
    return { line: index + 1, columns: offsets, byTabs, decisionColumn };
  }
  return null;
}

/** A line's text in each column: "" where the column has nothing on this line. */
function segments(raw: string, header: Header): string[] {
  if (header.byTabs) {
    const parts = raw.split("\t").map((p) => p.replace(/\u00a0/g, " ").trim());
    return header.columns.map((_, c) =>
      // Cells beyond the last column belong to it (a tab inside the decision text).
      c === header.columns.length - 1 ? parts.slice(c).join(" ").trim() : (parts[c] ?? ""),
    );
  }
  return header.columns.map((start, c) => {
    const end = header.columns[c + 1] ?? raw.length;
    return raw
      .slice(start, end)
      .replace(/\u00a0/g, " ")
      .trim();
  });
}

interface Row {
  number: string;
  line: number;
  columns: SourceLine[][];
}

// An operative word inside a collapsed line: where the description stops and the decision starts.
const DECISION_START =
  /\s(?=(?:RESOLVED|AGREED|RECOMMENDED|ORDERED|DECIDED)\b|(?:The|This) (?:Committee|Council|Panel|Board|Sub-Committee) (?:resolved|agreed)\b)/;

/**
 * The columns a line's text belongs to. Text laid out by tabs (Word, HTML) places every cell; text from a
 * PDF keeps a tab only where a gap was wide, and none at the start of a line, so there a row's first line
 * is "number description [tab] decision" (or the decision starts at its operative word), and a line with
 * no tab continues the column the line before it ended in.
 */
function placeLine(raw: string, header: Header, lastColumn: number): { cells: string[]; startsRow: boolean } {
  const cells = segments(raw, header);
  const first = cells[0]!;
  if (first === "") return { cells, startsRow: false };
  if (ITEM_NUMBER.test(first)) return { cells, startsRow: true };
  const columns = header.columns.length;
  const decision = header.decisionColumn;
  const numbered = header.byTabs ? /^(\S+)\s+(.+)$/.exec(first) : null;
  if (numbered && ITEM_NUMBER.test(numbered[1]!)) {
    // "AP/12/33 Playing field: replacement of the RESOLVED that ..." [tab] "...".
    const placed: string[] = Array.from({ length: columns }, () => "");
    placed[0] = numbered[1]!;
    const rest = [numbered[2]!, ...cells.slice(1).filter((c) => c !== "")];
    const split = rest.length === 1 ? DECISION_START.exec(rest[0]!) : null;
    if (split) {
      placed[1] = rest[0]!.slice(0, split.index).trim();
      placed[decision] = rest[0]!.slice(split.index).trim();
    } else {
      placed[1] = rest[0]!;
      placed[decision] = rest.slice(1).join(" ");
    }
    return { cells: placed, startsRow: true };
  }
  if (!header.byTabs) return { cells, startsRow: false };
  // A continuation line that lost its leading tabs.
  const parts = raw
    .split("\t")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const placed: string[] = Array.from({ length: columns }, () => "");
  if (parts.length >= 2) {
    placed[1] = parts[0]!;
    placed[decision] = parts.slice(1).join(" ");
  } else {
    placed[Math.max(lastColumn, 1)] = parts[0] ?? "";
  }
  return { cells: placed, startsRow: false };
}

function readRows(lines: readonly SourceLine[], raw: readonly string[], header: Header): Row[] {
  const rows: Row[] = [];
  let lastColumn = 1;
  let afterBlank = false;
  for (const l of lines) {
    if (l.line <= header.line) continue;
    const row = rows[rows.length - 1];
    if (l.text === "") {
      // A blank line ends a paragraph in every column of the row.
      row?.columns.forEach((column) => column.push({ text: "", line: l.line }));
      afterBlank = true;
      continue;
    }
    const text = raw[l.line - 1] ?? l.text;
    const { cells, startsRow } = placeLine(text, header, lastColumn);
    // After a blank line, a line that neither starts a row nor sits under a column is past the table
    // ("The meeting closed at ...", a page footer).
    if (!startsRow && afterBlank && !/^\s/.test(text) && !/\t/.test(text.trim())) break;
    if (!startsRow && cells[0] !== "") break;
    afterBlank = false;
    if (startsRow) {
      rows.push({
        number: cells[0]!.replace(/[.:]$/, ""),
        line: l.line,
        columns: header.columns.map(() => []),
      });
    }
    const current = rows[rows.length - 1];
    if (!current) continue;
    cells.forEach((cell, c) => {
      if (c > 0 && cell !== "") {
        current.columns[c]!.push({ text: cell, line: l.line });
        lastColumn = c;
      }
    });
  }
  return rows;
}

/** The title: the description's first line, with a second one when the first was plainly wrapped. */
function splitTitle(description: readonly SourceLine[]): { title: SourceLine | null; rest: SourceLine[] } {
  const lines = description.filter((l, i) => l.text !== "" || i > 0);
  const first = lines[0];
  if (!first || first.text === "") return { title: null, rest: lines };
  let titleText = first.text;
  let from = 1;
  const second = lines[1];
  if (
    second &&
    second.text !== "" &&
    !/[.;:]$/.test(titleText) &&
    (/^[\p{Ll}\d(]/u.test(second.text) || /(?:\b(?:to|and|of|for|the|on|in)|[-–])$/i.test(titleText))
  ) {
    titleText = `${titleText} ${second.text}`;
    from = 2;
  }
  // A description that is a sentence ("The report set out ...") has no title line.
  if (/[.]$/.test(titleText) && titleText.split(" ").length > 12) return { title: null, rest: lines };
  return { title: { text: titleText, line: first.line }, rest: lines.slice(from) };
}

export interface TableItem {
  number: string;
  line: number;
  title: string | null;
  procedural: boolean;
  parsed?: ParsedRecord;
}

/** Every row of the table, procedural or not, with the record of each that decides something. */
export function readMinutesTable(text: string, source: SourceDescription | null): TableItem[] {
  const raw = text.replace(/\r\n?/g, "\n").split("\n");
  const header = findHeader(raw);
  if (!header) throw new DocumentError("no 'Item | Description | Decision' header row", 1);
  const lines = toSourceLines(text);
  const meeting = readMeetingHeading(lines.filter((l) => l.line < header.line));
  if (meeting.body === null) {
    throw new DocumentError(
      'the minutes do not name the meeting (expected e.g. "Minutes of the meeting of the Planning Committee held on ...")',
      header.line,
    );
  }
  if (meeting.date === null)
    throw new DocumentError("the minutes do not give the meeting's date", header.line);
  const rows = readRows(lines, raw, header);
  // Cells' lines are rejoined below, so every break left is the author's.
  const wrap = { wrapWidth: Number.POSITIVE_INFINITY, compounds: documentWrap(lines).compounds };
  const items: TableItem[] = [];
  const read = rows.map((row) => {
    const description = row.columns.slice(1, header.decisionColumn).flat();
    const { title: titleLine, rest } = splitTitle(description);
    const cleaned = cleanItemTitle(titleLine?.text ?? "");
    const title = cleaned.title === "" ? null : cleaned.title;
    const decisionLines = rejoinCellLines(row.columns.slice(header.decisionColumn).flat());
    return {
      row,
      titleLine,
      rest: rejoinCellLines(rest),
      title,
      keyDecision: cleaned.keyDecision,
      decisionLines,
      // For attributing declarations: the row's number, and its decision column as its text.
      number: row.number,
      recordId: /\//.test(row.number) ? row.number : null,
      procedural: title !== null && isProceduralTitle(title),
      lines: decisionLines,
    };
  });
  const declarations = attributedDeclarations(read);
  for (const entry of read) {
    const { row, titleLine, rest, title, keyDecision, decisionLines, recordId, procedural } = entry;
    const item: TableItem = { number: row.number, line: row.line, title, procedural };
    items.push(item);
    if (procedural) continue;
    const attributed = declarations.get(entry);
    const { facts, warnings } = readItem(
      {
        recordId,
        title,
        keyDecision,
        line: row.line,
        ...(title !== null && titleLine && { titleLine: titleLine.line }),
        lines: rest,
        decisionLines,
        declarations: attributed?.sentences ?? [],
        ...(attributed && { declarationsLine: attributed.line }),
      },
      meeting,
      meeting.body,
      wrap,
    );
    if (facts) item.parsed = buildRecord(facts, source, [...meeting.warnings, ...warnings]);
  }
  return items;
}

/**
 * A narrow column wraps its text at its own width: a line that does not end a sentence runs on into the
 * next, unless the next starts a list item ("2. That the Highways Authority ...").
 */
function rejoinCellLines(lines: readonly SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  for (const l of lines) {
    const previous = out[out.length - 1];
    if (
      previous &&
      previous.text !== "" &&
      l.text !== "" &&
      !/[.;:!?]["'”’)]*$/.test(previous.text) &&
      listItemMarker(l.text) === null
    ) {
      out[out.length - 1] = { ...previous, text: joinLines(previous.text, l.text) };
    } else {
      out.push(l);
    }
  }
  return out;
}

export const minutesTableLayout: DocumentLayout = {
  name: "minutes-table",
  label: "minutes table (Item | Description | Decision)",
  recognises: (text) => findHeader(text.split("\n", 400)) !== null,
  read: (text, source) => readMinutesTable(text, source).flatMap((i) => (i.parsed ? [i.parsed] : [])),
};
