import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { formatQuarter, parseQuarter } from "../../../src/domain/financial-period.js";
import { titleQuarter } from "../../../src/import/commitment-extractor.js";
import { parseProforma } from "../../../src/import/proforma-parser.js";
import { checkNewStrategy } from "../../../src/services/strategies/strategy-input.js";

// The example strategy (examples/strategies/): the Children's Services Strategy 2023-2026, its KPI values as CSV,
// and the quarterly updates among the example records that report them. The three must tell the same story.

const examples = new URL("../../../examples/", import.meta.url);
const strategyJson: unknown = JSON.parse(
  readFileSync(new URL("strategies/childrens-services-strategy-2023-26.json", examples), "utf8"),
);
const strategy = checkNewStrategy(strategyJson);
const kpis = strategy.priorities.flatMap((priority) => priority.kpis);

const csvText = readFileSync(new URL("strategies/childrens-services-kpis-2025-26.csv", examples), "utf8");
const rows = parse(csvText, { columns: true, skip_empty_lines: true }) as Array<
  Record<"kpi" | "period" | "actual" | "target" | "commentary", string>
>;

const recordsDir = new URL("records/", examples);
const records = readdirSync(recordsDir)
  .filter((name) => name.endsWith(".txt"))
  .sort()
  .map((fileName) => {
    const bytes = readFileSync(new URL(fileName, recordsDir));
    return parseProforma(bytes.toString("utf8"), {
      fileName,
      mediaType: "text/plain",
      sha256: createHash("sha256").update(bytes).digest("hex"),
    }).record;
  });

/** The quarterly updates against this strategy, with the quarter each reports on. */
const updates = records
  .filter(
    (r) =>
      r.title.startsWith("Children's Services Performance Update") &&
      r.record.includes("Children's Services Strategy 2023-2026"),
  )
  .map((r) => ({ record: r, period: formatQuarter(titleQuarter(r.title, r.meetingDate)!) }));

/** The lettered list under "Members were advised of the following measures at ...:", without the markers. */
function measures(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((line) =>
    /^Members were advised of the following measures at .*:$/.test(line),
  );
  if (start < 0) return [];
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") continue;
    const item = /^(?:- )?[a-z]\. (.*)$/.exec(line);
    if (!item) break;
    items.push(item[1]!);
  }
  return items;
}

describe("the example strategy", () => {
  it("is valid input for `resolved strategy import`, agreed by the example record that names it", () => {
    expect(strategy.period).toEqual({ from: "2023-04-01", to: "2026-03-31" });
    expect(strategy.priorities.length).toBeGreaterThanOrEqual(3);
    expect(kpis.length).toBeGreaterThanOrEqual(6);
    const agreeing = records.find((r) => r.recordId === strategy.agreedBy);
    expect(agreeing?.title).toBe(strategy.title);
    expect(agreeing?.meetingDate.slice(0, 4)).toBe("2023");
  });

  it("has values for known KPIs and quarters only, every quarter of 2025-26 for every KPI", () => {
    const codes = new Set(kpis.map((k) => k.code));
    for (const row of rows) {
      expect(codes.has(row.kpi), row.kpi).toBe(true);
      expect(formatQuarter(parseQuarter(row.period)), row.period).toBe(row.period);
      expect(Number.isFinite(Number(row.actual)), `${row.kpi} ${row.period}`).toBe(true);
      expect(Number.isFinite(Number(row.target)), `${row.kpi} ${row.period}`).toBe(true);
    }
    for (const { code } of kpis) {
      for (const quarter of [1, 2, 3, 4]) {
        expect(rows.some((r) => r.kpi === code && r.period === `2025-26 Q${quarter}`)).toBe(true);
      }
    }
    expect(new Set(rows.map((r) => `${r.kpi} ${r.period}`)).size).toBe(rows.length);
    expect(rows.some((r) => r.period.startsWith("2024-25"))).toBe(true);
  });

  it("is reported by four quarterly updates, one for each quarter of 2025-26", () => {
    expect(updates.map((u) => u.period)).toEqual(["2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"]);
    for (const { record } of updates) expect(record.record).toContain("The next quarter would see:");
  });

  describe.each(updates.map((u) => ({ ...u, title: u.record.title })))("$title", ({ record, period }) => {
    it("gives each KPI's actual and target as the CSV has them, in the strategy's order", () => {
      const items = measures(record.record);
      expect(items).toHaveLength(kpis.length);
      kpis.forEach((kpi, index) => {
        const row = rows.find((r) => r.kpi === kpi.code && r.period === period)!;
        const suffix = kpi.unit === "%" ? "%" : "";
        expect(items[index], `${kpi.code} ${period}`).toContain(`${row.actual}${suffix}`);
        expect(items[index], `${kpi.code} ${period}`).toContain(`target of ${row.target}${suffix}`);
      });
    });
  });
});
