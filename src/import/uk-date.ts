import { DocumentError } from "../domain/errors.js";
import { daysInMonth, isoDate, type IsoDate } from "../domain/iso-date.js";
import { MONTH_NAMES, WEEKDAY_NAMES } from "../domain/uk-time.js";

const MONTHS = MONTH_NAMES.map((m) => m.toLowerCase());
const WEEKDAYS = WEEKDAY_NAMES;

const MONTH_NAME =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const WEEKDAY_NAME =
  "(?:(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\\.?,?\\s+(?:the\\s+)?)?";
// Lookbehind instead of \b: records glue dates to words ("Cabinet Meeting16th November 2017").
const DAY_MONTH_YEAR = new RegExp(
  `${WEEKDAY_NAME}(?<![\\d])(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH_NAME},?\\s+(\\d{4})(?!\\d)`,
  "i",
);
const MONTH_DAY_YEAR = new RegExp(
  `${WEEKDAY_NAME}${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`,
  "i",
);
const NUMERIC = /(?<![\d/.-])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d/.])/;
const ISO = /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/;

export interface FoundDate {
  iso: IsoDate;
  /** The matched text, e.g. "Tuesday, 25 June 2024". */
  text: string;
  index: number;
  /** The date's real weekday ("Tuesday"), when the text names a different one. */
  weekdayMismatch?: string;
}

/**
 * Finds the first date written in a UK style ("24 November 2017", "16th November 2017",
 * "Tuesday, 25 June 2024", "25/06/2024", "2024-06-25") in `text`.
 * Returns null when there is none; throws DocumentError for an impossible one ("31st February 2011").
 */
export function findUkDate(text: string, line?: number): FoundDate | null {
  const candidates: FoundDate[] = [];
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) candidates.push(build(dmy, Number(dmy[4]), monthIndex(dmy[3]!), Number(dmy[2]), dmy[1], line));
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) candidates.push(build(mdy, Number(mdy[4]), monthIndex(mdy[2]!), Number(mdy[3]), mdy[1], line));
  const num = NUMERIC.exec(text);
  if (num) {
    const year = num[3]!.length === 2 ? 2000 + Number(num[3]) : Number(num[3]);
    candidates.push(build(num, year, Number(num[2]), Number(num[1]), undefined, line));
  }
  const iso = ISO.exec(text);
  if (iso) candidates.push(build(iso, Number(iso[1]), Number(iso[2]), Number(iso[3]), undefined, line));
  if (candidates.length === 0) return null;
  return candidates.reduce((first, c) => (c.index < first.index ? c : first));
}

/** Like findUkDate, but the text must be a date and nothing else of substance. */
export function parseUkDate(text: string, line?: number): IsoDate {
  const found = findUkDate(text, line);
  if (!found) throw new DocumentError(`"${text}" is not a date (expected e.g. "24 November 2017")`, line);
  return found.iso;
}

function build(
  match: RegExpExecArray,
  year: number,
  month: number,
  day: number,
  weekday: string | undefined,
  line: number | undefined,
): FoundDate {
  const text = match[0].trim();
  if (month < 1 || month > 12) {
    throw new DocumentError(`"${text}" is not a real date (expected a month from 1 to 12)`, line);
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    const monthName = `${capitalise(MONTHS[month - 1]!)} ${year}`;
    throw new DocumentError(
      `"${text}" is not a real date (${monthName} has ${daysInMonth(year, month)} days)`,
      line,
    );
  }
  const iso = isoDate(year, month, day);
  const found: FoundDate = {
    iso,
    text,
    index: match.index + (match[0].length - match[0].trimStart().length),
  };
  if (weekday) {
    const actual = WEEKDAYS[new Date(`${iso}T12:00:00Z`).getUTCDay()]!;
    if (!actual.toLowerCase().startsWith(weekday.toLowerCase().slice(0, 3))) found.weekdayMismatch = actual;
  }
  return found;
}

function monthIndex(name: string): number {
  const key = name.toLowerCase().replace(".", "").slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(key)) + 1;
}

/** "16th November 2017": the style the proforma uses for meeting dates. */
export function formatOrdinalDate(iso: IsoDate): string {
  const [year, month, day] = iso.split("-").map(Number) as [number, number, number];
  return `${day}${ordinalSuffix(day)} ${capitalise(MONTHS[month - 1]!)} ${year}`;
}

/** "20 November 2017": the style the proforma uses under the signature. */
export function formatLongDate(iso: IsoDate): string {
  const [year, month, day] = iso.split("-").map(Number) as [number, number, number];
  return `${day} ${capitalise(MONTHS[month - 1]!)} ${year}`;
}

function ordinalSuffix(day: number): string {
  if (day >= 11 && day <= 13) return "th";
  return ["th", "st", "nd", "rd"][day % 10] ?? "th";
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
