import Holidays from "date-holidays";
import type { HolidayCalendar } from "../../domain/call-in-deadline.js";
import { HOLIDAY_REGIONS, type HolidayRegion } from "../../domain/call-in-rule.js";
import { ValidationError } from "../../domain/errors.js";
import { isWeekend, type IsoDate } from "../../domain/iso-date.js";

/**
 * UK bank holidays for the call-in calendar, from `date-holidays`, corrected against the official
 * (GOV.UK / royal proclamation) lists where the library is wrong.
 *
 * The range is deliberately bounded: one-off holidays (jubilees, a coronation, a state funeral) are announced
 * a year or so ahead, so for later years the rules alone may be wrong. Past the last year we refuse rather
 * than guess; raise BANK_HOLIDAYS_LAST_YEAR once the official list for the next year is published (and check
 * the pinned list in test/unit/services/bank-holidays.test.ts).
 */
export const BANK_HOLIDAYS_FIRST_YEAR = 2005;
export const BANK_HOLIDAYS_LAST_YEAR = 2027;

export interface BankHoliday {
  date: IsoDate;
  name: string;
}

/** date-holidays' GB state codes. England and Wales have one calendar; we merge both so neither is missed. */
const LIBRARY_STATES: Record<HolidayRegion, readonly string[]> = {
  "england-and-wales": ["ENG", "WLS"],
  scotland: ["SCT"],
  "northern-ireland": ["NIR"],
};

interface Corrections {
  /** Dates the library lists that were not bank holidays. */
  remove: readonly IsoDate[];
  /** Bank holidays the library misses. */
  add: readonly BankHoliday[];
}

/** Corrections for every UK region: these were proclaimed UK-wide. */
const UK_WIDE_CORRECTIONS: Corrections = {
  // 2012: the spring bank holiday was moved from Mon 28 May to Mon 4 June, next to the Diamond Jubilee
  // holiday (Tue 5 June). date-holidays 3.37.0 has the jubilee but leaves the spring holiday on 28 May.
  remove: ["2012-05-28"],
  add: [
    // Fri 29 April 2011, the wedding of Prince William and Catherine Middleton: missing from date-holidays.
    { date: "2011-04-29", name: "Royal wedding" },
    { date: "2012-06-04", name: "Spring bank holiday" },
  ],
};

const REGION_CORRECTIONS: Record<HolidayRegion, Corrections> = {
  "england-and-wales": { remove: [], add: [] },
  // St Andrew's Day became a Scottish bank holiday through the St Andrew's Day Bank Holiday (Scotland) Act
  // 2007; date-holidays also lists it for 2005 and 2006.
  scotland: { remove: ["2005-11-30", "2006-11-30"], add: [] },
  "northern-ireland": { remove: [], add: [] },
};

function buildHolidayMap(region: HolidayRegion): Map<IsoDate, string> {
  const holidays = new Map<IsoDate, string>();
  for (const state of LIBRARY_STATES[region]) {
    const library = new Holidays("GB", state);
    for (let year = BANK_HOLIDAYS_FIRST_YEAR; year <= BANK_HOLIDAYS_LAST_YEAR; year++) {
      for (const holiday of library.getHolidays(year)) {
        // Only days off in law; "observance" entries (Mother's Day, Easter Sunday) are not bank holidays.
        if (holiday.type !== "public") continue;
        // `date` is the local calendar date ("2020-05-08 00:00:00"); `start` is a UTC instant and may fall on
        // the previous day in BST, so it must not be used.
        const date = holiday.date.slice(0, 10);
        // The library lists a weekend holiday and its substitute weekday side by side; only the weekday is
        // a bank holiday (the weekend is not a working day anyway).
        if (isWeekend(date)) continue;
        if (!holidays.has(date)) holidays.set(date, holiday.name);
      }
    }
  }
  for (const corrections of [UK_WIDE_CORRECTIONS, REGION_CORRECTIONS[region]]) {
    for (const date of corrections.remove) holidays.delete(date);
    for (const { date, name } of corrections.add) holidays.set(date, name);
  }
  return new Map([...holidays].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const holidayMaps = new Map<HolidayRegion, Map<IsoDate, string>>();

/** Built on first use and kept: a year-range of holidays is a few hundred entries. */
function holidayMap(region: HolidayRegion): Map<IsoDate, string> {
  let map = holidayMaps.get(region);
  if (!map) {
    map = buildHolidayMap(region);
    holidayMaps.set(region, map);
  }
  return map;
}

function coversYear(year: number): boolean {
  return Number.isInteger(year) && year >= BANK_HOLIDAYS_FIRST_YEAR && year <= BANK_HOLIDAYS_LAST_YEAR;
}

function assertKnownRegion(region: string): asserts region is HolidayRegion {
  if (!(HOLIDAY_REGIONS as readonly string[]).includes(region)) {
    throw new ValidationError(
      `unknown bank holiday region "${region}"; expected one of ${HOLIDAY_REGIONS.join(", ")}`,
      "holidayRegion",
    );
  }
}

const calendars = new Map<HolidayRegion, HolidayCalendar>();

/** The bank-holiday calendar for a region (weekday bank holidays only, substitute days included). */
export function getHolidayCalendar(region: HolidayRegion): HolidayCalendar {
  assertKnownRegion(region);
  let calendar = calendars.get(region);
  if (!calendar) {
    calendar = {
      region,
      firstYear: BANK_HOLIDAYS_FIRST_YEAR,
      lastYear: BANK_HOLIDAYS_LAST_YEAR,
      coversYear,
      holidayName(date: IsoDate): string | null {
        const year = Number(date.slice(0, 4));
        if (!coversYear(year)) {
          // The domain checks coversYear first; answering "no holiday" here would be a silent guess.
          throw new ValidationError(
            `bank holidays are known for ${BANK_HOLIDAYS_FIRST_YEAR}-${BANK_HOLIDAYS_LAST_YEAR}; ${year} is outside that range`,
          );
        }
        return holidayMap(region).get(date) ?? null;
      },
    };
    calendars.set(region, calendar);
  }
  return calendar;
}

/** The bank holidays of one region and year, in date order (weekdays only, substitute days included). */
export function listBankHolidays(region: HolidayRegion, year: number): BankHoliday[] {
  assertKnownRegion(region);
  if (!coversYear(year)) {
    throw new ValidationError(
      `bank holidays are known for ${BANK_HOLIDAYS_FIRST_YEAR}-${BANK_HOLIDAYS_LAST_YEAR}; ${year} is outside that range`,
      "year",
    );
  }
  const prefix = `${year}-`;
  return [...holidayMap(region)]
    .filter(([date]) => date.startsWith(prefix))
    .map(([date, name]) => ({ date, name }));
}
