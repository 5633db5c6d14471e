import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Tab,
  TextRun,
  type INumberingOptions,
  type IParagraphOptions,
  type IStylesOptions,
} from "docx";
import type { DecisionRecord } from "../../domain/decision-record.js";
import { deflatedEntry, writeZip, type ZipEntry } from "../extract/zip-archive.js";
import { xmlText } from "../../domain/xml-text.js";
import { proformaBlocks, type ListInfo, type RenderBlock, type Span } from "./render-blocks.js";

/**
 * The record as a Word document (.docx) in the proforma layout, built with the docx package.
 * Headings use Word's Heading 1 and Heading 2 styles (so they are headings to a screen reader and
 * in the navigation pane); counted lists ("a.", "1.", "(iv)") and "-" bullets are real Word lists,
 * restarted for each list, so our own importer (which computes Word's markers from
 * word/numbering.xml) reads the same markers back; any other marker ("•") is typed at the start of
 * the item. A4 portrait with 2 cm margins, British English, "Page N of M" in the footer.
 *
 * The same record gives the same bytes every time: docx dates the core properties with the clock,
 * so docProps/core.xml is ours (dated from the record), and the parts are zipped by zip-archive
 * with the record's date on every entry.
 *
 * Synchronous, as its callers expect: docx's Packer only zips asynchronously, but the parts come
 * from its compiler, which is synchronous (see `compileParts`), and zip-archive zips them.
 */

/** Twips (1/20 pt): 2 cm margins, 1 cm list indent. */
const CM = 567;
const LIST_INDENT = CM;

export function renderProformaDocx(record: DecisionRecord): Uint8Array {
  const lists = new WordLists();
  const children = proformaBlocks(record).map((block) => new Paragraph(paragraphOptions(block, lists)));
  const document = new Document({
    styles: STYLES,
    numbering: lists.numbering(),
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838, orientation: PageOrientation.PORTRAIT },
            margin: {
              top: 2 * CM,
              right: 2 * CM,
              bottom: 2 * CM,
              left: 2 * CM,
              header: CM,
              footer: CM,
              gutter: 0,
            },
          },
        },
        footers: { default: pageFooter() },
        children,
      },
    ],
  });
  const parts = compileParts(document, [
    { path: "docProps/core.xml", data: coreProperties(record) },
    { path: "docProps/app.xml", data: APP_PROPERTIES },
  ]);
  // The content types first, as Word writes them (some tools look for them there).
  const names = [...parts.keys()].sort(
    (a, b) => Number(b === "[Content_Types].xml") - Number(a === "[Content_Types].xml"),
  );
  return writeZip(
    names.map((name) => deflatedPart(name, parts.get(name)!)),
    { date: record.publishedOn },
  );
}

/** The parts made from the record; the others (styles, theme, settings, footer …) are the same for all. */
const RECORD_PARTS = new Set(["word/document.xml", "word/numbering.xml", "docProps/core.xml"]);
/** Deflated parts that are the same for every record, by name and content. */
const deflatedParts = new Map<string, ZipEntry>();
const MAX_KEPT_PARTS = 64;

function deflatedPart(name: string, data: string | Uint8Array): ZipEntry {
  const bytes = () => (typeof data === "string" ? new TextEncoder().encode(data) : data);
  if (typeof data !== "string" || RECORD_PARTS.has(name)) return deflatedEntry(name, bytes());
  const key = `${name}\n${data}`;
  let entry = deflatedParts.get(key);
  if (!entry) {
    entry = deflatedEntry(name, bytes());
    if (deflatedParts.size >= MAX_KEPT_PARTS) deflatedParts.clear();
    deflatedParts.set(key, entry);
  }
  return entry;
}

interface DocxCompiler {
  compile(
    file: Document,
    prettify?: undefined,
    overrides?: ReadonlyArray<{ path: string; data: string }>,
  ): Map<string, string | Uint8Array>;
}

/**
 * The package's parts by path, from the compiler whose output docx's Packer zips. Packer is
 * asynchronous, its compiler is not; the compiler is private to Packer, so this depends on the
 * docx version pinned in package.json (render-documents.test.ts fails if an upgrade moves it).
 * `overrides` replace parts.
 */
function compileParts(
  document: Document,
  overrides: ReadonlyArray<{ path: string; data: string }>,
): Map<string, string | Uint8Array> {
  const compiler = (Packer as unknown as { compiler?: DocxCompiler }).compiler;
  if (typeof compiler?.compile !== "function") {
    throw new Error("docx's Packer has no compiler: render-docx.ts needs updating for this docx version");
  }
  return compiler.compile(document, undefined, overrides);
}

// --- Paragraphs ---------------------------------------------------------------------------------

function paragraphOptions(block: RenderBlock, lists: WordLists): IParagraphOptions {
  switch (block.kind) {
    case "banner":
      // One heading, a line each for the council and the document type; Heading 1 shows capitals.
      return { heading: HeadingLevel.HEADING_1, children: lines(block.lines) };
    case "meta":
      return { style: "ProformaMeta", children: runs([{ text: block.text }]) };
    case "heading":
      return { heading: HeadingLevel.HEADING_2, children: runs([{ text: block.text }]) };
    case "paragraph":
      return {
        ...(block.depth > 0 && { indent: { left: block.depth * LIST_INDENT } }),
        children: runs(block.spans),
      };
    case "item": {
      const indent = { left: (block.depth + 1) * LIST_INDENT, hanging: LIST_INDENT };
      const numbering = lists.numberingOf(block.list);
      if (numbering) return { numbering, indent, children: runs(block.spans) };
      // A marker Word cannot count: typed, with a tab to the item's text.
      return {
        style: "ListParagraph",
        indent,
        children: [new TextRun({ children: [wordText(block.marker), new Tab()] }), ...runs(block.spans)],
      };
    }
    case "signature":
      return { style: "Signature", children: lines(block.lines) };
  }
}

function lines(texts: readonly string[]): TextRun[] {
  return texts.map((text, i) => new TextRun({ children: tabbed(text), ...(i > 0 && { break: 1 }) }));
}

function runs(spans: readonly Span[]): TextRun[] {
  return spans
    .filter((span) => span.text !== "")
    .map((span) => new TextRun({ children: tabbed(span.text), ...(span.bold && { bold: true }) }));
}

/** Text with its tabs as Word tabs. */
function tabbed(text: string): Array<string | Tab> {
  return wordText(text)
    .split("\t")
    .flatMap((piece, i) => [...(i > 0 ? [new Tab()] : []), ...(piece === "" ? [] : [piece])]);
}

// Characters XML 1.0 cannot hold that docx lets through (it drops control characters itself).
const NOT_XML = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wordText(text: string): string {
  return text.replace(NOT_XML, "");
}

// --- Lists --------------------------------------------------------------------------------------

const WORD_FORMATS = {
  decimal: LevelFormat.DECIMAL,
  "lower-alpha": LevelFormat.LOWER_LETTER,
  "lower-roman": LevelFormat.LOWER_ROMAN,
} as const;

/**
 * Word lists: one definition per kind of marker and first value ("%1." lower letter from 1,
 * "(%1)" lower roman from 4 …, bullet) and one instance per list, which docx restarts at the
 * definition's first value, as Word does for "Restart numbering".
 */
class WordLists {
  private readonly definitions = new Map<string, INumberingOptions["config"][number]>();

  /** How the list's items are numbered, or null when their markers are typed. */
  numberingOf(list: ListInfo): IParagraphOptions["numbering"] | null {
    const n = list.numbering;
    if (n.kind === "typed") return null;
    const text = n.kind === "bullet" ? "•" : `${n.before}%1${n.after}`;
    const format = n.kind === "bullet" ? LevelFormat.BULLET : WORD_FORMATS[n.format];
    const start = n.kind === "bullet" ? 1 : n.start;
    const reference = `${format} ${text} ${start}`;
    if (!this.definitions.has(reference)) {
      this.definitions.set(reference, {
        reference,
        levels: [
          {
            level: 0,
            format,
            text,
            start,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: LIST_INDENT, hanging: LIST_INDENT } } },
          },
        ],
      });
    }
    return { reference, level: 0, instance: list.id };
  }

  numbering(): INumberingOptions {
    return { config: [...this.definitions.values()] };
  }
}

// --- Styles and package parts -------------------------------------------------------------------

/**
 * Arial 11 pt, British English; headings bold (Heading 1 in capitals, as the proforma prints the
 * council and document type); list paragraphs without space between items.
 */
const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: "Arial", size: 22, language: { value: "en-GB" } },
      paragraph: { spacing: { after: 160, line: 264 } },
    },
    heading1: {
      run: { bold: true, allCaps: true, size: 28 },
      paragraph: { keepNext: true, keepLines: true, spacing: { before: 0, after: 240 }, outlineLevel: 0 },
    },
    heading2: {
      run: { bold: true, size: 24 },
      paragraph: { keepNext: true, keepLines: true, spacing: { before: 360, after: 120 }, outlineLevel: 1 },
    },
    listParagraph: { paragraph: { indent: { left: 720 }, contextualSpacing: true } },
  },
  paragraphStyles: [
    {
      id: "ProformaMeta",
      name: "Proforma Meeting",
      basedOn: "Normal",
      run: { bold: true },
      paragraph: { keepNext: true },
    },
    {
      id: "Signature",
      name: "Signature",
      basedOn: "Normal",
      paragraph: { keepLines: true, spacing: { before: 360 } },
    },
    {
      id: "Footer",
      name: "footer",
      basedOn: "Normal",
      run: { size: 18 },
      paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 0 } },
    },
  ],
};

/** "Page 1 of 2", from Word's PAGE and NUMPAGES fields. */
function pageFooter(): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: "Footer",
        children: [new TextRun({ children: ["Page ", PageNumber.CURRENT, " of ", PageNumber.TOTAL_PAGES] })],
      }),
    ],
  });
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Title, author (the council), subject (the document type) and dates, all from the record. */
function coreProperties(record: DecisionRecord): string {
  const published = `${record.publishedOn}T00:00:00Z`;
  return (
    `${XML_DECLARATION}<cp:coreProperties ` +
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xmlText(record.title)}</dc:title>` +
    `<dc:subject>${xmlText(record.documentType)}</dc:subject>` +
    (record.council ? `<dc:creator>${xmlText(record.council)}</dc:creator>` : "") +
    (record.recordId ? `<dc:identifier>${xmlText(record.recordId)}</dc:identifier>` : "") +
    "<dc:language>en-GB</dc:language>" +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${published}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${published}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}

const APP_PROPERTIES =
  `${XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
  "<Application>Resolved</Application></Properties>";
