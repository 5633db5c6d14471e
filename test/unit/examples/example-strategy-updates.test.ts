import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatQuarter } from "../../../src/domain/financial-period.js";
import {
  agreedStrategy,
  nameOfTitle,
  quarterlyUpdate,
  strategyKey,
} from "../../../src/domain/strategy-reading.js";
import { parseProforma } from "../../../src/import/proforma-parser.js";
import { checkNewStrategy } from "../../../src/services/strategies/strategy-input.js";

// The example records read as the register reads them: the 2023 record agrees the strategy of the example JSON
// (the same title and period, so the JSON fills in the strategy found in the record), and each 2025-26
// quarterly update names that strategy and reports on its own quarter. The register's side of this is
// test/integration/services/example-strategy-updates.test.ts.

const examples = new URL("../../../examples/", import.meta.url);
const strategy = checkNewStrategy(
  JSON.parse(readFileSync(new URL("strategies/childrens-services-strategy-2023-26.json", examples), "utf8")),
);
const own = nameOfTitle(strategy.title, strategy.period);
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

describe("the example records, read for strategies", () => {
  it("agree the example strategy in the record its JSON names", () => {
    const agreeing = records.find((r) => r.recordId === strategy.agreedBy)!;
    const agreed = agreedStrategy(agreeing)!;
    expect(strategyKey(agreed.subject, agreed.period)).toBe(strategyKey(own.subject, own.period));
  });

  it("have a quarterly update naming the strategy for each quarter of 2025-26", () => {
    const updates = records
      .map((record) => ({ record, update: quarterlyUpdate(record) }))
      .filter(({ update }) => update?.quarter.startYear === 2025);
    expect(updates.map(({ update }) => formatQuarter(update!.quarter))).toEqual([
      "2025-26 Q1",
      "2025-26 Q2",
      "2025-26 Q3",
      "2025-26 Q4",
    ]);
    for (const { record, update } of updates) {
      const keys = update!.strategies.map((n) => strategyKey(n.subject, n.period));
      expect(keys, record.title).toContain(strategyKey(own.subject, own.period));
      expect(update!.subject, record.title).toBe(own.subject);
    }
  });
});
