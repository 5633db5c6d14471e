/**
 * Re-joins words split across lines by a hyphen ("Ser-" / "vices"), but only when we are sure:
 * a wrongly joined word ("wellbeing" from "well-" / "being") corrupts the record, while a split
 * left in place is handled by the parser, which joins the lines of a paragraph anyway.
 *
 * Sure means one of:
 * - the hyphen is a soft hyphen (U+00AD): by definition it only exists to break a line;
 * - the hyphen is U+2010, which Chromium and other typesetters draw at a hyphenation point
 *   (typed hyphens are U+002D), unless the document spells the word with a hyphen elsewhere;
 * - the document itself uses the word elsewhere, either only joined ("Services") or only
 *   hyphenated ("well-being"), and never the other way.
 */

const SOFT_HYPHEN = "\u00ad";
const LAYOUT_HYPHEN = "\u2010";

/** A line ending in a word fragment and a hyphen: "... the Ser-". */
const LINE_END = /(?:^|[\s("'‘“])(\p{L}+)([-\u2010\u00ad])$/u;
/** The next line starting with the rest of the word, in lower case: "vices, and ...". */
const LINE_START = /^(\p{Ll}+)([,.;:!?)'’"”]*)(?=\s|$)/u;
/** A list marker such as "a." or "iv)" is never the end of a word. */
const LIST_MARKER = /^(?:[a-z]{1,4}|\d+)[.)](?:\s|$)/;

function wordCounts(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const token of line.split(/\s+/)) {
      const word = token
        .replace(/^[^\p{L}\p{N}]+/u, "")
        .replace(/(?<![^\p{L}\p{N}])[^\p{L}\p{N}]+$/u, "")
        .replace(/[\u2010\u2011]/g, "-")
        .toLowerCase();
      if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

type Join = "joined" | "hyphenated" | "leave";

function decide(hyphen: string, joinedSeen: boolean, hyphenatedSeen: boolean): Join {
  if (hyphen === SOFT_HYPHEN) return "joined";
  if (hyphen === LAYOUT_HYPHEN) return hyphenatedSeen && !joinedSeen ? "hyphenated" : "joined";
  if (joinedSeen && !hyphenatedSeen) return "joined";
  if (hyphenatedSeen && !joinedSeen) return "hyphenated";
  return "leave";
}

/**
 * Moves the rest of each surely-hyphenated word up to the line where it starts, so the word is
 * whole on one line. Other lines are untouched; a line left empty by the move is dropped.
 */
export function rejoinHyphenatedWords(lines: readonly string[]): string[] {
  const counts = wordCounts(lines);
  const out = [...lines];
  for (let i = 0; i + 1 < out.length; i++) {
    const line = out[i] as string;
    const next = (out[i + 1] as string).trimStart();
    const end = LINE_END.exec(line);
    const start = LINE_START.exec(next);
    if (!end || !start || LIST_MARKER.test(next)) continue;
    const [, head = "", hyphen = "-"] = end;
    const [whole, tail = "", punctuation = ""] = start;
    const joined = (head + tail).toLowerCase();
    const hyphenated = `${head}-${tail}`.toLowerCase();
    const choice = decide(hyphen, (counts.get(joined) ?? 0) > 0, (counts.get(hyphenated) ?? 0) > 0);
    if (choice === "leave") continue;
    const word = choice === "joined" ? head + tail : head + (hyphen === SOFT_HYPHEN ? "-" : hyphen) + tail;
    out[i] = line.slice(0, line.length - head.length - hyphen.length) + word + punctuation;
    const rest = next.slice(whole.length).trimStart();
    if (rest === "") out.splice(i + 1, 1);
    else out[i + 1] = rest;
  }
  return out;
}
