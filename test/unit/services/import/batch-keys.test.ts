import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../../../src/domain/decision-record.js";
import { batchKeys, batchesMeet } from "../../../../src/services/import/batch-keys.js";
import type { ParsedInput } from "../../../../src/services/import/import-types.js";

/** A parsed file holding one record: only the fields the keys are made of matter here. */
function file(recordId: string | null, title: string, meetingDate = "2026-03-11"): ParsedInput {
  const record = {
    recordId,
    title,
    meetingDate,
    body: "Cabinet",
    council: "Harrowfield Borough Council",
  } as DecisionRecord;
  return { input: { bytes: new Uint8Array(), fileName: `${recordId ?? title}.txt` }, record };
}

const keysOf = (...files: ParsedInput[]) => batchKeys(files, {});

describe("batchesMeet", () => {
  it("keeps apart batches of other records, even sharing a title at a meeting, while no decision lacks an identifier", () => {
    const a = keysOf(file("CAB/1/26", "Treasury Management Strategy"), file("CAB/2/26", "Fees and Charges"));
    const b = keysOf(file("CAB/3/26", "Treasury  management strategy"), file("CAB/4/26", "Libraries"));
    expect(batchesMeet(a, b, false)).toBe(false);
    // With such a decision in the register, both could find it by its title: one waits.
    expect(batchesMeet(a, b, true)).toBe(true);
  });

  it("makes batches meet on an identifier, and on a title one of them holds without an identifier", () => {
    const a = keysOf(file("CAB/1/26", "Treasury Management Strategy"));
    expect(batchesMeet(a, keysOf(file("CAB/1/26", "Treasury Management Strategy 2026-27")), false)).toBe(
      true,
    );
    expect(batchesMeet(a, keysOf(file(null, "TREASURY MANAGEMENT STRATEGY")), false)).toBe(true);
    expect(batchesMeet(keysOf(file(null, "Treasury Management Strategy")), a, false)).toBe(true);
    // The same title at another meeting is another decision.
    expect(batchesMeet(a, keysOf(file(null, "Treasury Management Strategy", "2026-04-08")), false)).toBe(
      false,
    );
  });

  it("counts the other decisions of a set of minutes, and leaves out files that could not be read", () => {
    const minutes: ParsedInput = {
      ...file("CAB/7/26", "Budget Monitoring"),
      otherDecisions: [{ record: file("CAB/8/26", "Play Area Renewal").record!, warnings: [] }],
    };
    const unreadable: ParsedInput = {
      input: { bytes: new Uint8Array(), fileName: "junk.txt" },
      error: new Error("x"),
    };
    const keys = keysOf(minutes, unreadable);
    expect(keys.ids.size).toBe(2);
    expect(batchesMeet(keys, keysOf(file("CAB/8/26", "Play Area Renewal")), false)).toBe(true);
  });
});
