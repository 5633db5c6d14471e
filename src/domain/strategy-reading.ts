import { reportedQuarter } from "./commitment-due.js";
import type { DecisionRecord } from "./decision-record.js";
import { quarterDates, quarterOf, type FinancialQuarter } from "./financial-period.js";
import { isoDate, type IsoDate } from "./iso-date.js";

/**
 * Reading strategies out of decision records (issue 10), without the register:
 *
 * - does a record agree a strategy? Its RESOLVED (or AGREED, DECIDED) outcome says "the X Strategy 2017-2020 be
 *   agreed" (approved, adopted, endorsed), or "to agree the X Strategy 2017-20". Recommendations to Council are
 *   not agreements: Council agrees those, in another record.
 * - is it a quarterly performance update, and for which quarter? Its title (or, for a performance report, its
 *   text) names a quarter: "Q2", "Quarter 2", "Quarter Two", "second quarter", "(July - Sept)"; with a year
 *   ("2018/19 Quarter 2", "(April - June 2025)", "the second quarter of 2025/26") or, without one, the latest
 *   such quarter that had started by the meeting (as commitments read it: src/domain/commitment-due.ts): a Q2
 *   update considered in November 2017 is 2017-18 Q2, a Q4 update considered in June 2018 is 2017-18 Q4.
 * - which strategies does a record name? "the Children's Services Strategy 2017-20": capitalised words before
 *   "Strategy", and the period after it when there is one.
 *
 * Two names are the same strategy when their subjects ("childrens services") and periods agree: "2017-20",
 * "2017-2020" and "2017/18-2019/20" are all 1 April 2017 to 31 March 2020.
 */

export interface StrategyPeriod {
  from: IsoDate;
  to: IsoDate;
}

export interface StrategyName {
  /** As written: "Children's Services Strategy 2017-20". */
  title: string;
  /** The words before "Strategy", normalised: "childrens services". */
  subject: string;
  period: StrategyPeriod | null;
}

export interface AgreedStrategy extends StrategyName {
  /** The words that agreed it: "the Children's Services Strategy 2017-2020 be agreed". */
  phrase: string;
}

export interface QuarterlyUpdate {
  quarter: FinancialQuarter;
  /** Where the quarter was read, in words: "title names Q2 (July - Sept)". */
  quarterFrom: string;
  /** The subject of the title ("childrens services" for "Children's Services Performance Update Q2"), or null. */
  subject: string | null;
  /** Strategies named in the title, text and outcomes, first-named first, each once. */
  strategies: StrategyName[];
}

export type StrategySource = Pick<DecisionRecord, "title" | "meetingDate" | "record" | "outcomes">;

const WORD = `[A-Z][A-Za-z'’&-]*`;
const JOIN = `(?:and|of|&)`;
/** "2017-2020", "2017-20", "2017/18-2019/20", "2017/18 to 2019/20", "2017 to 2020", "2017/18" (a lone
 * "2030" is read as no period: a horizon or a year, not to be guessed). */
const PERIOD = String.raw`(\d{4})(?:\s*[/-]\s*(\d{2}))?(?:\s*(?:[-–—]|to)\s*(\d{4}|\d{2})(?:\s*[/-]\s*(\d{2}))?)?`;
const NAME = new RegExp(
  String.raw`((?:${WORD}\s+(?:${JOIN}\s+)*)*${WORD}\s+)[Ss]trategy\b(?:\s*(?:[:,–—-]\s*)?(?:for\s+)?${PERIOD}\b)?`,
  "g",
);
const AGREED_AFTER = /^[^.;]{0,80}?\bbe\s+(agreed|approved|adopted|endorsed)\b/i;
const AGREED_BEFORE =
  /\b(agree|agrees|approve|approves|adopt|adopts|endorse|endorses)\s+(?:the\s+)?[^.;]{0,40}$/i;
const AGREEING_KINDS = /^(RESOLVED|AGREED|DECIDED|DECISION)$/;

/** "Children's Services" → "childrens services": lower case, no apostrophes, words joined by one space. */
export function normaliseSubject(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^(?:the|our|a|an)\s+/, "");
}

/** The century a two-digit year belongs to, near `start`: 2099-01 is 2101. */
function fullYear(two: string, start: number): number {
  const year = Math.floor(start / 100) * 100 + Number(two);
  return year < start ? year + 100 : year;
}

/** A period from PERIOD's groups; null when it is not a sensible one (ends before it starts, over 20 years). */
function periodOf(groups: (string | undefined)[]): StrategyPeriod | null {
  const [startText, startTwo, endText, endTwo] = groups;
  if (startText === undefined) return null;
  const start = Number(startText);
  let endYear: number; // the calendar year the period's last financial year ends in (March)
  if (endText !== undefined) {
    const end = endText.length === 4 ? Number(endText) : fullYear(endText, start);
    // "2017/18-2019/20" ends in March 2020; "2017-2020" also ends in March 2020.
    endYear = endTwo !== undefined ? fullYear(endTwo, end) : end;
  } else if (startTwo !== undefined) {
    endYear = fullYear(startTwo, start); // "2017/18": one financial year
  } else {
    return null; // "Strategy 2030" may be a horizon or a year: not a period to guess
  }
  if (endYear <= start || endYear - start > 20) return null;
  return { from: isoDate(start, 4, 1), to: isoDate(endYear, 3, 31) };
}

/** Every strategy named in `text`, in order. */
export function strategyNames(text: string): (StrategyName & { index: number; end: number })[] {
  const found: (StrategyName & { index: number; end: number })[] = [];
  for (const m of text.matchAll(NAME)) {
    // Lead-in words in capitals that are not part of the name: "The", "RESOLVED", "Cabinet agreed the ...".
    const words = m[1]!.trim().split(/\s+/);
    while (
      words.length > 0 &&
      /^(the|a|an|our|that|this|RESOLVED|AGREED|DECIDED|Cabinet|Council)$/i.test(words[0]!)
    )
      words.shift();
    while (words.length > 0 && new RegExp(`^${JOIN}$`).test(words[0]!)) words.shift();
    if (words.length === 0) continue;
    const period = periodOf([m[2], m[3], m[4], m[5]]);
    const start = m.index + m[0].indexOf(words[0]!);
    const title = m[0].slice(m[0].indexOf(words[0]!)).replace(/\s+/g, " ").trim();
    found.push({
      title: period === null ? title.replace(/\s*[:,–—-]?\s*(?:for\s+)?\d{4}.*$/, "") : title,
      subject: normaliseSubject(words.join(" ")),
      period,
      index: start,
      end: m.index + m[0].length,
    });
  }
  return found;
}

/** The strategy a record agrees, when its RESOLVED (AGREED, DECIDED) outcome agrees one; else null. */
export function agreedStrategy(source: Pick<DecisionRecord, "outcomes">): AgreedStrategy | null {
  for (const outcome of source.outcomes) {
    if (!AGREEING_KINDS.test(outcome.kind)) continue;
    for (const text of [outcome.text, ...outcome.items]) {
      const flat = text.replace(/\s+/g, " ");
      for (const name of strategyNames(flat)) {
        const after = AGREED_AFTER.exec(flat.slice(name.end));
        const before = AGREED_BEFORE.exec(flat.slice(0, name.index));
        if (!after && !before) continue;
        const phrase = after
          ? `the ${flat.slice(name.index, name.end + after[0].length)}`
          : `${before![1]} the ${name.title}`;
        return { title: name.title, subject: name.subject, period: name.period, phrase };
      }
    }
  }
  return null;
}

const ORDINALS: Record<string, FinancialQuarter["quarter"]> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  "1st": 1,
  "2nd": 2,
  "3rd": 3,
  "4th": 4,
};
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;
const MONTH = String.raw`(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`;
const FINANCIAL_YEAR = String.raw`(20\d{2})\s*[/-]\s*(\d{2})`;

/** A quarter named in words, with the phrase; the year when the words give one. */
interface QuarterWords {
  quarter: FinancialQuarter["quarter"];
  startYear: number | null;
  phrase: string;
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;
}

/** The financial year named in `text` ("2018/19", "2025-26"), when it is one; else null. */
function financialYearIn(text: string): number | null {
  for (const m of text.matchAll(new RegExp(FINANCIAL_YEAR, "g"))) {
    if ((Number(m[1]) + 1) % 100 === Number(m[2])) return Number(m[1]);
  }
  return null;
}

/** A quarter in `text`: "Q2", "Quarter 2", "Quarter Two", "second quarter", "(July - Sept)", with its year. */
export function quarterIn(text: string): QuarterWords | null {
  const flat = text.replace(/\s+/g, " ");
  const named =
    /\b(?:Q([1-4])|Quarter\s+([1-4]|one|two|three|four)|(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\b/i.exec(
      flat,
    );
  const months = new RegExp(
    String.raw`\b${MONTH}\.?(?:\s+(20\d{2}))?\s*(?:-|–|—|to)\s*${MONTH}\.?(?:\s+(20\d{2}))?`,
    "i",
  ).exec(flat);
  let range: QuarterWords | null = null;
  if (months) {
    const first = monthIndex(months[1]!);
    const last = monthIndex(months[3]!);
    // A quarter's months: April-June, July-September, October-December, January-March.
    if ([4, 7, 10, 1].includes(first) && last === ((first + 1) % 12) + 1) {
      const q = quarterOf(isoDate(2000, first, 1)).quarter;
      const year = months[4] ?? months[2];
      const startYear = year === undefined ? null : quarterOf(isoDate(Number(year), last, 1)).startYear;
      range = { quarter: q, startYear, phrase: months[0] };
    }
  }
  if (!named) return range;
  const word = (named[1] ?? named[2] ?? named[3])!.toLowerCase();
  const quarter = (Number(word) || ORDINALS[word])! as FinancialQuarter["quarter"];
  if (range && range.quarter !== quarter) return null; // "Q2 (April - June)": contradicts itself
  // The year: the named financial year near the quarter ("Quarter 2 2018/19", "second quarter of 2025/26"), or
  // the range's ("Q1 (April - June 2025)"), or any financial year in the title.
  const near = financialYearIn(flat.slice(Math.max(0, named.index - 12), named.index + named[0].length + 16));
  const startYear = near ?? range?.startYear ?? financialYearIn(flat);
  const phrase = range ? `${named[0]} (${range.phrase})` : named[0];
  return { quarter, startYear, phrase };
}

const PERFORMANCE_TITLE = /\b(performance|monitoring|progress|scorecard|update|report)\b/i;
const SUBJECT_END =
  /\s*(?:[-–—:,]\s*)?\b(?:(?:quarterly\s+)?(?:performance|monitoring|progress|delivery|strategy)\b|Q[1-4]\b|quarter\b|(?:first|second|third|fourth)\s+quarter\b|\d{4}|update\b|report\b|\().*$/i;

/** A title's subject: "Children's Services Performance Update Q2" → "childrens services"; null when none. */
export function titleSubject(title: string): string | null {
  const subject = normaliseSubject(title.replace(SUBJECT_END, ""));
  return subject === "" || /^(quarter|q[1-4])\b/.test(subject) ? null : subject;
}

/**
 * Whether a record is a quarterly performance update, and for which quarter: its title names a quarter, or its
 * title is a performance report ("... Performance Update") and its text names one ("for the second quarter of
 * 2025/26"). null otherwise, and for a record that agrees a strategy.
 */
export function quarterlyUpdate(source: StrategySource): QuarterlyUpdate | null {
  if (agreedStrategy(source) !== null) return null;
  const outcomes = source.outcomes.flatMap((o) => [o.text, ...o.items]).join("\n");
  let words = quarterIn(source.title);
  let where = "title";
  if (!words && /\bperformance\b/i.test(source.title) && PERFORMANCE_TITLE.test(source.title)) {
    words = quarterIn(source.record);
    where = "text";
  }
  if (!words) return null;
  const quarter =
    words.startYear === null
      ? reportedQuarter(words.quarter, source.meetingDate)
      : { startYear: words.startYear, quarter: words.quarter };
  // A quarter that had not started by the meeting is not being reported on ("Q3 report due in the new year").
  if (quarterDates(quarter).from > source.meetingDate) return null;
  const seen = new Set<string>();
  const strategies: StrategyName[] = [];
  for (const text of [source.title, source.record, outcomes]) {
    for (const { title, subject, period } of strategyNames(text)) {
      const key = `${subject}|${period?.from ?? ""}|${period?.to ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      strategies.push({ title, subject, period });
    }
  }
  return {
    quarter,
    quarterFrom: `${where} names ${words.phrase}`,
    subject: titleSubject(source.title),
    strategies,
  };
}

/** The key two names of the same strategy share: subject and period ("childrens services|2017-04-01|2020-03-31"). */
export function strategyKey(subject: string, period: StrategyPeriod | null): string {
  return `${subject}|${period?.from ?? ""}|${period?.to ?? ""}`;
}

/** A stored strategy's title read as a name: its subject, and its period from the title or else as stored. */
export function nameOfTitle(title: string, stored: StrategyPeriod): StrategyName {
  const [name] = strategyNames(title);
  if (!name) return { title, subject: normaliseSubject(title.replace(/\s*\d{4}.*$/, "")), period: stored };
  return { title, subject: name.subject, period: name.period ?? stored };
}

/** Whether a quarter falls (at least partly) within a period. */
export function periodCovers(period: StrategyPeriod, quarter: FinancialQuarter): boolean {
  const dates = quarterDates(quarter);
  return dates.from <= period.to && dates.to >= period.from;
}
