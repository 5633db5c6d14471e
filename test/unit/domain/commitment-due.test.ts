import { describe, expect, it } from "vitest";
import {
  isPastDue,
  nextQuarterAfter,
  quarterAfterMonths,
  quarterOfMonth,
  quarterOfNewYear,
  quarterOfNextMonth,
  reportedQuarter,
} from "../../../src/domain/commitment-due.js";
import { formatQuarter, type FinancialQuarter } from "../../../src/domain/financial-period.js";

const label = (q: FinancialQuarter) => formatQuarter(q);

describe("when a commitment falls due", () => {
  it("reads the quarter a performance update reports on from the meeting that considered it", () => {
    // A Q2 (July-September) update considered in November 2017 reports on 2017-18 Q2.
    expect(label(reportedQuarter(2, "2017-11-16"))).toBe("2017-18 Q2");
    // A Q4 update considered in June 2018 (2018-19 Q1) reports on the year just ended.
    expect(label(reportedQuarter(4, "2018-06-21"))).toBe("2017-18 Q4");
    // A Q3 update considered in February 2018: 2017-18 Q3.
    expect(label(reportedQuarter(3, "2018-02-15"))).toBe("2017-18 Q3");
    // A quarter considered within itself (an early look) is still that quarter.
    expect(label(reportedQuarter(1, "2017-06-29"))).toBe("2017-18 Q1");
  });

  it("puts the next quarter after the reported one, across the year's end, never before the meeting's", () => {
    expect(label(nextQuarterAfter({ startYear: 2017, quarter: 2 }, "2017-11-16"))).toBe("2017-18 Q3");
    expect(label(nextQuarterAfter({ startYear: 2017, quarter: 4 }, "2018-06-21"))).toBe("2018-19 Q1");
    expect(label(nextQuarterAfter({ startYear: 2017, quarter: 2 }, "2017-09-28"))).toBe("2017-18 Q3");
    // A Q1 update considered in October: Q2 is over, so the next quarter is the meeting's own.
    expect(label(nextQuarterAfter({ startYear: 2026, quarter: 1 }, "2026-10-15"))).toBe("2026-27 Q3");
  });

  it("takes a month without a year as the next such month from the meeting", () => {
    expect(label(quarterOfNextMonth(12, "2017-11-16"))).toBe("2017-18 Q3"); // December 2017
    expect(label(quarterOfNextMonth(11, "2017-11-16"))).toBe("2017-18 Q3"); // this month
    expect(label(quarterOfNextMonth(3, "2017-11-16"))).toBe("2017-18 Q4"); // March 2018
    expect(label(quarterOfNextMonth(6, "2017-11-16"))).toBe("2018-19 Q1"); // June 2018
    expect(label(quarterOfNextMonth(12, "2018-02-08"))).toBe("2018-19 Q3"); // December 2018
  });

  it("counts months from the meeting date", () => {
    expect(label(quarterAfterMonths("2017-11-16", 6))).toBe("2018-19 Q1"); // May 2018
    expect(label(quarterAfterMonths("2017-06-21", 6))).toBe("2017-18 Q3"); // 21 December 2017
    expect(label(quarterAfterMonths("2017-10-31", 3))).toBe("2017-18 Q4"); // January 2018
    expect(label(quarterAfterMonths("2017-11-16", 12))).toBe("2018-19 Q3");
  });

  it("reads explicit months and the new year", () => {
    expect(label(quarterOfMonth(3, 2018))).toBe("2017-18 Q4");
    expect(label(quarterOfMonth(4, 2018))).toBe("2018-19 Q1");
    expect(label(quarterOfNewYear("2017-11-16"))).toBe("2017-18 Q4");
    expect(label(quarterOfNewYear("2018-01-11"))).toBe("2017-18 Q4");
    expect(label(quarterOfNewYear("2018-02-11"))).toBe("2018-19 Q4");
  });

  it("is overdue only once the due quarter's last day has passed", () => {
    const q3: FinancialQuarter = { startYear: 2017, quarter: 3 };
    expect(isPastDue(q3, "2017-12-31")).toBe(false);
    expect(isPastDue(q3, "2018-01-01")).toBe(true);
    expect(isPastDue(q3, "2017-10-01")).toBe(false);
  });
});
