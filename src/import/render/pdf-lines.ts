import { listItemMarker, OPERATIVE_WORD } from "../paragraphs.js";
import { PUBLICATION_LINE } from "../proforma-sections.js";
import type { ListInfo, RenderBlock, Span } from "./render-blocks.js";
import { titleCaseIfShouting } from "../title-case.js";
import { printable, textWidth, type FontKey } from "./pdf-fonts.js";
import {
  BANNER_LEADING,
  BANNER_SIZE,
  BODY_SIZE,
  HEADING_SIZE,
  LEADING,
  LEFT,
  LIST_INDENT,
  RIGHT,
} from "./pdf-geometry.js";

/**
 * The proforma's blocks laid out as lines, with the structure tree (headings, paragraphs, lists)
 * their text belongs to. A PDF has no paragraphs, only positioned lines, and importers (ours
 * included) rebuild paragraphs from the lines: a line break is a wrap when the next word would not
 * have fitted on the line. Widths in a proportional font vary, so lines are broken by characters:
 * at the last space before `measure` characters (a line of wide letters is narrowed a little rather
 * than broken short); a word is never broken or hyphenated, and no line starts with something that
 * reads as a list marker or an operative word ("a.", "–", "AGREED").
 */

/**
 * A line of wide letters (capitals, figures) that would overrun the margin at the measure is
 * condensed (down to MIN_SCALE) rather than broken earlier, since a line broken short can read as a
 * paragraph end. Its word spaces are not narrowed instead: pdfkit can narrow them only by drawing
 * the words without their spaces, and a screen reader would then read the words run together.
 */
const MIN_SCALE = 0.88;

/** How a line was fitted to the measure: its horizontal scale. */
export interface Fit {
  scale: number;
}

export const NATURAL: Fit = { scale: 1 };

/** Text in one font, drawn from `x`; after a change of font it starts with its space. */
export interface Piece {
  x: number;
  text: string;
  font: FontKey;
  width: number;
  fit: Fit;
  /** Structure leaf (a paragraph, heading, label or list body) the text belongs to. */
  leaf: number;
}

export interface Line {
  pieces: Piece[];
  size: number;
  left: number;
  right: number;
  /** The line's text as an importer reads it. */
  text: string;
}

export interface LaidBlock {
  block: RenderBlock;
  lines: Line[];
  leading: number;
  size: number;
}

export interface StructNode {
  type: string;
  /** Attributes (the /A dictionary), e.g. how a list is numbered. */
  attributes?: Record<string, string>;
  children: Array<StructNode | { leaf: number }>;
}

export interface Structure {
  root: StructNode;
  /** The elements that hold text, by leaf number. */
  leaves: Array<{ type: string; node: StructNode }>;
}

/**
 * How lines are broken: at most `measure` characters a line; where the last space that fits may
 * not be broken at (the next line would start "– …" or "AGREED …"), the break moves back a word,
 * or first, with `overrun` above 0, forward by a word or two past the measure.
 */
export interface WrapPolicy {
  measure: number;
  overrun: number;
}

/** A word, in one font or more ("RESOLVED:" is bold, then regular), measured at the body size. */
interface Token {
  segments: Array<{ text: string; font: FontKey; width: number }>;
  text: string;
  width: number;
}

function tokenize(spans: readonly Span[], size: number): Token[] {
  const tokens: Token[] = [];
  let current: Token | null = null;
  for (const span of spans) {
    const font: FontKey = span.bold ? "bold" : "regular";
    for (const [i, word] of printable(span.text).split(" ").entries()) {
      if (i > 0) current = null;
      if (word === "") continue;
      if (!current) {
        current = { segments: [], text: "", width: 0 };
        tokens.push(current);
      }
      const width = textWidth(word, font, size);
      current.segments.push({ text: word, font, width });
      current.text += word;
      current.width += width;
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
  // Running totals of the words' widths and lengths: a line from word a to b has the difference.
  const widths = [0];
  const lengths = [0];
  for (const token of tokens) {
    widths.push(widths[widths.length - 1]! + token.width);
    lengths.push(lengths[lengths.length - 1]! + token.text.length);
  }
  let start = 0;
  while (start < tokens.length) {
    const prefix = lines.length === 0 ? options.firstPrefix : 0;
    const fits = (end: number, limit = measure): Fit | null => {
      // An unlimited measure puts each paragraph on one line (see chooseLayout).
      if (measure === Number.POSITIVE_INFINITY) return NATURAL;
      const count = end - start;
      const spaces = count - 1;
      const chars = prefix + lengths[end]! - lengths[start]! + spaces;
      if (chars > limit && count > 1) return null;
      const width = widths[end]! - widths[start]! + spaces * space;
      if (width <= available) return NATURAL;
      // A word wider than the line (a long web address) is condensed to fit: words are never broken.
      const scale = available / width;
      return count === 1 || scale >= MIN_SCALE ? { scale } : null;
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
  // A wrapped line ends with its space where there is room for it, so that the last word of a line
  // and the first of the next do not run together for a screen reader (they read the text as is).
  for (const line of lines.slice(0, -1)) {
    const last = line.pieces[line.pieces.length - 1]!;
    const width = textWidth(" ", last.font, options.size) * last.fit.scale;
    if (line.right + width > RIGHT) continue;
    last.text += " ";
    last.width += width;
    line.right += width;
  }
  return lines;
}

/** A line of words; consecutive words in the same font are one piece of text. */
function makeLine(tokens: readonly Token[], x: number, size: number, fit: Fit, leaf: number): Line {
  const pieces: Piece[] = [];
  let cursor = x;
  tokens.forEach((token, i) => {
    token.segments.forEach((segment, j) => {
      // The space between words is a character of the text, so that it reads as one. (DejaVu Sans
      // does not kern spaces, so a piece is as wide as its words and spaces measured apart.)
      const space = i > 0 && j === 0;
      const width = (segment.width + (space ? textWidth(" ", segment.font, size) : 0)) * fit.scale;
      const text = (space ? " " : "") + segment.text;
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
  return { pieces, size, left: x, right: cursor, text: tokens.map((t) => t.text).join(" ") };
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

function listAttributes(list: ListInfo): Record<string, string> {
  const n = list.numbering;
  const numbering =
    n.kind === "bullet"
      ? "Disc"
      : n.kind === "typed"
        ? "None"
        : { decimal: "Decimal", "lower-alpha": "LowerAlpha", "lower-roman": "LowerRoman" }[n.format];
  return { O: "List", ListNumbering: numbering };
}

/** Lays out every block at a measure, building the structure tree as it goes. */
export function layoutBlocks(
  blocks: readonly RenderBlock[],
  policy: WrapPolicy,
): { laid: LaidBlock[]; structure: Structure } {
  const leaves: Structure["leaves"] = [];
  const root: StructNode = { type: "Document", children: [] };
  const laid: LaidBlock[] = [];
  // The list (and its last item's body) that items and nested blocks belong to.
  let openList: { info: ListInfo; node: StructNode } | null = null;
  let nestedList: { info: ListInfo; node: StructNode } | null = null;
  let lastBody: StructNode | null = null;

  const element = (type: string, parent: StructNode, attributes?: Record<string, string>): StructNode => {
    const node: StructNode = { type, children: [], ...(attributes && { attributes }) };
    parent.children.push(node);
    return node;
  };
  // A leaf is an element whose children are the marked text drawn for it.
  const leafOf = (type: string, parent: StructNode): number => {
    const node = element(type, parent);
    leaves.push({ type, node });
    node.children.push({ leaf: leaves.length - 1 });
    return leaves.length - 1;
  };
  const single = (text: string, font: FontKey, size: number, leaf: number, leading = LEADING) => ({
    lines: [singleLine(text, font, size, leaf)],
    leading,
    size,
  });

  for (const block of blocks) {
    // Blocks nested in an outcome item (depth 1) go inside that item's body.
    const depth = block.kind === "paragraph" || block.kind === "item" ? block.depth : 0;
    if (depth === 0 && !(block.kind === "item" && openList?.info.id === block.list.id)) openList = null;
    if (depth === 0 || block.kind !== "item" || nestedList?.info.id !== block.list.id) nestedList = null;
    const parent = depth > 0 && lastBody ? lastBody : root;

    switch (block.kind) {
      case "banner": {
        const leaf = leafOf("H1", root);
        const lines = block.lines.map((l) => singleLine(inCapitals(l), "bold", BANNER_SIZE, leaf));
        laid.push({ block, lines, leading: BANNER_LEADING, size: BANNER_SIZE });
        break;
      }
      case "meta":
        laid.push({ block, ...single(block.text, "bold", BODY_SIZE, leafOf("P", root)) });
        break;
      case "heading":
        laid.push({ block, ...single(block.text, "bold", HEADING_SIZE, leafOf("H2", root)) });
        break;
      case "paragraph": {
        const leaf = leafOf("P", parent);
        const x = LEFT + depth * LIST_INDENT;
        const lines = wrapTokens(tokenize(block.spans, BODY_SIZE), {
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
          openList ??= { info: block.list, node: element("L", root, listAttributes(block.list)) };
          listNode = openList.node;
        } else {
          nestedList ??= { info: block.list, node: element("L", parent, listAttributes(block.list)) };
          listNode = nestedList.node;
        }
        const item = element("LI", listNode);
        const label = leafOf("Lbl", item);
        const bodyLeaf = leafOf("LBody", item);
        if (depth === 0) lastBody = leaves[bodyLeaf]!.node;

        const markerX = LEFT + depth * LIST_INDENT;
        const marker = drawnMarker(block.marker, block.list);
        const markerWidth = textWidth(marker, "regular", BODY_SIZE);
        const textX = Math.max(
          markerX + LIST_INDENT,
          markerX + markerWidth + textWidth(" ", "regular", BODY_SIZE),
        );
        const lines = wrapTokens(tokenize(block.spans, BODY_SIZE), {
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
        const leaf = leafOf("P", root);
        const lines = block.lines.map((l) => singleLine(l, "regular", BODY_SIZE, leaf));
        laid.push({ block, lines, leading: LEADING, size: BODY_SIZE });
        break;
      }
    }
  }
  return { laid, structure: { root, leaves } };
}
