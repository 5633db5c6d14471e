import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import type { DecisionRecord } from "../domain/decision-record.js";
import { layoutPdfText, type PdfPageText, type PdfTextRun } from "./extract/pdf-layout.js";
import { listItemMarker, OPERATIVE_WORD } from "./paragraphs.js";
import { parseProforma } from "./proforma-parser.js";
import { PUBLICATION_LINE } from "./proforma-sections.js";
import { titleCaseIfShouting } from "./title-case.js";
import {
  proformaBlocks,
  spanText,
  xmlText,
  type ListInfo,
  type RenderBlock,
  type Span,
} from "./render-blocks.js";

/**
 * The record as a PDF in the proforma layout: A4 portrait, Helvetica 11 pt (the PDF standard font,
 * Arial's metric twin, so nothing is embedded), 2 cm side margins, headings in bold, "Page N of M"
 * in the footer, and a structure tree (headings, paragraphs, lists) with the document's title and
 * language (en-GB) for screen readers. The PDF is written here operator by operator: it is small,
 * and owning it keeps the output byte-for-byte the same for the same record (dates come from the
 * record; the file identifier is a hash of the content).
 *
 * A PDF has no paragraphs, only positioned lines, and importers (ours included) rebuild paragraphs
 * from the lines: a line break is a wrap when the next word would not have fitted on the line.
 * Widths in a proportional font vary, so lines are broken by characters: at the last space before
 * `measure` characters (a line of wide capitals is narrowed a little rather than broken short);
 * a word is never broken or hyphenated, and no line starts with something that reads as a list
 * marker or an operative word ("a.", "–", "AGREED"). The measure is chosen by reading the laid-out
 * lines back through our own PDF importer (pdf-layout and the proforma parser), in memory: the
 * first way of breaking lines that reads back as the same record is used, so a downloaded PDF
 * imports as the record it was made from. Most records take the first; each try costs about 1 ms.
 */

// --- Fonts: Helvetica and Helvetica-Bold in WinAnsiEncoding -------------------------------------

type FontKey = "regular" | "bold";

/** Advance widths (1/1000 em) of WinAnsi codes 32–255, from the Adobe Core 14 AFM metrics. */
const WIDTHS: Record<FontKey, readonly number[]> = {
  regular: [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
    500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350, 556, 350, 222, 556, 333, 1000, 556, 556, 333,
    1000, 667, 333, 1000, 350, 611, 350, 350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944,
    350, 500, 667, 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584,
    333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000,
    722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556,
    556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
  ],
  bold: [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278,
    556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
    556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556,
    333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350, 556, 350, 278, 556, 500, 1000, 556, 556, 333,
    1000, 667, 333, 1000, 350, 611, 350, 350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944,
    350, 500, 667, 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584,
    333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000,
    722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
    722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611,
    611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
  ],
};

/** WinAnsi codes 128–159 that hold characters (Windows-1252); the others are unused. */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: "€",
  0x82: "‚",
  0x83: "ƒ",
  0x84: "„",
  0x85: "…",
  0x86: "†",
  0x87: "‡",
  0x88: "ˆ",
  0x89: "‰",
  0x8a: "Š",
  0x8b: "‹",
  0x8c: "Œ",
  0x8e: "Ž",
  0x91: "‘",
  0x92: "’",
  0x93: "“",
  0x94: "”",
  0x95: "•",
  0x96: "–",
  0x97: "—",
  0x98: "˜",
  0x99: "™",
  0x9a: "š",
  0x9b: "›",
  0x9c: "œ",
  0x9e: "ž",
  0x9f: "Ÿ",
};

const WIN_ANSI = new Map<string, number>();
for (let code = 0x20; code <= 0xff; code++) {
  // DEL and the unused codes hold no character; no-break and soft hyphens are handled as text.
  if (code === 0x7f || code === 0xa0 || code === 0xad) continue;
  const char = code >= 0x80 && code < 0xa0 ? WIN_ANSI_HIGH[code] : String.fromCharCode(code);
  if (char !== undefined) WIN_ANSI.set(char, code);
}

/** Characters outside WinAnsi that have a faithful stand-in inside it. */
const STAND_INS: Record<string, string> = {
  "\u00a0": " ",
  "\u2007": " ",
  "\u202f": " ",
  "\t": " ",
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "–",
  "\u2015": "—",
  "\u2212": "-",
  "\u2032": "'",
  "\u2033": '"',
  "\u25aa": "•",
  "\u25e6": "•",
};

/** The text as the font can show it: WinAnsi characters, stand-ins, accents dropped, else "?". */
function printable(text: string): string {
  let out = "";
  for (const char of text.replace(/[\u00ad\u200b\ufeff]/g, "")) {
    if (WIN_ANSI.has(char)) out += char;
    else if (STAND_INS[char] !== undefined) out += STAND_INS[char];
    else {
      const plain = char.normalize("NFKD").replace(/\p{M}/gu, "");
      out += [...plain].every((c) => WIN_ANSI.has(c)) && plain !== "" ? plain : "?";
    }
  }
  return out;
}

/** Width in points of printable text. */
function textWidth(text: string, font: FontKey, size: number): number {
  const widths = WIDTHS[font];
  let units = 0;
  for (const char of text) units += widths[(WIN_ANSI.get(char) ?? 0x3f) - 32] ?? 556;
  return (units * size) / 1000;
}

/** A PDF literal string of the WinAnsi bytes of printable text. */
function encodeText(text: string): string {
  let out = "(";
  for (const char of text) {
    const code = WIN_ANSI.get(char) ?? 0x3f;
    if (code === 0x28 || code === 0x29 || code === 0x5c) out += `\\${char}`;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else out += `\\${code.toString(8).padStart(3, "0")}`;
  }
  return `${out})`;
}

// --- Page geometry (points; y is the baseline, measured down from the top of the page) -----------

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const CM = 28.35;
const LEFT = 2 * CM;
const RIGHT = PAGE_WIDTH - 2 * CM;
// 2.5 cm at the top and bottom keeps the text clear of the bands where importers look for running
// headers and footers; the footer sits 1 cm from the bottom edge.
const TOP = 2.5 * CM;
const BOTTOM = PAGE_HEIGHT - 2.5 * CM;
const FOOTER_BASELINE = PAGE_HEIGHT - CM;
const LIST_INDENT = CM;

const BODY_SIZE = 11;
const LEADING = 14;
const HEADING_SIZE = 12;
const BANNER_SIZE = 14;
const FOOTER_SIZE = 9;
/** Baseline to baseline between paragraphs (a visible gap, read as a paragraph break). */
const PARAGRAPH_GAP = 22;
/** Between items of one list: closer than paragraphs, and not read as a paragraph break. */
const ITEM_GAP = 17;
const BEFORE_HEADING = 30;
const AFTER_HEADING = 21;
const BEFORE_SIGNATURE = 36;

/** Character measures tried, best first; 80 characters of English fill about 80% of the line. */
const MEASURES = [80, 78, 82, 76, 74, 84, 72, 70, 68, 66, 64, 62, 60];
/**
 * A line of wide letters (capitals, figures) that would overrun the margin at the measure is fitted
 * first by narrowing its word spaces (by up to this share), then by condensing it (down to
 * MIN_SCALE), and only then broken earlier, since a line broken short can read as a paragraph end.
 */
const MAX_SPACE_SHRINK = 0.3;
const MIN_SCALE = 0.88;
/** Characters a line may run past the measure to keep "–" or "AGREED" off the start of the next. */
const OVERRUN = 8;

// --- Laying out blocks as lines -----------------------------------------------------------------

/** How a line was fitted to the measure: word spacing (Tw, points) and horizontal scale (Tz / 100). */
interface Fit {
  wordSpacing: number;
  scale: number;
}

const NATURAL: Fit = { wordSpacing: 0, scale: 1 };

interface Piece {
  x: number;
  text: string;
  font: FontKey;
  width: number;
  fit: Fit;
  /** Structure leaf (a paragraph, heading, label or list body) the text belongs to. */
  leaf: number;
}

interface Line {
  pieces: Piece[];
  size: number;
  left: number;
  right: number;
  /** The line's text as an importer reads it. */
  text: string;
}

interface LaidBlock {
  block: RenderBlock;
  lines: Line[];
  leading: number;
  size: number;
}

interface Token {
  segments: Array<{ text: string; font: FontKey }>;
  text: string;
}

function tokenize(spans: readonly Span[]): Token[] {
  const tokens: Token[] = [];
  let current: Token | null = null;
  for (const span of spans) {
    const font: FontKey = span.bold ? "bold" : "regular";
    for (const [i, word] of printable(span.text).split(" ").entries()) {
      if (i > 0) current = null;
      if (word === "") continue;
      if (!current) {
        current = { segments: [], text: "" };
        tokens.push(current);
      }
      current.segments.push({ text: word, font });
      current.text += word;
    }
  }
  return tokens;
}

/** Whether a line may start with these words: not with anything that reads as a new block. */
function canStartLine(rest: string): boolean {
  return listItemMarker(rest) === null && !OPERATIVE_WORD.test(rest) && !PUBLICATION_LINE.test(rest);
}

/** Whether a line may end after this word: a trailing hyphen reads as a word broken by the wrap. */
function canEndLine(word: string): boolean {
  return !/-$/.test(word);
}

class StructureLeaves {
  readonly leaves: Array<{ type: string; parent: StructNode }> = [];
  add(type: string, parent: StructNode): number {
    this.leaves.push({ type, parent });
    return this.leaves.length - 1;
  }
}

interface StructNode {
  type: string;
  /** Attributes dictionary, e.g. list numbering. */
  attributes?: string;
  children: Array<StructNode | { leaf: number }>;
}

/**
 * How lines are broken: at most `measure` characters a line; where the last space that fits may
 * not be broken at (the next line would start "– …" or "AGREED …"), the break moves back a word,
 * or first, with `overrun` above 0, forward by a word or two past the measure.
 */
interface WrapPolicy {
  measure: number;
  overrun: number;
}

/**
 * Breaks a paragraph or item into lines (the marker and its space count on the first line of an
 * item), at spaces only.
 */
function wrapTokens(
  tokens: readonly Token[],
  options: { policy: WrapPolicy; firstPrefix: number; size: number; x: number; leaf: number },
): Line[] {
  const { measure, overrun } = options.policy;
  const lines: Line[] = [];
  const space = textWidth(" ", "regular", options.size);
  const available = RIGHT - options.x;
  let start = 0;
  while (start < tokens.length) {
    const prefix = lines.length === 0 ? options.firstPrefix : 0;
    const fits = (end: number, limit = measure): Fit | null => {
      // An unlimited measure puts each paragraph on one line (see chooseLayout).
      if (measure === Number.POSITIVE_INFINITY) return NATURAL;
      const count = end - start;
      const chars = prefix + tokens.slice(start, end).reduce((n, t) => n + t.text.length, 0) + count - 1;
      if (chars > limit && count > 1) return null;
      const glyphs = tokens.slice(start, end).reduce((w, t) => w + tokenWidth(t, options.size), 0);
      const spaces = count - 1;
      if (glyphs + spaces * space <= available) return NATURAL;
      // A word wider than the line (a long web address) is condensed to fit: words are never broken.
      if (count === 1) return { wordSpacing: 0, scale: available / glyphs };
      const shrink = Math.min(
        (glyphs + spaces * space - available) / Math.max(spaces, 1),
        space * MAX_SPACE_SHRINK,
      );
      const scale = Math.min(1, available / (glyphs + spaces * (space - shrink)));
      return scale >= MIN_SCALE ? { wordSpacing: spaces > 0 ? -shrink : 0, scale } : null;
    };
    let end = start + 1;
    while (end < tokens.length && fits(end + 1)) end++;
    const breakable = (at: number) =>
      at === tokens.length ||
      (canEndLine(tokens[at - 1]!.text) &&
        canStartLine(
          tokens
            .slice(at, at + 3)
            .map((t) => t.text)
            .join(" "),
        ));
    let chosen = end;
    if (!breakable(end)) {
      const forward = [end + 1, end + 2].find(
        (at) => overrun > 0 && at <= tokens.length && fits(at, measure + overrun) && breakable(at),
      );
      let back = end - 1;
      while (back > start && !breakable(back)) back--;
      chosen = forward ?? (back > start ? back : end);
    }
    const fit = fits(chosen, Number.POSITIVE_INFINITY) ?? NATURAL;
    lines.push(makeLine(tokens.slice(start, chosen), options.x, options.size, fit, options.leaf));
    start = chosen;
  }
  return lines;
}

function tokenWidth(token: Token, size: number): number {
  return token.segments.reduce((w, s) => w + textWidth(s.text, s.font, size), 0);
}

/** A line of words; consecutive words in the same font are one piece of text. */
function makeLine(tokens: readonly Token[], x: number, size: number, fit: Fit, leaf: number): Line {
  const pieces: Piece[] = [];
  let cursor = x;
  tokens.forEach((token, i) => {
    token.segments.forEach((segment, j) => {
      const text = (i > 0 && j === 0 ? " " : "") + segment.text;
      const spaces = text.startsWith(" ") ? 1 : 0;
      const width = (textWidth(text, segment.font, size) + spaces * fit.wordSpacing) * fit.scale;
      const last = pieces[pieces.length - 1];
      if (last && last.font === segment.font) {
        last.text += text;
        last.width += width;
      } else {
        pieces.push({ x: cursor, text, font: segment.font, width, fit, leaf });
      }
      cursor += width;
    });
  });
  return {
    pieces,
    size,
    left: x,
    right: cursor,
    text: tokens.map((t) => t.text).join(" "),
  };
}

/** A line that must stay whole (a heading, the meeting line): made smaller if it is too wide. */
function singleLine(text: string, font: FontKey, size: number, leaf: number): Line {
  const shown = printable(text);
  let fitted = size;
  while (fitted > 7 && textWidth(shown, font, fitted) > RIGHT - LEFT) fitted -= 0.5;
  const width = textWidth(shown, font, fitted);
  return {
    pieces: [{ x: LEFT, text: shown, font, width, fit: NATURAL, leaf }],
    size: fitted,
    left: LEFT,
    right: LEFT + width,
    text: shown,
  };
}

/**
 * The council and the document type in capitals, as the proforma prints them, unless capitals
 * would not read back as the name ("ICT Services" would come back as "Ict Services").
 */
function inCapitals(text: string): string {
  const capitals = text.toUpperCase();
  return titleCaseIfShouting(capitals) === text ? capitals : text;
}

/** The marker an importer should read: "-" bullets are drawn as "•", which reads as "-". */
function drawnMarker(marker: string, list: ListInfo): string {
  return list.numbering.kind === "bullet" ? "•" : printable(marker);
}

interface Structure {
  root: StructNode;
  leaves: StructureLeaves;
}

/** Lays out every block at a measure, building the structure tree as it goes. */
function layoutBlocks(
  blocks: readonly RenderBlock[],
  policy: WrapPolicy,
): { laid: LaidBlock[]; structure: Structure } {
  const leaves = new StructureLeaves();
  const root: StructNode = { type: "Document", children: [] };
  const laid: LaidBlock[] = [];
  // The list (and its last item's body) that items and nested blocks belong to.
  let openList: { info: ListInfo; node: StructNode; depth: number } | null = null;
  let nestedList: { info: ListInfo; node: StructNode } | null = null;
  let lastBody: StructNode | null = null;

  const element = (type: string, parent: StructNode, attributes?: string): StructNode => {
    const node: StructNode = { type, children: [], ...(attributes && { attributes }) };
    parent.children.push(node);
    return node;
  };
  const leafIn = (type: string, parent: StructNode): number => {
    const leaf = leaves.add(type, parent);
    parent.children.push({ leaf });
    return leaf;
  };

  for (const block of blocks) {
    // Blocks nested in an outcome item (depth 1) go inside that item's body.
    const depth = block.kind === "paragraph" || block.kind === "item" ? block.depth : 0;
    if (depth === 0 && !(block.kind === "item" && openList?.info.id === block.list.id)) openList = null;
    if (depth === 0 || block.kind !== "item" || nestedList?.info.id !== block.list.id) nestedList = null;
    const parent = depth > 0 && lastBody ? lastBody : root;

    switch (block.kind) {
      case "banner": {
        const node = element("H1", root);
        const leaf = leafIn("H1", node);
        laid.push({
          block,
          lines: block.lines.map((l) => singleLine(inCapitals(l), "bold", BANNER_SIZE, leaf)),
          leading: 18,
          size: BANNER_SIZE,
        });
        break;
      }
      case "meta": {
        const leaf = leafIn("P", element("P", root));
        laid.push({
          block,
          lines: [singleLine(block.text, "bold", BODY_SIZE, leaf)],
          leading: LEADING,
          size: BODY_SIZE,
        });
        break;
      }
      case "heading": {
        const leaf = leafIn("H2", element("H2", root));
        laid.push({
          block,
          lines: [singleLine(block.text, "bold", HEADING_SIZE, leaf)],
          leading: LEADING,
          size: HEADING_SIZE,
        });
        break;
      }
      case "paragraph": {
        const leaf = leafIn("P", element("P", parent));
        const x = LEFT + depth * LIST_INDENT;
        const lines = wrapTokens(tokenize(block.spans), {
          policy,
          firstPrefix: 0,
          size: BODY_SIZE,
          x,
          leaf,
        });
        laid.push({ block, lines, leading: LEADING, size: BODY_SIZE });
        break;
      }
      case "item": {
        let listNode: StructNode;
        if (depth === 0) {
          if (!openList)
            openList = { info: block.list, node: element("L", root, listAttributes(block.list)), depth };
          listNode = openList.node;
        } else {
          if (!nestedList)
            nestedList = { info: block.list, node: element("L", parent, listAttributes(block.list)) };
          listNode = nestedList.node;
        }
        const item = element("LI", listNode);
        const label = leafIn("Lbl", element("Lbl", item));
        const body = element("LBody", item);
        const bodyLeaf = leafIn("LBody", body);
        if (depth === 0) lastBody = body;

        const markerX = LEFT + depth * LIST_INDENT;
        const marker = drawnMarker(block.marker, block.list);
        const markerWidth = textWidth(marker, "regular", BODY_SIZE);
        const textX = Math.max(
          markerX + LIST_INDENT,
          markerX + markerWidth + textWidth(" ", "regular", BODY_SIZE),
        );
        const lines = wrapTokens(tokenize(block.spans), {
          policy,
          firstPrefix: block.marker.length + 1,
          size: BODY_SIZE,
          x: textX,
          leaf: bodyLeaf,
        });
        const first = lines[0] ?? { pieces: [], size: BODY_SIZE, left: textX, right: textX, text: "" };
        first.pieces.unshift({
          x: markerX,
          text: marker,
          font: "regular",
          width: markerWidth,
          fit: NATURAL,
          leaf: label,
        });
        first.left = markerX;
        first.text = `${block.marker} ${first.text}`.trimEnd();
        if (lines.length === 0) lines.push(first);
        laid.push({ block, lines, leading: LEADING, size: BODY_SIZE });
        break;
      }
      case "signature": {
        const leaf = leafIn("P", element("P", root));
        laid.push({
          block,
          lines: block.lines.map((l) => singleLine(l, "regular", BODY_SIZE, leaf)),
          leading: LEADING,
          size: BODY_SIZE,
        });
        break;
      }
    }
  }
  return { laid, structure: { root, leaves } };
}

function listAttributes(list: ListInfo): string {
  const n = list.numbering;
  const numbering =
    n.kind === "bullet"
      ? "Disc"
      : n.kind === "typed"
        ? "None"
        : { decimal: "Decimal", "lower-alpha": "LowerAlpha", "lower-roman": "LowerRoman" }[n.format];
  return `<< /O /List /ListNumbering /${numbering} >>`;
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

interface PlacedLine extends Line {
  y: number;
  block: number;
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
  const firstBaseline = (size: number) => TOP + size;

  laid.forEach((item, index) => {
    if (breakBefore.has(index) && page().length > 0) newPage();
    let remaining = item.lines;
    let continued = false;
    while (remaining.length > 0) {
      const empty = page().length === 0;
      const start = empty
        ? firstBaseline(item.size)
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

// --- Reading the layout back --------------------------------------------------------------------

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

function footerLine(page: number, count: number): { text: string; x: number; width: number } {
  const text = `Page ${page} of ${count}`;
  const width = textWidth(text, "regular", FOOTER_SIZE);
  return { text, x: (PAGE_WIDTH - width) / 2, width };
}

/**
 * The record as our importer reads a PDF of it: characters the PDF font lacks come back as printed
 * (accents dropped, else "?"), and bullets of any shape ("•") come back as "-".
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

interface Layout {
  pages: PlacedLine[][];
  structure: Structure;
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
function chooseLayout(record: DecisionRecord): Layout {
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

// --- Writing the PDF ----------------------------------------------------------------------------

export function renderProformaPdf(record: DecisionRecord): Uint8Array {
  const { pages, structure } = chooseLayout(record);
  return writePdf(record, pages, structure);
}

function num(n: number): string {
  const rounded = Math.round(n * 1000) / 1000;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

/** A text string for the document information dictionary: ASCII as is, else UTF-16BE. */
function infoString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[()\\]/g, "\\$&")})`;
  let hex = "FEFF";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  return `<${hex}>`;
}

class PdfObjects {
  private readonly bodies: Array<string | Uint8Array | null> = [];
  reserve(): number {
    this.bodies.push(null);
    return this.bodies.length;
  }
  set(ref: number, body: string | Uint8Array): void {
    this.bodies[ref - 1] = body;
  }
  add(body: string | Uint8Array): number {
    const ref = this.reserve();
    this.set(ref, body);
    return ref;
  }
  stream(dictionary: string, data: Uint8Array, compress: boolean): Uint8Array {
    const payload = compress ? deflateSync(data, { level: 9 }) : data;
    const head = `<< ${dictionary}${compress ? " /Filter /FlateDecode" : ""} /Length ${payload.length} >>\nstream\n`;
    return concat([latin1(head), payload, latin1("\nendstream")]);
  }
  write(root: number, info: number): Uint8Array {
    const chunks: Uint8Array[] = [latin1("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")];
    let offset = chunks[0]!.length;
    const offsets: number[] = [];
    this.bodies.forEach((body, i) => {
      offsets.push(offset);
      const bytes = concat([
        latin1(`${i + 1} 0 obj\n`),
        typeof body === "string" ? latin1(body) : body!,
        latin1("\nendobj\n"),
      ]);
      chunks.push(bytes);
      offset += bytes.length;
    });
    const id = createHash("md5").update(concat(chunks)).digest("hex").toUpperCase();
    const xref =
      `xref\n0 ${this.bodies.length + 1}\n0000000000 65535 f \n` +
      offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("") +
      `trailer\n<< /Size ${this.bodies.length + 1} /Root ${root} 0 R /Info ${info} 0 R /ID [<${id}> <${id}>] >>\n` +
      `startxref\n${offset}\n%%EOF\n`;
    chunks.push(latin1(xref));
    return concat(chunks);
  }
}

function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function pdfDate(iso: string): string {
  return `D:${iso.replace(/-/g, "")}000000Z`;
}

function xmpMetadata(record: DecisionRecord): Uint8Array {
  const date = `${record.publishedOn}T00:00:00Z`;
  const packet =
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">' +
    "<dc:format>application/pdf</dc:format>" +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(record.title)}</rdf:li></rdf:Alt></dc:title>` +
    (record.council
      ? `<dc:creator><rdf:Seq><rdf:li>${xmlText(record.council)}</rdf:li></rdf:Seq></dc:creator>`
      : "") +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(record.documentType)}</rdf:li></rdf:Alt></dc:description>` +
    "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>" +
    `<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>` +
    `<xmp:MetadataDate>${date}</xmp:MetadataDate><xmp:CreatorTool>Resolved</xmp:CreatorTool>` +
    "<pdf:Producer>Resolved</pdf:Producer>" +
    "</rdf:Description></rdf:RDF></x:xmpmeta>\n" +
    '<?xpacket end="w"?>';
  return new TextEncoder().encode(packet);
}

function writePdf(record: DecisionRecord, pages: readonly PlacedLine[][], structure: Structure): Uint8Array {
  const objects = new PdfObjects();
  const catalog = objects.reserve();
  const pagesRef = objects.reserve();
  const info = objects.add(
    `<< /Title ${infoString(record.title)}` +
      (record.council ? ` /Author ${infoString(record.council)}` : "") +
      ` /Subject ${infoString(record.documentType)} /Creator (Resolved) /Producer (Resolved)` +
      ` /CreationDate (${pdfDate(record.publishedOn)}) /ModDate (${pdfDate(record.publishedOn)}) >>`,
  );
  const regular = objects.add(
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  );
  const bold = objects.add(
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
  );
  const metadata = objects.add(objects.stream("/Type /Metadata /Subtype /XML", xmpMetadata(record), false));
  const treeRoot = objects.reserve();

  // Marked content: every piece of text is its own sequence, owned by its structure leaf.
  const leafContent = structure.leaves.leaves.map(() => [] as Array<{ page: number; mcid: number }>);
  const pageRefs: number[] = [];
  const parentTrees: number[][] = [];
  pages.forEach((lines, index) => {
    const pageRef = objects.reserve();
    pageRefs.push(pageRef);
    const owners: number[] = [];
    let ops = "";
    const footer = footerLine(index + 1, pages.length);
    ops +=
      "/Artifact << /Type /Pagination /Subtype /Footer >> BDC\n" +
      `BT /F1 ${FOOTER_SIZE} Tf 1 0 0 1 ${num(footer.x)} ${num(PAGE_HEIGHT - FOOTER_BASELINE)} Tm ${encodeText(footer.text)} Tj ET\nEMC\n`;
    let state: Fit = NATURAL;
    for (const line of lines) {
      for (const piece of line.pieces) {
        const mcid = owners.length;
        owners.push(piece.leaf);
        leafContent[piece.leaf]!.push({ page: index, mcid });
        // Word spacing and horizontal scale stay set across text objects: set them when they change.
        const fit = piece.fit;
        const tw = fit.wordSpacing !== state.wordSpacing ? `${num(fit.wordSpacing)} Tw ` : "";
        const tz = fit.scale !== state.scale ? `${num(fit.scale * 100)} Tz ` : "";
        state = fit;
        ops +=
          `/${structure.leaves.leaves[piece.leaf]!.type} << /MCID ${mcid} >> BDC\n` +
          `BT ${tw}${tz}/${piece.font === "bold" ? "F2" : "F1"} ${num(line.size)} Tf ` +
          `1 0 0 1 ${num(piece.x)} ${num(PAGE_HEIGHT - line.y)} Tm ${encodeText(piece.text)} Tj ET\nEMC\n`;
      }
    }
    const content = objects.add(objects.stream("", latin1(ops), true));
    parentTrees.push(owners);
    objects.set(
      pageRef,
      `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${content} 0 R ` +
        `/StructParents ${index} /Tabs /S >>`,
    );
  });

  // Structure elements: reserve refs depth-first, then write them with their kids.
  const refOf = new Map<StructNode, number>();
  const leafRef: number[] = [];
  const reserveTree = (node: StructNode) => {
    refOf.set(node, objects.reserve());
    for (const child of node.children) {
      if ("leaf" in child) continue;
      reserveTree(child);
    }
  };
  reserveTree(structure.root);
  structure.leaves.leaves.forEach((leaf, i) => (leafRef[i] = refOf.get(leaf.parent)!));
  const writeTree = (node: StructNode, parent: number) => {
    const ref = refOf.get(node)!;
    const kids: string[] = [];
    let firstPage: number | undefined;
    for (const child of node.children) {
      if ("leaf" in child) {
        for (const { page, mcid } of leafContent[child.leaf]!) {
          firstPage ??= page;
          kids.push(`<< /Type /MCR /Pg ${pageRefs[page]} 0 R /MCID ${mcid} >>`);
        }
      } else {
        kids.push(`${refOf.get(child)} 0 R`);
        writeTree(child, ref);
      }
    }
    objects.set(
      ref,
      `<< /Type /StructElem /S /${node.type} /P ${parent} 0 R` +
        (firstPage !== undefined ? ` /Pg ${pageRefs[firstPage]} 0 R` : "") +
        (node.attributes ? ` /A ${node.attributes}` : "") +
        ` /K [${kids.join(" ")}] >>`,
    );
  };
  writeTree(structure.root, treeRoot);

  const parentTreeRefs = parentTrees.map((owners) =>
    objects.add(`[${owners.map((leaf) => `${leafRef[leaf]} 0 R`).join(" ")}]`),
  );
  objects.set(
    treeRoot,
    `<< /Type /StructTreeRoot /K [${refOf.get(structure.root)} 0 R] ` +
      `/ParentTree << /Nums [${parentTreeRefs.map((ref, i) => `${i} ${ref} 0 R`).join(" ")}] >> ` +
      `/ParentTreeNextKey ${pages.length} >>`,
  );
  objects.set(
    pagesRef,
    `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(" ")}] /Count ${pages.length} >>`,
  );
  objects.set(
    catalog,
    `<< /Type /Catalog /Pages ${pagesRef} 0 R /Metadata ${metadata} 0 R /StructTreeRoot ${treeRoot} 0 R ` +
      "/MarkInfo << /Marked true >> /Lang (en-GB) /ViewerPreferences << /DisplayDocTitle true >> " +
      "/PageLayout /OneColumn >>",
  );
  return objects.write(catalog, info);
}
