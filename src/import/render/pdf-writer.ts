import PDFDocument, { type PDFStructureContent, type PDFStructureElement } from "pdfkit";
import type { DecisionRecord } from "../../domain/decision-record.js";
import { xmlText } from "../../domain/xml-text.js";
import { pdfFonts, textWidth, type FontKey } from "./pdf-fonts.js";
import { FOOTER_BASELINE, FOOTER_SIZE, PAGE_HEIGHT, PAGE_WIDTH } from "./pdf-geometry.js";
import type { StructNode } from "./pdf-lines.js";
import { footerLine, type Layout } from "./pdf-pages.js";

/**
 * Writes laid-out pages as a tagged PDF with pdfkit: the fonts embedded (subset), the text marked
 * as the content of its structure element (Document, H1, H2, P, L, LI, Lbl, LBody), the footer
 * marked as a pagination artifact, the document's language (en-GB) and title for screen readers.
 *
 * The same record gives the same bytes: pdfkit's dates come from the record (it would use the
 * clock), its file identifier is a hash of the document information (title, author, subject and
 * those dates), and the subset fonts' names are derived from their order in the document.
 */
export function writePdf(record: DecisionRecord, layout: Layout): Uint8Array {
  const published = new Date(`${record.publishedOn}T00:00:00Z`);
  const doc = new PDFDocument({
    autoFirstPage: false,
    pdfVersion: "1.7",
    tagged: true,
    lang: "en-GB",
    displayTitle: true,
    // No Helvetica set up first: only our own fonts are in the file.
    font: null,
    info: {
      Title: record.title,
      ...(record.council && { Author: record.council }),
      Subject: record.documentType,
      Creator: "Resolved",
      Producer: "Resolved",
      CreationDate: published,
      ModDate: published,
    },
  });
  replaceXmp(doc, record);
  const fonts = pdfFonts();
  doc.registerFont("regular", fonts.regular.font);
  doc.registerFont("bold", fonts.bold.font);
  // pdfkit measures each piece of text twice more as it draws it (to place what would follow it),
  // shaping it again each time; the widths are known here, from the same shaping.
  let drawing: { font: FontKey; size: number } = { font: "regular", size: FOOTER_SIZE };
  doc.widthOfString = (text, options) =>
    (textWidth(text, drawing.font, drawing.size) * (options?.horizontalScaling ?? 100)) / 100;
  const use = (font: FontKey, size: number) => {
    drawing = { font, size };
    return doc.font(font, size);
  };

  const root = doc.struct("Document");
  doc.addStructure(root);
  const elements = new Map<StructNode, PDFStructureElement>([[layout.structure.root, root]]);
  const build = (node: StructNode) => {
    for (const child of node.children) {
      if ("leaf" in child) continue;
      const element = doc.struct(child.type);
      if (child.attributes) element.dictionary.data.A = child.attributes;
      elements.get(node)!.add(element);
      elements.set(child, element);
      build(child);
    }
  };
  build(layout.structure.root);
  const leafElements = layout.structure.leaves.map((leaf) => elements.get(leaf.node)!);

  layout.pages.forEach((lines, index) => {
    doc.addPage({ size: [PAGE_WIDTH, PAGE_HEIGHT], margin: 0 });
    const footer = footerLine(index + 1, layout.pages.length);
    doc.markContent("Artifact", { type: "Pagination", attached: ["Bottom"] });
    use("regular", FOOTER_SIZE).text(footer.text, footer.x, FOOTER_BASELINE, {
      lineBreak: false,
      baseline: "alphabetic",
    });
    doc.endMarkedContent();

    // Text of one structure element on a page, line after line, is one marked-content sequence.
    const open: { leaf: number; content: PDFStructureContent | null } = { leaf: -1, content: null };
    const close = () => {
      if (!open.content) return;
      doc.endMarkedContent();
      leafElements[open.leaf]!.add(open.content);
      open.content = null;
    };
    for (const line of lines) {
      for (const piece of line.pieces) {
        if (!open.content || open.leaf !== piece.leaf) {
          close();
          open.leaf = piece.leaf;
          open.content = doc.markStructureContent(layout.structure.leaves[piece.leaf]!.type);
        }
        use(piece.font, line.size).text(piece.text, piece.x, line.y, {
          lineBreak: false,
          baseline: "alphabetic",
          ...(piece.fit.scale !== 1 && { horizontalScaling: piece.fit.scale * 100 }),
        });
      }
    }
    close();
  });
  root.end();
  doc.end();

  // pdfkit writes the whole file into its stream's buffer by the time end() returns.
  const chunks: Uint8Array[] = [];
  for (let chunk: unknown = doc.read(); chunk !== null; chunk = doc.read()) chunks.push(chunk as Uint8Array);
  const bytes = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/**
 * pdfkit writes the title, author and subject into the XMP metadata without escaping them, so a
 * title with "&" or "<" ("Fees & Charges") would make the packet invalid XML: ours is escaped, and
 * has the language too.
 */
function replaceXmp(doc: PDFDocument, record: DecisionRecord): void {
  const date = `${record.publishedOn}T00:00:00Z`;
  const xmp =
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">' +
    "<dc:format>application/pdf</dc:format>" +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(record.title)}</rdf:li></rdf:Alt></dc:title>` +
    (record.council
      ? `<dc:creator><rdf:Seq><rdf:li>${xmlText(record.council)}</rdf:li></rdf:Seq></dc:creator>`
      : "") +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(record.documentType)}</rdf:li></rdf:Alt></dc:description>` +
    "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>" +
    `<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>` +
    `<xmp:MetadataDate>${date}</xmp:MetadataDate><xmp:CreatorTool>Resolved</xmp:CreatorTool>` +
    "<pdf:Producer>Resolved</pdf:Producer></rdf:Description>";
  // pdfkit calls its own _addInfo when the document ends; an own property of the document wins.
  (doc as unknown as { _addInfo: () => void })._addInfo = () => doc.appendXML(xmp);
}
