import PDFDocument from "pdfkit";
import { xmlText } from "../../domain/xml-text.js";
import { pdfFonts, textWidth, type FontKey } from "./pdf-fonts.js";
import { FOOTER_SIZE } from "./pdf-geometry.js";

/**
 * A new tagged PDF as Resolved writes them (a decision record, a quarterly performance report): PDF 1.7, en-GB,
 * the title shown in the window, only our own fonts (DejaVu Sans, subset) registered as "regular" and "bold",
 * dates from the document (never the clock, so the same document gives the same bytes), and an XMP packet with
 * the title escaped (pdfkit's own would write "&" in a title as it is).
 *
 * `use(font, size)` sets the font and tells pdfkit the widths we already know: pdfkit measures each piece of text
 * twice more as it draws it (to place what would follow it), shaping it again each time.
 */
export function openTaggedPdf(meta: { title: string; subject: string; author?: string; dated: Date }): {
  doc: PDFDocument;
  use: (font: FontKey, size: number) => PDFDocument;
} {
  const doc = new PDFDocument({
    autoFirstPage: false,
    pdfVersion: "1.7",
    tagged: true,
    lang: "en-GB",
    displayTitle: true,
    // No Helvetica set up first: only our own fonts are in the file.
    font: null,
    info: {
      Title: meta.title,
      ...(meta.author && { Author: meta.author }),
      Subject: meta.subject,
      Creator: "Resolved",
      Producer: "Resolved",
      CreationDate: meta.dated,
      ModDate: meta.dated,
    },
  });
  const date = meta.dated.toISOString().replace(/\.\d{3}Z$/, "Z");
  const xmp =
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">' +
    "<dc:format>application/pdf</dc:format>" +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(meta.title)}</rdf:li></rdf:Alt></dc:title>` +
    (meta.author
      ? `<dc:creator><rdf:Seq><rdf:li>${xmlText(meta.author)}</rdf:li></rdf:Seq></dc:creator>`
      : "") +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(meta.subject)}</rdf:li></rdf:Alt></dc:description>` +
    "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li></rdf:Bag></dc:language>" +
    `<xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate>` +
    `<xmp:MetadataDate>${date}</xmp:MetadataDate><xmp:CreatorTool>Resolved</xmp:CreatorTool>` +
    "<pdf:Producer>Resolved</pdf:Producer></rdf:Description>";
  // pdfkit calls its own _addInfo when the document ends; an own property of the document wins.
  (doc as unknown as { _addInfo: () => void })._addInfo = () => doc.appendXML(xmp);

  const fonts = pdfFonts();
  doc.registerFont("regular", fonts.regular.font);
  doc.registerFont("bold", fonts.bold.font);
  let drawing: { font: FontKey; size: number } = { font: "regular", size: FOOTER_SIZE };
  doc.widthOfString = (text, options) =>
    (textWidth(text, drawing.font, drawing.size) * (options?.horizontalScaling ?? 100)) / 100;
  const use = (font: FontKey, size: number) => {
    drawing = { font, size };
    return doc.font(font, size);
  };
  return { doc, use };
}
