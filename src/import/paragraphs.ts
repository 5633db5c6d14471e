import type { SourceLine } from "./document-lines.js";

/** A paragraph or a list item, reassembled from however many lines the source broke it into. */
export interface Block {
  kind: "paragraph" | "item";
  text: string;
  /** Marker of a list item as printed: "a.", "1.", "(ii)", or a plain bullet ("-", "•"). */
  marker?: string;
  line: number;
}

// "a. ", "1. ", "(a) ", "ii) ", optionally behind a bullet ("- a. "); or a plain bullet.
const LIST_ITEM = /^(?:[-–•*▪◦]\s+)?(\(?(?:\d{1,2}|[a-z]|[ivx]{1,5})[.)])\s+(.*)$/;
const PLAIN_BULLET = /^([-–•*▪◦])\s+(.*)$/;
// "RESOLVED that", "RECOMMENDED to Council that": operative words start a paragraph of their own.
export const OPERATIVE_WORD = /^([A-Z]{2,}ED)\b(?![a-z'’])\s*(.*)$/;

export function listItemMarker(text: string): { marker: string; rest: string } | null {
  const m = LIST_ITEM.exec(text);
  if (m) return { marker: m[1]!, rest: m[2]! };
  const b = PLAIN_BULLET.exec(text);
  if (b) return { marker: b[1]!, rest: b[2]! };
  return null;
}

/**
 * Rebuilds paragraphs and list items from lines. Sources differ: the proforma text has one paragraph
 * a line with blank lines between; text from PDFs wraps lines and has no blank lines; page breaks
 * and careless editing split a sentence across blank lines. So:
 * - a line that begins a list item or an operative word starts a new block;
 * - inside a run of lines, a line break is a paragraph end only when the next line's first word
 *   would have fitted on the line (the author broke it, not the wrap), or the line is well past the
 *   wrap width (it was never wrapped);
 * - across a blank line, a block that begins in lower case, or follows one ending in a comma or
 *   hyphen, continues the previous block.
 */
export function toBlocks(
  lines: readonly SourceLine[],
  wrapWidth: number,
  compounds: ReadonlySet<string> = NO_COMPOUNDS,
): Block[] {
  const blocks: Block[] = [];
  let previousLine: SourceLine | null = null;
  let afterBlank = true;
  for (const sourceLine of lines) {
    const text = sourceLine.text;
    if (text === "") {
      afterBlank = true;
      continue;
    }
    const current = blocks[blocks.length - 1];
    const item = listItemMarker(text);
    const startsOwnBlock = item !== null || OPERATIVE_WORD.test(text);
    let joinsCurrent: boolean;
    if (!current || startsOwnBlock) joinsCurrent = false;
    else if (afterBlank) joinsCurrent = continuesAcrossBlank(current.text, text);
    else joinsCurrent = !deliberateBreak(previousLine!.text, text, wrapWidth);

    if (joinsCurrent && current) {
      current.text = joinLines(current.text, text, compounds);
    } else if (item) {
      blocks.push({ kind: "item", marker: item.marker, text: item.rest, line: sourceLine.line });
    } else {
      blocks.push({ kind: "paragraph", text, line: sourceLine.line });
    }
    previousLine = sourceLine;
    afterBlank = false;
  }
  return blocks;
}

function continuesAcrossBlank(previous: string, next: string): boolean {
  if (/^\p{Ll}/u.test(next)) return true;
  // A trailing comma or hyphen means the sentence goes on; ":-" introduces what follows instead.
  return /[,\-–]$/.test(previous) && !/:-$/.test(previous);
}

function deliberateBreak(previous: string, next: string, wrapWidth: number): boolean {
  // A line well past the wrap width was not wrapped there: it is a whole paragraph of its own.
  if (previous.length > wrapWidth * OVERLONG) return true;
  const firstWord = next.split(" ", 1)[0]!;
  return previous.length + 1 + firstWord.length <= wrapWidth;
}

const OVERLONG = 1.1;

/**
 * Joins a line to the text before it, undoing hyphenation at the line end ("Ser-" + "vices"),
 * except in a compound the document spells with its hyphen elsewhere ("pick-" + "ups").
 */
export function joinLines(
  before: string,
  after: string,
  compounds: ReadonlySet<string> = NO_COMPOUNDS,
): string {
  // Only the last characters matter: a regex ending in $ would scan all of `before`, which grows with each
  // line joined to a paragraph (quadratic in the paragraph's length).
  const tail = before.slice(-3);
  if (/[\p{Ll}]-$/u.test(tail) && /^\p{Ll}/u.test(after) && !compounds.has(brokenWord(before, after))) {
    return before.slice(0, -1) + after;
  }
  if (/\S-$/.test(tail)) return before + after;
  return `${before} ${after}`;
}

const NO_COMPOUNDS: ReadonlySet<string> = new Set();

function brokenWord(before: string, after: string): string {
  // The lookbehind makes the search start only where a run of letters and hyphens starts: without it, a
  // regex ending in $ retries from every letter of a long word that is not at the end (quadratic).
  return (/(?<![\p{L}-])[\p{L}-]*$/u.exec(before)![0] + /^[\p{L}-]*/u.exec(after)![0]).toLowerCase();
}

// Starts only at the beginning of a word: from inside a long word without a hyphen, \p{L}+ would scan to its
// end and back from every letter (quadratic in the word's length).
const HYPHENATED = /(?<!\p{L})\p{L}+(?:-\p{L}+)+/gu;

/** Hyphenated words written whole inside a line ("pick-ups", "one-off"), lower-cased. */
export function hyphenatedCompounds(lines: readonly SourceLine[]): Set<string> {
  const compounds = new Set<string>();
  for (const { text } of lines) {
    for (const m of text.matchAll(HYPHENATED)) compounds.add(m[0].toLowerCase());
  }
  return compounds;
}

/**
 * The width lines were wrapped at, measured on the lines that were certainly wrapped: those whose
 * sentence runs on into the next line in lower case. Text with a paragraph a line (a web page or a
 * Word file copied as text) has none, so its width is unlimited and every break counts as deliberate.
 */
export function estimateWrapWidth(lines: readonly SourceLine[]): number {
  const wrapped: number[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const [line, next] = [lines[i]!.text, lines[i + 1]!.text];
    if (line !== "" && runsOnInLowerCase(next)) wrapped.push(line.length);
  }
  if (wrapped.length === 0) return Number.POSITIVE_INFINITY;
  wrapped.sort((a, b) => a - b);
  // The 90th percentile ignores an odd over-long line (a URL) that would make every break look deliberate.
  return wrapped[Math.floor(wrapped.length * 0.9)] ?? Number.POSITIVE_INFINITY;
}

// "in a year, for each van ..." goes on with the sentence above; "a. residents ..." starts an item.
function runsOnInLowerCase(next: string): boolean {
  return /^\p{Ll}/u.test(next) && listItemMarker(next) === null;
}

/** Blocks as record text: paragraphs separated by a blank line, consecutive list items one per line. */
export function blocksToText(blocks: readonly Block[]): string {
  let out = "";
  let previous: Block | null = null;
  for (const block of blocks) {
    if (previous)
      out +=
        previous.kind === "item" && block.kind === "item" && !restartsList(previous, block) ? "\n" : "\n\n";
    out += blockText(block);
    previous = block;
  }
  return out;
}

// A list that starts again at "a." or "1." is a new list, even straight after another one.
function restartsList(previous: Block, block: Block): boolean {
  const first = /^\(?(?:a|1|i)[.)]$/.exec(block.marker ?? "");
  if (!first) return false;
  // "i." after "h." is the ninth letter, not a roman one.
  return !(block.marker!.includes("i") && /^\(?h[.)]$/.test(previous.marker ?? ""));
}

export function blockText(block: Block): string {
  return block.kind === "item" ? `${block.marker} ${block.text}` : block.text;
}
