import type { SourceLine } from "../document-lines.js";

/** A label a layout reads, e.g. "Decision Maker" or "Is Key decision?", and the field it fills. */
export interface LabelSpec<K extends string> {
  key: K;
  /** Matched against the label lower-cased, spaces collapsed, dashes plain, without a trailing "?" or ":". */
  pattern: RegExp;
}

/** One "Label: value" found in the text: the value may be on the label's line, the lines below, or both. */
export interface LabelledField<K extends string> {
  key: K;
  /** The label as printed ("Is subject to call in?"), for warnings. */
  label: string;
  labelLine: number;
  /** The value's lines up to the next label, the label's own remainder first (with the label's number). */
  lines: SourceLine[];
}

export interface LabelledText<K extends string> {
  /** The lines above the first label (a page's headings and title). */
  before: SourceLine[];
  fields: LabelledField<K>[];
}

/** The label a line starts with, if it is one of `specs`: "Decision Maker: Cabinet", "Is Key decision? Yes", "Purpose". */
export function matchLabel<K extends string>(
  text: string,
  specs: readonly LabelSpec<K>[],
): { key: K; label: string; rest: string } | null {
  // The label ends at the first colon, or at a question mark, or is the whole line; a long prefix is prose.
  const candidates: Array<[string, string]> = [];
  const colon = text.indexOf(":");
  if (colon > 0 && colon <= 80) candidates.push([text.slice(0, colon), text.slice(colon + 1)]);
  const question = text.indexOf("?");
  if (question > 0 && question <= 80)
    candidates.push([text.slice(0, question + 1), text.slice(question + 1)]);
  if (text.length <= 80) candidates.push([text, ""]);
  for (const [label, rest] of candidates) {
    const normalised = normaliseLabel(label);
    const spec = specs.find((s) => s.pattern.test(normalised));
    if (spec) return { key: spec.key, label: label.trim(), rest: rest.replace(/^\s*:?\s*/, "").trim() };
  }
  return null;
}

export function normaliseLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[‐‑‒–—]/g, "-")
    .replace(/\s+/g, " ")
    .replace(/(?<![\s?:.])[\s?:.]+$/, "")
    .trim();
}

/**
 * Splits lines into labelled fields, in document order: each label's value runs to the next label. Labels
 * repeat as printed (callers choose between repeats); lines above the first label are returned apart.
 */
export function readLabelledFields<K extends string>(
  lines: readonly SourceLine[],
  specs: readonly LabelSpec<K>[],
): LabelledText<K> {
  const before: SourceLine[] = [];
  const fields: LabelledField<K>[] = [];
  for (const line of lines) {
    const label = line.text === "" ? null : matchLabel(line.text, specs);
    if (label) {
      const value = label.rest === "" ? [] : [{ text: label.rest, line: line.line }];
      fields.push({ key: label.key, label: label.label, labelLine: line.line, lines: value });
    } else if (fields.length > 0) {
      fields[fields.length - 1]!.lines.push(line);
    } else {
      before.push(line);
    }
  }
  for (const field of fields) field.lines = trimBlankLines(field.lines);
  return { before, fields };
}

export function trimBlankLines(lines: readonly SourceLine[]): SourceLine[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.text === "") start++;
  while (end > start && lines[end - 1]!.text === "") end--;
  return lines.slice(start, end);
}

/** A one-line value ("Cabinet", "Yes", "10/09/2024 - Cabinet"), however a paste wrapped it. */
export function flatValue(lines: readonly SourceLine[]): string {
  return lines
    .map((l) => l.text)
    .filter((t) => t !== "")
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
}
