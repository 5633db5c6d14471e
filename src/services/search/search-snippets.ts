import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Outcome } from "../../domain/decision-record.js";
import type { Executor } from "../../storage/database.js";
import { TSQUERY } from "./search-filters.js";
import type { TextQuery } from "./search-text.js";

/**
 * Highlighting, the database's side: which words of a title match, and which excerpt of a decision to show with
 * its matching words. Given as data (text in parts, each a match or not; whether text was left out around the
 * excerpt), never as markup: the web makes HTML of it (src/web/search-markup.ts).
 */

/** Characters of text around the first match that a snippet is cut from. */
const SNIPPET_WINDOW = 320;
const SNIPPET_BEFORE = 80;

/** A stretch of text, and whether it is one of the words searched for. */
export interface TextPart {
  text: string;
  match: boolean;
}

/**
 * An excerpt of a decision: with a text query, the stretch of it around the first match, with the matches
 * marked; without, its first words. `cutBefore` and `cutAfter` say whether text was left out at either end.
 */
export interface Excerpt {
  parts: TextPart[];
  cutBefore: boolean;
  cutAfter: boolean;
}

/** What a decision's highlighting draws on: its title and the text a snippet is cut from. */
export interface HighlightSource {
  title: string;
  outcomes: Outcome[];
  recordText?: string;
  reasonsText?: string;
}

export interface Highlights {
  title: TextPart[];
  excerpt: Excerpt;
}

/** Text with nothing in it marked (a title without a text query). */
export function plainParts(text: string): TextPart[] {
  return text === "" ? [] : [{ text, match: false }];
}

/**
 * Snippets: for each row, the window of its text around the first match (found here, by looking for the
 * query's lexemes as the starts of words), highlighted by ts_headline, so the database only ever highlights
 * SNIPPET_WINDOW characters a row, whatever the length of the record. Titles are highlighted whole. Text given to
 * ts_headline has < > & as stand-ins (see shieldText), put back as they were in the parts returned: what a
 * council wrote is shown, as text. ts_headline marks matches with random sentinels, which become the parts.
 */
export async function highlight(
  db: Executor,
  rows: readonly HighlightSource[],
  text: TextQuery,
): Promise<Highlights[]> {
  const token = randomBytes(8).toString("hex");
  const start = `rsStart${token}`;
  const stop = `rsStop${token}`;
  const headlineOptions = `StartSel=${start}, StopSel=${stop}, MaxWords=30, MinWords=12, ShortWord=3`;
  const titleOptions = `StartSel=${start}, StopSel=${stop}, HighlightAll=true`;
  const windows = rows.map((row) => {
    const full = searchableText(row.outcomes, row.recordText ?? "", row.reasonsText ?? "");
    const lower = full.toLowerCase();
    const first = snippetStart(lower, text.lexemes);
    let from = 0;
    if (first > SNIPPET_BEFORE) {
      const space = full.slice(first - SNIPPET_BEFORE, first).indexOf(" ");
      from = first - SNIPPET_BEFORE + space + 1;
    }
    return {
      window: shieldText(full.slice(from, from + SNIPPET_WINDOW)),
      atStart: from === 0,
      atEnd: from + SNIPPET_WINDOW >= full.length,
    };
  });
  // Highlighted: the words as searched for (a phrase together) where the window holds them so; else any of
  // them, wherever it appears (an OR of the query's words), as in titles.
  const anyTerm = sql`(select string_agg(quote_literal(x), ' | ') from unnest(${text.terms}::text[]) x)::tsquery`;
  const highlighted = await sql<{ i: string; h: string; th: string }>`
    select t.i::text as i,
      case when strpos(exact.h, ${start}::text) > 0 then exact.h
        else ts_headline('english'::regconfig, t.w, tq.any, ${headlineOptions}::text) end as h,
      ts_headline('english'::regconfig, t.title, tq.any, ${titleOptions}::text) as th
    from unnest(${windows.map((w) => w.window)}::text[], ${rows.map((row) => shieldText(row.title))}::text[])
      with ordinality as t(w, title, i)
    cross join (select ${TSQUERY(text.q)} as q, ${anyTerm} as any) tq
    cross join lateral (
      select ts_headline('english'::regconfig, t.w, tq.q, ${headlineOptions}::text) as h offset 0
    ) exact`.execute(db);
  const headlines = new Map(highlighted.rows.map(({ i, h, th }) => [Number(i) - 1, { h, th }]));
  return rows.map((row, index) => {
    const headline = headlines.get(index);
    return {
      title: markedParts(headline?.th ?? row.title, start, stop),
      excerpt: excerptOf(headline?.h ?? "", windows[index]!, row.outcomes, start, stop),
    };
  });
}

/**
 * The excerpt ts_headline made of a window: its parts, and whether text was left out before or after it (the
 * window did not start or end the text, or ts_headline did not show all of it); the decision's opening when
 * the headline is empty.
 */
function excerptOf(
  headline: string,
  window: { window: string; atStart: boolean; atEnd: boolean },
  outcomes: Outcome[],
  start: string,
  stop: string,
): Excerpt {
  const parts = markedParts(headline, start, stop);
  if (parts.length === 0) return openingExcerpt(outcomes);
  const text = plainText(headline, start, stop);
  const head = window.window.slice(0, 200).replace(/\s+/g, " ").trim();
  const tail = window.window.slice(-200).replace(/\s+/g, " ").trim();
  const probe = text.slice(0, 30);
  const endProbe = text.slice(-30);
  return {
    parts,
    cutBefore: !(window.atStart && head.startsWith(probe)),
    cutAfter: !(window.atEnd && tail.endsWith(endProbe)),
  };
}

/**
 * Where a snippet should start: where every word searched for appears closest together, if that fits in the
 * window (so "energy advice" is shown together, not the first "advice" on its own), else where the first of
 * them appears; -1 if none does. Words are looked for as the starts of words (their stems).
 */
function snippetStart(lower: string, lexemes: readonly string[]): number {
  const hits: { at: number; word: number }[] = [];
  lexemes.forEach((lexeme, word) => {
    for (
      let at = lower.indexOf(lexeme);
      at !== -1 && hits.length < 2000;
      at = lower.indexOf(lexeme, at + 1)
    ) {
      hits.push({ at, word });
    }
  });
  if (hits.length === 0) return -1;
  hits.sort((a, b) => a.at - b.at);
  // The shortest stretch of text holding every word (the earliest of equals), found by sliding a window over
  // the hits in order.
  const seen = new Map<number, number>();
  let best: { at: number; length: number } | null = null;
  let left = 0;
  for (const hit of hits) {
    seen.set(hit.word, (seen.get(hit.word) ?? 0) + 1);
    while (seen.size === lexemes.length) {
      const start = hits[left]!;
      const length = hit.at - start.at;
      if (best === null || length < best.length) best = { at: start.at, length };
      const n = (seen.get(start.word) ?? 1) - 1;
      if (n === 0) seen.delete(start.word);
      else seen.set(start.word, n);
      left++;
    }
  }
  return best !== null && best.length <= SNIPPET_WINDOW - SNIPPET_BEFORE ? best.at : hits[0]!.at;
}

/** The text a snippet is cut from: the decision (operative words and items), then the record and reasons. */
function searchableText(outcomes: Outcome[], record: string, reasons: string): string {
  const decision = outcomes
    .map((outcome) =>
      [outcome.kind, outcome.text, ...(outcome.items.length > 0 ? [outcome.items.join(" ")] : [])].join(" "),
    )
    .join("\n");
  return [...(outcomes.length > 0 ? [decision] : []), record, reasons].join("\n\n");
}

/** Without a text query (or nothing to show around a match): the first words of the decision. */
export function openingExcerpt(outcomes: Outcome[]): Excerpt {
  const first = outcomes[0];
  if (!first) return { parts: [], cutBefore: false, cutAfter: false };
  const words = [first.kind, first.text, ...first.items].join(" ").replace(/\s+/g, " ").trim().split(" ");
  const cut = words.length > 40;
  return { parts: plainParts(words.slice(0, 40).join(" ")), cutBefore: false, cutAfter: cut };
}

// ---------------------------------------------------------------------------------------------------------
// ts_headline's output

/**
 * Characters standing in for < > & while ts_headline works (see highlight): control characters, which no record
 * contains (any are made spaces first), which the text search parser takes for neither letters nor markup, and
 * which ts_headline passes through on every locale (private-use characters it drops, or glues to words).
 */
const SHIELD_FROM = "<>&";
const SHIELD_TO = "\u0001\u0002\u0003";
// eslint-disable-next-line no-control-regex
const SHIELDED = /[\u0001-\u0003]/g;

/** `text` as shield makes it in SQL: stand-in characters it had become spaces, then & < > become them. */
function shieldText(text: string): string {
  return text.replace(SHIELDED, " ").replace(/[<>&]/g, (c) => SHIELD_TO[SHIELD_FROM.indexOf(c)] as string);
}

/** The stand-ins made < > & again. */
function unshieldText(text: string): string {
  return text.replace(SHIELDED, (c) => SHIELD_FROM[SHIELD_TO.indexOf(c)] as string);
}

/**
 * A headline in parts: the text between the sentinels ts_headline put around matches is a match, the rest is
 * not; white space is made single spaces. Adjacent matches ("home school") stay separate parts: harmless.
 */
function markedParts(headline: string, start: string, stop: string): TextPart[] {
  const text = headline.replace(/\s+/g, " ").trim();
  const parts: TextPart[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(start, at);
    if (open === -1) {
      parts.push({ text: unshieldText(text.slice(at)), match: false });
      break;
    }
    if (open > at) parts.push({ text: unshieldText(text.slice(at, open)), match: false });
    const close = text.indexOf(stop, open + start.length);
    const end = close === -1 ? text.length : close;
    parts.push({ text: unshieldText(text.slice(open + start.length, end)), match: true });
    at = close === -1 ? text.length : close + stop.length;
  }
  return parts;
}

/** A headline without its sentinels, as plain text (with the stand-ins). */
function plainText(headline: string, start: string, stop: string): string {
  return headline.split(start).join("").split(stop).join("").replace(/\s+/g, " ").trim();
}
