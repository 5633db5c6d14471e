import { crc32, deflateRawSync } from "node:zlib";
import type { DecisionRecord } from "../domain/decision-record.js";
import { writeZip, type ZipEntry } from "./extract/zip-archive.js";
import { proformaBlocks, xmlText, type ListInfo, type RenderBlock, type Span } from "./render-blocks.js";

/**
 * The record as a Word document (.docx) in the proforma layout: a WordprocessingML package written
 * part by part and zipped with our own zip writer. Headings use Word's Heading 1 and Heading 2
 * styles (so they are headings to a screen reader and in the navigation pane); counted lists
 * ("a.", "1.", "(iv)") and "-" bullets are real Word lists, restarted for each list, so our own
 * importer (which computes Word's markers from word/numbering.xml) reads the same markers back;
 * any other marker ("•") is typed at the start of the item. The same record gives the same
 * bytes every time: dates come from the record and nothing depends on the clock.
 */

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** Twips (1/20 pt): 2 cm margins, 1 cm list indent. */
const CM = 567;
const LIST_INDENT = CM;

export function renderProformaDocx(record: DecisionRecord): Uint8Array {
  const numbering = new WordNumbering();
  const body = proformaBlocks(record)
    .map((block) => blockXml(block, numbering))
    .join("");
  const hasNumbering = !numbering.isEmpty();

  const parts: Array<[string, string]> = [
    ["[Content_Types].xml", contentTypes(hasNumbering)],
    ["_rels/.rels", rootRelationships()],
    ["docProps/core.xml", coreProperties(record)],
    ["docProps/app.xml", appProperties()],
    ["word/document.xml", documentXml(body)],
    ["word/_rels/document.xml.rels", documentRelationships(hasNumbering)],
    ["word/styles.xml", STYLES_XML],
    ["word/footer1.xml", FOOTER_XML],
  ];
  if (hasNumbering) parts.push(["word/numbering.xml", numbering.xml()]);
  return writeZip(parts.map(([name, xml]) => deflated(name, xml)));
}

function deflated(name: string, text: string): ZipEntry {
  const data = new TextEncoder().encode(text);
  const raw = deflateRawSync(data, { level: 9 });
  return { name, method: 8, crc: crc32(data), compressedSize: raw.length, size: data.length, raw };
}

// --- document.xml -------------------------------------------------------------------------------

function blockXml(block: RenderBlock, numbering: WordNumbering): string {
  switch (block.kind) {
    case "banner":
      // One heading, a line each for the council and the document type; Heading 1 shows capitals.
      return paragraph(
        { style: "Heading1" },
        block.lines.map((line, i) => (i === 0 ? "" : "<w:r><w:br/></w:r>") + run(line)).join(""),
      );
    case "meta":
      return paragraph({ style: "ProformaMeta" }, run(block.text));
    case "heading":
      return paragraph({ style: "Heading2" }, run(block.text));
    case "paragraph":
      return paragraph({ indent: block.depth * LIST_INDENT }, runs(block.spans));
    case "item":
      return itemXml(block, numbering);
    case "signature":
      return paragraph(
        { style: "Signature" },
        block.lines.map((line, i) => (i === 0 ? "" : "<w:r><w:br/></w:r>") + run(line)).join(""),
      );
  }
}

function itemXml(block: Extract<RenderBlock, { kind: "item" }>, numbering: WordNumbering): string {
  const left = (block.depth + 1) * LIST_INDENT;
  const numId = numbering.numIdFor(block.list);
  if (numId !== null) {
    return paragraph({ style: "ListParagraph", numId, left, hanging: LIST_INDENT }, runs(block.spans));
  }
  // A marker Word cannot count: typed, with a tab to the item's text.
  return paragraph(
    { style: "ListParagraph", left, hanging: LIST_INDENT },
    `<w:r><w:t>${xmlText(block.marker)}</w:t><w:tab/></w:r>${runs(block.spans)}`,
  );
}

interface ParagraphOptions {
  style?: string;
  numId?: number;
  /** Left indent of a plain paragraph (twips). */
  indent?: number;
  left?: number;
  hanging?: number;
}

function paragraph(options: ParagraphOptions, content: string): string {
  let pPr = "";
  if (options.style) pPr += `<w:pStyle w:val="${options.style}"/>`;
  if (options.numId !== undefined) {
    pPr += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${options.numId}"/></w:numPr>`;
  }
  if (options.left !== undefined) {
    pPr += `<w:ind w:left="${options.left}" w:hanging="${options.hanging ?? 0}"/>`;
  } else if (options.indent) {
    pPr += `<w:ind w:left="${options.indent}"/>`;
  }
  return `<w:p>${pPr === "" ? "" : `<w:pPr>${pPr}</w:pPr>`}${content}</w:p>`;
}

function runs(spans: readonly Span[]): string {
  return spans.map((span) => run(span.text, span.bold)).join("");
}

/** A run of text; a tab in the text is a Word tab. */
function run(text: string, bold = false): string {
  const pieces = text
    .split("\t")
    .map((piece) => (piece === "" ? "" : `<w:t xml:space="preserve">${xmlText(piece)}</w:t>`))
    .join("<w:tab/>");
  if (pieces === "") return "";
  return `<w:r>${bold ? "<w:rPr><w:b/></w:rPr>" : ""}${pieces}</w:r>`;
}

function documentXml(body: string): string {
  const margin = 2 * CM;
  return (
    `${XML_DECLARATION}<w:document ${W_NS}><w:body>${body}` +
    '<w:sectPr><w:footerReference w:type="default" r:id="rId3"/>' +
    // A4 portrait, 2 cm margins, the footer 1 cm from the edge.
    `<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="${margin}" w:right="${margin}" w:bottom="${margin}" ` +
    `w:left="${margin}" w:header="${CM}" w:footer="${CM}" w:gutter="0"/></w:sectPr></w:body></w:document>`
  );
}

// --- numbering.xml ------------------------------------------------------------------------------

const WORD_FORMATS = {
  decimal: "decimal",
  "lower-alpha": "lowerLetter",
  "lower-roman": "lowerRoman",
} as const;

/**
 * Word lists: one abstract definition per kind of marker ("%1." lower letter, "(%1)" lower roman,
 * bullet …) and one numbering instance per list, restarted at the list's first value, as Word
 * does for "Restart numbering".
 */
class WordNumbering {
  private readonly abstracts = new Map<string, { id: number; level: string }>();
  private readonly nums: Array<{ abstractId: number; start: number | null }> = [];
  private readonly byList = new Map<number, number>();

  isEmpty(): boolean {
    return this.nums.length === 0;
  }

  /** The w:numId for the list's items, or null when its markers are typed. */
  numIdFor(list: ListInfo): number | null {
    const known = this.byList.get(list.id);
    if (known !== undefined) return known;
    const n = list.numbering;
    let key: string;
    let level: string;
    let start: number | null;
    if (n.kind === "counter") {
      const lvlText = `${n.before}%1${n.after}`;
      key = `${n.format}|${lvlText}`;
      level = levelXml(WORD_FORMATS[n.format], lvlText);
      start = n.start;
    } else if (n.kind === "bullet") {
      key = "bullet";
      level = levelXml("bullet", "•");
      start = null;
    } else {
      return null;
    }
    let abstract = this.abstracts.get(key);
    if (!abstract) {
      abstract = { id: this.abstracts.size, level };
      this.abstracts.set(key, abstract);
    }
    this.nums.push({ abstractId: abstract.id, start });
    const numId = this.nums.length;
    this.byList.set(list.id, numId);
    return numId;
  }

  xml(): string {
    const abstracts = [...this.abstracts.values()]
      .map(
        (a) =>
          `<w:abstractNum w:abstractNumId="${a.id}"><w:multiLevelType w:val="singleLevel"/>${a.level}</w:abstractNum>`,
      )
      .join("");
    const nums = this.nums
      .map(
        (num, i) =>
          `<w:num w:numId="${i + 1}"><w:abstractNumId w:val="${num.abstractId}"/>` +
          (num.start === null
            ? ""
            : `<w:lvlOverride w:ilvl="0"><w:startOverride w:val="${num.start}"/></w:lvlOverride>`) +
          "</w:num>",
      )
      .join("");
    return `${XML_DECLARATION}<w:numbering ${W_NS}>${abstracts}${nums}</w:numbering>`;
  }
}

function levelXml(format: string, lvlText: string): string {
  return (
    `<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="${format}"/>` +
    `<w:lvlText w:val="${xmlText(lvlText)}"/><w:lvlJc w:val="left"/>` +
    `<w:pPr><w:ind w:left="${LIST_INDENT}" w:hanging="${LIST_INDENT}"/></w:pPr></w:lvl>`
  );
}

// --- package parts ------------------------------------------------------------------------------

function contentTypes(hasNumbering: boolean): string {
  const part = (name: string, type: string) => `<Override PartName="${name}" ContentType="${type}"/>`;
  const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
  return (
    `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    part("/word/document.xml", `${wml}.document.main+xml`) +
    part("/word/styles.xml", `${wml}.styles+xml`) +
    (hasNumbering ? part("/word/numbering.xml", `${wml}.numbering+xml`) : "") +
    part("/word/footer1.xml", `${wml}.footer+xml`) +
    part("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml") +
    part("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml") +
    "</Types>"
  );
}

function rootRelationships(): string {
  return (
    `${XML_DECLARATION}<Relationships xmlns="${RELATIONSHIPS_NS}">` +
    `<Relationship Id="rId1" Type="${OFFICE_RELATIONSHIP}/officeDocument" Target="word/document.xml"/>` +
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
    `<Relationship Id="rId3" Type="${OFFICE_RELATIONSHIP}/extended-properties" Target="docProps/app.xml"/>` +
    "</Relationships>"
  );
}

function documentRelationships(hasNumbering: boolean): string {
  return (
    `${XML_DECLARATION}<Relationships xmlns="${RELATIONSHIPS_NS}">` +
    `<Relationship Id="rId1" Type="${OFFICE_RELATIONSHIP}/styles" Target="styles.xml"/>` +
    (hasNumbering
      ? `<Relationship Id="rId2" Type="${OFFICE_RELATIONSHIP}/numbering" Target="numbering.xml"/>`
      : "") +
    `<Relationship Id="rId3" Type="${OFFICE_RELATIONSHIP}/footer" Target="footer1.xml"/>` +
    "</Relationships>"
  );
}

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

function appProperties(): string {
  return (
    `${XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
    "<Application>Resolved</Application></Properties>"
  );
}

/**
 * Arial 11 pt, British English; headings bold (Heading 1 in capitals, as the proforma prints the
 * council and document type); list paragraphs without space between items.
 */
const STYLES_XML =
  `${XML_DECLARATION}<w:styles ${W_NS}>` +
  '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>' +
  '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>' +
  '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>' +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>' +
  '<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>' +
  '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="240"/><w:outlineLvl w:val="0"/></w:pPr>' +
  '<w:rPr><w:b/><w:bCs/><w:caps/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>' +
  '<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>' +
  '<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr>' +
  '<w:rPr><w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>' +
  '<w:style w:type="paragraph" w:customStyle="1" w:styleId="ProformaMeta"><w:name w:val="Proforma Meeting"/>' +
  '<w:basedOn w:val="Normal"/><w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/>' +
  '<w:uiPriority w:val="34"/><w:qFormat/><w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/>' +
  '<w:pPr><w:keepLines/><w:spacing w:before="360"/></w:pPr></w:style>' +
  '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>' +
  '<w:pPr><w:jc w:val="center"/><w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>' +
  "</w:styles>";

/** "Page 1 of 2", from Word's PAGE and NUMPAGES fields. */
const FOOTER_XML =
  `${XML_DECLARATION}<w:ftr ${W_NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
  '<w:r><w:t xml:space="preserve">Page </w:t></w:r>' +
  '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>' +
  '<w:r><w:t xml:space="preserve"> of </w:t></w:r>' +
  '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>' +
  "</w:p></w:ftr>";
