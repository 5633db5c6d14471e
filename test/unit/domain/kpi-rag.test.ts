import { describe, expect, it } from "vitest";
import { parseQuarter } from "../../../src/domain/financial-period.js";
import { directionOf, shortfall } from "../../../src/domain/kpi.js";
import {
  assessFigures,
  DEFAULT_RAG_RULE,
  parseRagRule,
  ragFor,
  type RagRule,
} from "../../../src/domain/kpi-rag.js";

const tolerance: RagRule = DEFAULT_RAG_RULE;
const improving: RagRule = { kind: "improving-amber" };
const higher = "higher-is-better" as const;
const lower = "lower-is-better" as const;

describe("RAG with the default rule (amber within 10% of the target)", () => {
  it("is green when the actual meets or beats the target", () => {
    expect(ragFor(tolerance, { actual: 80, target: 80, polarity: higher })).toBe("green");
    expect(ragFor(tolerance, { actual: 95, target: 80, polarity: higher })).toBe("green");
    expect(ragFor(tolerance, { actual: 12, target: 15, polarity: lower })).toBe("green");
  });

  it("is amber when worse by exactly 10% of the target, red just beyond", () => {
    expect(ragFor(tolerance, { actual: 72, target: 80, polarity: higher })).toBe("amber");
    expect(ragFor(tolerance, { actual: 71.99, target: 80, polarity: higher })).toBe("red");
    expect(ragFor(tolerance, { actual: 79.9, target: 80, polarity: higher })).toBe("amber");
  });

  it("counts decimals typed exactly on the boundary as on it (0.27 against 0.3)", () => {
    // 0.3 - 0.27 is 0.030000000000000027 in floating point: still exactly 10%.
    expect(ragFor(tolerance, { actual: 0.27, target: 0.3, polarity: higher })).toBe("amber");
    expect(ragFor(tolerance, { actual: 0.33, target: 0.3, polarity: lower })).toBe("amber");
    expect(ragFor(tolerance, { actual: 0.2699, target: 0.3, polarity: higher })).toBe("red");
  });

  it("reads lower-is-better KPIs the other way (days to complete an assessment)", () => {
    expect(ragFor(tolerance, { actual: 50, target: 45, polarity: lower })).toBe("red"); // 11.1% over
    expect(ragFor(tolerance, { actual: 49.5, target: 45, polarity: lower })).toBe("amber"); // exactly 10%
    expect(ragFor(tolerance, { actual: 40, target: 45, polarity: lower })).toBe("green");
    expect(ragFor(tolerance, { actual: 40, target: 45, polarity: higher })).toBe("red");
  });

  it("has no amber band with a zero target: any shortfall is red", () => {
    expect(ragFor(tolerance, { actual: 0, target: 0, polarity: lower })).toBe("green");
    expect(ragFor(tolerance, { actual: 1, target: 0, polarity: lower })).toBe("red");
    expect(ragFor(tolerance, { actual: -1, target: 0, polarity: lower })).toBe("green");
    expect(ragFor(tolerance, { actual: -0.5, target: 0, polarity: higher })).toBe("red");
  });

  it("measures the band by the size of a negative target (a budget variance)", () => {
    // Target: an underspend of £200k (-200000), lower is better; 10% of its size is £20k.
    expect(ragFor(tolerance, { actual: -180000, target: -200000, polarity: lower })).toBe("amber");
    expect(ragFor(tolerance, { actual: -179999, target: -200000, polarity: lower })).toBe("red");
    expect(ragFor(tolerance, { actual: -250000, target: -200000, polarity: lower })).toBe("green");
    expect(ragFor(tolerance, { actual: -22, target: -20, polarity: higher })).toBe("amber");
  });

  it("gives no RAG without an actual or a target", () => {
    expect(ragFor(tolerance, { actual: null, target: 80, polarity: higher })).toBeNull();
    expect(ragFor(tolerance, { actual: 80, target: null, polarity: higher })).toBeNull();
  });

  it("follows the council's own percentage", () => {
    const five: RagRule = { kind: "tolerance", amberPercent: 5 };
    expect(ragFor(five, { actual: 76, target: 80, polarity: higher })).toBe("amber");
    expect(ragFor(five, { actual: 75, target: 80, polarity: higher })).toBe("red");
    const none: RagRule = { kind: "tolerance", amberPercent: 0 };
    expect(ragFor(none, { actual: 79.99, target: 80, polarity: higher })).toBe("red");
  });
});

describe("RAG with the improving-amber rule", () => {
  it("is amber only when the miss is better than the same quarter last year", () => {
    expect(ragFor(improving, { actual: 70, target: 80, polarity: higher, actualYearBefore: 65 })).toBe(
      "amber",
    );
    expect(ragFor(improving, { actual: 70, target: 80, polarity: higher, actualYearBefore: 70 })).toBe("red");
    expect(ragFor(improving, { actual: 70, target: 80, polarity: higher, actualYearBefore: 75 })).toBe("red");
    expect(ragFor(improving, { actual: 70, target: 80, polarity: higher })).toBe("red");
    expect(ragFor(improving, { actual: 30, target: 25, polarity: lower, actualYearBefore: 40 })).toBe(
      "amber",
    );
    expect(ragFor(improving, { actual: 85, target: 80, polarity: higher, actualYearBefore: 90 })).toBe(
      "green",
    );
  });
});

describe("the rule as configuration", () => {
  it("reads the two kinds and refuses others, naming the field", () => {
    expect(parseRagRule({ kind: "tolerance", amberPercent: 15 })).toEqual({
      kind: "tolerance",
      amberPercent: 15,
    });
    expect(parseRagRule({ kind: "improving-amber" })).toEqual({ kind: "improving-amber" });
    expect(() => parseRagRule({ kind: "tolerance", amberPercent: 150 })).toThrow(/ragRule\.amberPercent: /);
    expect(() => parseRagRule({ kind: "traffic-lights" })).toThrow(/ragRule\.kind/);
    expect(() => parseRagRule({ kind: "tolerance" })).toThrow(/ragRule\.amberPercent/);
  });
});

describe("direction of travel", () => {
  it("respects polarity, and is null without both figures", () => {
    expect(directionOf(75, 70, higher)).toBe("improving");
    expect(directionOf(65, 70, higher)).toBe("worsening");
    expect(directionOf(65, 70, lower)).toBe("improving");
    expect(directionOf(-5, -3, lower)).toBe("improving");
    expect(directionOf(-5, -3, higher)).toBe("worsening");
    expect(directionOf(0.1 + 0.2, 0.3, higher)).toBe("no-change");
    expect(directionOf(70, null, higher)).toBeNull();
    expect(directionOf(null, 70, higher)).toBeNull();
  });

  it("compares with the quarter before and the same quarter last year, never across a gap", () => {
    const figures = [
      ["2017-18 Q1", 60, 70],
      ["2016-17 Q2", 50, 70],
      ["2017-18 Q2", 66, 70],
      ["2017-18 Q4", 66, 70],
    ].map(([period, actual, target]) => ({
      period: parseQuarter(String(period)),
      actual: actual as number,
      target: target as number,
    }));
    const assessed = assessFigures(figures, higher, tolerance);
    expect(assessed.map((f) => [f.rag, f.direction, f.directionFromYearBefore])).toEqual([
      ["red", null, null], // 2016-17 Q2, the first
      ["red", null, null], // 2017-18 Q1: no 2016-17 Q4, no 2016-17 Q1
      ["amber", "improving", "improving"], // 2017-18 Q2: 66 vs 60, and vs 50 a year before
      ["amber", null, null], // 2017-18 Q4: 2017-18 Q3 is missing
    ]);
  });

  it("shortfall is positive when worse", () => {
    expect(shortfall(70, 80, higher)).toBe(10);
    expect(shortfall(90, 80, lower)).toBe(10);
  });
});
