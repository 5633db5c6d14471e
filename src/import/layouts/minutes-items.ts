import type { SourceLine } from "../document-lines.js";
import { cleanItemTitle } from "./item-title.js";
import { isProceduralTitle } from "./procedural-items.js";

/** One numbered item of a meeting's minutes, as found: its number, title and the lines under it. */
export interface MinutesItem {
  /** As printed, without trailing punctuation: "CAB/41/25", "57", "6". */
  number: string;
  /**
   * The minute number when it identifies the minute beyond this document ("CAB/41/25", "PL/12/24"); null
   * for a bare position ("57.", "Item 6"), which repeats from meeting to meeting (see docs/architecture.md).
   */
  recordId: string | null;
  /** The title as cleaned (no "(Pages 5 - 20)", "PDF 250 KB"); null when the item has no title line. */
  title: string | null;
  keyDecision: boolean | null;
  /** Line of the item's number. */
  line: number;
  /** Line the title was read from, when there is one. */
  titleLine?: number;
  /** The item's text after its title, up to the next item. */
  lines: SourceLine[];
  procedural: boolean;
}

export interface MinutesItems {
  /** Lines before the first item: the meeting's heading, attendance, publication notes. */
  heading: SourceLine[];
  items: MinutesItem[];
}

// "CAB/41/25", "PL/12/24", "EX 57/24", "DC.12/24": a minute reference with a prefix and a slash.
const IDENTIFIER =
  /^([A-Z][A-Za-z]{0,7}(?:\s?\/\s?|\.|\s)?\d{1,4}\/\d{2,4}|[A-Z][A-Za-z]{0,7}\/\d{1,4})(?=[\s.:)]|$)[.:)]?\s*(.*)$/;
// "57.", "57", "6 Medium Term Financial Plan", "Item 6:", "Agenda item 6 -", "Minute 57".
const NUMBERED = /^(?:(?:agenda\s+)?item|minute)?\s*(\d{1,3}[a-z]?)(?:[.:)]|\s+[-–—]|(?=\s)|$)\s*(.*)$/i;
const WORDED = /^(?:agenda\s+)?(?:item|minute)\s+\d/i;
// The end of the minutes: nothing after it belongs to the last item. ("\s*(?:[:.…_]+\s*)?$", not "\s*[:.…_]*\s*$":
// two blank runs side by side would share a long run of spaces between them in every way: quadratic.)
const CLOSING =
  /^(?:the meeting (?:closed|ended|finished|concluded|terminated|rose)\b|meeting (?:closed|ended)\b|\(?the meeting commenced at .* and (?:closed|ended)|chair(?:man|person)?\s*(?:[:.…_]+\s*)?$|chair(?:man|person)?\s*[.…_]{3,}|signed\s*[:.…_]*|(?:date|dated)\s*[:.…_]{3,})/i;

function numberOf(id: string): number {
  return Number(/(\d+)(?:\/\d+)?$/.exec(id.replace(/\s/g, ""))?.[1] ?? Number.NaN);
}

function identifierShape(id: string): string {
  return id.replace(/\s/g, "").replace(/\d+/g, "9");
}

/** Whether what follows an item number reads as a title, not as a numbered sentence of a resolution. */
function titleLike(rest: string): boolean {
  if (rest === "") return true;
  if (/^(?:that|to|the report|and|or)\b/i.test(rest)) return false;
  if (!/^[\p{Lu}\d("“‘'£]/u.test(rest)) return false;
  return !/[;,]$/.test(rest);
}

/**
 * Splits minutes into their items. Minute references ("CAB/41/25") are taken wherever they start a line
 * and run upwards in one shape; plain numbers ("57.", "6 Title") must follow a blank line, read as a title
 * and follow on from the item before (57, 58, 59...), so the "1." and "2." of a resolution are never taken
 * for items.
 */
export function findMinutesItems(lines: readonly SourceLine[]): MinutesItems {
  const starts = identifierStarts(lines);
  const chosen = starts.length > 0 ? starts : numberedStarts(lines);
  const items: MinutesItem[] = [];
  const end = closingIndex(lines, chosen[0]?.index ?? lines.length);
  for (const [k, start] of chosen.entries()) {
    const next = k + 1 < chosen.length ? chosen[k + 1]!.index : end;
    items.push(makeItem(lines, start, next));
  }
  return { heading: lines.slice(0, chosen[0]?.index ?? lines.length), items };
}

interface Start {
  index: number;
  number: string;
  rest: string;
  identifier: boolean;
}

function identifierStarts(lines: readonly SourceLine[]): Start[] {
  const found: Start[] = [];
  let shape: string | null = null;
  for (const [index, l] of lines.entries()) {
    const m = IDENTIFIER.exec(l.text);
    if (!m || !titleLike(m[2]!)) continue;
    const number = m[1]!.replace(/\s*\/\s*/g, "/");
    if (shape !== null && identifierShape(number) !== shape) continue;
    const previous = found[found.length - 1];
    if (previous && numberOf(number) <= numberOf(previous.number)) continue;
    shape ??= identifierShape(number);
    found.push({ index, number, rest: m[2]!, identifier: true });
  }
  return found;
}

function numberedStarts(lines: readonly SourceLine[]): Start[] {
  const found: Start[] = [];
  for (const [index, l] of lines.entries()) {
    const m = NUMBERED.exec(l.text);
    if (!m) continue;
    const worded = WORDED.test(l.text);
    const afterBlank = index === 0 || lines[index - 1]!.text === "";
    if (!worded && (!afterBlank || !titleLike(m[2]!))) continue;
    const previous = found[found.length - 1];
    const value = Number.parseInt(m[1]!, 10);
    if (previous && !worded) {
      const last = Number.parseInt(previous.number, 10);
      // A sub-item ("6a") keeps its item's number; otherwise items run on by one.
      if (!(value === last + 1 || (value === last && /[a-z]$/i.test(m[1]!)))) continue;
    }
    found.push({ index, number: m[1]!, rest: m[2]!, identifier: false });
  }
  return found;
}

function closingIndex(lines: readonly SourceLine[], from: number): number {
  for (let i = from; i < lines.length; i++) if (CLOSING.test(lines[i]!.text)) return i;
  return lines.length;
}

function makeItem(lines: readonly SourceLine[], start: Start, end: number): MinutesItem {
  const headingLine = lines[start.index]!;
  let bodyFrom = start.index + 1;
  let rawTitle = start.rest;
  let titleLine: number | undefined = rawTitle === "" ? undefined : headingLine.line;

  // The paragraph the heading starts: a title wrapped onto a second or third line goes with it.
  let paragraphEnd = bodyFrom;
  while (paragraphEnd < end && lines[paragraphEnd]!.text !== "") paragraphEnd++;
  const paragraph = lines.slice(bodyFrom, paragraphEnd);
  if (rawTitle !== "") {
    const wrapped =
      /\b(?:to|and|of|for|the|on|in|at|with|from|-|–)$/i.test(rawTitle) ||
      /^[\p{Ll}\d(]/u.test(paragraph[0]?.text ?? "");
    if (wrapped && paragraph.length > 0 && paragraph.length <= 2 && !/[.;:]$/.test(rawTitle)) {
      rawTitle = [rawTitle, ...paragraph.map((l) => l.text)].join(" ");
      bodyFrom = paragraphEnd;
    }
  } else {
    // A number on its own: the next short paragraph is the title, unless it is already the minute's text.
    let first = bodyFrom;
    while (first < end && lines[first]!.text === "") first++;
    let last = first;
    while (last < end && lines[last]!.text !== "") last++;
    const candidate = lines.slice(first, last);
    const text = candidate.map((l) => l.text).join(" ");
    if (
      candidate.length > 0 &&
      candidate.length <= 2 &&
      text.length <= 150 &&
      !/[.;:,]$/.test(text) &&
      titleLike(text)
    ) {
      rawTitle = text;
      titleLine = candidate[0]!.line;
      bodyFrom = last;
    }
  }
  const { title, keyDecision } = cleanItemTitle(rawTitle);
  return {
    number: start.number,
    recordId: start.identifier ? start.number : null,
    title: title === "" ? null : title,
    keyDecision,
    line: headingLine.line,
    ...(title !== "" && titleLine !== undefined && { titleLine }),
    lines: lines.slice(bodyFrom, end),
    procedural: title !== "" && isProceduralTitle(title),
  };
}
