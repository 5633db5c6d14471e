import { rejoinHyphenatedWords } from "./hyphenation.js";
import { BULLET_MARKER } from "./list-markers.js";
import { tidyLines } from "./normalise-text.js";

/**
 * Rebuilds a PDF's text layout from positioned text runs. A PDF has no paragraphs or lines, only
 * glyph runs placed on the page; we group runs into lines by baseline, put blank lines where the
 * vertical gap is clearly larger than the document's usual line pitch, drop running headers,
 * footers and page numbers, and join pages so that a paragraph running over a page break stays
 * one paragraph. Pure functions of the geometry, so they can be tested without a PDF.
 */

/** A text run in page space with y growing downwards; (x, y) is the start of its baseline. */
export interface PdfTextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

export interface PdfPageText {
  width: number;
  height: number;
  runs: PdfTextRun[];
}

export interface PdfLine {
  text: string;
  left: number;
  right: number;
  /** Baseline. */
  y: number;
  fontSize: number;
}

/** Gaps wider than this many ems between runs on one line are columns (tab), not word spaces. */
const COLUMN_GAP_EM = 2.5;
/** Gaps wider than this many ems are word spaces; narrower ones are kerning inside a word. */
const WORD_GAP_EM = 0.15;
/** Share of the page height at the top and bottom where running headers and footers live. */
const MARGIN_BAND = 0.08;
/** A baseline-to-baseline distance this many times the usual pitch means a paragraph gap. */
const PARAGRAPH_GAP_FACTOR = 1.3;

/** A line that is only a list marker so far: "a.", "12.", "(iv)", "•". Its gap is not a column. */
const MARKER_ONLY = /^(?:\(?(?:[a-z]{1,4}|[A-Z]|\d{1,3})[.)]|[•·▪◦●○■□\-–*\uf0b7\uf0a7])$/;
/** Bullet glyphs as drawn by Word and browsers, including Symbol-font private-use ones. */
const BULLET_AT_START = /^[•·▪◦●○■□\uf0b7\uf0a7\uf076\uf0d8]\s*/;

/** Groups the runs of one page into lines, top to bottom. */
export function buildLines(runs: readonly PdfTextRun[]): PdfLine[] {
  const sorted = runs.filter((r) => r.text !== "").sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: Array<{ y: number; fontSize: number; runs: PdfTextRun[] }> = [];
  for (const run of sorted) {
    const group = groups[groups.length - 1];
    // Superscripts ("14th") sit about a third of an em above the baseline: same line.
    if (group && Math.abs(run.y - group.y) <= 0.5 * Math.max(group.fontSize, run.fontSize)) {
      group.runs.push(run);
      if (run.fontSize > group.fontSize && run.text.trim() !== "") {
        group.fontSize = run.fontSize;
        group.y = run.y;
      }
    } else {
      groups.push({ y: run.y, fontSize: run.fontSize, runs: [run] });
    }
  }
  const lines: PdfLine[] = [];
  for (const group of groups) {
    const line = assembleLine(group.runs, group.y);
    if (line) lines.push(line);
  }
  return lines;
}

function assembleLine(runs: PdfTextRun[], y: number): PdfLine | null {
  let text = "";
  let left = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let fontSize = 0;
  let spaceRequested = false;
  for (const run of [...runs].sort((a, b) => a.x - b.x)) {
    if (run.text.trim() === "") {
      spaceRequested = text !== "";
      continue;
    }
    const em = Math.max(run.fontSize, fontSize, 1);
    const gap = run.x - right;
    if (text !== "" && !/\s$/.test(text) && !/^\s/.test(run.text)) {
      if (gap > COLUMN_GAP_EM * em && !MARKER_ONLY.test(text.trim())) text += "\t";
      else if (spaceRequested || gap > WORD_GAP_EM * em) text += " ";
    }
    text += run.text;
    left = Math.min(left, run.x);
    right = Math.max(right, run.x + run.width);
    fontSize = Math.max(fontSize, run.fontSize);
    spaceRequested = false;
  }
  const trimmed = text.replace(/[ \t]+/g, (ws) => (ws.includes("\t") ? "\t" : " ")).trim();
  if (trimmed === "") return null;
  return { text: trimmed.replace(BULLET_AT_START, `${BULLET_MARKER} `), left, right, y, fontSize };
}

const PAGE_X_OF_Y = /^page\s+\d+\s*(?:of|\/)\s*\d+$/i;
const BARE_PAGE_NUMBER = /^(?:page\s+)?(?:\d+|[-–]\s*\d+\s*[-–]|\d+\s*(?:of|\/)\s*\d+)$/i;
const EMBEDDED_PAGE_X_OF_Y = /(?:^|(?<!\s)\s+)page\s+\d+\s*(?:of|\/)\s*\d+(?:\s+|$)/i;

function furnitureKey(line: PdfLine): string {
  return line.text.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");
}

interface PageLines {
  height: number;
  lines: PdfLine[];
}

/**
 * Drops running headers and footers: "Page 1 of 2" wherever it stands alone, bare page numbers
 * in the top or bottom margin, and margin lines repeated on every page (digits ignored, so
 * "Page 2" matches "Page 3"). Only margin lines are compared, so a document whose pages each
 * start with the same body text keeps it.
 */
export function removePageFurniture(pages: readonly PageLines[]): PdfLine[][] {
  const band = (page: PageLines, line: PdfLine): "top" | "bottom" | null => {
    if (line.y <= page.height * MARGIN_BAND) return "top";
    if (line.y >= page.height * (1 - MARGIN_BAND)) return "bottom";
    return null;
  };

  const pagesWithKey = new Map<string, Set<number>>();
  pages.forEach((page, index) => {
    for (const line of page.lines) {
      const where = band(page, line);
      if (!where) continue;
      const key = `${where}:${furnitureKey(line)}`;
      const seen = pagesWithKey.get(key) ?? new Set<number>();
      seen.add(index);
      pagesWithKey.set(key, seen);
    }
  });
  const pageCount = pages.filter((p) => p.lines.length > 0).length;
  // Every page, or every page but one: the first page often has no running header.
  const repeated = (key: string): boolean => {
    const count = pagesWithKey.get(key)?.size ?? 0;
    return pageCount >= 2 && (count >= pageCount || (pageCount >= 3 && count >= pageCount - 1));
  };

  return pages.map((page) => {
    const kept: PdfLine[] = [];
    for (const line of page.lines) {
      if (PAGE_X_OF_Y.test(line.text)) continue;
      const where = band(page, line);
      if (where) {
        if (repeated(`${where}:${furnitureKey(line)}`)) continue;
        if (BARE_PAGE_NUMBER.test(line.text)) continue;
        const text = line.text.replace(EMBEDDED_PAGE_X_OF_Y, " ").trim();
        if (text === "") continue;
        kept.push({ ...line, text });
        continue;
      }
      kept.push(line);
    }
    return kept;
  });
}

function bucket(fontSize: number): number {
  return Math.round(fontSize * 2) / 2;
}

/**
 * The usual distance between baselines of consecutive lines of the same size: the lower quartile
 * of what the document shows (most consecutive lines are wrapped lines of one paragraph), capped
 * so that a document made only of one-line paragraphs still shows its gaps.
 */
function usualPitch(pages: readonly PdfLine[][]): Map<number, number> {
  const samples = new Map<number, number[]>();
  for (const lines of pages) {
    for (let i = 1; i < lines.length; i++) {
      const a = lines[i - 1] as PdfLine;
      const b = lines[i] as PdfLine;
      if (bucket(a.fontSize) !== bucket(b.fontSize)) continue;
      const dy = b.y - a.y;
      if (dy <= 0) continue;
      const list = samples.get(bucket(a.fontSize)) ?? [];
      list.push(dy);
      samples.set(bucket(a.fontSize), list);
    }
  }
  const pitch = new Map<number, number>();
  for (const [size, list] of samples) {
    list.sort((x, y) => x - y);
    const quartile = list[Math.floor((list.length - 1) / 4)] as number;
    pitch.set(size, list.length >= 3 ? Math.min(quartile, 1.35 * size) : 1.2 * size);
  }
  return pitch;
}

/**
 * Whether a page break falls inside a paragraph: the next page starts in lower case, or the last
 * line of the page runs to the right edge of the text (a wrapped line), does not introduce
 * something (":"), and the next page starts at the same indent (a list item followed by a
 * paragraph changes indent even when the item's line is full).
 */
function continuesAcrossPages(last: PdfLine, pageLines: readonly PdfLine[], first: PdfLine): boolean {
  if (/^\p{Ll}/u.test(first.text)) return true;
  const left = Math.min(...pageLines.map((l) => l.left));
  const right = Math.max(...pageLines.map((l) => l.right));
  const full = last.right >= right - 0.12 * (right - left);
  const sameIndent = Math.abs(first.left - last.left) <= Math.max(first.fontSize, last.fontSize);
  return full && sameIndent && !/:-?$/.test(last.text);
}

/** The document's text: lines, a blank line between paragraphs, furniture removed. */
export function layoutPdfText(pages: readonly PdfPageText[]): string {
  const furnished = pages.map((page) => ({ height: page.height, lines: buildLines(page.runs) }));
  const bodies = removePageFurniture(furnished).filter((lines) => lines.length > 0);
  const pitch = usualPitch(bodies);

  const out: string[] = [];
  let previousPage: PdfLine[] | undefined;
  for (const lines of bodies) {
    const first = lines[0] as PdfLine;
    if (previousPage) {
      const last = previousPage[previousPage.length - 1] as PdfLine;
      if (!continuesAcrossPages(last, previousPage, first)) out.push("");
    }
    lines.forEach((line, i) => {
      const before = lines[i - 1];
      if (before) {
        const size = Math.max(before.fontSize, line.fontSize);
        const usual = pitch.get(bucket(size)) ?? 1.2 * size;
        if (line.y - before.y > usual * PARAGRAPH_GAP_FACTOR) out.push("");
      }
      out.push(line.text);
    });
    previousPage = lines;
  }
  return tidyLines(rejoinHyphenatedWords(out).join("\n"), { collapseSpaces: true });
}
