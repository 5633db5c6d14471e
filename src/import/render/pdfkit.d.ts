/**
 * The part of pdfkit 0.20 (and of fontkit, its font engine) that the PDF renderer uses. pdfkit ships
 * no types, and @types/pdfkit lags behind it, so these are written from pdfkit's source.
 */
declare module "pdfkit" {
  import { Readable } from "node:stream";

  export interface FontkitGlyph {
    id: number;
    advanceWidth: number;
    codePoints: number[];
  }

  export interface FontkitGlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }

  export interface FontkitGlyphRun {
    glyphs: FontkitGlyph[];
    positions: FontkitGlyphPosition[];
    readonly advanceWidth: number;
  }

  /** A parsed font (fontkit's TTFFont); pdfkit takes one in place of a font file. */
  export interface FontkitFont {
    unitsPerEm: number;
    layout(text: string, features?: unknown): FontkitGlyphRun;
    hasGlyphForCodePoint(codePoint: number): boolean;
  }

  export interface PDFDocumentOptions {
    size?: string | [number, number];
    margin?: number;
    autoFirstPage?: boolean;
    pdfVersion?: "1.3" | "1.4" | "1.5" | "1.6" | "1.7";
    tagged?: boolean;
    lang?: string;
    displayTitle?: boolean;
    /** The font set up at the start; null for none (pdfkit would otherwise load Helvetica). */
    font?: string | null;
    info?: Record<string, string | Date>;
    compress?: boolean;
  }

  export interface TextOptions {
    lineBreak?: boolean;
    baseline?: "alphabetic" | "top" | "bottom" | "middle" | number;
    /** Percent of the glyphs' width (PDF operator Tz). */
    horizontalScaling?: number;
  }

  /** A marked-content sequence of a page, owned by a structure element. */
  export interface PDFStructureContent {
    readonly refs: ReadonlyArray<{ mcid: number }>;
  }

  export interface PDFStructureElement {
    /** The element's dictionary; its `data` may take more entries (e.g. /A attributes) until it ends. */
    readonly dictionary: { data: Record<string, unknown> };
    add(child: PDFStructureElement | PDFStructureContent): this;
    end(): void;
  }

  export default class PDFDocument extends Readable {
    constructor(options?: PDFDocumentOptions);
    info: Record<string, string | Date>;
    addPage(options?: { size?: string | [number, number]; margin?: number }): this;
    registerFont(name: string, src: Uint8Array | FontkitFont): this;
    font(src: string | Uint8Array | FontkitFont, size?: number): this;
    fontSize(size: number): this;
    /** Width in points of text in the current font and size. */
    widthOfString(text: string, options?: { horizontalScaling?: number }): number;
    text(text: string, x: number, y: number, options?: TextOptions): this;
    /** At the current position, wrapped to the page margins (pdfkit lays out the lines). */
    text(text: string, options?: TextOptions): this;
    struct(type: string, options?: { title?: string; lang?: string; alt?: string }): PDFStructureElement;
    addStructure(element: PDFStructureElement): this;
    markContent(tag: string, options?: { type?: string; attached?: string[] }): this;
    markStructureContent(tag: string): PDFStructureContent;
    endMarkedContent(): this;
    // Vector graphics (the quarterly report's trend charts).
    save(): this;
    restore(): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    circle(x: number, y: number, radius: number): this;
    lineWidth(width: number): this;
    lineCap(cap: "butt" | "round" | "square"): this;
    lineJoin(join: "miter" | "round" | "bevel"): this;
    dash(length: number, options?: { space?: number }): this;
    undash(): this;
    strokeColor(color: string): this;
    fillColor(color: string): this;
    stroke(): this;
    fill(color?: string): this;
    /** Adds XML to the document's XMP metadata packet. */
    appendXML(xml: string, newline?: boolean): void;
    end(): void;
  }
}
