import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { FontkitFont, FontkitGlyphRun } from "pdfkit";
import { readTrueTypeTables, TrueTypeSubset, type TrueTypeTables } from "./ttf-subset.js";

/**
 * The PDF's fonts: DejaVu Sans and DejaVu Sans Bold, open fonts with Latin (Welsh, Irish, Polish …),
 * Greek and Cyrillic, embedded (subset) in every PDF so any reader shows the record's own letters.
 * They are not CJK fonts: characters they lack are printed as `printable` says.
 *
 * Reading and parsing a 700 KB font for every PDF would cost more than the rest of the render, so
 * each font is parsed once per process with fontkit (pdfkit's own font engine, which pdfkit takes
 * ready-parsed), the shaping of each word is kept (pdfkit lays text out a word at a time, and the
 * words of decision records repeat), and the font gives pdfkit a faster subset (ttf-subset.ts).
 */

export type FontKey = "regular" | "bold";

const FILES: Record<FontKey, string> = {
  regular: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
};

/** Words kept per font before the memory is cleared: a few MB at most in a long-running server. */
const MAX_KEPT_WORDS = 20_000;

export interface PdfFont {
  /** The parsed font, for pdfkit: shaping memoised per word. */
  readonly font: FontkitFont;
  /** Advance width (1/1000 em) of a word as pdfkit lays it out. */
  advance(word: string): number;
  has(char: string): boolean;
}

let loaded: Record<FontKey, PdfFont> | undefined;

/** The fonts, loaded on first use. Resolved as packages, so the same code runs from src and from dist. */
export function pdfFonts(): Record<FontKey, PdfFont> {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    // pdfkit's own fontkit, resolved from pdfkit's folder: the engine pdfkit was built against.
    const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as {
      create(data: Uint8Array): FontkitFont;
    };
    const open = (key: FontKey) => {
      const file = readFileSync(require.resolve(FILES[key]));
      return memoised(fontkit.create(file), readTrueTypeTables(file));
    };
    loaded = { regular: open("regular"), bold: open("bold") };
  }
  return loaded;
}

/**
 * The font with its `layout` memoised for plain text (no OpenType features asked for, which is how
 * pdfkit calls it). pdfkit scales the positions of the run it gets in place, so each call gets its
 * own copy of the positions; the glyphs are shared and never changed.
 */
function memoised(font: FontkitFont, tables: TrueTypeTables): PdfFont {
  const runs = new Map<string, FontkitGlyphRun>();
  const advances = new Map<string, number>();
  const glyphs = new Map<string, boolean>();
  const scale = 1000 / font.unitsPerEm;
  const shaped = (text: string): FontkitGlyphRun => {
    let run = runs.get(text);
    if (!run) {
      if (runs.size >= MAX_KEPT_WORDS) runs.clear();
      run = font.layout(text);
      runs.set(text, run);
    }
    return run;
  };
  const wrapped = Object.create(font, {
    createSubset: { value: () => new TrueTypeSubset(tables) },
    layout: {
      value(text: string, features?: unknown): FontkitGlyphRun {
        if (features !== undefined) return font.layout(text, features);
        const run = shaped(text);
        const positions = run.positions.map((p) => ({
          xAdvance: p.xAdvance,
          yAdvance: p.yAdvance,
          xOffset: p.xOffset,
          yOffset: p.yOffset,
        }));
        return {
          glyphs: run.glyphs,
          positions,
          get advanceWidth() {
            return positions.reduce((w, p) => w + p.xAdvance, 0);
          },
        };
      },
    },
  }) as FontkitFont;
  return {
    font: wrapped,
    advance(word) {
      let width = advances.get(word);
      if (width === undefined) {
        if (advances.size >= MAX_KEPT_WORDS) advances.clear();
        width = shaped(word).positions.reduce((w, p) => w + p.xAdvance, 0) * scale;
        advances.set(word, width);
      }
      return width;
    },
    has(char) {
      let has = glyphs.get(char);
      if (has === undefined) {
        has = font.hasGlyphForCodePoint(char.codePointAt(0)!);
        glyphs.set(char, has);
      }
      return has;
    },
  };
}

// pdfkit shapes text in pieces that each end after a space or tab ("the ", "council ", "report").
const LAYOUT_PIECE = /[^ \t]*[ \t]|[^ \t]+/g;

/** Width in points of text as pdfkit lays it out (with the font's kerning inside each word). */
export function textWidth(text: string, font: FontKey, size: number): number {
  const f = pdfFonts()[font];
  if (!/[ \t]/.test(text)) return (f.advance(text) * size) / 1000;
  let units = 0;
  for (const piece of text.match(LAYOUT_PIECE) ?? []) units += f.advance(piece);
  return (units * size) / 1000;
}

/** Characters with a faithful stand-in that the importer would read back the same way. */
const STAND_INS: Record<string, string> = {
  "\u00a0": " ",
  "\u2007": " ",
  "\u202f": " ",
  "\t": " ",
};

/**
 * The text as the fonts can show it: every character both fonts have as it is, spaces of other
 * kinds as spaces (our importer reads them so anyway), invisible characters dropped; a character
 * the fonts lack (Chinese, Japanese, Korean …) without its accents if that is enough, else "?".
 */
export function printable(text: string): string {
  // Both fonts have every printable ASCII character.
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const { regular, bold } = pdfFonts();
  let out = "";
  for (const char of text.replace(/[\u00ad\u200b\ufeff]/g, "")) {
    if (STAND_INS[char] !== undefined) out += STAND_INS[char];
    else if (regular.has(char) && bold.has(char)) out += char;
    else {
      const plain = char.normalize("NFKD").replace(/\p{M}/gu, "");
      out += plain !== "" && [...plain].every((c) => regular.has(c) && bold.has(c)) ? plain : "?";
    }
  }
  return out;
}
