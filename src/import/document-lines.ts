/** One line of a document's text, with its 1-based position in the text as extracted. */
export interface SourceLine {
  text: string;
  line: number;
}

// Page furniture left in text taken from PDFs or printed pages.
const PAGE_FURNITURE = [/^page\s+\d+(\s+of\s+\d+)?$/i, /^-\s*\d+\s*-$/];
// "1/2" is page 1 of 2; "2017/18" is a financial year and stays.
const PAGE_OF_PAGES = /^(\d+)\s*\/\s*(\d+)$/;

function isPageFurniture(text: string): boolean {
  const ofPages = PAGE_OF_PAGES.exec(text);
  if (ofPages) return Number(ofPages[1]) <= Number(ofPages[2]) && Number(ofPages[2]) < 1000;
  return PAGE_FURNITURE.some((re) => re.test(text));
}

/**
 * Splits text into trimmed lines, keeping line numbers, with page headers/footers removed.
 * Blank lines next to removed furniture go too, so a paragraph broken by a page stays one paragraph.
 */
export function toSourceLines(text: string): SourceLine[] {
  const raw = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    // A form feed (pdftotext's page break) splits a line; both parts keep the line's number.
    // A page break is not a paragraph break, so the empty side of a form feed is no blank line.
    .flatMap((t, i) => {
      const parts = t.split("\f").map((part) => ({ text: normaliseSpaces(part), line: i + 1 }));
      return parts.length === 1 ? parts : parts.filter((p) => p.text !== "");
    });
  const furniture = raw.map((l) => isPageFurniture(l.text));
  const kept: SourceLine[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (furniture[i]) {
      while (kept.length > 0 && kept[kept.length - 1]!.text === "") kept.pop();
      while (i + 1 < raw.length && raw[i + 1]!.text === "" && !furniture[i + 1]) i++;
      continue;
    }
    kept.push(raw[i]!);
  }
  return kept;
}

function normaliseSpaces(text: string): string {
  // NBSP and other Unicode spaces behave as plain spaces; tabs separate words.
  return text
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t]/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
}
