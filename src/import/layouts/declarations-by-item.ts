import type { SourceLine } from "../document-lines.js";

/** What the attribution needs of an item, whatever layout found it. */
export interface ItemLike {
  number: string;
  recordId: string | null;
  title: string | null;
  procedural: boolean;
  /** The item's text: for the "Declarations of Interest" item, the declarations. */
  lines: readonly SourceLine[];
}

/** Declarations under "Declarations of Interest" that name items ("in item CAB/43/25", "in minute 57"). */
export function attributedDeclarations<T extends ItemLike>(
  items: readonly T[],
): Map<T, { sentences: string[]; line: number }> {
  const out = new Map<T, { sentences: string[]; line: number }>();
  for (const declarations of items.filter((i) => i.procedural && /interest/i.test(i.title ?? ""))) {
    // Labels ("Minutes:") and the agenda's wording ("To receive any declarations ...") are not declarations.
    const lines = declarations.lines.filter((l) => l.text !== "" && !/^[A-Z][\w ]{0,30}:$/.test(l.text));
    const paragraph = lines
      .map((l) => l.text)
      .join(" ")
      .replace(/\s+/g, " ")
      .trim();
    const sentences = paragraph
      .split(/(?<=[.;])\s+(?=[A-Z])/)
      .filter((s) => !/^to (?:receive|note)\b/i.test(s));
    for (const sentence of sentences) {
      const opening = sentence.slice(0, 24);
      const line = (lines.find((l) => l.text.includes(opening)) ?? lines[0])!.line;
      if (!/\bdeclared\b|\binterest\b/i.test(sentence)) continue;
      for (const target of items) {
        if (target === declarations) continue;
        const ref = target.recordId ?? target.number;
        const named = new RegExp(
          `\\b(?:item|minute|agenda item)s?\\s+(?:no\\.?\\s*)?(?:[\\w/]+(?:,\\s*|\\s+and\\s+))*${ref.replace(/[/.]/g, "\\$&")}(?![\\w/])`,
          "i",
        );
        const byTitle = target.title !== null && target.title.length > 8 && sentence.includes(target.title);
        if (!named.test(sentence) && !byTitle) continue;
        const found = out.get(target) ?? { sentences: [], line };
        found.sentences.push(sentence);
        out.set(target, found);
      }
    }
  }
  return out;
}
