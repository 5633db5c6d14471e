import type { IsoDate } from "./iso-date.js";
import { ValidationError } from "./errors.js";

/**
 * Councils' financial years run from April to March, and performance is reported by quarter: Q1 April-June,
 * Q2 July-September, Q3 October-December, Q4 January-March. A quarter is written "2017-18 Q2" (the financial
 * year 2017-18 is April 2017 to March 2018), a whole year "2017-18".
 */

export interface FinancialQuarter {
  /** The calendar year the financial year starts in: 2017 for 2017-18. */
  startYear: number;
  quarter: 1 | 2 | 3 | 4;
}

const QUARTER_PATTERN = /^(\d{4})-(\d{2})\s*Q([1-4])$/i;
const YEAR_PATTERN = /^(\d{4})-(\d{2})$/;

/** "2017-18": the financial year starting in April `startYear`. */
export function financialYearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, "0")}`;
}

/** "2017-18 Q2". */
export function formatQuarter(q: FinancialQuarter): string {
  return `${financialYearLabel(q.startYear)} Q${q.quarter}`;
}

/** Reads "2017-18 Q2" (also "2017-18Q2", "2017-18 q2"); ValidationError naming `field` otherwise. */
export function parseQuarter(text: string, field = "period"): FinancialQuarter {
  const m = QUARTER_PATTERN.exec(String(text).trim());
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) {
    throw new ValidationError(
      `${field}: "${String(text).slice(0, 40)}" is not a financial quarter; write it as 2017-18 Q2 (Q1 is April to June)`,
      field,
    );
  }
  return { startYear: Number(m[1]), quarter: Number(m[3]) as FinancialQuarter["quarter"] };
}

/** Reads "2017-18"; ValidationError naming `field` otherwise. */
export function parseFinancialYear(text: string, field = "year"): number {
  const m = YEAR_PATTERN.exec(String(text).trim());
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) {
    throw new ValidationError(
      `${field}: "${String(text).slice(0, 40)}" is not a financial year; write it as 2017-18`,
      field,
    );
  }
  return Number(m[1]);
}

/** The quarter a date falls in: 2017-11-20 → 2017-18 Q3. */
export function quarterOf(date: IsoDate): FinancialQuarter {
  const [year, month] = date.split("-").map(Number) as [number, number];
  if (month >= 4)
    return { startYear: year, quarter: (Math.floor((month - 4) / 3) + 1) as FinancialQuarter["quarter"] };
  return { startYear: year - 1, quarter: 4 };
}

/** The quarter `n` quarters after `q` (before, when negative). */
export function addQuarters(q: FinancialQuarter, n: number): FinancialQuarter {
  const index = q.startYear * 4 + (q.quarter - 1) + n;
  return { startYear: Math.floor(index / 4), quarter: ((index % 4) + 1) as FinancialQuarter["quarter"] };
}

/** Negative, zero or positive as `a` is before, the same as or after `b`. */
export function compareQuarters(a: FinancialQuarter, b: FinancialQuarter): number {
  return a.startYear * 4 + a.quarter - (b.startYear * 4 + b.quarter);
}

/** The first and last days of the quarter: 2017-18 Q2 → 2017-07-01 to 2017-09-30. */
export function quarterDates(q: FinancialQuarter): { from: IsoDate; to: IsoDate } {
  const firstMonth = (((q.quarter - 1) * 3 + 3) % 12) + 1; // 4, 7, 10, 1
  const year = q.quarter === 4 ? q.startYear + 1 : q.startYear;
  const lastMonth = firstMonth + 2;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, "0");
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

/** The months a quarter covers, in words: "July to September 2017". */
export function quarterMonths(q: FinancialQuarter): string {
  const names = ["April", "July", "October", "January"];
  const ends = ["June", "September", "December", "March"];
  const year = q.quarter === 4 ? q.startYear + 1 : q.startYear;
  return `${names[q.quarter - 1]} to ${ends[q.quarter - 1]} ${year}`;
}
