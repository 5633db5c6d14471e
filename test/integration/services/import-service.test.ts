import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DocumentError, NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { parseSingleDecision } from "../../../src/import/parse-document.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { importDocument, importFiles } from "../../../src/services/import/index.js";
import { TABLE_NAMES } from "../../../src/storage/schema.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase();
const actor = "test";
const FIXTURES = new URL("../../fixtures/", import.meta.url);

async function fixture(path: string): Promise<Buffer> {
  return readFile(new URL(path, FIXTURES));
}

/** A fixture with some text replaced (each replacement must apply), as a new file's bytes. */
async function edited(path: string, ...replacements: [string, string][]): Promise<Buffer> {
  let text = (await fixture(path)).toString("utf8");
  for (const [from, to] of replacements) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return Buffer.from(text, "utf8");
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Rows in every table, to show that something wrote nothing. */
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

const EMPTY = Object.fromEntries(TABLE_NAMES.map((table) => [table, 0]));

// A failure at the very end of an import transaction, made by the database itself: a trigger refuses
// to write one audit action. Nothing of ours is replaced; the real import code meets a real error.
beforeAll(async () => {
  await sql`create table test_refused_audit_action (action text primary key)`.execute(t.db);
  await sql`create function test_refuse_audit() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from test_refused_audit_action where action = new.action) then
        raise exception 'simulated failure writing %', new.action;
      end if;
      return new;
    end $$`.execute(t.db);
  await sql`create trigger test_refuse_audit before insert on audit_log
    for each row execute function test_refuse_audit()`.execute(t.db);
});

async function refuseAuditAction(action: string | null): Promise<void> {
  await sql`delete from test_refused_audit_action`.execute(t.db);
  if (action !== null) await sql`insert into test_refused_audit_action values (${action})`.execute(t.db);
}

beforeEach(async () => {
  await refuseAuditAction(null);
});

describe("importDocument", () => {
  it("stores a new record: council, body, meeting, original, decision and version 1, audited", async () => {
    const bytes = await fixture("text/cab-41-25-flood-strategy.txt");
    const result = await importDocument(
      t.database,
      { bytes, fileName: "cab-41-25-flood-strategy.txt", sourceUrl: "https://example.org/cab-41-25" },
      { actor },
    );
    expect(result).toMatchObject({
      outcome: "imported",
      version: 1,
      recordId: "CAB/41/25",
      title: "Local Flood Risk Management Strategy 2025-2031",
      warnings: [],
    });

    const council = await t.db.selectFrom("council").selectAll().executeTakeFirstOrThrow();
    expect(council).toMatchObject({ slug: "stockton-on-tees", name: "Stockton-on-Tees Borough Council" });
    const body = await t.db.selectFrom("body").selectAll().executeTakeFirstOrThrow();
    expect(body).toMatchObject({ councilId: council.id, name: "Cabinet", kind: "executive" });
    const meeting = await t.db.selectFrom("meeting").selectAll().executeTakeFirstOrThrow();
    expect(meeting).toMatchObject({ bodyId: body.id, date: "2025-10-16", status: "held" });

    const decision = await t.db
      .selectFrom("decision")
      .selectAll()
      .where("id", "=", result.decisionId)
      .executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      councilId: council.id,
      bodyId: body.id,
      meetingId: meeting.id,
      recordId: "CAB/41/25",
      meetingDate: "2025-10-16",
      status: "published",
      publishedOn: "2025-10-20",
      callInDeadline: "2025-10-24",
      callInText: "Midnight, Friday 24 October 2025",
      expectedCallInDeadline: "2025-10-24",
      deadlineMismatch: false,
      notSubjectToCallIn: false,
      currentVersion: 1,
    });
    expect(decision.outcomes).toEqual([
      {
        kind: "RESOLVED",
        text: "that the Local Flood Risk Management Strategy 2025-2031 be approved.",
        items: [],
      },
    ]);

    const { record: parsed } = await parseSingleDecision(bytes, "cab-41-25-flood-strategy.txt");
    const version = await t.db.selectFrom("decisionVersion").selectAll().executeTakeFirstOrThrow();
    expect(version).toMatchObject({ decisionId: decision.id, version: 1, reason: null, createdBy: actor });
    expect(version.record).toEqual(parsed);

    const original = await t.db.selectFrom("sourceDocument").selectAll().executeTakeFirstOrThrow();
    expect(original.id).toBe(version.sourceDocumentId);
    expect(Buffer.compare(original.bytes, bytes)).toBe(0);
    expect(original).toMatchObject({
      sha256: sha256(bytes),
      size: bytes.length,
      mediaType: parsed.source!.mediaType,
      fileName: "cab-41-25-flood-strategy.txt",
      sourceUrl: "https://example.org/cab-41-25",
      importedBy: actor,
    });

    const entries = await t.db.selectFrom("auditLog").selectAll().orderBy("id").execute();
    expect(entries.map((e) => e.action)).toEqual([
      "council.created",
      "body.created",
      "meeting.created",
      "decision.imported",
      // The record agrees the Local Flood Risk Management Strategy 2025-2031, which the register did not have.
      "strategy.found-in-record",
    ]);
    expect(entries[3]).toMatchObject({
      actor,
      entity: "decision",
      entityId: String(decision.id),
      councilId: council.id,
      details: expect.objectContaining({
        fileName: "cab-41-25-flood-strategy.txt",
        sha256: sha256(bytes),
        version: 1,
      }),
    });
  });

  it("writes nothing at all, not even an audit entry, when the same bytes come again", async () => {
    const bytes = await fixture("text/cab-41-25-flood-strategy.txt");
    const first = await importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor });
    const before = await counts();
    const again = await importDocument(t.database, { bytes, fileName: "renamed.txt" }, { actor });
    expect(again).toMatchObject({ outcome: "unchanged", decisionId: first.decisionId, version: 1 });
    expect(await counts()).toEqual(before);
  });

  it("treats different bytes holding the same record as unchanged", async () => {
    const bytes = await fixture("text/haverton-hill-permits-pdf.txt");
    await importDocument(t.database, { bytes, fileName: "haverton.txt" }, { actor });
    const before = await counts();
    const resaved = Buffer.concat([bytes, Buffer.from("\n\n")]);
    expect(sha256(resaved)).not.toBe(sha256(bytes));
    const again = await importDocument(
      t.database,
      { bytes: resaved, fileName: "haverton-resaved.txt" },
      { actor },
    );
    expect(again).toMatchObject({ outcome: "unchanged", version: 1 });
    expect(await counts()).toEqual(before);
  });

  it("adds a version with a reason when a changed file for the same record comes; every version stays readable", async () => {
    const v1 = await fixture("text/cab-41-25-flood-strategy.txt");
    const v2 = await edited("text/cab-41-25-flood-strategy.txt", [
      "To meet the Council's duty",
      "To fulfil the Council's statutory duty",
    ]);
    const first = await importDocument(t.database, { bytes: v1, fileName: "cab-41-25.txt" }, { actor });
    const second = await importDocument(
      t.database,
      { bytes: v2, fileName: "cab-41-25-corrected.txt" },
      { actor },
    );
    expect(second).toMatchObject({ outcome: "new-version", decisionId: first.decisionId, version: 2 });

    const versions = await t.db
      .selectFrom("decisionVersion as v")
      .innerJoin("sourceDocument as s", "s.id", "v.sourceDocumentId")
      .select(["v.version", "v.reason", "v.record", "s.bytes", "s.fileName"])
      .where("v.decisionId", "=", first.decisionId)
      .orderBy("v.version")
      .execute();
    expect(versions.map((v) => [v.version, v.reason, v.fileName])).toEqual([
      [1, null, "cab-41-25.txt"],
      [2, "Re-imported from cab-41-25-corrected.txt: differs from version 1", "cab-41-25-corrected.txt"],
    ]);
    expect(versions[0]!.record.reasons).toMatch(/^To meet the Council's duty/);
    expect(versions[1]!.record.reasons).toMatch(/^To fulfil the Council's statutory duty/);
    expect(Buffer.compare(versions[0]!.bytes, v1)).toBe(0);
    expect(Buffer.compare(versions[1]!.bytes, v2)).toBe(0);

    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision.currentVersion).toBe(2);
    expect(decision.reasons).toMatch(/^To fulfil the Council's statutory duty/);
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(1);

    const entry = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "decision.version-added")
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({
      version: 2,
      previousVersion: 1,
      fileName: "cab-41-25-corrected.txt",
      sha256: sha256(v2),
      changedFields: ["reasons"],
    });
    // Who changed what, from what to what.
    const details = entry.details as { before: { reasons: string }; after: { reasons: string } };
    expect(details.after.reasons).toBe(decision.reasons);
    expect(details.before.reasons).not.toBe(details.after.reasons);

    // The older file again: it is version 1, and the newer version is kept.
    const before = await counts();
    const old = await importDocument(t.database, { bytes: v1, fileName: "cab-41-25.txt" }, { actor });
    expect(old).toMatchObject({ outcome: "unchanged", version: 1 });
    expect(old.warnings.join("\n")).toContain("the register holds version 2");
    expect(await counts()).toEqual(before);
  });

  it("matches a record without an identifier by council, body, meeting date and title", async () => {
    const v1 = await fixture("text/haverton-hill-permits-pdf.txt");
    const v2 = await edited("text/haverton-hill-permits-pdf.txt", ["£180,000 a year", "£190,000 a year"]);
    const first = await importDocument(t.database, { bytes: v1, fileName: "haverton.txt" }, { actor });
    expect(first.recordId).toBeNull();
    const second = await importDocument(t.database, { bytes: v2, fileName: "haverton-2.txt" }, { actor });
    expect(second).toMatchObject({ outcome: "new-version", decisionId: first.decisionId, version: 2 });

    // Another title at the same meeting is another decision.
    const other = await edited("text/haverton-hill-permits-pdf.txt", [
      "Household Waste Recycling Centre Permit Scheme",
      "Household Waste Recycling Centre Opening Hours",
    ]);
    const third = await importDocument(t.database, { bytes: other, fileName: "hours.txt" }, { actor });
    expect(third).toMatchObject({ outcome: "imported", version: 1 });
    expect(third.decisionId).not.toBe(first.decisionId);
    // Same body and meeting, reused.
    expect(await t.db.selectFrom("meeting").select("id").execute()).toHaveLength(1);
    expect(await t.db.selectFrom("body").select("id").execute()).toHaveLength(1);
  });

  it("flags a printed call-in deadline that disagrees with the council's rule", async () => {
    const bytes = await edited("text/cab-41-25-flood-strategy.txt", [
      "Midnight, Friday 24 October 2025",
      "Midnight, Thursday 23 October 2025",
    ]);
    const result = await importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor });
    expect(result.outcome).toBe("imported");
    expect(result.warnings).toEqual([
      "the record says call-in ends 23 October 2025; Stockton-on-Tees Borough Council's rule gives 24 October 2025",
    ]);
    expect(result.warningDetails[0]!.line).toBeGreaterThan(1);
    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      callInDeadline: "2025-10-23",
      expectedCallInDeadline: "2025-10-24",
      deadlineMismatch: true,
      notSubjectToCallIn: false,
    });
    const entry = await t.db
      .selectFrom("auditLog")
      .select("details")
      .where("action", "=", "decision.imported")
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ deadlineMismatch: true, expectedCallInDeadline: "2025-10-24" });
  });

  it("leaves the expected deadline empty, with a warning, for a year the holiday calendar does not cover", async () => {
    const bytes = await edited(
      "text/cab-41-25-flood-strategy.txt",
      ["16th October 2025", "17th October 2030"],
      ["Midnight, Friday 24 October 2025", "Midnight, Friday 25 October 2030"],
      ["\n20 October 2025", "\n21 October 2030"],
    );
    const result = await importDocument(t.database, { bytes, fileName: "cab-2030.txt" }, { actor });
    expect(result.outcome).toBe("imported");
    expect(result.warnings.join("\n")).toMatch(/the call-in deadline could not be checked: .*2030/);
    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision).toMatchObject({
      expectedCallInDeadline: null,
      deadlineMismatch: false,
      callInDeadline: "2030-10-25",
    });
  });

  it("marks a recommendation to Council (every outcome RECOMMENDED) as not subject to call-in", async () => {
    const resolvedBlock =
      /RESOLVED that:-\n\n1\. The updated financial position[\s\S]*?Collection Fund surplus\.\n\n/;
    const mixed = (await fixture("text/mtfp-decision-proforma.txt")).toString("utf8");
    expect(mixed).toMatch(resolvedBlock);
    const recommendationsOnly = Buffer.from(mixed.replace(resolvedBlock, ""));
    const result = await importDocument(
      t.database,
      { bytes: recommendationsOnly, fileName: "mtfp.txt" },
      { actor },
    );
    expect(result.warnings).toEqual([]);
    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision.outcomes.map((o) => o.kind)).toEqual(["RECOMMENDED"]);
    expect(decision).toMatchObject({
      notSubjectToCallIn: true,
      callInDeadline: null,
      expectedCallInDeadline: null,
      deadlineMismatch: false,
    });

    // Even when the record prints a deadline: recommendations are not executive decisions.
    const withDeadline = Buffer.from(
      mixed
        .replace(resolvedBlock, "")
        .replace("Medium Term Financial Plan Update", "Capital Programme Update")
        .replace("Not applicable", "Midnight, 17 February 2023"),
    );
    const second = await importDocument(
      t.database,
      { bytes: withDeadline, fileName: "capital.txt" },
      { actor },
    );
    expect(second.outcome).toBe("imported");
    expect(second.warnings.join("\n")).toContain("every outcome is RECOMMENDED");
    const flagged = await t.db
      .selectFrom("decision")
      .selectAll()
      .where("id", "=", second.decisionId)
      .executeTakeFirstOrThrow();
    expect(flagged).toMatchObject({
      notSubjectToCallIn: true,
      callInDeadline: "2023-02-17",
      deadlineMismatch: false,
    });
  });

  it("treats a record that both recommends and resolves, with no deadline, as not subject to call-in", async () => {
    const bytes = await fixture("text/mtfp-decision-proforma.txt");
    await importDocument(t.database, { bytes, fileName: "mtfp.txt" }, { actor });
    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision.outcomes.map((o) => o.kind)).toEqual(["RECOMMENDED", "RESOLVED"]);
    expect(decision).toMatchObject({
      notSubjectToCallIn: true,
      callInDeadline: null,
      expectedCallInDeadline: null,
    });
  });

  it("files records that do not name their council under the default council", async () => {
    const bytes = await fixture("text/d110016-web-record.txt");
    const result = await importDocument(t.database, { bytes, fileName: "d110016.txt" }, { actor });
    expect(result).toMatchObject({ outcome: "imported", recordId: "D110016", warnings: [] });
    const councils = await t.db.selectFrom("council").select(["slug", "name"]).execute();
    expect(councils).toEqual([{ slug: "stockton-on-tees", name: "Stockton-on-Tees Borough Council" }]);
  });

  it("imports into the council given, and says so when the record names another", async () => {
    const bytes = await fixture("text/cab-41-25-flood-strategy.txt");
    await t.db
      .insertInto("council")
      .values({
        slug: "gloucestershire",
        name: "Gloucestershire County Council",
        callInRule: JSON.stringify({
          countFrom: "next-day",
          days: 5,
          dayKind: "working",
          cutoff: "24:00",
          holidayRegion: "england-and-wales",
        }),
      })
      .execute();
    const result = await importDocument(
      t.database,
      { bytes, fileName: "cab.txt" },
      { actor, council: "gloucestershire" },
    );
    expect(result.outcome).toBe("imported");
    expect(result.warnings[0]).toContain("the record names Stockton-on-Tees Borough Council");
    // Gloucestershire's rule (counting from the next day) gives Monday 27 October, not the printed Friday.
    expect(result.warnings[1]).toBe(
      "the record says call-in ends 24 October 2025; Gloucestershire County Council's rule gives 27 October 2025",
    );
    const decision = await t.db
      .selectFrom("decision")
      .innerJoin("council", "council.id", "decision.councilId")
      .select(["council.slug", "decision.deadlineMismatch"])
      .executeTakeFirstOrThrow();
    expect(decision).toEqual({ slug: "gloucestershire", deadlineMismatch: true });
  });

  it("refuses bad input before writing anything", async () => {
    const bytes = await fixture("text/cab-41-25-flood-strategy.txt");
    await expect(
      importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor, council: "Bad Slug!" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor, council: "gloucestershire" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      importDocument(
        t.database,
        { bytes: await fixture("bad/truncated.pdf"), fileName: "truncated.pdf" },
        { actor },
      ),
    ).rejects.toBeInstanceOf(DocumentError);
    await expect(
      importDocument(
        t.database,
        { bytes: await fixture("text-bad/missing-section-3.txt"), fileName: "missing-section-3.txt" },
        { actor },
      ),
    ).rejects.toBeInstanceOf(DocumentError);
    expect(await counts()).toEqual(EMPTY);
  });

  it("rolls everything back when the transaction fails at its last step", async () => {
    await refuseAuditAction("decision.imported");
    const bytes = await fixture("text/cab-41-25-flood-strategy.txt");
    await expect(importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor })).rejects.toThrow(
      "simulated failure writing decision.imported",
    );
    // No council, body, meeting, original, decision, version or audit entry.
    expect(await counts()).toEqual(EMPTY);

    // And the same file imports cleanly afterwards.
    await refuseAuditAction(null);
    await expect(
      importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor }),
    ).resolves.toMatchObject({
      outcome: "imported",
    });
  });

  it("rolls back a failed new version, leaving the current one as it was", async () => {
    const v1 = await fixture("text/cab-41-25-flood-strategy.txt");
    const v2 = await edited("text/cab-41-25-flood-strategy.txt", [
      "None.\n\n5.",
      "The Cabinet Member.\n\n5.",
    ]);
    await importDocument(t.database, { bytes: v1, fileName: "cab.txt" }, { actor });
    const before = await counts();
    await refuseAuditAction("decision.version-added");
    await expect(importDocument(t.database, { bytes: v2, fileName: "cab-2.txt" }, { actor })).rejects.toThrow(
      "simulated failure",
    );
    expect(await counts()).toEqual(before);
    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ currentVersion: 1, alternatives: "None." });
  });
});

describe("importFiles", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "resolved-import-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("imports every file in its own transaction, going on past bad ones", async () => {
    const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
    const good = ["text", "pdf", "docx", "html"].map((kind) => join(fixtures, kind));
    const bad = [
      join(fixtures, "bad", "junk.bin"),
      join(fixtures, "bad", "truncated.pdf"),
      join(folder, "missing.txt"),
    ];
    const progress: { done: number; total: number }[] = [];
    const results = await importFiles(t.database, [...good, ...bad], { actor }, ({ done, total }) =>
      progress.push({ done, total }),
    );

    const imported = results.filter((r) => r.result?.outcome === "imported");
    const failed = results.filter((r) => r.error !== undefined);
    expect(imported).toHaveLength(12);
    expect(failed.map((r) => r.file)).toEqual(bad);
    for (const { error } of failed) expect(error).toBeInstanceOf(DocumentError);
    expect((failed[2]!.error as Error).message).toBe("no such file");
    expect(progress).toHaveLength(results.length + 1);
    expect(progress.at(-1)).toEqual({ done: 15, total: 15 });

    // Nothing of the bad files: twelve originals, each a good file's bytes, named by their base name.
    const originals = await t.db.selectFrom("sourceDocument").select(["fileName", "sha256"]).execute();
    expect(originals).toHaveLength(12);
    expect(originals.map((o) => o.fileName)).not.toContain("junk.bin");
    expect(originals.map((o) => o.fileName)).not.toContain("truncated.pdf");
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(12);
    expect(await t.db.selectFrom("council").select("slug").execute()).toEqual([{ slug: "stockton-on-tees" }]);

    // The same batch again: all unchanged, and the same failures.
    const before = await counts();
    const again = await importFiles(t.database, [...good, ...bad], { actor });
    expect(again.filter((r) => r.result?.outcome === "unchanged")).toHaveLength(12);
    expect(again.filter((r) => r.error !== undefined)).toHaveLength(3);
    expect(await counts()).toEqual(before);
  });
});

describe("addDecisionVersion", () => {
  it("corrects a published record with a new version, a reason and an audit entry", async () => {
    const bytes = await fixture("text/cab-41-25-flood-strategy.txt");
    const imported = await importDocument(t.database, { bytes, fileName: "cab.txt" }, { actor });
    const current = await t.db
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", imported.decisionId)
      .executeTakeFirstOrThrow();
    const corrected = { ...current.record, title: "Local Flood Risk Management Strategy 2025 to 2031" };

    await expect(
      t.database.transaction((trx) =>
        addDecisionVersion(trx, imported.decisionId, corrected, { reason: "  ", actor: "editor" }),
      ),
    ).rejects.toThrow(ValidationError);
    await expect(
      t.database.transaction((trx) =>
        addDecisionVersion(trx, imported.decisionId, current.record, { reason: "typo", actor: "editor" }),
      ),
    ).rejects.toThrow(/nothing changed/);
    await expect(
      t.database.transaction((trx) =>
        addDecisionVersion(trx, 999_999, corrected, { reason: "typo", actor: "editor" }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);

    const added = await t.database.transaction((trx) =>
      addDecisionVersion(trx, imported.decisionId, corrected, { reason: "Title as agreed", actor: "editor" }),
    );
    expect(added).toMatchObject({ version: 2, changedFields: ["title"], warnings: [] });
    const decision = await t.db.selectFrom("decision").selectAll().executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ title: corrected.title, currentVersion: 2 });
    const versions = await t.db
      .selectFrom("decisionVersion")
      .select(["version", "reason", "createdBy", "sourceDocumentId"])
      .orderBy("version")
      .execute();
    expect(versions).toEqual([
      { version: 1, reason: null, createdBy: actor, sourceDocumentId: expect.any(Number) },
      { version: 2, reason: "Title as agreed", createdBy: "editor", sourceDocumentId: null },
    ]);
    const entry = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "decision.version-added")
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: "editor", entityId: String(imported.decisionId) });
    expect(entry.details).toMatchObject({ version: 2, reason: "Title as agreed", changedFields: ["title"] });

    // A version is never edited in place.
    await expect(
      t.db.updateTable("decisionVersion").set({ reason: "rewritten" }).where("version", "=", 2).execute(),
    ).rejects.toThrow(/append-only/);
  });
});
