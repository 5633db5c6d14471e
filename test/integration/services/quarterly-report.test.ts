import { extractText, extractTextItems, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../../src/domain/errors.js";
import {
  getStrategy,
  importKpiValues,
  quarterlyReport,
  renderQuarterlyPdf,
  reportedQuarters,
  setKpiValue,
} from "../../../src/services/strategies/index.js";
import { useTestDatabase } from "../backends.js";
import { HOUSING_SLUG, seedHousingStrategy } from "./housing-strategy.js";

const t = useTestDatabase();

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error,
  );
}

describe("a strategy's quarterly report", () => {
  it("gives each KPI's figures for the quarter, RAG, directions and commentary", async () => {
    const { councilId } = await seedHousingStrategy(t.database);
    const report = await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2018, 2);
    expect(report.period).toBe("2018-19 Q2");
    expect(report.months).toBe("July to September 2018");
    expect(report.strategy.title).toBe("Housing & Homelessness Strategy 2018-2021");
    expect(report.previous).toEqual({ startYear: 2018, quarter: 1 });
    expect(report.next).toEqual({ startYear: 2018, quarter: 3 });
    expect(report.priorities.map((p) => p.title)).toEqual([
      "More homes that people can afford",
      "Preventing homelessness",
    ]);
    const [hs01, hs02] = report.priorities[0]!.kpis;
    // 38 against 40: short by 5% of the target, amber; better than Q1 (22) and than a year before (31, before
    // the strategy started).
    expect(hs01!.value).toMatchObject({
      actual: 38,
      target: 40,
      rag: "amber",
      direction: "improving",
      directionFromYearBefore: "improving",
      commentary: "Hartfields phase 3 handed over in August.",
    });
    expect(hs02!.value).toMatchObject({ actual: 29, rag: "amber", direction: "improving" });
    const hs04 = report.priorities[1]!.kpis[1]!;
    expect(hs04.value).toMatchObject({ actual: 84300, rag: "red", direction: null });
    // The series runs over the strategy's quarters up to this one: the baseline before it is left out.
    expect(hs01!.series).toEqual([
      { period: "2018-19 Q1", actual: 22, target: 40 },
      { period: "2018-19 Q2", actual: 38, target: 40 },
    ]);
    expect(hs04.series).toEqual([
      { period: "2018-19 Q1", actual: null, target: null },
      { period: "2018-19 Q2", actual: 84300, target: 60000 },
    ]);
    expect(report.updatedAt).toBeInstanceOf(Date);
  });

  it("has no quarter before the strategy's first or after its last reported one", async () => {
    const { councilId } = await seedHousingStrategy(t.database);
    const first = await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2018, 1);
    expect(first.previous).toBeNull();
    const latest = await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2019, 1);
    expect(latest.next).toBeNull();
    expect(latest.priorities[1]!.kpis[0]!.value).toBeNull();
    expect(latest.priorities[1]!.kpis[0]!.series).toHaveLength(5);
    // A quarter in the period with no figures yet is a report of nothing entered, not an error.
    const empty = await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2020, 4);
    expect(empty.updatedAt).toBeNull();
    expect(empty.priorities.flatMap((p) => p.kpis).every((k) => k.value === null)).toBe(true);
    expect(empty.next).toBeNull();

    await setKpiValue(t.database, councilId, "HS01", "2019-20 Q2", { actual: 44, target: 45 }, "test");
    expect((await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2019, 1)).next).toEqual({
      startYear: 2019,
      quarter: 2,
    });
  });

  it("refuses a quarter outside the strategy's period, or a strategy that is not there", async () => {
    const { councilId } = await seedHousingStrategy(t.database);
    for (const [year, quarter] of [
      [2017, 4],
      [2021, 1],
      [2018, 5],
      [2018, 0],
    ] as const) {
      expect(await errorOf(quarterlyReport(t.db, councilId, HOUSING_SLUG, year, quarter))).toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(await errorOf(quarterlyReport(t.db, councilId, "early-help", 2018, 1))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it("lists the quarters with figures, newest first, only those the strategy covers", async () => {
    const { councilId } = await seedHousingStrategy(t.database);
    const quarters = reportedQuarters(await getStrategy(t.db, councilId, HOUSING_SLUG));
    expect(quarters).toEqual([
      { startYear: 2019, quarter: 1 },
      { startYear: 2018, quarter: 4 },
      { startYear: 2018, quarter: 3 },
      { startYear: 2018, quarter: 2 },
      { startYear: 2018, quarter: 1 },
    ]);
  });
});

describe("the quarterly report as a PDF", () => {
  it("is a tagged PDF with the KPIs, their figures and a chart each", async () => {
    const { councilId } = await seedHousingStrategy(t.database);
    const report = await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2018, 3);
    const bytes = renderQuarterlyPdf(report);
    const raw = new TextDecoder("latin1").decode(bytes);
    expect(raw.startsWith("%PDF-1.7")).toBe(true);
    expect(raw.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(raw).toContain("/Lang (en-GB)");
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    expect(raw.match(/\/FontFile2 /g)).toHaveLength(2);
    expect(raw).not.toContain("/Helvetica");

    const text = (await extractText(new Uint8Array(bytes), { mergePages: true })).text.replace(/\s+/g, " ");
    expect(text).toContain("Housing & Homelessness Strategy 2018-2021 — performance, 2018-19 Q3");
    expect(text).toContain("(October to December 2018)");
    for (const name of [
      "HS01 Affordable homes completed",
      "HS02 Average days to re-let a council home",
      "HS03 Households whose homelessness was prevented",
      "HS04 Spend on bed and breakfast accommodation",
    ]) {
      expect(text).toContain(name);
    }
    // HS03: 58% against 65%, red as a word and a shape, worse than the quarter before.
    expect(text).toContain("Actual 58%; target 65%; RAG: ■ Red.");
    expect(text).toContain("Against the quarter before: Worsening.");
    expect(text).toContain("Winter pressures; three hostels full from November.");
    expect(text).toContain("£71,250");
    expect(text).toContain("27 days");
    expect(text).toMatch(/Page 1 of \d/);

    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true });
    const meta = await pdf.getMetadata();
    expect(meta.info).toMatchObject({
      Title: "Housing & Homelessness Strategy 2018-2021 — performance, 2018-19 Q3",
    });
    const roles: string[] = [];
    const alts: string[] = [];
    const walk = (node: { role?: string; alt?: string; children?: unknown[] }) => {
      if (node.role) roles.push(node.role);
      if (node.alt) alts.push(node.alt);
      for (const child of node.children ?? []) walk(child as typeof node);
    };
    for (let page = 1; page <= pdf.numPages; page++) {
      walk((await (await pdf.getPage(page)).getStructTree()) as { children?: unknown[] });
    }
    expect(new Set(roles)).toEqual(
      new Set(["Root", "Document", "H1", "P", "H2", "H3", "Figure", "Table", "Caption", "TR", "TH", "TD"]),
    );
    expect(roles.filter((r) => r === "Figure")).toHaveLength(4);
    expect(alts).toContain(
      "Trend chart of Households whose homelessness was prevented: actual 61.5% in 2018-19 Q1, 58% in 2018-19 Q3; target 65% in 2018-19 Q3.",
    );
    // The same report gives the same bytes.
    expect(renderQuarterlyPdf(structuredClone(report))).toEqual(bytes);
  });

  it("runs a strategy's last quarter over pages, every KPI whole and inside the margins", async () => {
    const { councilId } = await seedHousingStrategy(t.database);
    const rows = ["kpi,period,actual,target,commentary"];
    for (const [year, label] of [
      [2019, "2019-20"],
      [2020, "2020-21"],
    ] as const) {
      for (const q of [1, 2, 3, 4]) {
        rows.push(`HS01,${label} Q${q},${40 + q * 3 + (year - 2019)},45,`);
        rows.push(
          `HS04,${label} Q${q},${52000 + q * 1500},60000,"Placements at the Stranton Lodge hostel again this quarter, with families moved on to council homes within six weeks on average."`,
        );
      }
    }
    await importKpiValues(t.database, councilId, rows.join("\n"), "test");
    const bytes = renderQuarterlyPdf(await quarterlyReport(t.db, councilId, HOUSING_SLUG, 2020, 4));
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { items } = await extractTextItems(new Uint8Array(bytes));
    expect(items).toHaveLength(pdf.numPages);
    items.forEach((page, i) => {
      const text = page.map((item) => item.str).join(" ");
      expect(text).toContain(`Page ${i + 1} of ${pdf.numPages}`);
      for (const item of page.filter((it) => it.str.trim() !== "" && !/^Page \d+ of/.test(it.str))) {
        expect(item.x, item.str).toBeGreaterThanOrEqual(56.6);
        expect(item.x + item.width, item.str).toBeLessThanOrEqual(595.28 - 56.6);
        expect(item.y, item.str).toBeLessThanOrEqual(841.89 - 70.8);
      }
    });
    // Each KPI's heading is on the same page as the last row of its table (2020-21 Q4): never split.
    for (const code of ["HS01", "HS02", "HS03", "HS04"]) {
      const page = items.findIndex((p) => p.some((item) => item.str.startsWith(`${code} `)));
      expect(page, code).toBeGreaterThan(-1);
      const captions = items[page]!.filter((item) => item.str === `${code}: figures by quarter`);
      expect(captions, code).toHaveLength(1);
    }
    // The second priority starts a page.
    const priority2 = items.findIndex((p) => p.some((item) => item.str === "2. Preventing homelessness"));
    expect(priority2).toBeGreaterThan(0);
    expect(items[priority2 - 1]!.some((item) => item.str.startsWith("HS03"))).toBe(false);
  });
});
