import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { importBatch, importDocument } from "../../../src/services/import/index.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase();
const actor = "test";
const CONTRACT = "2026-11-12-town-centre-public-realm-contract-award.txt";
const FEES = "2026-11-12-adult-social-care-fee-rates-consultation.txt";

async function example(name: string): Promise<Buffer> {
  return readFile(new URL(`../../../examples/records/${name}`, import.meta.url));
}

async function declarations() {
  return t.db
    .selectFrom("declarationOfInterest")
    .innerJoin("decision", "decision.id", "declarationOfInterest.decisionId")
    .select(["decision.title", "personName", "category", "nature"])
    .orderBy("declarationOfInterest.id")
    .execute();
}

describe("declarations of interest in the register", () => {
  it("are read from section 5 when a record is imported, and none from 'None.'", async () => {
    await importDocument(t.database, { bytes: await example(CONTRACT), fileName: CONTRACT }, { actor });
    await importDocument(t.database, { bytes: await example(FEES), fileName: FEES }, { actor });
    const rows = await declarations();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      title: "Stockton Town Centre – Public Realm Works Contract Award",
      personName: "Councillor Margaret Aldridge",
      category: "personal",
    });
    expect(rows[0]!.nature).toMatch(
      /^Councillor Margaret Aldridge declared a personal non-prejudicial interest/,
    );
  });

  it("are the same through the bulk path", async () => {
    await importBatch(
      t.database,
      [
        { bytes: await example(CONTRACT), fileName: CONTRACT },
        { bytes: await example(FEES), fileName: FEES },
      ],
      { actor },
    );
    expect((await declarations()).map((r) => [r.personName, r.category])).toEqual([
      ["Councillor Margaret Aldridge", "personal"],
    ]);
  });

  it("follow the current version when a corrected record is imported", async () => {
    const original = await example(CONTRACT);
    await importDocument(t.database, { bytes: original, fileName: CONTRACT }, { actor });
    const corrected = Buffer.from(
      original
        .toString("utf8")
        .replace(
          "Councillor Margaret Aldridge declared a personal non-prejudicial interest",
          "Councillor Margaret Aldridge declared a prejudicial interest",
        ),
    );
    const result = await importDocument(
      t.database,
      { bytes: corrected, fileName: "corrected.txt" },
      { actor },
    );
    expect(result.outcome).toBe("new-version");
    expect((await declarations()).map((r) => [r.personName, r.category])).toEqual([
      ["Councillor Margaret Aldridge", "prejudicial"],
    ]);
  });
});
