import { parseCallInRule, type CallInRule, type HolidayRegion } from "./call-in-rule.js";
import { ValidationError } from "./errors.js";
import { addDays, dayOfWeek, isValidIsoDate, isWeekend, type IsoDate } from "./iso-date.js";
import { MONTH_NAMES, toUkIsoString, ukDateOf, ukWallTimeToInstant, WEEKDAY_NAMES } from "./uk-time.js";

/**
 * The call-in calendar: when does the window to call in an executive decision close, and from when may the
 * decision be implemented? Pure: bank holidays come in through `HolidayCalendar`, implemented outside the domain.
 *
 * Choices an API consumer should know:
 * - `cutoff` is the instant the window closes, as ISO 8601 with the Europe/London offset in force at that
 *   instant (+00:00 in GMT, +01:00 in BST). A call-in is in time if received strictly before it. Midnight
 *   ending Fri 24 Nov 2017 is therefore "2017-11-25T00:00:00+00:00" — an exact instant, not "23:59:59.999".
 * - `effectiveFrom` is the UK calendar date containing the cutoff instant, i.e. the first date on which
 *   implementation may happen: the day after the deadline for a midnight cutoff, the deadline day itself for a
 *   daytime cutoff (a 16:00 cutoff lets the decision be implemented from 16:00 that day). Both follow from the
 *   same definition, so they never disagree with `cutoff`.
 * - Working-day rules skip weekends, the region's bank holidays (substitute days included: the calendar lists
 *   them as holidays in their own right) and the council's closure days. A day that is several of these is
 *   reported once, with the first reason of: weekend, bank holiday, council closure.
 * - Calendar-day rules count every day, whatever it is, so they never consult the holiday calendar (and never
 *   fail for a year it does not cover).
 */

/** Bank holidays for one region, over a known range of years. */
export interface HolidayCalendar {
  readonly region: HolidayRegion;
  /** First and last year (inclusive) for which the holidays are known. */
  readonly firstYear: number;
  readonly lastYear: number;
  coversYear(year: number): boolean;
  /** The holiday's name ("Boxing Day (substitute day)"), or null on an ordinary day. Weekdays only. */
  holidayName(date: IsoDate): string | null;
}

export type SkipReason = "weekend" | `bank holiday: ${string}` | "council closure";

export interface SkippedDay {
  date: IsoDate;
  reason: SkipReason;
}

export interface CallInDeadline {
  /** The last day of the call-in window (UK calendar date). */
  deadline: IsoDate;
  /** The instant the window closes, ISO 8601 with the Europe/London offset, e.g. "2017-11-25T00:00:00+00:00". */
  cutoff: string;
  /** The first date on which the decision may be implemented (the UK date of `cutoff`). */
  effectiveFrom: IsoDate;
  /** The days that counted towards the window, in order; the last is `deadline`. */
  daysCounted: IsoDate[];
  /** The days inside the window that did not count, in order, with why. */
  skipped: SkippedDay[];
  /** One readable paragraph saying how the deadline was reached. */
  explanation: string;
}

/** How far past publication we look before concluding that the closure days leave no room to count. */
const MAX_DAYS_SCANNED = 366;

const REGION_NAMES: Record<HolidayRegion, string> = {
  "england-and-wales": "England and Wales",
  scotland: "Scotland",
  "northern-ireland": "Northern Ireland",
};

export function computeCallInDeadline(
  publishedOn: IsoDate,
  rule: CallInRule,
  calendar: HolidayCalendar,
): CallInDeadline {
  if (typeof publishedOn !== "string" || !isValidIsoDate(publishedOn)) {
    throw new ValidationError(
      `publication date "${String(publishedOn)}" is not a real date written YYYY-MM-DD`,
      "publishedOn",
    );
  }
  const publicationYear = yearOf(publishedOn);
  if (publicationYear < 1900 || publicationYear > 9000) {
    // Beyond these, Date.UTC's two-digit-year quirk and pre-GMT local mean time would give nonsense.
    throw new ValidationError(
      `publication date ${publishedOn} is not a plausible year for a decision`,
      "publishedOn",
    );
  }
  // The rule may come straight from a config file; re-validating is cheap and keeps the arithmetic honest.
  const checkedRule = parseCallInRule(rule);
  if (checkedRule.dayKind === "working" && calendar.region !== checkedRule.holidayRegion) {
    // Wiring mistake, not user input: a plain Error is reported as a bug.
    throw new Error(
      `call-in rule uses ${checkedRule.holidayRegion} bank holidays but was given the ${calendar.region} calendar`,
    );
  }

  const closureDays = new Set(checkedRule.closureDays);
  const nonWorkingReason = (date: IsoDate): SkipReason | null => {
    if (isWeekend(date)) return "weekend";
    const year = yearOf(date);
    if (!calendar.coversYear(year)) {
      throw new ValidationError(
        `cannot compute the call-in deadline for a decision published on ${publishedOn}: bank holidays for ` +
          `${REGION_NAMES[calendar.region]} are known for ${calendar.firstYear}-${calendar.lastYear}; ` +
          `${year} is outside that range`,
        "publishedOn",
      );
    }
    const holiday = calendar.holidayName(date);
    if (holiday !== null) return `bank holiday: ${holiday}`;
    if (closureDays.has(date)) return "council closure";
    return null;
  };

  const daysCounted: IsoDate[] = [];
  const skipped: SkippedDay[] = [];
  let date = checkedRule.countFrom === "publication-day" ? publishedOn : addDays(publishedOn, 1);
  for (let scanned = 0; daysCounted.length < checkedRule.days; scanned++) {
    if (scanned >= MAX_DAYS_SCANNED) {
      throw new ValidationError(
        `the council's closure days leave fewer than ${checkedRule.days} working days in the year after ${publishedOn}`,
        "closureDays",
      );
    }
    const reason = checkedRule.dayKind === "working" ? nonWorkingReason(date) : null;
    if (reason === null) daysCounted.push(date);
    else skipped.push({ date, reason });
    date = addDays(date, 1);
  }

  const deadline = daysCounted[daysCounted.length - 1] as IsoDate;
  const { instant: cutoff, localDate: effectiveFrom } = cutoffInstant(deadline, checkedRule);
  const explanation = explain(publishedOn, checkedRule, daysCounted, skipped, deadline, effectiveFrom);
  return { deadline, cutoff, effectiveFrom, daysCounted, skipped, explanation };
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

// ---------------------------------------------------------------------------------------------------------
function cutoffInstant(deadline: IsoDate, rule: CallInRule): { instant: string; localDate: IsoDate } {
  const [hour, minute] = rule.cutoff.split(":").map(Number) as [number, number];
  // "24:00" is midnight ending the deadline day, i.e. 00:00 on the next day.
  const instant =
    hour === 24
      ? ukWallTimeToInstant(addDays(deadline, 1), 0, minute)
      : ukWallTimeToInstant(deadline, hour, minute);
  return { instant: toUkIsoString(instant), localDate: ukDateOf(instant) };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

// ---------------------------------------------------------------------------------------------------------
// The explanation, in plain English (GOV.UK style: "4pm", "midday", "Monday 20 November 2017").

const WEEKDAYS = WEEKDAY_NAMES;
const MONTHS = MONTH_NAMES;

function weekdayName(date: IsoDate): string {
  return WEEKDAYS[dayOfWeek(date)] as string;
}

function monthName(date: IsoDate): string {
  return MONTHS[Number(date.slice(5, 7)) - 1] as string;
}

function dayOfMonth(date: IsoDate): number {
  return Number(date.slice(8, 10));
}

/** "Monday 20 November 2017" */
function longDate(date: IsoDate): string {
  return `${weekdayName(date)} ${dayOfMonth(date)} ${monthName(date)} ${yearOf(date)}`;
}

/** "Mon 20" */
function shortDay(date: IsoDate): string {
  return `${weekdayName(date).slice(0, 3)} ${dayOfMonth(date)}`;
}

/** "Mon 20 November 2017" */
function shortDate(date: IsoDate): string {
  return `${shortDay(date)} ${monthName(date)} ${yearOf(date)}`;
}

function joinWithAnd(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * "Fri 29 and Mon 31 December 2018, Wed 2 and Thu 3 January 2019": the month follows the last day of each run
 * in that month, and the year only where it changes or at the end, so a list reads like a person wrote it.
 */
function listDates(dates: IsoDate[]): string {
  const items = dates.map((date, i) => {
    const next = dates[i + 1];
    if (next === undefined) return shortDate(date);
    if (yearOf(next) !== yearOf(date)) return shortDate(date);
    if (monthName(next) !== monthName(date)) return `${shortDay(date)} ${monthName(date)}`;
    return shortDay(date);
  });
  return joinWithAnd(items);
}

/** "Thu 31 January to Thu 7 February 2019" */
function dateRange(first: IsoDate, last: IsoDate): string {
  const start =
    yearOf(first) !== yearOf(last)
      ? shortDate(first)
      : monthName(first) !== monthName(last)
        ? `${shortDay(first)} ${monthName(first)}`
        : shortDay(first);
  return `${start} to ${shortDate(last)}`;
}

/** "midday", "4pm", "4:30pm", "9am" */
function timeOfDay(cutoff: string): string {
  const [hour, minute] = cutoff.split(":").map(Number) as [number, number];
  if (hour === 12 && minute === 0) return "midday";
  const suffix = hour < 12 ? "am" : "pm";
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${pad2(minute)}${suffix}`;
}

function explain(
  publishedOn: IsoDate,
  rule: CallInRule,
  daysCounted: IsoDate[],
  skipped: SkippedDay[],
  deadline: IsoDate,
  effectiveFrom: IsoDate,
): string {
  const counting =
    rule.countFrom === "publication-day"
      ? "Counting the publication day"
      : "Counting from the day after publication";
  const plural = rule.days !== 1;
  const kind = `${rule.dayKind} day${plural ? "s" : ""}`;

  let window: string;
  if (rule.dayKind === "calendar") {
    const span = plural
      ? `run from ${dateRange(daysCounted[0] as IsoDate, deadline)}`
      : `is ${shortDate(deadline)}`;
    window = `${counting}, the ${rule.days} ${kind} ${span}, weekends and bank holidays included.`;
  } else {
    const holidays = skipped.filter((s) => s.reason.startsWith("bank holiday: "));
    const closures = skipped.filter((s) => s.reason === "council closure");
    const notCounted: string[] = [];
    if (holidays.length > 0) {
      const named = holidays.map((s) => `${s.reason.slice("bank holiday: ".length)} (${shortDate(s.date)})`);
      notCounted.push(`the bank holiday${holidays.length > 1 ? "s" : ""} ${joinWithAnd(named)}`);
    }
    if (closures.length > 0) {
      notCounted.push(
        `the council closure day${closures.length > 1 ? "s" : ""} ${listDates(closures.map((s) => s.date))}`,
      );
    }
    const holidayNote =
      notCounted.length > 0
        ? `not counted: ${joinWithAnd(notCounted)}`
        : "no bank holidays fell in that time";
    window = `${counting}, the ${rule.days} ${kind} ${plural ? "are" : "is"} ${listDates(daysCounted)}; ${holidayNote}.`;
  }

  let closes: string;
  if (rule.cutoff === "24:00") {
    closes =
      `Call-in closes at midnight at the end of ${longDate(deadline)} (UK time); ` +
      `the decision can be implemented from ${longDate(effectiveFrom)}.`;
  } else if (rule.cutoff === "00:00") {
    closes =
      `Call-in closes at midnight at the start of ${longDate(deadline)} (UK time); ` +
      `the decision can be implemented from then.`;
  } else {
    const time = timeOfDay(rule.cutoff);
    closes =
      `Call-in closes at ${time} on ${longDate(deadline)} (UK time); ` +
      `the decision can be implemented from ${time} that day.`;
  }

  return `Published ${longDate(publishedOn)}. ${window} ${closes}`;
}
