import {
  addQuarters,
  compareQuarters,
  quarterDates,
  quarterOf,
  type FinancialQuarter,
} from "./financial-period.js";
import { isoDate, type IsoDate } from "./iso-date.js";

/**
 * When a commitment made in a decision record falls due: the date arithmetic behind the words ("the next
 * quarter", "in December", "in six months", "by March 2018"), always counted from the meeting at which the
 * commitment was made. The words themselves are read in src/import/commitment-extractor.ts.
 */

/** How sure the reading of the words is: a list under "The next quarter would see:" is `high`. */
export type DueConfidence = "high" | "medium" | "low";

/** Month 1-12 → the date of the first day of that month in `year`. */
function firstOfMonth(year: number, month: number): IsoDate {
  return isoDate(year, month, 1);
}

/**
 * The quarter a performance report covers, from the quarter its title names (Q2) and the meeting that considered
 * it: the latest Qn that had started by the meeting. A Q2 (July-September) update considered on 16 November
 * 2017 reports on 2017-18 Q2; a Q4 update considered in June 2018 reports on 2017-18 Q4.
 */
export function reportedQuarter(
  quarter: FinancialQuarter["quarter"],
  meetingDate: IsoDate,
): FinancialQuarter {
  const meeting = quarterOf(meetingDate);
  const sameYear: FinancialQuarter = { startYear: meeting.startYear, quarter };
  return compareQuarters(sameYear, meeting) <= 0 ? sameYear : { startYear: meeting.startYear - 1, quarter };
}

/**
 * "The next quarter", in a record of `meetingDate` reporting on `reported` (the meeting's own quarter when the
 * record names none): the quarter after the reported one, but never one already over when the meeting was held.
 * A Q2 update considered in November 2017 promises 2017-18 Q3; a Q1 update considered as late as October 2026
 * cannot promise 2026-27 Q2, which has ended: its "next quarter" is the meeting's own, 2026-27 Q3.
 */
export function nextQuarterAfter(reported: FinancialQuarter, meetingDate: IsoDate): FinancialQuarter {
  const next = addQuarters(reported, 1);
  const meeting = quarterOf(meetingDate);
  return compareQuarters(next, meeting) >= 0 ? next : meeting;
}

/**
 * "In December" (a month without a year): the next such month from the meeting, this month included. Said on 16
 * November 2017, December is December 2017 (2017-18 Q3); said in February 2018, it is December 2018.
 */
export function quarterOfNextMonth(month: number, meetingDate: IsoDate): FinancialQuarter {
  const [year, meetingMonth] = meetingDate.split("-").map(Number) as [number, number];
  return quarterOf(firstOfMonth(month >= meetingMonth ? year : year + 1, month));
}

/** "By March 2018": the quarter containing that month. */
export function quarterOfMonth(month: number, year: number): FinancialQuarter {
  return quarterOf(firstOfMonth(year, month));
}

/** "In six months": the meeting date plus `months` (the day kept, or the month's last day), then its quarter. */
export function quarterAfterMonths(meetingDate: IsoDate, months: number): FinancialQuarter {
  const [year, month] = meetingDate.split("-").map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return quarterOf(firstOfMonth(Math.floor(index / 12), (index % 12) + 1));
}

/** "In the new year": the January after the meeting (the same January when the meeting is in January). */
export function quarterOfNewYear(meetingDate: IsoDate): FinancialQuarter {
  return quarterOfNextMonth(1, meetingDate);
}

/**
 * A commitment is overdue once the last day of its due quarter has passed without it being done or dropped.
 * `today` is a UK calendar date.
 */
export function isPastDue(due: FinancialQuarter, today: IsoDate): boolean {
  return quarterDates(due).to < today;
}
