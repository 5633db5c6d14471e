import type { DecisionRecord, Outcome } from "../../domain/decision-record.js";
import { formatCounter } from "../extract/list-markers.js";
import { listItemMarker } from "../paragraphs.js";
import { proformaSections, type SectionKey } from "../proforma-sections.js";
import { formatLongDate, formatOrdinalDate } from "../uk-date.js";

/**
 * The record in the proforma layout as a list of blocks, for the renderers that lay it out
 * themselves (Word, PDF). Same content and order as `renderProformaText`: the council and the
 * document type, the record number and the meeting line, the seven numbered sections, and
 * "Proper Officer" with the publication date. Each line of a section's text is a paragraph or,
 * when it starts with a marker ("a.", "1.", "(iv)", "-"), a list item; consecutive items whose
 * markers count on ("a.", "b.", "c.") form one list.
 */

export interface Span {
  text: string;
  bold?: boolean;
}

/** How a list's markers are made: counted like Word's numbering, a bullet, or typed as they are. */
export type ListNumbering =
  | {
      kind: "counter";
      format: "decimal" | "lower-alpha" | "lower-roman";
      start: number;
      /** Text around the counter: "(" and ")" for "(a)", "" and "." for "a.". */
      before: string;
      after: string;
    }
  /** Items marked "-": a bulleted list (drawn with a bullet, read back as "-"). */
  | { kind: "bullet" }
  /** Any other marker ("•", "*", "–"), printed as typed. */
  | { kind: "typed" };

export interface ListInfo {
  /** Unique within the document, in document order from 1. */
  id: number;
  numbering: ListNumbering;
}

export type RenderBlock =
  /** The council and the document type: the document's main heading, one line each. */
  | { kind: "banner"; lines: string[] }
  /** "Record Number: …" and the meeting line ("Cabinet Meeting 16th November 2017"). */
  | { kind: "meta"; text: string }
  /** "1. Title of Item/Report" … "7. …". */
  | { kind: "heading"; number: number; text: string }
  | { kind: "paragraph"; spans: Span[]; depth: number }
  | { kind: "item"; marker: string; spans: Span[]; depth: number; list: ListInfo }
  /** The signature lines and the publication date, printed as consecutive lines. */
  | { kind: "signature"; lines: string[] };

export function proformaBlocks(record: DecisionRecord): RenderBlock[] {
  const blocks: RenderBlock[] = [];
  const lists = new ListCounter();
  const banner = [record.council, record.documentType].filter((l): l is string => !!l);
  blocks.push({ kind: "banner", lines: banner });
  if (record.recordId) blocks.push({ kind: "meta", text: `Record Number: ${record.recordId}` });
  blocks.push({
    kind: "meta",
    text: `${record.body} Meeting ${formatOrdinalDate(record.meetingDate)}`,
  });

  for (const section of proformaSections) {
    blocks.push({ kind: "heading", number: section.number, text: `${section.number}. ${section.heading}` });
    blocks.push(...sectionBlocks(record, section.key, lists));
  }

  const published = formatLongDate(record.publishedOn);
  blocks.push({
    kind: "signature",
    lines: record.signedBy
      ? [...record.signedBy.split(", "), published]
      : [`Date of Publication: ${published}`],
  });
  return blocks;
}

function sectionBlocks(record: DecisionRecord, key: SectionKey, lists: ListCounter): RenderBlock[] {
  switch (key) {
    case "title":
      return textBlocks(record.title, 0, lists);
    case "record":
      return [
        ...textBlocks(record.record, 0, lists),
        ...record.outcomes.flatMap((outcome) => outcomeBlocks(outcome, lists)),
      ];
    case "callIn":
      return textBlocks(record.callIn.text, 0, lists);
    default:
      return textBlocks(record[key], 0, lists);
  }
}

/** "RESOLVED that …" with the operative word in bold, then the numbered items. */
function outcomeBlocks(outcome: Outcome, lists: ListCounter): RenderBlock[] {
  const rest = outcome.text === "" || /^[:,.;]/.test(outcome.text) ? outcome.text : ` ${outcome.text}`;
  const blocks: RenderBlock[] = [
    { kind: "paragraph", depth: 0, spans: [{ text: outcome.kind, bold: true }, ...spans(rest)] },
  ];
  if (outcome.items.length === 0) return blocks;
  const list = lists.next({ kind: "counter", format: "decimal", start: 1, before: "", after: "." });
  outcome.items.forEach((item, i) => {
    const [first = "", ...more] = item.split("\n");
    blocks.push({ kind: "item", marker: `${i + 1}.`, spans: spans(first), depth: 0, list });
    // Sub-points ("a." under "1.") and further paragraphs of the item sit inside it.
    blocks.push(...textBlocks(more.join("\n"), 1, lists));
  });
  return blocks;
}

function spans(text: string): Span[] {
  return text === "" ? [] : [{ text }];
}

/** A section's text: a paragraph per line, list items grouped into lists by their markers. */
function textBlocks(text: string, depth: number, lists: ListCounter): RenderBlock[] {
  const blocks: RenderBlock[] = [];
  let current: OpenList | null = null;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") {
      current = null;
      continue;
    }
    const item = listItemMarker(trimmed);
    if (!item) {
      current = null;
      blocks.push({ kind: "paragraph", depth, spans: spans(trimmed) });
      continue;
    }
    const { marker, rest } = item;
    if (!current || !continueList(current, marker)) current = startList(marker, lists);
    blocks.push({ kind: "item", marker, spans: spans(rest), depth, list: current.list });
  }
  return blocks;
}

interface Candidate {
  format: "decimal" | "lower-alpha" | "lower-roman";
  start: number;
  before: string;
  after: string;
}

const PLAIN_BULLETS = new Set(["-", "–", "•", "*", "▪", "◦"]);

interface OpenList {
  list: ListInfo;
  /** The counters that could have printed every marker so far. */
  candidates: Candidate[];
  count: number;
  /** The marker of a list of plain bullets. */
  plain?: string;
}

/** Whether the marker is the next one of the list; if so the list takes the item. */
function continueList(open: OpenList, marker: string): boolean {
  if (open.plain !== undefined || PLAIN_BULLETS.has(marker)) {
    if (open.plain !== marker) return false;
    open.count++;
    return true;
  }
  const still = open.candidates.filter((c) => markerOf(c, c.start + open.count) === marker);
  if (still.length === 0) return false;
  open.candidates = still;
  open.count++;
  // The items so far settle the numbering ("i." after "h." is a letter); earlier items share the list.
  open.list.numbering = counterNumbering(still[0]!);
  return true;
}

function startList(marker: string, lists: ListCounter): OpenList {
  if (PLAIN_BULLETS.has(marker)) {
    const list = lists.next(marker === "-" ? { kind: "bullet" } : { kind: "typed" });
    return { list, candidates: [], count: 1, plain: marker };
  }
  const candidates = counterCandidates(marker);
  const first = candidates[0];
  const list = lists.next(first ? counterNumbering(first) : { kind: "typed" });
  return { list, candidates, count: 1 };
}

function counterNumbering(c: Candidate): ListNumbering {
  return { kind: "counter", format: c.format, start: c.start, before: c.before, after: c.after };
}

function markerOf(c: Candidate, value: number): string {
  return `${c.before}${formatCounter(value, c.format)}${c.after}`;
}

/** The counters that print this marker: "i." is the ninth letter or roman one. */
function counterCandidates(marker: string): Candidate[] {
  const m = /^(\(?)(\d{1,2}|[a-z]|[ivx]{1,5})([.)])$/.exec(marker);
  if (!m) return [];
  const [, before = "", value = "", after = ""] = m;
  const found: Candidate[] = [];
  if (/^\d+$/.test(value)) found.push({ format: "decimal", start: Number(value), before, after });
  if (/^[a-z]$/.test(value))
    found.push({ format: "lower-alpha", start: value.charCodeAt(0) - 96, before, after });
  if (/^[ivx]+$/.test(value)) {
    for (let n = 1; n <= 39; n++) {
      if (formatCounter(n, "lower-roman") === value) {
        found.push({ format: "lower-roman", start: n, before, after });
        break;
      }
    }
  }
  // A lone "i." reads as roman; "i." after "h." has already been taken as a letter.
  if (value.length > 1 || value === "i") found.sort((a, b) => rank(a) - rank(b));
  return found.filter((c) => markerOf(c, c.start) === marker);
}

function rank(c: Candidate): number {
  return c.format === "lower-roman" ? 0 : 1;
}

class ListCounter {
  private count = 0;
  next(numbering: ListNumbering): ListInfo {
    this.count++;
    return { id: this.count, numbering };
  }
}

/** The text of a block's spans. */
export function spanText(spans: readonly Span[]): string {
  return spans.map((s) => s.text).join("");
}
