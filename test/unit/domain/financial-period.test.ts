import { describe, expect, it } from "vitest";
import {
  addQuarters,
  compareQuarters,
  formatQuarter,
  parseFinancialYear,
  parseQuarter,
  quarterDates,
  quarterMonths,
  quarterOf,
} from "../../../src/domain/financial-period.js";

describe("financial quarters", () => {
  it("read and write 2017-18 Q2", () => {
    expect(parseQuarter("2017-18 Q2")).toEqual({ startYear: 2017, quarter: 2 });
    expect(parseQuarter(" 1999-00 q4 ")).toEqual({ startYear: 1999, quarter: 4 });
    expect(formatQuarter({ startYear: 2017, quarter: 2 })).toBe("2017-18 Q2");
    expect(formatQuarter({ startYear: 1999, quarter: 1 })).toBe("1999-00 Q1");
    for (const bad of ["2017-19 Q2", "2017-18 Q5", "2017 Q2", "Q2 2017-18", ""]) {
      expect(() => parseQuarter(bad, "period"), bad).toThrow(/period: .* is not a financial quarter/);
    }
    expect(parseFinancialYear("2017-18")).toBe(2017);
    expect(() => parseFinancialYear("2017-2018")).toThrow(/financial year/);
  });

  it("place dates in the April-to-March year", () => {
    expect(formatQuarter(quarterOf("2017-11-20"))).toBe("2017-18 Q3");
    expect(formatQuarter(quarterOf("2017-04-01"))).toBe("2017-18 Q1");
    expect(formatQuarter(quarterOf("2017-06-30"))).toBe("2017-18 Q1");
    expect(formatQuarter(quarterOf("2018-03-31"))).toBe("2017-18 Q4");
    expect(formatQuarter(quarterOf("2018-01-01"))).toBe("2017-18 Q4");
  });

  it("count quarters across years, and give their dates", () => {
    expect(formatQuarter(addQuarters({ startYear: 2017, quarter: 2 }, 1))).toBe("2017-18 Q3");
    expect(formatQuarter(addQuarters({ startYear: 2017, quarter: 4 }, 1))).toBe("2018-19 Q1");
    expect(formatQuarter(addQuarters({ startYear: 2017, quarter: 1 }, -1))).toBe("2016-17 Q4");
    expect(formatQuarter(addQuarters({ startYear: 2017, quarter: 2 }, 4))).toBe("2018-19 Q2");
    expect(compareQuarters(parseQuarter("2017-18 Q4"), parseQuarter("2018-19 Q1"))).toBeLessThan(0);
    expect(compareQuarters(parseQuarter("2017-18 Q2"), parseQuarter("2017-18 Q2"))).toBe(0);
    expect(quarterDates(parseQuarter("2017-18 Q2"))).toEqual({ from: "2017-07-01", to: "2017-09-30" });
    expect(quarterDates(parseQuarter("2019-20 Q4"))).toEqual({ from: "2020-01-01", to: "2020-03-31" });
    expect(quarterDates(parseQuarter("2017-18 Q3"))).toEqual({ from: "2017-10-01", to: "2017-12-31" });
    expect(quarterMonths(parseQuarter("2017-18 Q2"))).toBe("July to September 2017");
    expect(quarterMonths(parseQuarter("2017-18 Q4"))).toBe("January to March 2018");
  });
});
