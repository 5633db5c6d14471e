import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { readTrueTypeTables, TrueTypeSubset } from "../../../src/import/render/ttf-subset.js";

interface Glyph {
  id: number;
  advanceWidth: number;
  path: { toSVG(): string };
}
interface Font {
  numGlyphs: number;
  glyphForCodePoint(codePoint: number): Glyph;
  getGlyph(id: number): Glyph;
}

const require = createRequire(import.meta.url);
// The fontkit pdfkit uses, reading the subset back as a PDF reader would.
const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as { create(data: Uint8Array): Font };

describe.each(["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])("a subset of %s", (file) => {
  const bytes = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
  const original = fontkit.create(bytes);
  const tables = readTrueTypeTables(bytes);
  // Welsh, Polish, Irish, Greek and Cyrillic letters: many are compound glyphs (a letter and an accent).
  const text = "Gŵyl Dewi Ynys Môn Llŷr Łódź Zażółć gęślą jaźń Seán Ó Briain Σοφία Олександр £1.2m – “≥”";

  it("has every glyph it was asked for with the original's outline and advance", () => {
    const subset = new TrueTypeSubset(tables);
    const asked = [
      ...new Set(Array.from(text, (char) => original.glyphForCodePoint(char.codePointAt(0)!).id)),
    ];
    const newIds = asked.map((id) => subset.includeGlyph(id));
    const read = fontkit.create(subset.encode());
    expect(read.numGlyphs).toBeGreaterThanOrEqual(asked.length + 1);
    asked.forEach((id, i) => {
      const before = original.getGlyph(id);
      const after = read.getGlyph(newIds[i]!);
      expect(after.path.toSVG(), `glyph ${id}`).toBe(before.path.toSVG());
      expect(after.advanceWidth, `glyph ${id}`).toBe(before.advanceWidth);
    });
    expect(asked.some((id) => original.getGlyph(id).path.toSVG() === "")).toBe(true); // the space
    // Compound glyphs (numberOfContours < 0) are among them, so their components were carried over too.
    const contours = (id: number) =>
      tables.loca[id + 1]! > tables.loca[id]!
        ? new DataView(tables.glyf.buffer, tables.glyf.byteOffset + tables.loca[id]!).getInt16(0)
        : 0;
    expect(asked.filter((id) => contours(id) < 0).length).toBeGreaterThan(3);
  });

  it("numbers glyphs in the order they are first asked for, .notdef first, and again the same", () => {
    const subset = new TrueTypeSubset(tables);
    const a = original.glyphForCodePoint("ŵ".codePointAt(0)!).id;
    const b = original.glyphForCodePoint("Ł".codePointAt(0)!).id;
    expect([subset.includeGlyph(a), subset.includeGlyph(b), subset.includeGlyph(a)]).toEqual([1, 2, 1]);
    const again = new TrueTypeSubset(tables);
    again.includeGlyph(a);
    again.includeGlyph(b);
    expect(again.encode()).toEqual(subset.encode());
  });
});
