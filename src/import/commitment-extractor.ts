import {
  nextQuarterAfter,
  quarterAfterMonths,
  quarterOfMonth,
  quarterOfNewYear,
  quarterOfNextMonth,
  reportedQuarter,
  type DueConfidence,
} from "../domain/commitment-due.js";
import type { DecisionRecord } from "../domain/decision-record.js";
import { compareQuarters, quarterOf, type FinancialQuarter } from "../domain/financial-period.js";
import type { IsoDate } from "../domain/iso-date.js";
import { MONTH_NAMES } from "../domain/uk-time.js";

/**
 * Commitments in a decision record: what the record says will come next, and when. Two shapes are read:
 *
 * - a list introduced by a sentence that names a period and ends with a colon ("The next quarter would see:"):
 *   each item is one commitment, due in that period;
 * - a single sentence (in section 2, or an outcome) that looks forward and names when: "A report to Cabinet in
 *   December", "Officers will report back in six months", "... by March 2018", "... in the new year".
 *
 * "The next quarter" is the quarter after the one the record reports on (a title naming a quarter, "Performance
 * Update Q2 (July - Sept)", gives it; otherwise the meeting's own quarter), and never one over by the meeting. Dates are counted from the meeting
 * (src/domain/commitment-due.ts). Only commitments due no earlier than the meeting's quarter are kept: "agreed by
 * Cabinet in June 2017" is history, not a promise.
 */

export interface ExtractedCommitment {
  /** As written, without its list marker ("a.") or the list's introduction. */
  text: string;
  due: FinancialQuarter;
  /** The words the due quarter was worked out from, as written ("The next quarter would see", "in six months"). */
  duePhrase: string;
  confidence: DueConfidence;
}

export type CommitmentSource = Pick<DecisionRecord, "title" | "meetingDate" | "record" | "outcomes">;

// Capitalised only: "may" the verb is not May the month.
const MONTH = `(${MONTH_NAMES.join("|")}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)`;
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  eighteen: 18,
  "twenty-four": 24,
};
const QUARTER_WORDS: Record<string, FinancialQuarter["quarter"]> = { one: 1, two: 2, three: 3, four: 4 };

/** Words that make a sentence a promise rather than a report of the past. */
const FORWARD =
  /\b(will|would|shall|should|to be|be (?:brought|presented|submitted|reported|considered|received|provided)|report(?:ing)? back|come back|further report|next quarter)\b/i;
/**
 * A single sentence is a commitment only when it also promises something coming back to be considered, which a
 * later decision can fulfil: "permits would be checked from June" describes a scheme, "a report would be
 * brought back in six months" is a commitment.
 */
const COMING_BACK =
  /\b(reports?|reported|reporting|updates?|review(?:ed)?|consider(?:ed|ation)?|brought|present(?:ed)?|submit(?:ted)?|come back|return(?:ed)?|feedback|proposals?)\b/i;
/** A list item: "a. ...", "(b) ...", "1. ...", "- ...", "- a. ...". */
const LIST_ITEM = /^\s*(?:[-•*–]\s*)?(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s+)?/i;
const IS_LIST_ITEM = /^\s*(?:[-•*–]\s+|\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s+)/i;

function monthNumber(name: string): number {
  const index = MONTH_NAMES.findIndex((m) => m.slice(0, 3) === name.slice(0, 3));
  return index + 1;
}

interface DueReading {
  due: FinancialQuarter;
  phrase: string;
  confidence: DueConfidence;
}

interface Context {
  meetingDate: IsoDate;
  /** The quarter the record reports on (from its title), or the meeting's quarter. */
  reported: FinancialQuarter;
}

/** The first way of saying "when" found in `text`, read against the meeting; most precise patterns first. */
export function readDuePhrase(text: string, context: Context): DueReading | null {
  const readers: ((t: string) => DueReading | null)[] = [
    (t) => {
      const m = /\b(?:the\s+)?(?:next|coming|following)\s+quarter\b/i.exec(t);
      return m
        ? { due: nextQuarterAfter(context.reported, context.meetingDate), phrase: m[0], confidence: "high" }
        : null;
    },
    (t) => {
      const m = /\b(\d{4})[-/](\d{2})\s*Q([1-4])\b|\bQ([1-4])\s*(?:of\s+)?(\d{4})[-/](\d{2})\b/i.exec(t);
      if (!m) return null;
      const startYear = Number(m[1] ?? m[5]);
      const quarter = Number(m[3] ?? m[4]) as FinancialQuarter["quarter"];
      return { due: { startYear, quarter }, phrase: m[0], confidence: "high" };
    },
    (t) => {
      const m = new RegExp(
        `\\b(?:(?:by|in|during|before|until|for|from|at)\\s+(?:the\\s+end\\s+of\\s+)?)?${MONTH}\\s+(\\d{4})\\b`,
      ).exec(t);
      if (!m) return null;
      return {
        due: quarterOfMonth(monthNumber(m[1]!), Number(m[2])),
        phrase: m[0],
        confidence: "high",
      };
    },
    (t) => {
      const m =
        /\b(in|within|after|over)\s+(?:the\s+next\s+)?(\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)\s+(months?|years?)((?:['’]s?)?\s+time)?\b/i.exec(
          t,
        );
      if (!m) return null;
      // "twelve visits in a year" is a rate, not a date; "in a year's time" and "within a year" are dates.
      if (m[2]!.toLowerCase() === "a" && m[1]!.toLowerCase() === "in" && m[4] === undefined) return null;
      const count = /^\d+$/.test(m[2]!) ? Number(m[2]) : NUMBER_WORDS[m[2]!.toLowerCase()]!;
      const months = /^year/i.test(m[3]!) ? count * 12 : count;
      if (months < 1 || months > 60) return null;
      return { due: quarterAfterMonths(context.meetingDate, months), phrase: m[0], confidence: "medium" };
    },
    (t) => {
      const m = /\b(?:in|by|during|early in|early)\s+the\s+new\s+year\b/i.exec(t);
      return m ? { due: quarterOfNewYear(context.meetingDate), phrase: m[0], confidence: "low" } : null;
    },
    (t) => {
      // A month without a year: the next such month from the meeting.
      const m = new RegExp(
        `\\b(?:[Ii]n|[Bb]y|[Dd]uring|[Bb]efore|[Uu]ntil|[Aa]t\\s+the\\s+end\\s+of|[Ff]or)\\s+${MONTH}\\b`,
      ).exec(t);
      if (!m) return null;
      return {
        due: quarterOfNextMonth(monthNumber(m[1]!), context.meetingDate),
        phrase: m[0],
        confidence: "medium",
      };
    },
    (t) => {
      const m = /\bnext\s+year\b/i.exec(t);
      return m ? { due: quarterAfterMonths(context.meetingDate, 12), phrase: m[0], confidence: "low" } : null;
    },
  ];
  for (const read of readers) {
    const reading = read(text);
    if (reading) return reading;
  }
  return null;
}

/** The quarter a record reports on, when its title names one ("Q2", "Quarter 2", "Quarter Two 2017/18"). */
export function titleQuarter(title: string, meetingDate: IsoDate): FinancialQuarter | null {
  const m = /\b(?:Q([1-4])|Quarter\s+([1-4]|one|two|three|four))\b/i.exec(title);
  if (!m) return null;
  const quarter = (m[1] ? Number(m[1]) : (Number(m[2]) || QUARTER_WORDS[m[2]!.toLowerCase()])!) as
    1 | 2 | 3 | 4;
  const year = /\b(20\d{2})[-/](\d{2})\b/.exec(title);
  if (year && (Number(year[1]) + 1) % 100 === Number(year[2])) return { startYear: Number(year[1]), quarter };
  return reportedQuarter(quarter, meetingDate);
}

/** A list item's words: without its marker, nor the list's own punctuation ("...;", "...; and"). */
function withoutMarker(line: string): string {
  return line
    .replace(LIST_ITEM, "")
    .trim()
    .replace(/(?<!\s)\s*;(?:\s*(?:and|or))?$/i, "");
}

/** Sentences of a paragraph: a full stop (or ? ! ;) followed by a capital starts the next. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?;])\s+(?=[A-Z])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The record's commitments, in the order written. */
export function extractCommitments(source: CommitmentSource): ExtractedCommitment[] {
  const context: Context = {
    meetingDate: source.meetingDate,
    reported: titleQuarter(source.title, source.meetingDate) ?? quarterOf(source.meetingDate),
  };
  const meetingQuarter = quarterOf(source.meetingDate);
  const found: ExtractedCommitment[] = [];
  const seen = new Set<string>();
  const add = (text: string, reading: DueReading) => {
    const key = text.toLowerCase().replace(/\s+/g, " ");
    if (text === "" || seen.has(key) || compareQuarters(reading.due, meetingQuarter) < 0) return;
    seen.add(key);
    found.push({ text, due: reading.due, duePhrase: reading.phrase, confidence: reading.confidence });
  };
  const fromSentence = (sentence: string) => {
    if (!FORWARD.test(sentence) || !COMING_BACK.test(sentence)) return;
    const reading = readDuePhrase(sentence, context);
    if (reading) add(sentence, reading);
  };

  // A list's introduction, while its items are being read; undefined otherwise.
  let list: DueReading | undefined;
  for (const line of source.record.split("\n")) {
    if (line.trim() === "") continue;
    if (IS_LIST_ITEM.test(line)) {
      const item = withoutMarker(line);
      if (list) {
        add(item, list);
      } else {
        for (const sentence of sentences(item)) fromSentence(sentence);
      }
      continue;
    }
    list = undefined;
    const text = line.trim();
    if (text.endsWith(":") && FORWARD.test(text)) {
      const reading = readDuePhrase(text, context);
      if (reading && compareQuarters(reading.due, meetingQuarter) >= 0) {
        // The phrase shown is the whole introduction, without its colon: "The next quarter would see".
        list = { ...reading, phrase: text.replace(/(?<![:\s-])[:\s-]+$/, "") };
        continue;
      }
    }
    for (const sentence of sentences(text)) fromSentence(sentence);
  }

  for (const outcome of source.outcomes) {
    for (const sentence of sentences(outcome.text)) fromSentence(sentence);
    for (const item of outcome.items) for (const sentence of sentences(item)) fromSentence(sentence);
  }
  return found;
}
