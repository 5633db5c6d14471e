import { describe, expect, it } from "vitest";

import { computeCallInDeadline, type HolidayCalendar } from "../../../src/domain/call-in-deadline.js";
import {
  describeLeftOut,
  inferCallInRule,
  type CallInEvidence,
  type InferredRuleShape,
} from "../../../src/domain/call-in-rule-inference.js";
import type { IsoDate } from "../../../src/domain/iso-date.js";

// England and Wales bank holidays 2022-2024 as published on GOV.UK (the Queen's funeral, the coronation and
// the Christmas substitute days included). Self-contained: the domain must not depend on the adapter.
const HOLIDAYS: Record<IsoDate, string> = {
  "2022-01-03": "New Year's Day (substitute day)",
  "2022-04-15": "Good Friday",
  "2022-04-18": "Easter Monday",
  "2022-05-02": "Early May bank holiday",
  "2022-06-02": "Spring bank holiday",
  "2022-06-03": "Queen's Platinum Jubilee",
  "2022-08-29": "Summer bank holiday",
  "2022-09-19": "Queen Elizabeth's Funeral Day",
  "2022-12-26": "Boxing Day",
  "2022-12-27": "Christmas Day (substitute day)",
  "2023-01-02": "New Year's Day (substitute day)",
  "2023-04-07": "Good Friday",
  "2023-04-10": "Easter Monday",
  "2023-05-01": "Early May bank holiday",
  "2023-05-08": "King Charles III's Coronation",
  "2023-05-29": "Spring bank holiday",
  "2023-08-28": "Summer bank holiday",
  "2023-12-25": "Christmas Day",
  "2023-12-26": "Boxing Day",
  "2024-01-01": "New Year's Day",
  "2024-03-29": "Good Friday",
  "2024-04-01": "Easter Monday",
  "2024-05-06": "Early May bank holiday",
  "2024-05-27": "Spring bank holiday",
  "2024-08-26": "Summer bank holiday",
  "2024-12-25": "Christmas Day",
  "2024-12-26": "Boxing Day",
};

const calendar: HolidayCalendar = {
  region: "england-and-wales",
  firstYear: 2022,
  lastYear: 2024,
  coversYear: (year) => year >= 2022 && year <= 2024,
  holidayName: (date) => HOLIDAYS[date] ?? null,
};

const STOCKTON: InferredRuleShape = {
  countFrom: "publication-day",
  days: 5,
  dayKind: "working",
  cutoff: "24:00",
};

/**
 * Stockton's practice, written out by hand (midnight ending the 5th working day, counting the publication day):
 * the Queen's funeral, Christmas, Easter, the coronation and late-May and August bank holiday weeks.
 */
const STOCKTON_PAIRS: Array<[IsoDate, IsoDate]> = [
  ["2022-09-15", "2022-09-22"], // Thu; Mon 19 Sep 2022 (the funeral) is not counted
  ["2022-12-12", "2022-12-16"], // Mon → Fri
  ["2022-12-21", "2022-12-29"], // Wed; Mon 26 and Tue 27 Dec are bank holidays
  ["2023-02-20", "2023-02-24"],
  ["2023-03-30", "2023-04-05"], // over a weekend
  ["2023-04-04", "2023-04-12"], // Easter: Good Friday and Easter Monday
  ["2023-05-03", "2023-05-10"], // the coronation, Mon 8 May
  ["2023-05-26", "2023-06-02"], // Fri; spring bank holiday Mon 29 May
  ["2023-08-24", "2023-08-31"], // summer bank holiday Mon 28 Aug
  ["2023-11-13", "2023-11-17"],
  ["2023-12-19", "2023-12-27"], // Christmas Day and Boxing Day
  ["2024-06-11", "2024-06-17"],
];

function stocktonEvidence(): CallInEvidence[] {
  return STOCKTON_PAIRS.map(([publishedOn, deadline], i) => ({
    decisionId: i + 1,
    label: `D${String(i + 1).padStart(3, "0")}`,
    publishedOn,
    deadline,
    printedCutoff: "24:00",
  }));
}

/** Publication days spread over the weekdays and the bank-holiday weeks of 2022-2024. */
const PUBLICATION_DAYS: IsoDate[] = [
  "2022-04-12",
  "2022-04-14",
  "2022-05-27",
  "2022-06-01",
  "2022-08-25",
  "2022-09-14",
  "2022-09-16",
  "2022-12-20",
  "2022-12-23",
  "2023-01-09",
  "2023-03-06",
  "2023-04-05",
  "2023-05-04",
  "2023-07-18",
  "2023-10-26",
  "2023-12-21",
  "2024-03-27",
  "2024-05-02",
  "2024-08-22",
  "2024-11-06",
];

/** Pairs a council following `rule` would print (the deadline is the domain's own, tested elsewhere). */
function pairsFollowing(rule: InferredRuleShape, printedCutoff: string | null): CallInEvidence[] {
  return PUBLICATION_DAYS.map((publishedOn, i) => ({
    decisionId: 100 + i,
    label: `Decision ${i + 1}`,
    publishedOn,
    deadline: computeCallInDeadline(
      publishedOn,
      { ...rule, holidayRegion: "england-and-wales", closureDays: [], timeZone: "Europe/London" },
      calendar,
    ).deadline,
    printedCutoff,
  }));
}

describe("inferCallInRule", () => {
  it("finds Stockton's rule: 5 working days counting the publication day, to midnight, over bank-holiday weeks", () => {
    const result = inferCallInRule(stocktonEvidence(), { calendar });
    expect(result.best).toEqual({ rule: STOCKTON, explained: 12, total: 12, share: 1 });
    expect(result.unexplained).toEqual([]);
    expect(result.nothingToInferFrom).toBeNull();
    // The same deadlines, read as "the 4th working day after publication": reported, but the usual length wins.
    expect(result.equallyGood.map((r) => r.rule)).toEqual([
      { countFrom: "next-day", days: 4, dayKind: "working", cutoff: "24:00" },
    ]);
    // No calendar-day rule comes near: the bank holidays give it away.
    const calendarRule = result.runnersUp.find((r) => r.rule.dayKind === "calendar");
    expect(calendarRule?.explained ?? 0).toBeLessThan(9);
    expect(result.runnersUp.every((r) => r.explained < 12)).toBe(true);
    // Every publication here is on a working day, so "N days counting it" and "N-1 days after it" explain the
    // same pairs: the runners-up list each such practice once.
    const practices = result.runnersUp.map(
      (r) =>
        `${r.rule.dayKind} ${r.rule.countFrom === "publication-day" ? r.rule.days : r.rule.days + 1} ${r.rule.cutoff}`,
    );
    expect(result.runnersUp.length).toBeGreaterThan(2);
    expect(new Set(practices).size).toBe(result.runnersUp.length);
  });

  it("would miss the funeral week if the holiday were not in the calendar", () => {
    const withoutFuneral: HolidayCalendar = {
      ...calendar,
      holidayName: (date) => (date === "2022-09-19" ? null : (HOLIDAYS[date] ?? null)),
    };
    const result = inferCallInRule(stocktonEvidence(), { calendar: withoutFuneral });
    expect(result.best?.rule).toEqual(STOCKTON);
    expect(result.best?.explained).toBe(11);
    expect(result.unexplained).toEqual([
      {
        decisionId: 1,
        label: "D001",
        publishedOn: "2022-09-15",
        evidence: "deadline",
        printed: { deadline: "2022-09-22", effectiveFrom: null, cutoff: "24:00" },
        ruleGives: { deadline: "2022-09-21", cutoff: "24:00", effectiveFrom: "2022-09-22" },
        mismatch: "date",
      },
    ]);
  });

  it("skips the council's closure days, and counts from Monday when a record is published on a Saturday", () => {
    const pairs: CallInEvidence[] = [
      ...stocktonEvidence().filter((p) => p.publishedOn !== "2022-12-21"),
      // Wed 21, Thu 22, Fri 23 December; Tue 3, Wed 4 January (closed 28-30 December; bank holidays 26, 27
      // December and 2 January).
      { label: "Christmas", publishedOn: "2022-12-21", deadline: "2023-01-04", printedCutoff: "24:00" },
      // Published Sat 18 Feb 2023: Mon 20 to Fri 24 are the five working days.
      { label: "Saturday", publishedOn: "2023-02-18", deadline: "2023-02-24", printedCutoff: "24:00" },
    ];
    const closureDays = ["2022-12-28", "2022-12-29", "2022-12-30"];
    const result = inferCallInRule(pairs, { calendar, closureDays });
    expect(result.best).toMatchObject({ rule: STOCKTON, explained: 13, total: 13 });

    const withoutClosures = inferCallInRule(pairs, { calendar });
    expect(withoutClosures.best).toMatchObject({ rule: STOCKTON, explained: 12 });
    expect(withoutClosures.unexplained.map((p) => [p.label, p.ruleGives.deadline])).toEqual([
      ["Christmas", "2022-12-29"],
    ]);
  });

  it("finds Salford's rule: the 5th working day after publication, at 16:00", () => {
    const salford: InferredRuleShape = {
      countFrom: "next-day",
      days: 5,
      dayKind: "working",
      cutoff: "16:00",
    };
    const pairs = pairsFollowing(salford, "16:00");
    // Hand-checked: published Thu 15 Sep 2022 → Fri 16, Tue 20, Wed 21, Thu 22, Fri 23 September.
    pairs.push({
      label: "funeral week",
      publishedOn: "2022-09-15",
      deadline: "2022-09-23",
      printedCutoff: "16:00",
    });
    const result = inferCallInRule(pairs, { calendar });
    expect(result.best).toMatchObject({ rule: salford, explained: 21, total: 21, share: 1 });
    expect(result.equallyGood.map((r) => r.rule)).toEqual([
      { ...salford, countFrom: "publication-day", days: 6 },
    ]);
  });

  it("finds a calendar-day rule (Colchester-like: 7 days after publication, 17:00) from the bank-holiday weeks", () => {
    const colchester: InferredRuleShape = {
      countFrom: "next-day",
      days: 7,
      dayKind: "calendar",
      cutoff: "17:00",
    };
    const pairs = pairsFollowing(colchester, "17:00");
    // Hand-checked: published Thu 14 Apr 2022 → Thu 21 Apr, over Easter (5 working days would give Mon 25).
    pairs.push({
      label: "Easter",
      publishedOn: "2022-04-14",
      deadline: "2022-04-21",
      printedCutoff: "17:00",
    });
    const result = inferCallInRule(pairs, { calendar });
    expect(result.best).toMatchObject({ rule: colchester, explained: 21, share: 1 });
    // Outside bank-holiday weeks a week is 5 working days, so the working-day reading explains some, not all.
    const working = result.runnersUp.find(
      (r) => r.rule.dayKind === "working" && r.rule.countFrom === "next-day" && r.rule.days === 5,
    );
    expect(working?.explained).toBeGreaterThan(0);
    expect(working?.explained).toBeLessThan(21);
  });

  it("with a holiday-free week only, prefers the working-day reading and lists the calendar one as equally good", () => {
    const pairs: CallInEvidence[] = [
      { label: "a", publishedOn: "2023-01-31", deadline: "2023-02-07", printedCutoff: "17:00" },
      { label: "b", publishedOn: "2023-02-02", deadline: "2023-02-09", printedCutoff: "17:00" },
    ];
    const result = inferCallInRule(pairs, { calendar });
    expect(result.best?.rule).toEqual({
      countFrom: "next-day",
      days: 5,
      dayKind: "working",
      cutoff: "17:00",
    });
    expect(result.equallyGood.map((r) => r.rule)).toContainEqual({
      countFrom: "next-day",
      days: 7,
      dayKind: "calendar",
      cutoff: "17:00",
    });
  });

  it("explains most of mixed data and lists the outliers with what the rule gives", () => {
    const pairs = stocktonEvidence();
    pairs.push(
      // A typo: the 27th for the 24th.
      {
        decisionId: 50,
        label: "D050",
        publishedOn: "2023-11-20",
        deadline: "2023-11-27",
        printedCutoff: "24:00",
      },
      // The right day at the wrong time.
      {
        decisionId: 51,
        label: "D051",
        publishedOn: "2023-11-21",
        deadline: "2023-11-27",
        printedCutoff: "17:00",
      },
      // A deadline before publication.
      {
        decisionId: 52,
        label: "D052",
        publishedOn: "2023-11-22",
        deadline: "2023-11-01",
        printedCutoff: null,
      },
      // No time printed: agrees with any cutoff.
      {
        decisionId: 53,
        label: "D053",
        publishedOn: "2023-11-23",
        deadline: "2023-11-29",
        printedCutoff: null,
      },
    );
    const result = inferCallInRule(pairs, {
      calendar,
      compareWith: { ...STOCKTON, days: 3 },
      runnersUp: 500,
    });
    expect(result.best).toMatchObject({ rule: STOCKTON, explained: 13, total: 16 });
    expect(result.best?.share).toBeCloseTo(13 / 16);
    expect(result.unexplained.map((p) => [p.label, p.mismatch, p.ruleGives.deadline])).toEqual([
      ["D050", "date", "2023-11-24"],
      ["D051", "time", "2023-11-27"],
      ["D052", "date", "2023-11-28"],
    ]);
    // 17:00 was printed once, so it was tried; midnight (printed 13 times) is preferred.
    expect(result.runnersUp.some((r) => r.rule.cutoff === "17:00")).toBe(true);
    // The current rule for comparison: 3 working days explains none.
    expect(result.compared).toMatchObject({ explained: 0, total: 16, share: 0 });
  });

  it("reads effective-from dates: the day after the deadline, or the next working day after it", () => {
    const pairs: CallInEvidence[] = STOCKTON_PAIRS.map(([publishedOn, deadline], i) => {
      const dayAfter = new Date(Date.parse(`${deadline}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      return {
        label: `E${i}`,
        publishedOn,
        // Half the council's pages give the day after the deadline (a Saturday after a Friday), half the next
        // working day (the Monday, or after Christmas the 28th).
        effectiveFrom: i % 2 === 0 ? dayAfter : nextWorkingDay(deadline),
      };
    });
    const result = inferCallInRule(pairs, { calendar, compareWith: STOCKTON });
    expect(result.best).toMatchObject({ rule: STOCKTON, explained: 12, total: 12 });
    expect(result.compared).toMatchObject({ explained: 12 });
    expect(result.unexplained).toEqual([]);

    const wrong = inferCallInRule(
      [...pairs, { label: "late", publishedOn: "2023-02-20", effectiveFrom: "2023-03-01" }],
      {
        calendar,
      },
    );
    expect(wrong.unexplained).toEqual([
      {
        decisionId: null,
        label: "late",
        publishedOn: "2023-02-20",
        evidence: "effective-from",
        printed: { deadline: null, effectiveFrom: "2023-03-01", cutoff: null },
        ruleGives: { deadline: "2023-02-24", cutoff: "24:00", effectiveFrom: "2023-02-25" },
        mismatch: "date",
      },
    ]);
  });

  it("uses the printed deadline, not the effective-from date, when a record gives both", () => {
    const result = inferCallInRule(
      [{ label: "both", publishedOn: "2023-02-20", deadline: "2023-02-24", effectiveFrom: "2023-03-10" }],
      { calendar },
    );
    expect(result.best?.explained).toBe(1);
  });

  it("leaves out and counts what cannot be used", () => {
    const pairs: CallInEvidence[] = [
      ...stocktonEvidence().slice(0, 3),
      { label: "Budget", publishedOn: "2023-02-20", deadline: null, subjectToCallIn: false },
      { label: "Urgent", publishedOn: "2023-02-20", deadline: "2023-02-24", subjectToCallIn: false },
      { label: "N/A", publishedOn: "2023-02-20", deadline: null, effectiveFrom: null },
      { label: "Draft-like", publishedOn: null, deadline: "2023-02-24" },
      { label: "Old", publishedOn: "2019-01-31", deadline: "2019-02-07" },
    ];
    const result = inferCallInRule(pairs, { calendar });
    expect(result).toMatchObject({ considered: 8, usable: 3, best: { explained: 3, total: 3 } });
    expect(result.leftOut.map((p) => [p.label, p.reason])).toEqual([
      ["Budget", "not subject to call-in"],
      ["Urgent", "not subject to call-in"],
      ["N/A", "no deadline or effective-from date"],
      ["Draft-like", "no publication date"],
      ["Old", "cannot be computed"],
    ]);
    expect(result.leftOut[4]?.detail).toMatch(/2019 is outside that range/);
    expect(describeLeftOut(result.leftOut)).toBe(
      "2 not subject to call-in, 1 with neither a call-in deadline nor an effective-from date, " +
        "1 without a publication date, 1 outside the years the bank holidays are known for",
    );
  });

  it("says there is nothing to infer from when no pair is usable", () => {
    const empty = inferCallInRule([], { calendar, compareWith: STOCKTON });
    expect(empty).toMatchObject({
      best: null,
      equallyGood: [],
      runnersUp: [],
      considered: 0,
      usable: 0,
      compared: { explained: 0, total: 0 },
      nothingToInferFrom: "there are no published decisions to infer a call-in rule from",
    });

    const none = inferCallInRule(
      [
        { label: "Budget", publishedOn: "2023-02-20", subjectToCallIn: false },
        { label: "N/A", publishedOn: "2023-02-20" },
      ],
      { calendar },
    );
    expect(none.best).toBeNull();
    expect(none.nothingToInferFrom).toBe(
      "none of the 2 published decisions gives both a publication date and a call-in deadline or " +
        "effective-from date (1 not subject to call-in, 1 with neither a call-in deadline nor an effective-from date)",
    );
  });

  it("says so when no rule fits any pair", () => {
    const result = inferCallInRule([{ label: "x", publishedOn: "2023-02-20", deadline: "2023-01-01" }], {
      calendar,
    });
    expect(result.best).toBeNull();
    expect(result.unexplained).toEqual([]);
    expect(result.nothingToInferFrom).toBe(
      "the one decision with a printed date fits no rule of 1 to 15 working or calendar days",
    );
  });
});

function nextWorkingDay(date: IsoDate): IsoDate {
  let ms = Date.parse(`${date}T00:00:00Z`);
  for (;;) {
    ms += 86_400_000;
    const day = new Date(ms);
    const iso = day.toISOString().slice(0, 10);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6 && HOLIDAYS[iso] === undefined) return iso;
  }
}
