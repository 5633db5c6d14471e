import type { SourceLine } from "../document-lines.js";
import { titleCaseIfShouting } from "../title-case.js";

/** What a page prints above a decision's fields: the council, what the page is, and the rest (its title). */
export interface PageHeading {
  council: { text: string; line: number } | null;
  documentType: { text: string; line: number } | null;
  /** Lines that are neither, in order: a decision page's title, a list's meeting and notes. */
  rest: SourceLine[];
  /** The lines of `rest` below the last document-type heading (a printed page prints breadcrumbs above it). */
  belowType: SourceLine[];
}

// "Decision details", "Decision details - Someshire County Council", "Delegated decisions", "Decision list".
const DOCUMENT_TYPE =
  /^((?:decision details|issue details|decision notice|record of (?:executive |delegated )?decisions?|(?:officer |executive |delegated |cabinet |key )?decisions? list|list of (?:executive |delegated )?decisions|(?:officer |executive |delegated |cabinet )?decisions(?: taken| made)?|delegated decisions?))\b\s*(?:[-–—:|]\s*(.*))?$/i;
// A council's name on its own line: "Stockton-on-Tees Borough Council", "SOMESHIRE COUNTY COUNCIL".
const COUNCIL_NAME = /^(?:the )?[\p{L}'’ .&-]{2,60}?\b(?:council|authority)$/iu;

export function readPageHeading(lines: readonly SourceLine[]): PageHeading {
  let council: PageHeading["council"] = null;
  let documentType: PageHeading["documentType"] = null;
  const rest: SourceLine[] = [];
  const belowType: SourceLine[] = [];
  for (const line of lines) {
    const text = line.text;
    if (text === "") {
      rest.push(line);
      belowType.push(line);
      continue;
    }
    const type = DOCUMENT_TYPE.exec(text);
    if (type) {
      belowType.length = 0;
      documentType = { text: titleCaseIfShouting(type[1]!), line: line.line };
      const after = type[2]?.trim() ?? "";
      if (after !== "" && COUNCIL_NAME.test(after) && !council) {
        council = { text: titleCaseIfShouting(after), line: line.line };
      } else if (after !== "") {
        rest.push({ text: after, line: line.line });
        belowType.push({ text: after, line: line.line });
      }
      continue;
    }
    // A council's name heads the page, above what the page is: below it, "... to Hensby Parish Council" is a title.
    if (!council && !documentType && COUNCIL_NAME.test(text) && !isLastParagraph(lines, line)) {
      council = { text: titleCaseIfShouting(text), line: line.line };
    } else {
      rest.push(line);
      belowType.push(line);
    }
  }
  return { council, documentType, rest, belowType: documentType ? belowType : rest };
}

/** Whether a line says what the page is ("Delegated decisions"), never a decision's title. */
export function isDocumentTypeLine(text: string): boolean {
  return DOCUMENT_TYPE.test(text);
}

/** The first run of non-empty lines, joined: a title a paste may have wrapped. */
export function firstParagraph(lines: readonly SourceLine[]): { text: string; line: number } | null {
  const start = lines.findIndex((l) => l.text !== "");
  if (start < 0) return null;
  let end = start;
  while (end < lines.length && lines[end]!.text !== "") end++;
  const text = lines
    .slice(start, end)
    .map((l) => l.text)
    .join(" ");
  return { text, line: lines[start]!.line };
}

/** Whether no other text follows the line's paragraph: the title, when the page has no heading above it. */
function isLastParagraph(lines: readonly SourceLine[], line: SourceLine): boolean {
  const at = lines.indexOf(line);
  let i = at + 1;
  while (i < lines.length && lines[i]!.text !== "") i++;
  return lines.slice(i).every((l) => l.text === "");
}
