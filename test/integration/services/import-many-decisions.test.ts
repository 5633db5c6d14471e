import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { parseDocument } from "../../../src/import/parse-document.js";
import { importBatch, importDocument } from "../../../src/services/import/index.js";
import { TABLE_NAMES } from "../../../src/storage/schema.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase();
const actor = "test";
const FIXTURES = new URL("../../fixtures/", import.meta.url);
const fixture = (path: string) => readFile(new URL(path, FIXTURES));

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLE_NAMES) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
      t.db,
    );
    result[table] = rows[0]!.n;
  }
  return result;
}

describe("documents holding many decisions", () => {
  it("stores each decision of a set of minutes under its meeting, once; the same bytes again write nothing", async () => {
    const bytes = await fixture("minutes/marlbridge-cabinet-2024-09-12.txt");
    const first = await importDocument(t.database, { bytes, fileName: "marlbridge.txt" }, { actor });
    expect(first.decisions.map((d) => [d.part, d.outcome, d.recordId])).toEqual([
      [1, "imported", "CAB/41/25"],
      [2, "imported", "CAB/42/25"],
      [3, "imported", "CAB/43/25"],
      [4, "imported", "CAB/44/25"],
      [5, "imported", "CAB/45/25"],
      [6, "imported", "CAB/48/25"],
    ]);
    expect(first).toMatchObject({ decisionId: first.decisions[0]!.decisionId, part: 1 });

    const decisions = await t.db
      .selectFrom("decision")
      .select(["recordId", "meetingId", "meetingDate", "status"])
      .orderBy("id")
      .execute();
    expect(decisions).toHaveLength(6);
    expect(new Set(decisions.map((d) => d.meetingId)).size).toBe(1);
    expect(decisions.every((d) => d.meetingId !== null && d.meetingDate === "2024-09-12")).toBe(true);
    // One original, kept once, behind every decision's version 1.
    expect(await t.db.selectFrom("sourceDocument").select("id").execute()).toHaveLength(1);
    const versions = await t.db
      .selectFrom("decisionVersion")
      .select(["sourceDocumentId", "record"])
      .execute();
    expect(new Set(versions.map((v) => v.sourceDocumentId)).size).toBe(1);
    expect(versions.map((v) => v.record.source?.part).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(versions.every((v) => v.record.source?.layout === "meeting-minutes")).toBe(true);

    const before = await counts();
    const again = await importDocument(t.database, { bytes, fileName: "marlbridge.txt" }, { actor });
    expect(again.decisions.map((d) => d.outcome)).toEqual(Array(6).fill("unchanged"));
    expect(await counts()).toEqual(before);
  });

  it("files an officer's decision under no meeting, and takes 'Is subject to call in?: No' as stated", async () => {
    const bytes = await fixture("moderngov/someshire-winter-gritting-contract.txt");
    const result = await importDocument(t.database, { bytes, fileName: "gritting.txt" }, { actor });
    expect(result.decisions).toHaveLength(1);
    const row = await t.db
      .selectFrom("decision")
      .select(["meetingId", "notSubjectToCallIn", "expectedCallInDeadline"])
      .where("id", "=", result.decisionId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ meetingId: null, notSubjectToCallIn: true, expectedCallInDeadline: null });
    expect(await t.db.selectFrom("meeting").select("id").execute()).toEqual([]);
    expect(result.warnings).toContain(
      "no publication date printed: the date of decision (2024-11-14) stands in for it",
    );
  });

  it("imports a batch mixing one-decision and many-decision documents as one by one would", async () => {
    const inputs = [
      { bytes: await fixture("text/cab-41-25-flood-strategy.txt"), fileName: "flood.txt" },
      { bytes: await fixture("moderngov/eastmarch-cabinet-decision-list.txt"), fileName: "eastmarch.txt" },
      { bytes: await fixture("moderngov/household-support-fund-cabinet.html"), fileName: "hsf.html" },
      { bytes: await fixture("minutes/elmstead-planning-2009-03-09.txt"), fileName: "elmstead.txt" },
    ];
    const entries = await importBatch(t.database, inputs, { actor, batchSize: 10 });
    expect(entries.map((e) => e.error)).toEqual([undefined, undefined, undefined, undefined]);
    const parts = entries.map((e) => e.result!.decisions.length);
    expect(parts[0]).toBe(1);
    expect(parts[1]).toBe(3);
    expect(parts[2]).toBe(1);
    expect(parts[3]).toBeGreaterThan(1);
    const total = parts.reduce((a, b) => a + b, 0);
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(total);
    expect(entries.flatMap((e) => e.result!.decisions.map((d) => d.outcome))).toEqual(
      Array(total).fill("imported"),
    );

    // Each decision in its place: the council its document names (else the default), its decision maker, its
    // meeting (none for an officer's decision), and its own text.
    for (const [i, entry] of entries.entries()) {
      const { decisions: parsed } = await parseDocument(inputs[i]!.bytes, inputs[i]!.fileName);
      for (const [j, result] of entry.result!.decisions.entries()) {
        const record = parsed[j]!.record;
        const row = await t.db
          .selectFrom("decision as d")
          .innerJoin("council as c", "c.id", "d.councilId")
          .innerJoin("body as b", "b.id", "d.bodyId")
          .leftJoin("meeting as m", "m.id", "d.meetingId")
          .select(["c.name as council", "b.name as body", "m.date as meetingDate", "d.title", "d.outcomes"])
          .where("d.id", "=", result.decisionId)
          .executeTakeFirstOrThrow();
        expect(row.council).toBe(record.council ?? "Stockton-on-Tees Borough Council");
        expect(row.body).toBe(record.body);
        expect(row.meetingDate).toBe(record.madeUp?.includes("meetingDate") ? null : record.meetingDate);
        expect(row.title).toBe(record.title);
        expect(row.outcomes).toEqual(record.outcomes);
      }
    }
    expect(new Set(entries.map((e) => e.result!.decisions[0]!.decisionId)).size).toBe(4);

    const before = await counts();
    const again = await importBatch(t.database, inputs, { actor, batchSize: 10 });
    expect(again.flatMap((e) => e.result!.decisions.map((d) => d.outcome))).toEqual(
      Array(total).fill("unchanged"),
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses a document with no decision in it, writing nothing", async () => {
    const before = await counts();
    const bytes = Buffer.from(
      "Minutes of the meeting of the Cabinet held on 3 March 2025\n\nPresent: all.\n",
    );
    await expect(importDocument(t.database, { bytes, fileName: "empty.txt" }, { actor })).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });
});
