import type { DecisionRecord } from "../../domain/decision-record.js";
import { layoutPdfText, type PdfPageText, type PdfTextRun } from "../extract/pdf-layout.js";
import { parseProforma } from "../proforma-parser.js";
import { proformaBlocks, spanText, type RenderBlock } from "./render-blocks.js";
import { printable, textWidth } from "./pdf-fonts.js";
import {
  AFTER_HEADING,
  BEFORE_HEADING,
  BEFORE_SIGNATURE,
  BOTTOM,
  FOOTER_BASELINE,
  FOOTER_SIZE,
  ITEM_GAP,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  PARAGRAPH_GAP,
  TOP,
} from "./pdf-geometry.js";
import { layoutBlocks, type LaidBlock, type Line, type Structure, type WrapPolicy } from "./pdf-lines.js";

/**
 * The lines on pages, chosen by reading them back through our own PDF importer (pdf-layout and the
 * proforma parser), in memory: the first way of breaking lines that reads back as the same record
 * is used, so a downloaded PDF imports as the record it was made from. Most records take the first;
 * each try costs about 1 ms.
 */

/**
 * Character measures tried, best first. 72 characters of English in DejaVu Sans 11 pt fill about
 * 85% of the line, which leaves room for a line of long words without breaking it short.
 */
const MEASURES = [72, 70, 74, 68, 66, 76, 64, 62, 60, 58, 56, 54, 52];
/** Characters a line may run past the measure to keep "–" or "AGREED" off the start of the next. */
const OVERRUN = 8;

export interface PlacedLine extends Line {
  y: number;
  block: number;
}

export interface Layout {
  pages: PlacedLine[][];
  structure: Structure;
}

function gapBefore(previous: LaidBlock, current: LaidBlock): number {
  const [a, b] = [previous.block, current.block];
  if (b.kind === "heading") return BEFORE_HEADING;
  if (a.kind === "heading") return AFTER_HEADING;
  if (b.kind === "signature") return BEFORE_SIGNATURE;
  if (a.kind === "banner") return 26;
  if (a.kind === "meta" && b.kind === "meta") return 16;
  if (a.kind === "item" && b.kind === "item")
    return a.list.id === b.list.id || b.depth > a.depth ? ITEM_GAP : PARAGRAPH_GAP;
  return PARAGRAPH_GAP;
}

/**
 * How many lines of the next block this one must stay with at the foot of a page: a heading or
 * an introduction ("… that:-") with the start of what follows, the call-in deadline with the
 * signature (a signature never stands alone on a page).
 */
function keepWithNext(laid: readonly LaidBlock[], index: number): number {
  const block = laid[index]!.block;
  const next = laid[index + 1];
  if (!next) return 0;
  if (next.block.kind === "signature") return next.lines.length;
  if (block.kind === "heading" || block.kind === "banner" || block.kind === "meta") return 2;
  if (block.kind === "paragraph" && /:-?$/.test(spanText(block.spans))) return 1;
  return 0;
}

/** Height below a block's last baseline that must fit on its page, following chains of keeps. */
function keptHeight(laid: readonly LaidBlock[], index: number): number {
  const keep = keepWithNext(laid, index);
  const next = laid[index + 1];
  if (keep === 0 || !next) return 0;
  const lines = Math.min(keep, next.lines.length);
  const height = gapBefore(laid[index]!, next) + (lines - 1) * next.leading;
  return lines === next.lines.length ? height + keptHeight(laid, index + 1) : height;
}

/**
 * Places lines on pages. Blocks stay whole where they fit on a page; a longer block is parted
 * only before a line that starts in lower case (an importer then sees the paragraph go on).
 * `breakBefore` holds blocks that must start a page.
 */
function paginate(laid: readonly LaidBlock[], breakBefore: ReadonlySet<number>): PlacedLine[][] {
  const pages: PlacedLine[][] = [[]];
  let y = 0;
  const page = () => pages[pages.length - 1]!;
  const newPage = () => {
    pages.push([]);
  };

  laid.forEach((item, index) => {
    if (breakBefore.has(index) && page().length > 0) newPage();
    let remaining = item.lines;
    let continued = false;
    while (remaining.length > 0) {
      const empty = page().length === 0;
      const start = empty
        ? TOP + item.size
        : y + (continued ? item.leading : gapBefore(laid[index - 1]!, item));
      const capacity = start > BOTTOM ? 0 : 1 + Math.floor((BOTTOM - start) / item.leading);
      const keepHeight = keptHeight(laid, index);
      const whole =
        capacity >= remaining.length && start + (remaining.length - 1) * item.leading + keepHeight <= BOTTOM;
      let take: number;
      if (whole || (empty && capacity >= remaining.length)) take = remaining.length;
      else {
        take = splitPoint(remaining, capacity);
        if (take === 0 && empty) take = Math.max(1, capacity);
      }
      if (take === 0) {
        newPage();
        continue;
      }
      remaining
        .slice(0, take)
        .forEach((line, i) => page().push({ ...line, y: start + i * item.leading, block: index }));
      y = start + (take - 1) * item.leading;
      remaining = remaining.slice(take);
      if (remaining.length > 0) {
        newPage();
        continued = true;
      }
    }
  });
  return pages;
}

/** How many lines to keep on this page: at least two each side, the next line in lower case. */
function splitPoint(lines: readonly Line[], capacity: number): number {
  for (let take = Math.min(capacity, lines.length - 2); take >= 2; take--) {
    if (/^\p{Ll}/u.test(lines[take]!.text)) return take;
  }
  return 0;
}

/**
 * Page breaks an importer would read as running on (the page's last line is full width, the next
 * page starts at the same indent): the block before such a break moves to the next page.
 */
function ambiguousBreaks(pages: readonly PlacedLine[][], laid: readonly LaidBlock[]): number[] {
  const moves: number[] = [];
  for (let p = 1; p < pages.length; p++) {
    const before = pages[p - 1]!;
    const first = pages[p]![0];
    const last = before[before.length - 1];
    if (!first || !last || first.block === last.block) continue;
    const kind = laid[first.block]!.block.kind;
    if (kind === "heading" || kind === "item") continue;
    const left = Math.min(...before.map((l) => l.left));
    const right = Math.max(...before.map((l) => l.right));
    const full = last.right >= right - 0.12 * (right - left);
    const sameIndent = Math.abs(first.left - last.left) <= Math.max(first.size, last.size);
    const firstOnPage = before[0]!.block === last.block;
    if (full && sameIndent && !/:-?$/.test(last.text) && !firstOnPage) moves.push(last.block);
  }
  return moves;
}

export function footerLine(page: number, count: number): { text: string; x: number; width: number } {
  const text = `Page ${page} of ${count}`;
  const width = textWidth(text, "regular", FOOTER_SIZE);
  return { text, x: (PAGE_WIDTH - width) / 2, width };
}

/** The pages as our PDF importer sees them: text runs with positions. */
function asImporterSees(pages: readonly PlacedLine[][]): PdfPageText[] {
  return pages.map((lines, i) => {
    const runs: PdfTextRun[] = lines.flatMap((line) =>
      line.pieces.map((piece) => ({
        text: piece.text,
        x: piece.x,
        y: line.y,
        width: piece.width,
        fontSize: line.size,
      })),
    );
    const footer = footerLine(i + 1, pages.length);
    runs.push({
      text: footer.text,
      x: footer.x,
      y: FOOTER_BASELINE,
      width: footer.width,
      fontSize: FOOTER_SIZE,
    });
    return { width: PAGE_WIDTH, height: PAGE_HEIGHT, runs };
  });
}

/**
 * The record as our importer reads a PDF of it: characters the fonts lack come back as printed
 * (see `printable`: only scripts DejaVu Sans does not cover), and bullets of any shape ("•") come
 * back as "-".
 */
export function recordAsReadFromPdf(record: DecisionRecord): DecisionRecord {
  const text = (value: string) =>
    value
      .split("\n")
      .map((line) => printable(line).replace(/^[•▪◦](?= )/, "-"))
      .join("\n");
  const optional = (value: string | null) => (value === null ? null : text(value));
  const outcomes = record.outcomes.map((o) => ({ ...o, text: text(o.text), items: o.items.map(text) }));
  return {
    ...record,
    council: optional(record.council),
    body: text(record.body),
    documentType: text(record.documentType),
    recordId: optional(record.recordId),
    title: text(record.title),
    record: text(record.record),
    outcome: outcomes[0]!,
    outcomes,
    reasons: text(record.reasons),
    alternatives: text(record.alternatives),
    conflictsOfInterest: text(record.conflictsOfInterest),
    dispensations: text(record.dispensations),
    callIn: { ...record.callIn, text: text(record.callIn.text) },
    signedBy: optional(record.signedBy),
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function readsBackAs(pages: readonly PlacedLine[][], expected: string): boolean {
  try {
    const parsed = parseProforma(layoutPdfText(asImporterSees(pages))).record;
    return canonical({ ...parsed, source: null }) === expected;
  } catch {
    return false;
  }
}

function layoutAt(blocks: readonly RenderBlock[], policy: WrapPolicy): Layout {
  const { laid, structure } = layoutBlocks(blocks, policy);
  const breakBefore = new Set<number>();
  let pages = paginate(laid, breakBefore);
  for (let round = 0; round < 8; round++) {
    // A heading or an introduction moves with the block it introduces.
    const moves = ambiguousBreaks(pages, laid)
      .map((b) => {
        let start = b;
        while (start > 0 && keepWithNext(laid, start - 1) > 0) start--;
        return start;
      })
      .filter((b) => !breakBefore.has(b));
    if (moves.length === 0) break;
    for (const b of moves) breakBefore.add(b);
    pages = paginate(laid, breakBefore);
  }
  return { pages, structure };
}

/**
 * The first way of breaking lines whose layout our importer reads back as the record. A record
 * that would not read back even with each paragraph on a line of its own (text the parser reads
 * differently in any layout) gets the first layout without further search.
 */
export function chooseLayout(record: DecisionRecord): Layout {
  const blocks = proformaBlocks(record);
  const expected = canonical({ ...recordAsReadFromPdf(record), source: null });
  const policies = MEASURES.flatMap((measure) => [
    { measure, overrun: 0 },
    { measure, overrun: OVERRUN },
  ]);
  const first = layoutAt(blocks, policies[0]!);
  if (readsBackAs(first.pages, expected)) return first;
  const unwrapped = layoutAt(blocks, { measure: Number.POSITIVE_INFINITY, overrun: 0 });
  if (!readsBackAs(unwrapped.pages, expected)) return first;
  for (const policy of policies.slice(1)) {
    const layout = layoutAt(blocks, policy);
    if (readsBackAs(layout.pages, expected)) return layout;
  }
  return first;
}
