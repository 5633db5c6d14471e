import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DocumentError } from "../../../src/domain/errors.js";
import { extractText, type ExtractedText } from "../../../src/import/extract/index.js";
import { rejoinHyphenatedWords } from "../../../src/import/extract/hyphenation.js";
import { formatCounter } from "../../../src/import/extract/list-markers.js";
import { removePageFurniture, type PdfLine } from "../../../src/import/extract/pdf-layout.js";
import { storedEntry, writeZip } from "../../../src/import/extract/zip-archive.js";

const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const HTML = "text/html";
const TEXT = "text/plain";

const HEADINGS = [
  "Title of Item/Report",
  "Record of the Decision",
  "Reasons for the Decision",
  "Alternative Options Considered and Rejected",
  "Declared (Cabinet Member) Conflicts of Interest",
  "Details of any Dispensations",
  "Date and Time by which Call In must be executed",
];
const NUMBERED_HEADINGS = HEADINGS.map((heading, i) => `${i + 1}. ${heading}`);

function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
}

async function extractFixture(path: string, name = path.split("/").pop() ?? path): Promise<ExtractedText> {
  return extractText(fixture(path), name);
}

function linesOf(text: string): string[] {
  return text.split("\n");
}

/** Each expected line is a whole line of the text, in this order (other lines may come between). */
function expectLinesInOrder(lines: readonly string[], expected: readonly string[]): void {
  let from = 0;
  for (const line of expected) {
    const at = lines.indexOf(line, from);
    expect(at, `line ${JSON.stringify(line)} after line ${from}`).toBeGreaterThanOrEqual(from);
    from = at + 1;
  }
}

/** The expected lines (strings or matchers) come one right after another, from the first. */
function expectConsecutive(lines: readonly string[], expected: readonly [string, ...unknown[]]): void {
  const at = lines.indexOf(expected[0]);
  expect(at, `line ${JSON.stringify(expected[0])}`).toBeGreaterThanOrEqual(0);
  expect(lines.slice(at, at + expected.length)).toEqual(expected);
}

/** Headings stand on their own, with a blank line before and after. */
function expectStandalone(lines: readonly string[], line: string): void {
  const at = lines.indexOf(line);
  expect(at, `line ${JSON.stringify(line)}`).toBeGreaterThan(0);
  expect(lines[at - 1], `before ${JSON.stringify(line)}`).toBe("");
  expect(lines[at + 1], `after ${JSON.stringify(line)}`).toBe("");
}

/** The markers of list lines ("a", "b", "1", "(i)") in document order, for lines matching `pattern`. */
function markers(lines: readonly string[], pattern: RegExp): string[] {
  return lines.flatMap((line) => {
    const m = pattern.exec(line);
    return m ? [m[1] as string] : [];
  });
}

async function rejection(bytes: Uint8Array, fileName: string): Promise<DocumentError> {
  const error: unknown = await extractText(bytes, fileName).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentError);
  const documentError = error as DocumentError;
  // One clear line for a person about "the file" (the CLI and web name it), never a library's words or a stack.
  expect(documentError.message).not.toContain("\n");
  expect(documentError.message).toMatch(/^the file /);
  expect(documentError.message).not.toContain(fileName);
  expect(documentError.message).not.toMatch(/pdf\.js|mammoth|jszip|Exception|undefined|TypeError/i);
  return documentError;
}

describe("extractText: every format ends in the same text shape", () => {
  it.each([
    "pdf/childrens-services-performance-q2-2023.pdf",
    "pdf/mtfp-2024-25-recommendations.pdf",
    "docx/adult-social-care-fees-2024-25.docx",
    "docx/town-centre-public-realm-contractor.docx",
    "html/view-cabinet-decision-record-2011.html",
    "html/household-support-fund-2024.html",
  ])("%s: LF lines, one trailing newline, no double blank lines or stray spaces", async (path) => {
    const { text } = await extractFixture(path);
    expect(text).not.toMatch(/\r/);
    expect(text).not.toMatch(/\u00a0/);
    expect(text).toMatch(/[^\n]\n$/);
    expect(text).not.toMatch(/^\n/);
    expect(text).not.toMatch(/\n\n\n/);
    for (const line of linesOf(text)) {
      expect(line, JSON.stringify(line)).toBe(line.trim());
      expect(line).not.toMatch(/ {2}/);
    }
  });
});

describe("PDF: Children's Services performance update (Chromium-wrapped, two pages)", async () => {
  const result = await extractFixture("pdf/childrens-services-performance-q2-2023.pdf");
  const lines = linesOf(result.text);

  it("is read as a PDF", () => {
    expect(result.mediaType).toBe(PDF);
  });

  it("keeps the header, every numbered heading and the signature block, in order", () => {
    expectLinesInOrder(lines, [
      "STOCKTON-ON-TEES BOROUGH COUNCIL",
      "CABINET DECISION PROFORMA",
      // "14<sup>th</sup>": the raised "th" stays on the line, with no space before it.
      "Cabinet Meeting 14th December 2023",
      NUMBERED_HEADINGS[0] as string,
      "Children’s Services Performance Update Q2 (July – September 2023)",
      ...NUMBERED_HEADINGS.slice(1),
      "Midnight, 22 December 2023",
      "Proper Officer",
      "18 December 2023",
    ]);
    for (const heading of NUMBERED_HEADINGS) expectStandalone(lines, heading);
    expectConsecutive(lines, ["Proper Officer", "18 December 2023"]);
  });

  it("drops the running header, the footer title and 'Page 1 of 2' from every page", () => {
    expect(result.text).not.toMatch(/Page \d+ of \d+/);
    expect(result.text).not.toContain("Cabinet Decision Record – Cabinet 14 December 2023");
    expect(lines).not.toContain("Children’s Services Performance Update Q2");
    expect(lines.filter((l) => l === "STOCKTON-ON-TEES BOROUGH COUNCIL")).toHaveLength(1);
  });

  it("keeps the list markers Chromium drew: two lettered lists and the numbered resolutions", () => {
    expect(markers(lines, /^([a-z])\. /)).toEqual(["a", "b", "c", "d", "a", "b", "c", "d", "e"]);
    expectConsecutive(lines, [
      "a. Progress against the 2023/24 priorities of the strategy;",
      expect.stringMatching(/^b\. Key performance indicators, with their RAG status/),
    ]);
    expect(markers(lines, /^(\d)\. The /)).toEqual(["1", "2", "3"]);
  });

  it("separates paragraphs with a blank line, also across the page break before the resolutions", () => {
    const start = lines.findIndex((l) => l.startsWith("Demand at the front door remained high."));
    const end = lines.findIndex((l) => l.endsWith("second or subsequent plan had reduced to 18%."));
    expect(lines[start - 1]).toBe("");
    expect(end).toBeGreaterThan(start);
    expect(lines.slice(start, end + 1)).not.toContain("");
    expect(lines[end + 1]).toBe("");
    expectConsecutive(lines, [
      "RESOLVED that the report be noted, and in particular the achievements around:-",
      "",
      expect.stringMatching(/^1\. The continued reduction in the number of children/),
    ]);
  });

  it("keeps curly apostrophes and en dashes as printed", () => {
    expect(result.text).toContain("summarised performance across Children’s Services for");
    expect(result.text).toContain("(July – September 2023)");
  });
});

describe("PDF: Medium Term Financial Plan recommendations (long, hyphenated)", async () => {
  const result = await extractFixture("pdf/mtfp-2024-25-recommendations.pdf");
  const lines = linesOf(result.text);

  it("keeps the recommendations proforma's header, headings and outcome blocks in order", () => {
    expect(result.mediaType).toBe(PDF);
    expectLinesInOrder(lines, [
      "STOCKTON-ON-TEES BOROUGH COUNCIL",
      "CABINET RECOMMENDATIONS PROFORMA",
      "Cabinet Meeting 22nd February 2024",
      ...NUMBERED_HEADINGS.slice(0, 2),
      "RECOMMENDED to Council that:-",
      "1. The Medium Term Financial Plan for 2024/25 to 2026/27 be approved.",
      "2. The General Fund revenue budget for 2024/25 of £312.6 million be approved.",
      "4. The Capital Programme for 2024/25 to 2026/27 be approved.",
      ...NUMBERED_HEADINGS.slice(2),
      "Not applicable",
      "Proper Officer",
      "26 February 2024",
    ]);
    expect(lines.some((l) => l.startsWith("RESOLVED that the updated savings proposals"))).toBe(true);
    expect(markers(lines, /^([a-d])\. /)).toEqual(["a", "b", "c", "d"]);
  });

  it("re-joins a hyphenated word when the document spells it whole elsewhere", () => {
    expect(lines.some((l) => l.endsWith("final Government Finance Settlement"))).toBe(true);
    expect(lines.some((l) => l.endsWith("where demand for Children’s Services"))).toBe(true);
    expect(lines.some((l) => /(?:Settle|Ser)-$/.test(l))).toBe(false);
  });

  it("re-joins a compound with its hyphen when the document writes it hyphenated elsewhere", () => {
    const at = lines.findIndex((l) => l.endsWith("physical health and well-being"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toMatch(/^of residents had been central/);
    expect(result.text).not.toMatch(/wellbeing/);
  });

  it("leaves a hyphenated word for the parser when the document gives no evidence", () => {
    const at = lines.findIndex((l) => l.endsWith("to secure long term sustain-"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toBe("ability of the Council’s finances.");
  });

  it("continues a paragraph over the page break without a blank line, and drops the furniture", () => {
    expectConsecutive(lines, [
      "1,148 residents, businesses and partners had responded. The responses supported the",
      "protection of services for vulnerable children and adults, and the maintenance of",
    ]);
    expect(result.text).not.toMatch(/Page \d+ of \d+/);
    expect(result.text).not.toContain("Cabinet Recommendations – 22 February 2024");
    expect(lines).not.toContain("Medium Term Financial Plan 2024/25");
  });
});

describe("DOCX: Adult Social Care fees (Word auto-numbering)", async () => {
  const result = await extractFixture("docx/adult-social-care-fees-2024-25.docx");
  const lines = linesOf(result.text);

  it("is read as Word, with section numbers drawn from the numbering part", () => {
    expect(result.mediaType).toBe(DOCX);
    expectLinesInOrder(lines, [
      "STOCKTON-ON-TEES BOROUGH COUNCIL",
      "CABINET DECISION PROFORMA",
      // A Word tab and a superscript "th" in the run.
      "Cabinet Meeting 14th March 2024",
      ...NUMBERED_HEADINGS.slice(0, 2),
      "RESOLVED that:-",
      // The heading list carries on at 3 after the resolutions list in between.
      ...NUMBERED_HEADINGS.slice(2),
      "Midnight, 22 March 2024",
    ]);
    for (const heading of NUMBERED_HEADINGS) expectStandalone(lines, heading);
  });

  it("rebuilds lettered markers, restarting at 'a.' where Word restarts the list", () => {
    expectConsecutive(lines, [
      "a. the increase in the National Living Wage to £11.44 an hour from 1 April 2024;",
      "b. inflation in the cost of utilities, food and insurance;",
      "c. the outcome of the annual cost of care exercise carried out with providers; and",
      "d. the continued difficulty in recruiting and retaining care workers.",
    ]);
    expectConsecutive(lines, [
      "a. residential care for older people: £743.00 a week, with:",
      "(i) a standard rate for residents assessed as having high needs; and",
      "(ii) an enhanced rate for residents living with advanced dementia;",
      "b. nursing care for older people (excluding NHS Funded Nursing Care): £781.00 a week;",
      "c. home care: £23.02 an hour; and",
      "d. direct payments: £19.50 an hour.",
    ]);
  });

  it("numbers the resolutions 1-3 and bullets with '-'", () => {
    expectConsecutive(lines, [
      "RESOLVED that:-",
      "",
      "1. The fee rates for 2024/25 set out in the report be approved with effect from 1 April 2024.",
      expect.stringMatching(/^2\. The Director of Adults, Health and Wellbeing/),
      "3. A further report on the cost of care be brought to Cabinet in 2025.",
    ]);
    expectConsecutive(lines, [
      "- are sustainable for providers and reflect the actual cost of care;",
      "- enable the Council to meet its duties under the Care Act 2014.",
    ]);
  });

  it("does not number a paragraph that was a list item only before a tracked change", () => {
    expect(lines.find((l) => l.includes("Engagement had taken place"))).toMatch(
      /^Engagement had taken place/,
    );
  });

  it("keeps manual line breaks and leaves out the page header and footer", () => {
    expectConsecutive(lines, ["Proper Officer", "18 March 2024"]);
    expect(result.text).not.toMatch(/Page \d+ of \d+/);
    expect(result.text).not.toContain("Cabinet Decision Record – Cabinet 14 March 2024");
  });
});

describe("DOCX: town centre contractor (typed markers, a table, no numbering part)", async () => {
  const result = await extractFixture("docx/town-centre-public-realm-contractor.docx");
  const lines = linesOf(result.text);

  it("keeps typed headings and markers, and table cells on one line separated by a tab", () => {
    expect(result.mediaType).toBe(DOCX);
    expectLinesInOrder(lines, [
      "CABINET DECISION PROFORMA",
      "Cabinet Meeting\t9th November 2023",
      ...NUMBERED_HEADINGS.slice(0, 2),
      "a. four contractors had been invited to submit a tender, of which three had responded;",
      "b. tenders had been evaluated on the basis of 60% quality and 40% price;",
      "RESOLVED that:-",
      "1. Tees Civils Ltd be appointed to deliver the public realm improvements.",
      ...NUMBERED_HEADINGS.slice(2),
      "Midnight, 17 November 2023",
      "Proper Officer",
      "13 November 2023",
    ]);
  });

  it("keeps curly quotes and dashes", () => {
    expect(result.text).toContain("the new “Waterfront Walk” between");
    expect(result.text).toContain("Stockton Town Centre – Public Realm Improvements");
  });
});

describe("HTML: 2011 'View Cabinet Decision Record' page in Windows-1252", async () => {
  const result = await extractFixture("html/view-cabinet-decision-record-2011.html");
  const lines = linesOf(result.text);

  it("keeps the record and its unnumbered headings in order", () => {
    expect(result.mediaType).toBe(HTML);
    expectLinesInOrder(lines, [
      "View Cabinet Decision Record",
      "Cabinet Decision Record\tD110023",
      "Cabinet Decision: 17th February 2011",
      ...HEADINGS,
      "Midnight, 25th February 2011",
      "Date of Publication: 21 February 2011",
    ]);
    for (const heading of HEADINGS) expectStandalone(lines, heading);
  });

  it("decodes Windows-1252 quotes, dashes and pound signs", () => {
    expect(result.text).toContain("the Council’s third Local Transport Plan (LTP3)");
    expect(result.text).toContain("Local Transport Plan 3 (2011 – 2026) and Implementation Plan 2011/12");
    expect(result.text).toContain("reduced to £1.2m");
  });

  it("leaves empty sections empty: one heading follows the other", () => {
    expectConsecutive(lines, [
      "Alternative Options Considered and Rejected",
      "",
      "Declared (Cabinet Member) Conflicts of Interest",
      "",
      "Details of any Dispensations",
      "",
      "Date and Time by which Call In must be executed",
    ]);
  });

  it("turns <br> into line ends: lettered points one per line, a blank line for <br><br>", () => {
    expectConsecutive(lines, [
      "The key themes of the strategy were:",
      "a. Supporting economic growth and regeneration;",
      "b. Reducing carbon emissions;",
      "c. Improving safety, security and health;",
      "d. Improving accessibility and equality of opportunity.",
    ]);
    expectConsecutive(lines, [
      "RESOLVED that:-",
      "",
      "1. The Local Transport Plan 3 Strategy be recommended to Council for adoption.",
      "2. The Implementation Plan 2011/12 be approved.",
    ]);
  });

  it("drops the site's header, menus, breadcrumb, scripts and footer", () => {
    for (const chrome of [
      "A-Z of services",
      "Meetings and agendas",
      "Council and democracy",
      "Municipal Buildings",
    ]) {
      expect(result.text).not.toContain(chrome);
    }
    expect(result.text).not.toContain("$(document)");
    expect(lines[0]).toBe("View Cabinet Decision Record");
  });
});

describe("HTML: current proforma page with site chrome", async () => {
  const result = await extractFixture("html/household-support-fund-2024.html");
  const lines = linesOf(result.text);

  it("keeps the article's own header and all numbered headings in order", () => {
    expect(result.mediaType).toBe(HTML);
    expect(lines.slice(0, 5)).toEqual([
      "STOCKTON-ON-TEES BOROUGH COUNCIL",
      "",
      "CABINET DECISION PROFORMA",
      "",
      "Cabinet Meeting 13th June 2024",
    ]);
    expectLinesInOrder(lines, [
      NUMBERED_HEADINGS[0] as string,
      "Household Support Fund – April to September 2024",
      ...NUMBERED_HEADINGS.slice(1),
      "Midnight Tuesday, 25 June 2024",
    ]);
    expectConsecutive(lines, ["Proper Officer", "19 June 2024"]);
  });

  it("writes the markers a browser draws for lettered, roman and numbered lists", () => {
    expect(markers(lines, /^([a-z]{1,3})\. /)).toEqual(["a", "b", "i", "ii", "c", "d"]);
    expectConsecutive(lines, [
      "RESOLVED that:-",
      "",
      "1. The Household Support Fund scheme for April to September 2024, as set out in the report, be approved.",
      expect.stringMatching(/^2\. The Director of Finance, Transformation and Performance/),
    ]);
  });

  it("decodes entities and turns no-break spaces into spaces", () => {
    expect(result.text).toContain("from 1 April to 30 September 2024, and the Council’s proposed scheme");
    expect(result.text).toContain("£2,006,423");
  });

  it("drops the skip link, cookie banner, navigation, breadcrumbs, aside and footer", () => {
    for (const chrome of [
      "Skip to main content",
      "essential cookies",
      "Bins and recycling",
      "Cabinet decisions",
      "Related content",
      "Accessibility statement",
      "dataLayer",
    ]) {
      expect(result.text).not.toContain(chrome);
    }
  });
});

describe("HTML without a <main> element", () => {
  it("drops the page banner and footer but keeps an article's header and a wrapper named like a sidebar", async () => {
    const html = `<html><body>
      <header><a href="/">Stockton-on-Tees Borough Council</a><form><input name="q"></form></header>
      <div class="layout with-sidebar">
        <div class="sidebar"><ul><li><a href="/">Council meetings</a></li></ul></div>
        <article>
          <header><h1>CABINET DECISION PROFORMA</h1></header>
          <p>Cabinet Meeting 14th December 2023</p>
          <table><tr><th>Title of Item/Report</th><td>Annual Review of Fees</td></tr></table>
          <p hidden>Draft, do not publish</p>
          <p style="display: none">Internal note</p>
        </article>
      </div>
      <footer><p>Privacy notice</p></footer>
    </body></html>`;
    const { text } = await extractText(new TextEncoder().encode(html), "record.html");
    expect(text).toBe(
      "CABINET DECISION PROFORMA\n\nCabinet Meeting 14th December 2023\n\nTitle of Item/Report\tAnnual Review of Fees\n",
    );
  });
});

describe("bad files: a DocumentError saying what is wrong and what to do", () => {
  it("an empty file", async () => {
    const error = await rejection(fixture("bad/empty.txt"), "empty.txt");
    expect(error.message).toMatch(/is empty \(0 bytes\).*export or download .* again/i);
  });

  it("random binary junk", async () => {
    const error = await rejection(fixture("bad/junk.bin"), "junk.bin");
    expect(error.message).toMatch(/binary data, not plain text, PDF, Word \(\.docx\) or HTML/);
  });

  it("a PDF cut in half", async () => {
    const error = await rejection(fixture("bad/truncated.pdf"), "truncated.pdf");
    expect(error.message).toMatch(/incomplete PDF.*cut short.*import the complete file/);
  });

  it("a text file renamed .docx", async () => {
    const error = await rejection(fixture("bad/not-really.docx"), "not-really.docx");
    expect(error.message).toMatch(/named like a Word document but is not one.*\.docx or PDF/);
  });

  it("a scanned PDF with no text layer", async () => {
    const error = await rejection(fixture("bad/scanned.pdf"), "scanned.pdf");
    expect(error.message).toMatch(/no text in it.*scanned.*OCR/);
  });

  it("a PDF whose body is garbage", async () => {
    const bytes = new TextEncoder().encode(
      "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ngarbage\n%%EOF\n",
    );
    const error = await rejection(bytes, "minutes.pdf");
    expect(error.message).toMatch(/damaged PDF.*again/);
  });

  it("a Word document cut short", async () => {
    const docx = fixture("docx/adult-social-care-fees-2024-25.docx");
    const error = await rejection(docx.subarray(0, docx.length - 700), "fees.docx");
    expect(error.message).toMatch(/damaged Word document.*save a new copy/);
  });

  it("a zip archive that is a spreadsheet", async () => {
    const xlsx = writeZip([storedEntry("xl/workbook.xml", new TextEncoder().encode("<workbook/>"))]);
    const error = await rejection(xlsx, "decisions.xlsx");
    expect(error.message).toMatch(/is an Excel workbook, not a Word document/);
  });

  it("an image, a legacy .doc and a web page saved under a .pdf name", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect((await rejection(png, "scan.png")).message).toMatch(/image \(PNG\).*OCR/);
    const doc = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await rejection(doc, "record.doc")).message).toMatch(/Word 97-2003.*save it as \.docx/);
    const page = new TextEncoder().encode("<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>");
    expect((await rejection(page, "record.pdf")).message).toMatch(/named like a PDF.*web page/);
  });

  it("a text file with nothing but whitespace", async () => {
    const error = await rejection(new TextEncoder().encode(" \r\n\t\r\n"), "blank.txt");
    expect(error.message).toMatch(/has no text in it/);
  });
});

describe("plain text and type detection", () => {
  it("decodes UTF-8, strips the BOM, normalises line ends and no-break spaces, keeps curly quotes", async () => {
    const bytes = new TextEncoder().encode(
      "\ufeffSTOCKTON-ON-TEES BOROUGH COUNCIL\r\n\r\nCabinet Meeting\u00a014th December 2023\rChildren’s – “Services”\n",
    );
    const result = await extractText(bytes, "record.txt");
    expect(result).toEqual({
      mediaType: TEXT,
      text: "STOCKTON-ON-TEES BOROUGH COUNCIL\n\nCabinet Meeting 14th December 2023\nChildren’s – “Services”\n",
    });
  });

  it("falls back to Windows-1252 when the bytes are not UTF-8", async () => {
    const bytes = Uint8Array.from([
      ...new TextEncoder().encode("Children"),
      0x92,
      ...new TextEncoder().encode("s Services "),
      0x96,
      ...new TextEncoder().encode(" "),
      0x93,
      ...new TextEncoder().encode("Q3"),
      0x94,
      ...new TextEncoder().encode(" "),
      0xa3,
      ...new TextEncoder().encode("5m"),
    ]);
    expect((await extractText(bytes, "legacy.txt")).text).toBe("Children’s Services – “Q3” £5m\n");
  });

  it("reads UTF-16 with a byte order mark", async () => {
    const body = "RESOLVED that the report be noted.";
    const bytes = new Uint8Array(2 + body.length * 2);
    bytes.set([0xff, 0xfe]);
    [...body].forEach((ch, i) => bytes.set([ch.charCodeAt(0), 0], 2 + i * 2));
    expect((await extractText(bytes, "notepad.txt")).text).toBe(`${body}\n`);
  });

  it("trusts the bytes over the name: a PDF named .txt, a Word file named .bin, HTML named .txt", async () => {
    const pdf = fixture("pdf/childrens-services-performance-q2-2023.pdf");
    expect((await extractText(pdf, "record.txt")).mediaType).toBe(PDF);
    const docx = fixture("docx/town-centre-public-realm-contractor.docx");
    expect((await extractText(docx, "download.bin")).mediaType).toBe(DOCX);
    const html = new TextEncoder().encode("<p>RESOLVED that:-</p><ol><li>One</li><li>Two</li></ol>");
    expect(await extractText(html, "record.txt")).toEqual({
      mediaType: HTML,
      text: "RESOLVED that:-\n\n1. One\n2. Two\n",
    });
  });

  it("uses the extension when the bytes cannot tell: a stray tag in a .txt stays text", async () => {
    const bytes = new TextEncoder().encode("Decision: approve <subject to funding>\n");
    expect(await extractText(bytes, "note.txt")).toEqual({
      mediaType: TEXT,
      text: "Decision: approve <subject to funding>\n",
    });
    expect((await extractText(bytes, "note.html")).mediaType).toBe(HTML);
  });
});

describe("building blocks", () => {
  it("formats list counters as Word and browsers draw them", () => {
    expect(formatCounter(1, "lower-alpha")).toBe("a");
    expect(formatCounter(27, "lower-alpha")).toBe("aa");
    expect(formatCounter(4, "upper-roman")).toBe("IV");
    expect(formatCounter(14, "lower-roman")).toBe("xiv");
    expect(formatCounter(3, "decimal-zero")).toBe("03");
    expect(formatCounter(2, "bullet")).toBe("-");
  });

  it("re-joins soft and layout hyphens, and plain ones only with evidence", () => {
    expect(rejoinHyphenatedWords(["the accommo\u00ad", "dation costs"])).toEqual([
      "the accommodation",
      "costs",
    ]);
    expect(rejoinHyphenatedWords(["Children’s Ser\u2010", "vices."])).toEqual(["Children’s Services."]);
    expect(rejoinHyphenatedWords(["Ser-", "vices were", "good Services"])).toEqual([
      "Services",
      "were",
      "good Services",
    ]);
    expect(rejoinHyphenatedWords(["co-", "ordinated work"])).toEqual(["co-", "ordinated work"]);
    expect(rejoinHyphenatedWords(["co-", "ordinated work", "co-ordinated"])).toEqual([
      "co-ordinated",
      "work",
      "co-ordinated",
    ]);
    // Both spellings in the document: not sure, so left alone.
    expect(rejoinHyphenatedWords(["co-", "ordinated", "coordinated co-ordinated"])[0]).toBe("co-");
    // A list item on the next line is never the end of a word, nor is a capitalised word.
    expect(rejoinHyphenatedWords(["costs -", "a. housing"])).toEqual(["costs -", "a. housing"]);
    expect(rejoinHyphenatedWords(["North-", "East region", "NorthEast"])[0]).toBe("North-");
  });

  it("removes page numbers and repeated margin lines, but keeps body lines that repeat", () => {
    const line = (text: string, y: number): PdfLine => ({ text, y, left: 60, right: 300, fontSize: 10 });
    const pages = [1, 2, 3].map((n) => ({
      height: 800,
      lines: [
        line("Agenda Item 5", 20),
        line("STOCKTON-ON-TEES BOROUGH COUNCIL", 90),
        line(`Body text on page ${n}`, 400),
        line(String(n), 780),
      ],
    }));
    const kept = removePageFurniture(pages).map((page) => page.map((l) => l.text));
    expect(kept).toEqual(
      [1, 2, 3].map((n) => ["STOCKTON-ON-TEES BOROUGH COUNCIL", `Body text on page ${n}`]),
    );
  });

  it("keeps a margin line that appears on one page only, minus an embedded page number", () => {
    const line = (text: string, y: number): PdfLine => ({ text, y, left: 60, right: 300, fontSize: 10 });
    const kept = removePageFurniture([
      { height: 800, lines: [line("Published 18 December 2023", 20), line("Body", 400)] },
      { height: 800, lines: [line("Body two", 400), line("Cabinet record Page 2 of 2", 780)] },
    ]);
    expect(kept.map((page) => page.map((l) => l.text))).toEqual([
      ["Published 18 December 2023", "Body"],
      ["Body two", "Cabinet record"],
    ]);
  });
});
