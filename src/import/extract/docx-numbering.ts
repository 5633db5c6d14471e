import { formatCounter, type CounterStyle } from "./list-markers.js";
import { escapeXml, scanXmlTags } from "./xml-tags.js";

/**
 * Word auto-numbering → the markers a reader sees. A Word list item stores only a reference
 * (numId + level) into word/numbering.xml; the "a." or "3." is drawn by Word and is not in the
 * text. mammoth turns such items into <ol><li> and drops the marker, so we compute the markers
 * the way Word does (counters per list, levels restarting below the one used, the level's
 * lvlText such as "%1." or "(%2)") and write them into the paragraphs' text before mammoth runs.
 */

interface LevelDefinition {
  start: number;
  format: CounterStyle;
  /** Word's template for the marker: "%1." → "a." for a lower-letter first level. */
  text: string;
}

interface AbstractNumbering {
  levels: Map<number, LevelDefinition>;
  /** Set when the list's levels live in a numbering style (w:numStyleLink). */
  styleLink?: string;
}

interface NumberingInstance {
  abstractId: string;
  /** Levels restarted by this instance: "restart numbering" in Word makes a new w:num with these. */
  startOverrides: Map<number, number>;
  levelOverrides: Map<number, LevelDefinition>;
}

interface ParagraphStyle {
  basedOn?: string;
  numId?: string;
  ilvl?: number;
}

export interface NumberingDefinitions {
  abstracts: Map<string, AbstractNumbering>;
  nums: Map<string, NumberingInstance>;
  styles: Map<string, ParagraphStyle>;
  /** Paragraph styles tied to a list level by the level's w:pStyle (how "List Number" works). */
  levelStyles: Map<string, { abstractId: string; ilvl: number }>;
}

const FORMATS: Record<string, CounterStyle> = {
  decimal: "decimal",
  decimalZero: "decimal-zero",
  lowerLetter: "lower-alpha",
  upperLetter: "upper-alpha",
  lowerRoman: "lower-roman",
  upperRoman: "upper-roman",
  bullet: "bullet",
  none: "none",
};

function int(value: string | undefined, fallback: number): number {
  const n = Number.parseInt(value ?? "", 10);
  return Number.isFinite(n) ? n : fallback;
}

function emptyLevel(): LevelDefinition {
  return { start: 1, format: "decimal", text: "" };
}

/** Reads word/numbering.xml and word/styles.xml (either may be missing: no lists then). */
export function parseNumbering(
  numberingXml: string | undefined,
  stylesXml: string | undefined,
): NumberingDefinitions {
  const defs: NumberingDefinitions = {
    abstracts: new Map(),
    nums: new Map(),
    styles: new Map(),
    levelStyles: new Map(),
  };

  let abstractId: string | undefined;
  let abstract: AbstractNumbering | undefined;
  let num: NumberingInstance | undefined;
  let overrideLevel: number | undefined;
  let level: { ilvl: number; def: LevelDefinition } | undefined;

  for (const tag of scanXmlTags(numberingXml ?? "")) {
    const val = tag.attributes["w:val"];
    if (tag.kind === "close") {
      if (tag.name === "w:lvl" && level) {
        if (num && overrideLevel !== undefined) num.levelOverrides.set(level.ilvl, level.def);
        else abstract?.levels.set(level.ilvl, level.def);
        level = undefined;
      } else if (tag.name === "w:abstractNum") {
        abstract = undefined;
        abstractId = undefined;
      } else if (tag.name === "w:num") {
        num = undefined;
      } else if (tag.name === "w:lvlOverride") {
        overrideLevel = undefined;
      }
      continue;
    }
    switch (tag.name) {
      case "w:abstractNum":
        abstractId = tag.attributes["w:abstractNumId"] ?? "";
        abstract = { levels: new Map() };
        defs.abstracts.set(abstractId, abstract);
        break;
      case "w:numStyleLink":
        if (abstract && val !== undefined) abstract.styleLink = val;
        break;
      case "w:lvl":
        level = { ilvl: int(tag.attributes["w:ilvl"], 0), def: emptyLevel() };
        if (tag.kind === "empty") level = undefined;
        break;
      case "w:start":
        if (level) level.def.start = int(val, 1);
        break;
      case "w:numFmt":
        if (level) level.def.format = FORMATS[val ?? ""] ?? "decimal";
        break;
      case "w:lvlText":
        if (level) level.def.text = val ?? "";
        break;
      case "w:pStyle":
        if (level && abstractId !== undefined && val !== undefined && !num) {
          defs.levelStyles.set(val, { abstractId, ilvl: level.ilvl });
        }
        break;
      case "w:num":
        num = { abstractId: "", startOverrides: new Map(), levelOverrides: new Map() };
        defs.nums.set(tag.attributes["w:numId"] ?? "", num);
        break;
      case "w:abstractNumId":
        if (num && val !== undefined) num.abstractId = val;
        break;
      case "w:lvlOverride":
        overrideLevel = int(tag.attributes["w:ilvl"], 0);
        break;
      case "w:startOverride":
        if (num && overrideLevel !== undefined) num.startOverrides.set(overrideLevel, int(val, 1));
        break;
    }
  }

  // Styles: paragraph styles may carry numbering (directly or through w:basedOn), and a
  // numbering style is where a w:numStyleLink list keeps its real definition.
  let styleId: string | undefined;
  let style: ParagraphStyle | undefined;
  const path: string[] = [];
  for (const tag of scanXmlTags(stylesXml ?? "")) {
    if (tag.kind === "close") {
      path.pop();
      if (tag.name === "w:style") style = undefined;
      continue;
    }
    if (tag.name === "w:style") {
      styleId = tag.attributes["w:styleId"];
      style = {};
      if (styleId !== undefined) defs.styles.set(styleId, style);
    } else if (style) {
      const val = tag.attributes["w:val"];
      const parent = path.slice(-2).join(">");
      if (tag.name === "w:basedOn" && val !== undefined) style.basedOn = val;
      if (tag.name === "w:numId" && parent === "w:pPr>w:numPr" && val !== undefined) style.numId = val;
      if (tag.name === "w:ilvl" && parent === "w:pPr>w:numPr") style.ilvl = int(val, 0);
    }
    if (tag.kind === "open") path.push(tag.name);
  }
  return defs;
}

/** Counts list items in document order, as Word does when it draws the markers. */
export class NumberingCounter {
  /** Per abstract list: the current value of each level. */
  private readonly counters = new Map<string, Map<number, number>>();
  private readonly seenNums = new Set<string>();

  constructor(private readonly defs: NumberingDefinitions) {}

  /** The list (numId, level) a paragraph belongs to, or null when it is not numbered. */
  resolve(numId: string | undefined, ilvl: number | undefined, styleId: string | undefined) {
    if (numId !== undefined) return numId === "0" ? null : { numId, ilvl: ilvl ?? 0 };
    const seen = new Set<string>();
    for (let id = styleId; id !== undefined && !seen.has(id); id = this.defs.styles.get(id)?.basedOn) {
      seen.add(id);
      const style = this.defs.styles.get(id);
      if (style?.numId !== undefined)
        return style.numId === "0" ? null : { numId: style.numId, ilvl: ilvl ?? style.ilvl ?? 0 };
    }
    const linked = styleId === undefined ? undefined : this.defs.levelStyles.get(styleId);
    if (linked) {
      for (const [id, num] of this.defs.nums) {
        if (num.abstractId === linked.abstractId) return { numId: id, ilvl: ilvl ?? linked.ilvl };
      }
    }
    return null;
  }

  private abstractIdOf(num: NumberingInstance): string {
    // A list defined through a numbering style: follow the style to the list that holds the levels.
    const abstract = this.defs.abstracts.get(num.abstractId);
    if (abstract?.styleLink !== undefined) {
      const styleNumId = this.defs.styles.get(abstract.styleLink)?.numId;
      const target = styleNumId === undefined ? undefined : this.defs.nums.get(styleNumId);
      if (target) return target.abstractId;
    }
    return num.abstractId;
  }

  private level(num: NumberingInstance, abstractId: string, ilvl: number): LevelDefinition {
    return (
      num.levelOverrides.get(ilvl) ?? this.defs.abstracts.get(abstractId)?.levels.get(ilvl) ?? emptyLevel()
    );
  }

  /** Advances the list and returns the marker for this item ("" for a level without one). */
  next(numId: string, ilvl: number): string {
    const num = this.defs.nums.get(numId);
    if (!num) return "";
    const abstractId = this.abstractIdOf(num);
    let counters = this.counters.get(abstractId);
    if (!counters) {
      counters = new Map();
      this.counters.set(abstractId, counters);
    }
    if (!this.seenNums.has(numId)) {
      this.seenNums.add(numId);
      for (const [overridden, start] of num.startOverrides) counters.set(overridden, start - 1);
    }
    const def = this.level(num, abstractId, ilvl);
    counters.set(ilvl, (counters.get(ilvl) ?? def.start - 1) + 1);
    for (const deeper of [...counters.keys()]) if (deeper > ilvl) counters.delete(deeper);

    if (def.format === "bullet") return formatCounter(0, "bullet");
    return def.text
      .replace(/%([1-9])/g, (_, k: string) => {
        const at = Number(k) - 1;
        const levelDef = this.level(num, abstractId, at);
        return formatCounter(counters.get(at) ?? levelDef.start, levelDef.format);
      })
      .trim();
  }
}

interface ParagraphFrame {
  insertAt: number;
  depth: number;
  numId?: string;
  ilvl?: number;
  styleId?: string;
  hasText: boolean;
}

/**
 * Returns the document part with each numbered paragraph's marker written as a text run at the
 * start of the paragraph ("a. ", "2. ", "- "). The numbering properties stay, so mammoth still
 * makes a list item of it and the items stay on consecutive lines.
 */
export function addListMarkers(documentXml: string, defs: NumberingDefinitions): string {
  const counter = new NumberingCounter(defs);
  const insertions: Array<{ at: number; text: string }> = [];
  const path: string[] = [];
  const paragraphs: ParagraphFrame[] = [];

  for (const tag of scanXmlTags(documentXml)) {
    const top = paragraphs[paragraphs.length - 1];
    if (tag.kind === "close") {
      path.pop();
      if (tag.name === "w:pPr" && top && path.length === top.depth) top.insertAt = tag.end;
      if (tag.name === "w:p" && top) {
        paragraphs.pop();
        const list = counter.resolve(top.numId, top.ilvl, top.styleId);
        if (list) {
          const marker = counter.next(list.numId, list.ilvl);
          // Word draws a marker even for an empty item, but mammoth drops empty paragraphs.
          if (marker !== "" && top.hasText) insertions.push({ at: top.insertAt, text: marker });
        }
      }
      continue;
    }
    if (tag.name === "w:p" && tag.kind === "open") {
      paragraphs.push({ insertAt: tag.end, depth: path.length + 1, hasText: false });
    } else if (top) {
      // Only the paragraph's own properties count: w:pPrChange holds the pre-revision ones.
      const parent = path.slice(top.depth - 1).join(">");
      const val = tag.attributes["w:val"];
      if (parent === "w:p>w:pPr>w:numPr" && tag.name === "w:numId") top.numId = val;
      if (parent === "w:p>w:pPr>w:numPr" && tag.name === "w:ilvl") top.ilvl = int(val, 0);
      if (parent === "w:p>w:pPr" && tag.name === "w:pStyle") top.styleId = val;
      if (tag.name === "w:t" && tag.kind === "open") top.hasText = true;
    }
    if (tag.kind === "open") path.push(tag.name);
  }

  let out = "";
  let from = 0;
  for (const { at, text } of insertions.sort((a, b) => a.at - b.at)) {
    out += `${documentXml.slice(from, at)}<w:r><w:t xml:space="preserve">${escapeXml(text)} </w:t></w:r>`;
    from = at;
  }
  return out + documentXml.slice(from);
}
