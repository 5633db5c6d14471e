import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProforma } from "../../../src/import/proforma-parser.js";
import { callInDeadlineFor } from "../../../src/services/call-in/index.js";
import { DEFAULT_COUNCIL } from "../../../src/services/councils/index.js";
import { formatLongDate } from "../../../src/import/uk-date.js";

// The example records the project ships (examples/records/), imported into a new register on first start.

const recordsDir = new URL("../../../examples/records/", import.meta.url);
const fileNames = readdirSync(recordsDir)
  .filter((name) => name.endsWith(".txt"))
  .sort();

const examples = fileNames.map((fileName) => {
  const bytes = readFileSync(new URL(fileName, recordsDir));
  const parsed = parseProforma(bytes.toString("utf8"), {
    fileName,
    mediaType: "text/plain",
    sha256: createHash("sha256").update(bytes).digest("hex"),
  });
  return { fileName, ...parsed };
});

/** "2026-10-23" → "Midnight, 23 October 2026", as the seeds print it. */
function midnightLine(iso: string): string {
  return `Midnight, ${formatLongDate(iso)}`;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

describe("the example records", () => {
  it("are there, named YYYY-MM-DD-title.txt", () => {
    expect(fileNames.length).toBeGreaterThanOrEqual(6);
    for (const name of fileNames) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.txt$/);
  });

  it("cover at least two meetings", () => {
    const meetings = new Set(examples.map((e) => e.record.meetingDate));
    expect(meetings.size).toBeGreaterThanOrEqual(2);
  });

  it("include a recommendation to Council and a record that both recommends and resolves", () => {
    const kinds = examples.map((e) => e.record.outcomes.map((o) => o.kind));
    expect(kinds.some((k) => k.every((kind) => kind === "RECOMMENDED"))).toBe(true);
    expect(kinds.some((k) => k.includes("RECOMMENDED") && k.includes("RESOLVED"))).toBe(true);
  });

  describe.each(examples)("$fileName", ({ fileName, record, warnings }) => {
    it("parses without warnings", () => {
      expect(warnings).toEqual([]);
    });

    it("is a Stockton-on-Tees Cabinet proforma, named after its meeting date", () => {
      expect(record.council).toBe("Stockton-on-Tees Borough Council");
      expect(record.body).toBe("Cabinet");
      expect(record.documentType).toBe("Cabinet Recommendations Proforma");
      expect(record.signedBy).toBe("Proper Officer");
      expect(fileName.startsWith(`${record.meetingDate}-`)).toBe(true);
    });

    it("fills every section", () => {
      const fields = [
        "title",
        "record",
        "reasons",
        "alternatives",
        "conflictsOfInterest",
        "dispensations",
      ] as const;
      for (const field of fields) expect(record[field], field).not.toBe("");
      for (const outcome of record.outcomes) expect(outcome.text).not.toBe("");
    });

    it("was published 1 to 4 days after the meeting", () => {
      const days = daysBetween(record.meetingDate, record.publishedOn);
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(4);
    });

    it("prints the call-in deadline Stockton's rule gives, or none for recommendations only", () => {
      const recommendationsOnly = record.outcomes.every((o) => o.kind === "RECOMMENDED");
      if (recommendationsOnly) {
        expect(record.callIn).toEqual({ deadline: null, text: "Not applicable" });
        return;
      }
      const { deadline } = callInDeadlineFor({ callInRule: DEFAULT_COUNCIL.callInRule }, record.publishedOn);
      expect(record.callIn).toEqual({ deadline, text: midnightLine(deadline) });
    });
  });
});
