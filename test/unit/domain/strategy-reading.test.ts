import { describe, expect, it } from "vitest";
import type { Outcome } from "../../../src/domain/decision-record.js";
import { formatQuarter } from "../../../src/domain/financial-period.js";
import {
  agreedStrategy,
  nameOfTitle,
  normaliseSubject,
  periodCovers,
  quarterIn,
  quarterlyUpdate,
  strategyKey,
  strategyNames,
  titleSubject,
  type StrategySource,
} from "../../../src/domain/strategy-reading.js";

const resolved = (text: string, items: string[] = [], kind = "RESOLVED"): Outcome => ({ kind, text, items });

function source(fields: Partial<StrategySource>): StrategySource {
  return {
    title: "Something",
    meetingDate: "2019-07-18",
    record: "",
    outcomes: [resolved("that the report be noted.")],
    ...fields,
  };
}

describe("agreedStrategy", () => {
  it.each([
    [
      "that the Adult Social Care Strategy 2019-2022 be agreed.",
      "Adult Social Care Strategy 2019-2022",
      "2019-04-01",
      "2022-03-31",
    ],
    [
      "that the Adult Social Care Strategy 2019-22 be approved.",
      "Adult Social Care Strategy 2019-22",
      "2019-04-01",
      "2022-03-31",
    ],
    [
      "that the Housing and Homelessness Strategy 2019/20-2021/22 be adopted.",
      "Housing and Homelessness Strategy 2019/20-2021/22",
      "2019-04-01",
      "2022-03-31",
    ],
    [
      "that the refreshed Carers Strategy 2024-27 be endorsed.",
      "Carers Strategy 2024-27",
      "2024-04-01",
      "2027-03-31",
    ],
    [
      "that Cabinet approves the Climate Change Strategy 2021 to 2025.",
      "Climate Change Strategy 2021 to 2025",
      "2021-04-01",
      "2025-03-31",
    ],
    [
      "that the Early Help Strategy for 2020/21 be agreed.",
      "Early Help Strategy for 2020/21",
      "2020-04-01",
      "2021-03-31",
    ],
  ])("reads %s", (text, title, from, to) => {
    const agreed = agreedStrategy({ outcomes: [resolved(text)] });
    expect(agreed).toMatchObject({ title, period: { from, to } });
  });

  it("reads an agreement among numbered items", () => {
    const agreed = agreedStrategy({
      outcomes: [
        resolved("that:-", [
          "the consultation responses be noted.",
          "the Libraries Strategy 2022-2027 be approved.",
        ]),
      ],
    });
    expect(agreed?.title).toBe("Libraries Strategy 2022-2027");
    expect(agreed?.subject).toBe("libraries");
    expect(agreed?.phrase).toBe("the Libraries Strategy 2022-2027 be approved");
  });

  it("does not read noting, recommendations to Council, or a lowercase strategy as an agreement", () => {
    expect(
      agreedStrategy({ outcomes: [resolved("that the Adult Social Care Strategy 2019-2022 be noted.")] }),
    ).toBeNull();
    expect(
      agreedStrategy({
        outcomes: [
          resolved(
            "to Council that the Treasury Management Strategy 2024/25 be approved.",
            [],
            "RECOMMENDED",
          ),
        ],
      }),
    ).toBeNull();
    expect(agreedStrategy({ outcomes: [resolved("that the strategy be agreed.")] })).toBeNull();
    expect(agreedStrategy({ outcomes: [resolved("that the report on progress be agreed.")] })).toBeNull();
  });

  it("gives no period for a lone year or a backwards one", () => {
    expect(
      agreedStrategy({ outcomes: [resolved("that the Net Zero Strategy 2030 be adopted.")] })?.period,
    ).toBeNull();
    expect(agreedStrategy({ outcomes: [resolved("that the Digital Strategy be approved.")] })).toMatchObject({
      title: "Digital Strategy",
      period: null,
    });
  });
});

describe("strategyNames and keys", () => {
  it("treats 2017-20, 2017-2020 and 2017/18-2019/20 as one strategy", () => {
    const keys = [
      "Children's Services Strategy 2017-20",
      "Children’s Services Strategy 2017-2020",
      "Children's Services Strategy 2017/18-2019/20",
    ].map((t) => {
      const [name] = strategyNames(t);
      return strategyKey(name!.subject, name!.period);
    });
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe("childrens services|2017-04-01|2020-03-31");
  });

  it("skips lead-in words and the bare word strategy", () => {
    const names = strategyNames(
      "The strategy, agreed by Cabinet in June 2019, built on the Council Plan. Progress against the Adult Social Care Strategy 2019-2022 was reported.",
    );
    expect(names.map((n) => n.title)).toEqual(["Adult Social Care Strategy 2019-2022"]);
  });

  it("reads a stored title, falling back to the stored period", () => {
    expect(nameOfTitle("Carers Strategy", { from: "2024-04-01", to: "2027-03-31" })).toMatchObject({
      subject: "carers",
      period: { from: "2024-04-01", to: "2027-03-31" },
    });
    expect(normaliseSubject("The Health & Wellbeing")).toBe("health and wellbeing");
  });

  it("knows which quarters a period covers", () => {
    const period = { from: "2019-04-01", to: "2022-03-31" };
    expect(periodCovers(period, { startYear: 2019, quarter: 1 })).toBe(true);
    expect(periodCovers(period, { startYear: 2021, quarter: 4 })).toBe(true);
    expect(periodCovers(period, { startYear: 2022, quarter: 1 })).toBe(false);
    expect(periodCovers(period, { startYear: 2018, quarter: 4 })).toBe(false);
  });
});

describe("quarterIn", () => {
  it.each([
    ["Adult Social Care Performance Q2", 2, null],
    ["Quarter 3 performance report", 3, null],
    ["Quarter Two Performance", 2, null],
    ["Performance in the second quarter", 2, null],
    ["Housing Performance Update Q1 (April - June)", 1, null],
    ["Housing Performance Update (July to September)", 2, null],
    ["Performance (Oct - Dec)", 3, null],
    ["2018/19 Quarter 2 Performance Report", 2, 2018],
    ["Q1 (April - June 2025)", 1, 2025],
    ["Q4 and Year End (January - March 2026)", 4, 2025],
    ["Quarter 4 2019-20", 4, 2019],
  ])("%s", (text, quarter, startYear) => {
    expect(quarterIn(text)).toMatchObject({ quarter, startYear });
  });

  it("reads nothing from a title without a quarter, or one that contradicts itself", () => {
    expect(quarterIn("Adult Social Care Fee Rates")).toBeNull();
    expect(quarterIn("Q2 (April - June)")).toBeNull();
    expect(quarterIn("Roadworks (June - December)")).toBeNull();
  });
});

describe("quarterlyUpdate", () => {
  const ascUpdate = source({
    title: "Adult Social Care Performance Update Q2 (July - Sept)",
    meetingDate: "2019-11-14",
    record:
      "Consideration was given to a report on performance against the Adult Social Care Strategy 2019-22, agreed by Cabinet in June 2019.",
  });

  it("reads the quarter from the title and the meeting, and the strategies named", () => {
    const update = quarterlyUpdate(ascUpdate)!;
    expect(formatQuarter(update.quarter)).toBe("2019-20 Q2");
    expect(update.quarterFrom).toBe("title names Q2 (July - Sept)");
    expect(update.subject).toBe("adult social care");
    expect(update.strategies.map((s) => s.title)).toEqual(["Adult Social Care Strategy 2019-22"]);
  });

  it("puts a Q4 update considered in June in the previous financial year", () => {
    const update = quarterlyUpdate(
      source({ title: "Quarter 4 Performance Report", meetingDate: "2020-06-25" }),
    )!;
    expect(formatQuarter(update.quarter)).toBe("2019-20 Q4");
    expect(update.subject).toBeNull();
  });

  it("puts a Q3 update considered in February in the same financial year", () => {
    const update = quarterlyUpdate(
      source({ title: "Quarter 3 performance report", meetingDate: "2020-02-13" }),
    )!;
    expect(formatQuarter(update.quarter)).toBe("2019-20 Q3");
  });

  it("takes the year the title gives, over the meeting", () => {
    const update = quarterlyUpdate(
      source({ title: "2018/19 Quarter 2 Performance Report", meetingDate: "2019-07-18" }),
    )!;
    expect(formatQuarter(update.quarter)).toBe("2018-19 Q2");
  });

  it("reads the quarter from the text of a performance report whose title names none", () => {
    const update = quarterlyUpdate(
      source({
        title: "Housing Performance Update",
        meetingDate: "2024-01-18",
        record:
          "The report set out performance for the third quarter of 2023/24 against the Housing Strategy 2022-2025.",
      }),
    )!;
    expect(formatQuarter(update.quarter)).toBe("2023-24 Q3");
    expect(update.quarterFrom).toBe("text names third quarter");
    expect(update.subject).toBe("housing");
  });

  it("is not an update: no quarter, a quarter not yet started, an agreeing record", () => {
    expect(quarterlyUpdate(source({ title: "Adult Social Care Fee Rates 2020/21" }))).toBeNull();
    expect(
      quarterlyUpdate(source({ title: "Housing Update", record: "A Q3 report will follow." })),
    ).toBeNull();
    expect(
      quarterlyUpdate(source({ title: "2020/21 Quarter 1 Performance Report", meetingDate: "2020-02-13" })),
    ).toBeNull();
    expect(
      quarterlyUpdate(
        source({
          title: "Carers Strategy Q2 Refresh",
          outcomes: [resolved("that the Carers Strategy 2019-22 be agreed.")],
        }),
      ),
    ).toBeNull();
  });

  it("names each strategy once, first-named first", () => {
    const update = quarterlyUpdate(
      source({
        title: "Children and Families Performance Q1",
        meetingDate: "2021-09-16",
        record:
          "Performance against the Children and Families Strategy 2021-24. Preparations for the Early Help Strategy 2022-25 continued. The Children and Families Strategy 2021-2024 remained on track.",
      }),
    )!;
    expect(update.strategies.map((s) => s.title)).toEqual([
      "Children and Families Strategy 2021-24",
      "Early Help Strategy 2022-25",
    ]);
  });

  it("reads a title's subject", () => {
    expect(titleSubject("Children's Services Performance Update Q2 (July - Sept)")).toBe(
      "childrens services",
    );
    expect(titleSubject("Quarter 3 performance report")).toBeNull();
    expect(titleSubject("Adult Social Care – Quarterly Performance Q1")).toBe("adult social care");
  });
});
