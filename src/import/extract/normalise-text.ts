/**
 * The last pass every format goes through, so the parser sees one shape of text whatever the
 * source: LF line ends, ordinary spaces, no trailing blanks, at most one blank line in a row,
 * and a single final newline. Characters that carry meaning (curly quotes, dashes, "£") are
 * kept exactly as they are.
 */

/** CRLF/CR → LF; no-break and figure spaces → space; invisible BOM, zero-width and soft-hyphen characters removed. */
export function normaliseCharacters(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u00a0\u2007\u202f]/g, " ")
    .replace(/[\ufeff\u200b\u00ad]/g, "");
}

export interface TidyOptions {
  /**
   * Collapse runs of spaces inside a line. Right for converted layouts (HTML, PDF, Word), where
   * runs of spaces are an artefact; wrong for plain text, where an author may have aligned columns.
   */
  collapseSpaces: boolean;
}

// A regex like /[ \t]+$/ retries from every blank of a long run that is not at the line's end (quadratic in
// the run's length), so the trailing blanks are found by walking back from the end instead.
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && TRAILING_BLANKS.has(line.charCodeAt(end - 1))) end--;
  return end === line.length ? line : line.slice(0, end);
}

const TRAILING_BLANKS = new Set([0x20, 0x09, 0x0c, 0x0b]);

export function tidyLines(text: string, options: TidyOptions): string {
  const out: string[] = [];
  for (const raw of normaliseCharacters(text).split("\n")) {
    let line = trimTrailingBlanks(raw);
    if (options.collapseSpaces) line = line.replace(/^[ \f\v]+/, "").replace(/ {2,}/g, " ");
    if (line.trim() === "") {
      // Blank lines only ever separate paragraphs: one is enough, none at the start.
      if (out.length > 0 && out[out.length - 1] !== "") out.push("");
      continue;
    }
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}
