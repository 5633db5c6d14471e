/**
 * A TrueType subset for pdfkit: the glyphs a PDF uses, copied byte for byte from the font, with the
 * tables a PDF reader needs (head, hhea, maxp, loca, glyf, hmtx and the hinting tables cvt, fpgm,
 * prep), as fontkit's own subset makes them. pdfkit asks the font for its subset through fontkit's
 * Subset interface (`includeGlyph`, `encode`), so this one stands in for fontkit's.
 *
 * Why not fontkit's: it decodes every glyph's outline and re-encodes every table through its
 * generic structure codec, which took 2–3 ms a font for each PDF, more than the rest of the PDF.
 * Here the font's tables are read once per process and a subset is a copy of byte ranges.
 */

const COMPOUND_MORE_COMPONENTS = 0x0020;
const COMPOUND_ARGS_ARE_WORDS = 0x0001;
const COMPOUND_HAS_SCALE = 0x0008;
const COMPOUND_HAS_XY_SCALE = 0x0040;
const COMPOUND_HAS_2X2 = 0x0080;

/** The parts of a TrueType font a subset is made of, read once. */
export interface TrueTypeTables {
  head: Uint8Array;
  hhea: Uint8Array;
  maxp: Uint8Array;
  /** Hinting tables, copied whole (their instructions refer to no glyph ids). */
  hinting: Map<string, Uint8Array>;
  glyf: Uint8Array;
  /** Glyph g's outline is glyf[loca[g] .. loca[g + 1]). */
  loca: Uint32Array;
  advances: Uint16Array;
  bearings: Int16Array;
}

export function readTrueTypeTables(file: Uint8Array): TrueTypeTables {
  // A plain view, not a Buffer: Buffer's slice() shares memory, and glyphs are copied with slice().
  const font = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = new Map<string, Uint8Array>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(at, at + 4));
    const offset = view.getUint32(at + 8);
    tables.set(tag, font.subarray(offset, offset + view.getUint32(at + 12)));
  }
  const table = (tag: string) => {
    const bytes = tables.get(tag);
    if (!bytes) throw new Error(`the font has no ${tag} table`);
    return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  };
  const head = table("head");
  const hhea = table("hhea");
  const maxp = table("maxp");
  const loca = table("loca");
  const hmtx = table("hmtx");
  const glyphs = maxp.view.getUint16(4);
  const longOffsets = head.view.getInt16(50) === 1;
  const offsets = new Uint32Array(glyphs + 1);
  for (let g = 0; g <= glyphs; g++) {
    offsets[g] = longOffsets ? loca.view.getUint32(4 * g) : 2 * loca.view.getUint16(2 * g);
  }
  const metrics = hhea.view.getUint16(34);
  const advances = new Uint16Array(glyphs);
  const bearings = new Int16Array(glyphs);
  for (let g = 0; g < glyphs; g++) {
    const long = Math.min(g, metrics - 1);
    advances[g] = hmtx.view.getUint16(4 * long);
    bearings[g] =
      g < metrics ? hmtx.view.getInt16(4 * g + 2) : hmtx.view.getInt16(4 * metrics + 2 * (g - metrics));
  }
  const hinting = new Map<string, Uint8Array>();
  for (const tag of ["cvt ", "fpgm", "prep"]) {
    const bytes = tables.get(tag);
    if (bytes) hinting.set(tag, bytes);
  }
  return {
    head: head.bytes,
    hhea: hhea.bytes,
    maxp: maxp.bytes,
    hinting,
    glyf: table("glyf").bytes,
    loca: offsets,
    advances,
    bearings,
  };
}

/** fontkit's Subset interface, as pdfkit uses it: glyphs numbered in the order they are first asked for. */
export class TrueTypeSubset {
  /** Original glyph ids by new id; glyph 0 (.notdef) stays first. */
  private readonly glyphs: number[] = [0];
  private readonly ids = new Map<number, number>([[0, 0]]);

  constructor(private readonly font: TrueTypeTables) {}

  includeGlyph(glyph: number): number {
    let id = this.ids.get(glyph);
    if (id === undefined) {
      id = this.glyphs.length;
      this.glyphs.push(glyph);
      this.ids.set(glyph, id);
    }
    return id;
  }

  encode(): Uint8Array {
    const { font } = this;
    const outlines: Uint8Array[] = [];
    // Compound glyphs add their components as they are copied, so the list may grow on the way.
    for (let i = 0; i < this.glyphs.length; i++) outlines.push(this.outline(this.glyphs[i]!));
    const count = this.glyphs.length;

    const loca = new DataView(new ArrayBuffer(4 * (count + 1)));
    let offset = 0;
    outlines.forEach((outline, i) => {
      loca.setUint32(4 * i, offset);
      offset += padded(outline.length);
    });
    loca.setUint32(4 * count, offset);
    const glyf = new Uint8Array(offset);
    let at = 0;
    for (const outline of outlines) {
      glyf.set(outline, at);
      at += padded(outline.length);
    }
    const hmtx = new DataView(new ArrayBuffer(4 * count));
    this.glyphs.forEach((g, i) => {
      hmtx.setUint16(4 * i, font.advances[g]!);
      hmtx.setInt16(4 * i + 2, font.bearings[g]!);
    });
    const head = copy(font.head);
    head.view.setUint32(8, 0); // checkSumAdjustment, set below
    head.view.setInt16(50, 1); // long loca offsets
    const hhea = copy(font.hhea);
    hhea.view.setUint16(34, count);
    const maxp = copy(font.maxp);
    maxp.view.setUint16(4, count);

    const tables = new Map<string, Uint8Array>([
      ...font.hinting,
      ["glyf", glyf],
      ["head", head.bytes],
      ["hhea", hhea.bytes],
      ["hmtx", bytesOf(hmtx)],
      ["loca", bytesOf(loca)],
      ["maxp", maxp.bytes],
    ]);
    const file = writeSfnt(tables);
    const headAt = tableOffset(file, "head");
    new DataView(file.buffer).setUint32(headAt + 8, (0xb1b0afba - checksum(file)) >>> 0);
    return file;
  }

  /** A glyph's outline; a compound glyph's components are renumbered as glyphs of the subset. */
  private outline(glyph: number): Uint8Array {
    const { glyf, loca } = this.font;
    const source = glyf.subarray(loca[glyph]!, loca[glyph + 1]!);
    if (source.length < 10) return source;
    const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
    if (view.getInt16(0) >= 0) return source;
    const outline = source.slice();
    const out = new DataView(outline.buffer);
    let at = 10;
    for (;;) {
      const flags = out.getUint16(at);
      out.setUint16(at + 2, this.includeGlyph(out.getUint16(at + 2)));
      at += 4 + (flags & COMPOUND_ARGS_ARE_WORDS ? 4 : 2);
      if (flags & COMPOUND_HAS_SCALE) at += 2;
      else if (flags & COMPOUND_HAS_XY_SCALE) at += 4;
      else if (flags & COMPOUND_HAS_2X2) at += 8;
      if (!(flags & COMPOUND_MORE_COMPONENTS)) return outline;
    }
  }
}

function padded(length: number): number {
  return (length + 3) & ~3;
}

function copy(bytes: Uint8Array): { bytes: Uint8Array; view: DataView } {
  const own = bytes.slice();
  return { bytes: own, view: new DataView(own.buffer) };
}

function bytesOf(view: DataView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function checksum(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sum = 0;
  const whole = bytes.length & ~3;
  for (let i = 0; i < whole; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  if (whole < bytes.length) {
    const tail = new Uint8Array(4);
    tail.set(bytes.subarray(whole));
    sum = (sum + new DataView(tail.buffer).getUint32(0)) >>> 0;
  }
  return sum;
}

/** An sfnt file of the tables, in tag order, each on a 4-byte boundary, with their checksums. */
function writeSfnt(tables: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const tags = [...tables.keys()].sort();
  const headerLength = 12 + 16 * tags.length;
  const length = tags.reduce((n, tag) => n + padded(tables.get(tag)!.length), headerLength);
  const file = new Uint8Array(length);
  const view = new DataView(file.buffer);
  const power = 2 ** Math.floor(Math.log2(tags.length));
  view.setUint32(0, 0x00010000);
  view.setUint16(4, tags.length);
  view.setUint16(6, power * 16);
  view.setUint16(8, Math.log2(power));
  view.setUint16(10, tags.length * 16 - power * 16);
  let offset = headerLength;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const record = 12 + 16 * i;
    for (let c = 0; c < 4; c++) view.setUint8(record + c, tag.charCodeAt(c));
    view.setUint32(record + 4, checksum(data));
    view.setUint32(record + 8, offset);
    view.setUint32(record + 12, data.length);
    file.set(data, offset);
    offset += padded(data.length);
  });
  return file;
}

function tableOffset(file: Uint8Array, tag: string): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let i = 0; i < view.getUint16(4); i++) {
    const record = 12 + 16 * i;
    if (String.fromCharCode(...file.subarray(record, record + 4)) === tag) return view.getUint32(record + 8);
  }
  throw new Error(`no ${tag} table`);
}
