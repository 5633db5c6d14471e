import type { PDFStructureContent, PDFStructureElement } from "pdfkit";
import type { DecisionRecord } from "../../domain/decision-record.js";
import { FOOTER_BASELINE, FOOTER_SIZE, PAGE_HEIGHT, PAGE_WIDTH } from "./pdf-geometry.js";
import type { StructNode } from "./pdf-lines.js";
import { footerLine, type Layout } from "./pdf-pages.js";
import { openTaggedPdf } from "./pdf-document.js";

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
  const { doc, use } = openTaggedPdf({
    title: record.title,
    subject: record.documentType,
    ...(record.council && { author: record.council }),
    dated: new Date(`${record.publishedOn}T00:00:00Z`),
  });

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
