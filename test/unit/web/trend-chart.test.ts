import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trendChart } from "../../../src/web/charts/trend-chart.js";
import { createViewEnvironment } from "../../../src/web/server/view-environment.js";

const percent = (value: number) => `${value}%`;
const POINTS = [
  { period: "2017-18 Q1", actual: 68, target: 75 },
  { period: "2017-18 Q2", actual: 71, target: 75 },
  { period: "2017-18 Q3", actual: null, target: 75 },
  { period: "2017-18 Q4", actual: 74, target: 80 },
];

describe("the KPI trend chart", () => {
  it("places each quarter left to right and higher values higher, and says what it shows", () => {
    const chart = trendChart(POINTS, {
      title: "Care leavers in education, employment or training",
      format: percent,
    });
    const xs = chart.xLabels.map((l) => l.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(4);
    const [q1, q2, q4] = chart.markers;
    expect(chart.markers).toHaveLength(3); // no marker for the quarter without a value
    expect(q2!.y).toBeLessThan(q1!.y); // 71 is drawn above 68
    expect(q4!.y).toBeLessThan(q2!.y);
    expect(q4!.label).toBe("2017-18 Q4: 74%");
    // The line breaks at the missing quarter: two segments (two "M" commands).
    expect(chart.actualPath.match(/M/g)).toHaveLength(2);
    expect(chart.description).toBe("Actual 68% in 2017-18 Q1, 74% in 2017-18 Q4; target 80% in 2017-18 Q4.");
    expect(chart.rows[2]).toEqual({ period: "2017-18 Q3", actual: "No value", target: "75%" });
    expect(chart.yTicks[0]!.label).toBe("0%");
    // The same data gives the same chart.
    expect(trendChart(POINTS, { title: "x", format: percent })).toEqual(
      trendChart(POINTS, { title: "x", format: percent }),
    );
  });

  it("labels every quarter that fits, always the latest, and thins the labels of a long series", () => {
    const quarters = Array.from({ length: 12 }, (_, i) => ({
      period: `${2017 + Math.floor(i / 4)}-${String(18 + Math.floor(i / 4))} Q${(i % 4) + 1}`,
      actual: 60 + i,
      target: 70,
    }));
    const chart = trendChart(quarters, { title: "Twelve quarters", format: percent });
    const labels = chart.xLabels.map((l) => l.label);
    expect(labels.length).toBeLessThanOrEqual(7);
    expect(labels.at(-1)).toBe("2019-20 Q4");
    const gaps = chart.xLabels.slice(1).map((l, i) => l.x - chart.xLabels[i]!.x);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(72);
    expect(chart.rows).toHaveLength(12);
    expect(trendChart(quarters.slice(0, 4), { title: "Four", format: percent }).xLabels).toHaveLength(4);
    // Long tick labels ("£1,400,000") get the room they need on the left.
    const pounds = (n: number) => `£${n.toLocaleString("en-GB")}`;
    const money = trendChart([{ period: "2017-18 Q2", actual: 1_245_000, target: 1_200_000 }], {
      title: "Spend",
      format: pounds,
    });
    expect(money.plot.left).toBeGreaterThanOrEqual(10 * 7);
    expect(chart.plot.left).toBe(64);
  });

  it("copes with no values, one value, and values below zero", () => {
    expect(trendChart([], { title: "Empty", format: String }).description).toBe(
      "No values have been recorded yet.",
    );
    const one = trendChart([{ period: "2017-18 Q1", actual: 5, target: null }], {
      title: "One",
      format: String,
    });
    expect(one.description).toBe("Actual 5 in 2017-18 Q1.");
    expect(one.markers).toHaveLength(1);
    const negative = trendChart(
      [
        { period: "2017-18 Q1", actual: -20, target: 0 },
        { period: "2017-18 Q2", actual: 10, target: 0 },
      ],
      { title: "Budget variance", format: String },
    );
    expect(negative.markers[0]!.y).toBeGreaterThan(negative.markers[1]!.y);
    expect(negative.markers.every((m) => m.y >= negative.plot.top && m.y <= negative.plot.bottom)).toBe(true);
  });

  it("renders as an image with a title and description, the table beside it, and no inline style or script", () => {
    const env = createViewEnvironment();
    const chart = trendChart(POINTS, { title: "Children <in> care", format: percent });
    const html = env.renderString(
      '{% from "partials/trend-chart.njk" import trendChart %}{{ trendChart(chart, "kpi-1") }}',
      { chart },
    );
    expect(html).toContain('role="img" aria-labelledby="kpi-1-title kpi-1-desc"');
    expect(html).toContain('<title id="kpi-1-title">Children &lt;in&gt; care</title>');
    expect(html).not.toMatch(/style=|<script/);
    expect(html.match(/<tr class="govuk-table__row">/g)).toHaveLength(5);
    expect(
      readFileSync(new URL("../../../src/web/assets/stylesheets/resolved.css", import.meta.url), "utf8"),
    ).toContain(".app-trend-chart__target");
  });
});
