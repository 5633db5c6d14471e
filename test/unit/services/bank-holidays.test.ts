import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";

import { ValidationError } from "../../../src/domain/errors.js";
import { isoDate, type IsoDate } from "../../../src/domain/iso-date.js";
import {
  BANK_HOLIDAYS_FIRST_YEAR,
  BANK_HOLIDAYS_LAST_YEAR,
  getHolidayCalendar,
  listBankHolidays,
} from "../../../src/services/call-in/index.js";

/**
 * England and Wales bank holidays 2005-2027, as published on GOV.UK (and, before GOV.UK's list begins, as
 * proclaimed), written out by hand year by year: the adapter must reproduce them exactly.
 */
const OFFICIAL_ENGLAND_AND_WALES: Record<number, readonly string[]> = {
  2005: ["01-03", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"],
  2006: ["01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"],
  2007: ["01-01", "04-06", "04-09", "05-07", "05-28", "08-27", "12-25", "12-26"],
  2008: ["01-01", "03-21", "03-24", "05-05", "05-26", "08-25", "12-25", "12-26"],
  2009: ["01-01", "04-10", "04-13", "05-04", "05-25", "08-31", "12-25", "12-28"],
  2010: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
  // 29 April: the royal wedding.
  2011: ["01-03", "04-22", "04-25", "04-29", "05-02", "05-30", "08-29", "12-26", "12-27"],
  // The spring bank holiday moved from 28 May to 4 June, beside the Diamond Jubilee holiday on 5 June.
  2012: ["01-02", "04-06", "04-09", "05-07", "06-04", "06-05", "08-27", "12-25", "12-26"],
  2013: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
  2014: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
  2015: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
  2016: ["01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"],
  2017: ["01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"],
  2018: ["01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"],
  2019: ["01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"],
  // The early May bank holiday moved from Mon 4 May to Fri 8 May for the 75th anniversary of VE day.
  2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
  2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
  // Spring bank holiday on Thu 2 June and the Platinum Jubilee on Fri 3 June; 19 September: the Queen's funeral.
  2022: ["01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27"],
  // 8 May: the coronation of King Charles III.
  2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
  2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
  2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
  2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
  2027: ["01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"],
};

function officialDates(year: number): IsoDate[] {
  return (OFFICIAL_ENGLAND_AND_WALES[year] ?? []).map((monthDay) => `${year}-${monthDay}`);
}

const utc = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`);
const dayOfWeek = (date: IsoDate) => new Date(utc(date)).getUTCDay();
const addDays = (date: IsoDate, days: number): IsoDate => {
  const d = new Date(utc(date) + days * 86_400_000);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

function firstMonday(year: number, month: number): IsoDate {
  const first = isoDate(year, month, 1);
  return addDays(first, (8 - dayOfWeek(first)) % 7);
}

function lastMonday(year: number, month: number): IsoDate {
  const last = isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return addDays(last, -((dayOfWeek(last) + 6) % 7));
}

/** The standing rules, before any one-off change: a second, independent check on the hand-written list. */
function regularEnglandAndWales(year: number): IsoDate[] {
  const newYear = isoDate(year, 1, 1);
  const newYearObserved =
    dayOfWeek(newYear) === 6 ? addDays(newYear, 2) : dayOfWeek(newYear) === 0 ? addDays(newYear, 1) : newYear;
  const easter = easterSunday(year);
  // Christmas and Boxing Day: a weekend day moves to the next weekday not already taken.
  const christmas: IsoDate[] = [];
  let candidate = isoDate(year, 12, 25);
  while (christmas.length < 2) {
    if (dayOfWeek(candidate) !== 0 && dayOfWeek(candidate) !== 6) christmas.push(candidate);
    candidate = addDays(candidate, 1);
  }
  return [
    newYearObserved,
    addDays(easter, -2),
    addDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    ...christmas,
  ];
}

/** The one-off changes to the standing rules between 2005 and 2027. */
const ONE_OFF_CHANGES: Record<number, { remove: IsoDate[]; add: IsoDate[] }> = {
  2011: { remove: [], add: ["2011-04-29"] },
  2012: { remove: ["2012-05-28"], add: ["2012-06-04", "2012-06-05"] },
  2020: { remove: ["2020-05-04"], add: ["2020-05-08"] },
  2022: { remove: ["2022-05-30"], add: ["2022-06-02", "2022-06-03", "2022-09-19"] },
  2023: { remove: [], add: ["2023-05-08"] },
};

const YEARS = Array.from(
  { length: BANK_HOLIDAYS_LAST_YEAR - BANK_HOLIDAYS_FIRST_YEAR + 1 },
  (_, i) => BANK_HOLIDAYS_FIRST_YEAR + i,
);

describe("England and Wales bank holidays", () => {
  it("cover 2005-2027", () => {
    expect(BANK_HOLIDAYS_FIRST_YEAR).toBeLessThanOrEqual(2005);
    expect(BANK_HOLIDAYS_LAST_YEAR).toBeGreaterThanOrEqual(2027);
  });

  it("the hand-written official list agrees with the standing rules plus the one-off changes", () => {
    for (const year of Object.keys(OFFICIAL_ENGLAND_AND_WALES).map(Number)) {
      const change = ONE_OFF_CHANGES[year] ?? { remove: [], add: [] };
      const expected = [
        ...regularEnglandAndWales(year).filter((d) => !change.remove.includes(d)),
        ...change.add,
      ].sort();
      expect(officialDates(year), String(year)).toEqual(expected);
    }
  });

  it.each(Object.keys(OFFICIAL_ENGLAND_AND_WALES).map(Number))("match the official list for %i", (year) => {
    expect(listBankHolidays("england-and-wales", year).map((h) => h.date)).toEqual(officialDates(year));
  });

  it("answer holidayName for every day of every covered year exactly as the official list says", () => {
    const calendar = getHolidayCalendar("england-and-wales");
    const official = new Set(YEARS.flatMap(officialDates));
    for (let date = "2005-01-01"; date <= "2027-12-31"; date = addDays(date, 1)) {
      expect(calendar.holidayName(date) !== null, date).toBe(official.has(date));
    }
  });

  it("name the one-off holidays and the substitute days", () => {
    const calendar = getHolidayCalendar("england-and-wales");
    expect(calendar.holidayName("2011-04-29")).toMatch(/royal wedding/i);
    expect(calendar.holidayName("2012-06-04")).toMatch(/spring bank holiday/i);
    expect(calendar.holidayName("2012-06-05")).toMatch(/jubilee/i);
    expect(calendar.holidayName("2012-05-28")).toBeNull();
    expect(calendar.holidayName("2020-05-08")).toMatch(/VE day/i);
    expect(calendar.holidayName("2020-05-04")).toBeNull();
    expect(calendar.holidayName("2022-06-03")).toMatch(/jubilee/i);
    expect(calendar.holidayName("2022-09-19")).toMatch(/funeral/i);
    expect(calendar.holidayName("2023-05-08")).toMatch(/coronation/i);
    expect(calendar.holidayName("2021-12-27")).toMatch(/christmas day \(substitute day\)/i);
    expect(calendar.holidayName("2021-12-28")).toMatch(/boxing day \(substitute day\)/i);
    expect(calendar.holidayName("2022-01-03")).toMatch(/new year's day \(substitute day\)/i);
    // The weekend day beside a substitute is not itself listed: it is a weekend, not a bank holiday.
    expect(calendar.holidayName("2021-12-25")).toBeNull();
  });

  it("are the same for England and for Wales in date-holidays, so merging them loses nothing", () => {
    for (const year of YEARS) {
      const publicDays = (state: string) =>
        new Holidays("GB", state)
          .getHolidays(year)
          .filter((h) => h.type === "public")
          .map((h) => `${h.date.slice(0, 10)} ${h.name}`);
      expect(publicDays("WLS"), String(year)).toEqual(publicDays("ENG"));
    }
  });

  it("never list a weekend day", () => {
    for (const region of ["england-and-wales", "scotland", "northern-ireland"] as const) {
      for (const year of YEARS) {
        for (const { date } of listBankHolidays(region, year)) {
          expect([0, 6], `${region} ${date}`).not.toContain(dayOfWeek(date));
        }
      }
    }
  });
});

describe("Scotland bank holidays (spot checks)", () => {
  const calendar = getHolidayCalendar("scotland");

  it("include 2 January, with substitute days when New Year falls at a weekend", () => {
    expect(calendar.holidayName("2019-01-02")).not.toBeNull();
    // 2021: Fri 1 Jan and Sat 2 Jan → the 2nd is observed on Mon 4 Jan.
    expect(calendar.holidayName("2021-01-01")).not.toBeNull();
    expect(calendar.holidayName("2021-01-04")).not.toBeNull();
    // 2022: Sat 1 and Sun 2 Jan → Mon 3 and Tue 4 Jan.
    expect(calendar.holidayName("2022-01-03")).not.toBeNull();
    expect(calendar.holidayName("2022-01-04")).not.toBeNull();
  });

  it("include St Andrew's Day (from 2007), moved to Monday when it falls at a weekend", () => {
    expect(calendar.holidayName("2023-11-30")).toMatch(/st andrew/i);
    expect(calendar.holidayName("2019-12-02")).toMatch(/st andrew/i); // Sat 30 Nov 2019
    expect(calendar.holidayName("2025-12-01")).toMatch(/st andrew/i); // Sun 30 Nov 2025
    expect(calendar.holidayName("2007-11-30")).toMatch(/st andrew/i);
    expect(calendar.holidayName("2006-11-30")).toBeNull();
  });

  it("have the summer bank holiday on the first Monday in August, and no Easter Monday", () => {
    expect(calendar.holidayName("2023-08-07")).toMatch(/summer/i);
    expect(calendar.holidayName("2023-08-28")).toBeNull();
    expect(calendar.holidayName("2023-04-10")).toBeNull();
    expect(calendar.holidayName("2023-04-07")).toMatch(/good friday/i);
  });

  it("share the UK-wide one-off holidays", () => {
    for (const date of ["2011-04-29", "2012-06-04", "2012-06-05", "2020-05-08", "2022-09-19", "2023-05-08"]) {
      expect(calendar.holidayName(date), date).not.toBeNull();
    }
    expect(calendar.holidayName("2012-05-28")).toBeNull();
  });
});

describe("Northern Ireland bank holidays (spot checks)", () => {
  const calendar = getHolidayCalendar("northern-ireland");

  it("include St Patrick's Day, moved to Monday when it falls at a weekend", () => {
    expect(calendar.holidayName("2025-03-17")).toMatch(/patrick/i);
    expect(calendar.holidayName("2024-03-18")).toMatch(/patrick/i); // Sun 17 Mar 2024
    expect(calendar.holidayName("2018-03-19")).toMatch(/patrick/i); // Sat 17 Mar 2018
  });

  it("include 12 July (Battle of the Boyne), moved to Monday when it falls at a weekend", () => {
    expect(calendar.holidayName("2023-07-12")).toMatch(/boyne/i);
    expect(calendar.holidayName("2025-07-14")).toMatch(/boyne/i); // Sat 12 Jul 2025
    expect(calendar.holidayName("2026-07-13")).toMatch(/boyne/i); // Sun 12 Jul 2026
  });

  it("otherwise follow England and Wales, Easter Monday and one-offs included", () => {
    expect(calendar.holidayName("2023-04-10")).toMatch(/easter monday/i);
    expect(calendar.holidayName("2023-08-28")).toMatch(/summer/i);
    expect(calendar.holidayName("2011-04-29")).not.toBeNull();
    expect(calendar.holidayName("2012-06-04")).not.toBeNull();
    expect(calendar.holidayName("2022-09-19")).not.toBeNull();
  });
});

describe("getHolidayCalendar", () => {
  it("returns one calendar per region, reporting its range", () => {
    const calendar = getHolidayCalendar("england-and-wales");
    expect(getHolidayCalendar("england-and-wales")).toBe(calendar);
    expect(calendar.region).toBe("england-and-wales");
    expect(calendar.coversYear(2005)).toBe(true);
    expect(calendar.coversYear(2027)).toBe(true);
    expect(calendar.coversYear(2004)).toBe(false);
    expect(calendar.coversYear(BANK_HOLIDAYS_LAST_YEAR + 1)).toBe(false);
  });

  it("refuses to answer for a year it does not cover rather than guess", () => {
    const calendar = getHolidayCalendar("england-and-wales");
    expect(() => calendar.holidayName("2031-12-25")).toThrow(ValidationError);
    expect(() => calendar.holidayName("2031-12-25")).toThrow(/2031 is outside that range/);
    expect(() => listBankHolidays("scotland", 2004)).toThrow(ValidationError);
  });

  it("rejects an unknown region", () => {
    expect(() => getHolidayCalendar("wales" as never)).toThrow(ValidationError);
  });

  it("looks dates up quickly once built", () => {
    const calendar = getHolidayCalendar("northern-ireland");
    calendar.holidayName("2020-01-01");
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) calendar.holidayName("2020-07-13");
    expect(performance.now() - started).toBeLessThan(500);
  });
});
