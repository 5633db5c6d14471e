import { readFile } from "node:fs/promises";
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DocumentError, ValidationError } from "../../../src/domain/errors.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { importFiles } from "../../../src/services/import/index.js";
import { exportRegister, restoreRegister } from "../../../src/services/register/index.js";
import { TABLE_NAMES, type DatabaseSchema } from "../../../src/storage/schema.js";
import { createTestDatabase, useTestDatabase, type TestDatabase } from "../backends.js";

const t = useTestDatabase();
/** A second, empty register to restore into. */
let target: TestDatabase;
beforeAll(async () => {
  target = await createTestDatabase();
});
afterAll(async () => {
  await target?.close();
});
beforeEach(async () => {
  await target.resetDatabase();
});

const actor = "test";
const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

async function exportLines(database: TestDatabase["database"]): Promise<string[]> {
  const lines: string[] = [];
  await exportRegister(database, (line) => {
    lines.push(line);
  });
  return lines;
}

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function counts(db: Kysely<DatabaseSchema>): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLE_NAMES) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
    result[table] = rows[0]!.n;
  }
  return result;
}

const EMPTY = Object.fromEntries(TABLE_NAMES.map((table) => [table, 0]));

/** A register with something in most tables: every fixture imported, a correction, a call-in and its signatories. */
async function fillRegister(): Promise<void> {
  const results = await importFiles(
    t.database,
    ["text", "pdf", "docx", "html"].map((kind) => fixtures + kind),
    { actor },
  );
  expect(results.every((r) => r.result?.outcome === "imported")).toBe(true);
  const decision = await t.db
    .selectFrom("decision")
    .select(["id", "councilId"])
    .where("recordId", "=", "CAB/41/25")
    .executeTakeFirstOrThrow();
  await t.database.transaction(async (trx) => {
    const { record } = await trx
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", decision.id)
      .executeTakeFirstOrThrow();
    await addDecisionVersion(
      trx,
      decision.id,
      {
        ...record,
        alternatives: "To rely on the 2016 strategy: rejected, as it predates the 2024 surface water maps.",
      },
      { reason: "Alternatives section was left out", actor: "editor" },
    );
  });
  await t.db
    .insertInto("councilNonWorkingDay")
    .values({ councilId: decision.councilId, day: "2025-12-29", description: "Office closure" })
    .execute();
  const person = await t.db
    .insertInto("person")
    .values({
      councilId: decision.councilId,
      name: "Cllr Ann Example",
      role: "councillor",
      ward: "Norton North",
      party: null,
      jobTitle: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const request = await t.db
    .insertInto("callInRequest")
    .values({
      decisionId: decision.id,
      receivedAt: "2025-10-22T15:04:05.123456+01:00",
      grounds: "Consultation was too short",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("callInSignatory")
    .values([
      { callInRequestId: request.id, position: 1, personId: person.id, name: "Cllr Ann Example" },
      { callInRequestId: request.id, position: 2, personId: null, name: "Cllr Bob Sample" },
    ])
    .execute();
}

describe("export and restore", () => {
  it("round-trips the whole register, originals included, into an empty database", async () => {
    await fillRegister();
    const exported = await exportLines(t.database);

    const header = JSON.parse(exported[0]!);
    expect(header).toMatchObject({ format: "resolved-register", version: 1, tables: [...TABLE_NAMES] });
    expect(new Date(header.exportedAt).toISOString()).toBe(header.exportedAt);
    expect(header.rows).toEqual(await counts(t.db));
    expect(exported).toHaveLength(
      1 + Object.values(header.rows as Record<string, number>).reduce((a, b) => a + b, 0),
    );

    // Rows in FK order, generated columns left out, bytes as base64, instants with microseconds.
    const rows = exported
      .slice(1)
      .map((line) => JSON.parse(line) as { table: string; row: Record<string, unknown> });
    const order = rows.map((r) => TABLE_NAMES.indexOf(r.table as (typeof TABLE_NAMES)[number]));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const original = rows.find((r) => r.table === "source_document")!.row;
    expect(Object.keys(original)).not.toContain("sha256");
    expect(Object.keys(original)).not.toContain("size");
    expect(Object.keys(rows.find((r) => r.table === "decision")!.row)).not.toContain("search");
    const request = rows.find((r) => r.table === "call_in_request")!.row;
    expect(request.received_at).toBe("2025-10-22T14:04:05.123456Z");
    expect(request.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

    const summary = await restoreRegister(target.database, linesOf(exported), actor);
    expect(summary.total).toBe(exported.length - 1);
    expect(await counts(target.db)).toEqual(await counts(t.db));

    // Exporting the restored register gives the same lines, but for when it was exported.
    const again = await exportLines(target.database);
    expect(again.slice(1)).toEqual(exported.slice(1));
    const { exportedAt: _a, ...headerAgain } = JSON.parse(again[0]!);
    const { exportedAt: _b, ...headerBefore } = header;
    expect(headerAgain).toEqual(headerBefore);

    // The originals byte for byte, with the hashes the database computes.
    const originals = async (db: Kysely<DatabaseSchema>) =>
      db
        .selectFrom("sourceDocument")
        .select(["id", "sha256", "size", "bytes", "fileName"])
        .orderBy("id")
        .execute();
    const before = await originals(t.db);
    const after = await originals(target.db);
    expect(after.map((o) => [o.id, o.sha256, o.size, o.fileName])).toEqual(
      before.map((o) => [o.id, o.sha256, o.size, o.fileName]),
    );
    for (const [index, doc] of after.entries())
      expect(Buffer.compare(doc.bytes, before[index]!.bytes)).toBe(0);
    const pdf = await readFile(fixtures + "pdf/mtfp-2024-25-recommendations.pdf");
    expect(after.some((doc) => Buffer.compare(doc.bytes, pdf) === 0)).toBe(true);

    // Versions, the search index and the instants are as they were.
    const versions = async (db: Kysely<DatabaseSchema>) =>
      sql<{
        v: string;
      }>`select decision_id || ':' || version || ':' || record::text || ':' || created_at::text as v
        from decision_version order by id`.execute(db);
    expect((await versions(target.db)).rows).toEqual((await versions(t.db)).rows);
    const search = async (db: Kysely<DatabaseSchema>) =>
      sql<{
        id: number;
      }>`select id from decision where search @@ websearch_to_tsquery('english', 'flood') order by id`.execute(
        db,
      );
    expect((await search(target.db)).rows).toEqual((await search(t.db)).rows);
    expect((await search(target.db)).rows.length).toBeGreaterThan(0);

    // Identity sequences are past the restored ids: new rows do not collide.
    const maxId = Math.max(...after.map((o) => o.id));
    const added = await target.db
      .insertInto("sourceDocument")
      .values({ bytes: Buffer.from("new"), mediaType: "text/plain", fileName: "new.txt" })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(added.id).toBe(maxId + 1);
    await target.db
      .insertInto("auditLog")
      .values({ actor, action: "test.after-restore", entity: "test" })
      .execute();
  });

  it("round-trips an empty register", async () => {
    const exported = await exportLines(t.database);
    expect(exported).toHaveLength(1);
    await restoreRegister(target.database, linesOf(exported), actor);
    expect(await counts(target.db)).toEqual(EMPTY);
  });

  it("refuses to restore into a register that holds anything", async () => {
    await fillRegister();
    const exported = await exportLines(t.database);
    const before = await counts(t.db);
    const refusal = restoreRegister(t.database, linesOf(exported), actor);
    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    await expect(refusal).rejects.toThrow(/restore needs an empty register/);
    expect(await counts(t.db)).toEqual(before);
  });

  describe("a damaged export restores nothing and names the line", () => {
    let exported: string[];
    beforeEach(async () => {
      await fillRegister();
      exported = await exportLines(t.database);
    });

    async function expectRefused(lines: string[], line: number, message: RegExp): Promise<void> {
      const error = await restoreRegister(target.database, linesOf(lines), actor).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DocumentError);
      expect((error as DocumentError).message).toMatch(message);
      expect((error as DocumentError).line).toBe(line);
      expect(await counts(target.db)).toEqual(EMPTY);
    }

    it("a line that is not JSON", async () => {
      const lines = [...exported];
      const n = lines.findIndex((l) => l.includes('"table":"decision_version"'));
      lines[n] = lines[n]!.slice(0, 40);
      await expectRefused(lines, n + 1, /not valid JSON/);
    });

    it("an original whose bytes are not base64", async () => {
      const lines = [...exported];
      const n = lines.findIndex((l) => l.includes('"table":"source_document"'));
      const row = JSON.parse(lines[n]!);
      row.row.bytes = "not base64!";
      lines[n] = JSON.stringify(row);
      await expectRefused(lines, n + 1, /source_document\.bytes must be base64/);
    });

    it("a row the database refuses", async () => {
      const lines = [...exported];
      const n = lines.findIndex((l) => l.includes('"table":"council"'));
      const row = JSON.parse(lines[n]!);
      row.row.slug = "Not A Slug";
      lines[n] = JSON.stringify(row);
      await expectRefused(lines, n + 1, /council row not accepted: .*council_slug_format/);
    });

    it("a column the register does not have", async () => {
      const lines = [...exported];
      const n = lines.findIndex((l) => l.includes('"table":"body"'));
      const row = JSON.parse(lines[n]!);
      row.row.colour = "red";
      lines[n] = JSON.stringify(row);
      await expectRefused(lines, n + 1, /body has no column colour/);
    });

    it("a file cut short at a line boundary", async () => {
      const lines = exported.slice(0, -3);
      await expectRefused(lines, lines.length, /the export is incomplete: .*commitment/);
    });

    it("a first line that is not the header", async () => {
      await expectRefused(exported.slice(1), 1, /not a register export/);
      const header = JSON.parse(exported[0]!);
      await expectRefused([JSON.stringify({ ...header, version: 2 }), ...exported.slice(1)], 1, /version 2/);
    });

    it("decisions without their versions", async () => {
      const lines = exported.filter((l) => !l.includes('"table":"decision_version"'));
      const header = JSON.parse(lines[0]!);
      header.rows.decision_version = 0;
      lines[0] = JSON.stringify(header);
      await expectRefused(lines, lines.length, /the export is inconsistent: .*decision_current_version_fk/);
    });

    it("a version whose decision is missing", async () => {
      const lines = exported.filter((l) => !l.includes('"table":"decision"'));
      const header = JSON.parse(lines[0]!);
      header.rows.decision = 0;
      lines[0] = JSON.stringify(header);
      const n = lines.findIndex((l) => l.includes('"table":"decision_version"'));
      await expectRefused(lines, n + 1, /decision_version row not accepted/);
    });
  });
});
