import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../../src/domain/decision-record.js";
import { migrateDownTo, migrateToLatest, migrationStatus } from "../../../src/storage/migrate.js";
import { migrations } from "../../../src/storage/migrations/index.js";
import { SERVER_STATE_TABLES, TABLE_NAMES, type DatabaseSchema } from "../../../src/storage/schema.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase({ migrate: false });

async function tableNames(db: Kysely<DatabaseSchema>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(
    db,
  );
  return rows.map((row) => row.name);
}

describe("migrations", () => {
  it("are named by timestamp and listed in order", () => {
    const names = Object.keys(migrations);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{4}-[a-z0-9-]+$/);
    expect([...names].sort()).toEqual(names);
  });

  it("apply to an empty database, then do nothing when run again", async () => {
    expect(await tableNames(t.db)).toEqual([]);
    expect(await migrateToLatest(t.database)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(t.database)).toEqual([]);
    const status = await migrationStatus(t.database);
    expect(status.every((migration) => migration.executedAt instanceof Date)).toBe(true);
  });

  it("create every table in the schema", async () => {
    const expected = [
      ...TABLE_NAMES,
      ...SERVER_STATE_TABLES,
      "kysely_migration",
      "kysely_migration_lock",
    ].sort();
    expect(await tableNames(t.db)).toEqual(expected);
  });

  it("can be undone and applied again", async () => {
    await migrateDownTo(t.database, null);
    expect(await tableNames(t.db)).toEqual(["kysely_migration", "kysely_migration_lock"]);
    const { rows } = await sql<{ name: string }>`
      select proname as name from pg_proc where proname like 'resolved\\_%'`.execute(t.db);
    expect(rows).toEqual([]);
    expect(await migrateToLatest(t.database)).toEqual(Object.keys(migrations));
  });
});

// ---------------------------------------------------------------------------------------------------------

const record: DecisionRecord = {
  formatVersion: 1,
  council: "Stockton-on-Tees Borough Council",
  body: "Cabinet",
  documentType: "Cabinet Decision Record",
  recordId: "D080067",
  meetingDate: "2017-11-16",
  title: "Medium Term Financial Plan",
  record: "Consideration was given to a report on the plan.",
  outcome: { kind: "RESOLVED", text: "that:-", items: ["the plan be approved."] },
  outcomes: [{ kind: "RESOLVED", text: "that:-", items: ["the plan be approved."] }],
  reasons: "To set a balanced budget.",
  alternatives: "None.",
  conflictsOfInterest: "None.",
  dispensations: "None.",
  callIn: { deadline: "2017-11-24", text: "Midnight, 24 November 2017" },
  signedBy: "Democratic Services Officer",
  publishedOn: "2017-11-20",
  source: null,
};

async function seedCouncil(db: Kysely<DatabaseSchema>) {
  const council = await db
    .insertInto("council")
    .values({
      slug: "stockton-on-tees",
      name: "Stockton-on-Tees Borough Council",
      callInRule: JSON.stringify({ workingDays: 5, countPublicationDay: true, cutoff: "23:59" }),
      keyDecisionThreshold: 500_000,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const body = await db
    .insertInto("body")
    .values({ councilId: council.id, name: "Cabinet", kind: "executive" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { councilId: council.id, bodyId: body.id };
}

/** A decision and its version 1, in one transaction (the current-version key is checked at commit). */
async function seedDecision(
  ids: { councilId: number; bodyId: number },
  fields: {
    title: string;
    record?: string;
    reasons?: string;
    recordId?: string;
    status?: "draft" | "published";
  },
): Promise<number> {
  return t.database.transaction(async (trx) => {
    const decision = await trx
      .insertInto("decision")
      .values({
        councilId: ids.councilId,
        bodyId: ids.bodyId,
        recordId: fields.recordId ?? null,
        documentType: record.documentType,
        meetingDate: record.meetingDate,
        title: fields.title,
        record: fields.record ?? "",
        reasons: fields.reasons ?? "",
        outcomes: JSON.stringify(record.outcomes),
        callInText: record.callIn.text,
        callInDeadline: record.callIn.deadline,
        publishedOn: record.publishedOn,
        status: fields.status ?? "published",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("decisionVersion")
      .values({
        decisionId: decision.id,
        version: 1,
        record: JSON.stringify({ ...record, title: fields.title }),
      })
      .execute();
    return decision.id;
  });
}

describe("the schema", () => {
  beforeAll(async () => {
    await migrateToLatest(t.database);
  });

  it("keeps the audit log append-only: UPDATE and DELETE are refused, TRUNCATE is not", async () => {
    const entry = await t.db
      .insertInto("auditLog")
      .values({ actor: "system", action: "decision.publish", entity: "decision", entityId: "1" })
      .returning(["id", "details"])
      .executeTakeFirstOrThrow();
    expect(entry.details).toEqual({});

    await expect(
      t.db.updateTable("auditLog").set({ actor: "someone else" }).where("id", "=", entry.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom("auditLog").where("id", "=", entry.id).execute()).rejects.toThrow(
      /append-only/,
    );
    expect(await t.db.selectFrom("auditLog").select("actor").execute()).toEqual([{ actor: "system" }]);

    await sql`truncate audit_log`.execute(t.db);
    expect(await t.db.selectFrom("auditLog").selectAll().execute()).toEqual([]);
  });

  it("tells the planner that a full-text match is costly, so it asks the full-text index first", async () => {
    const { rows } = await sql<{ cost: number }>`
      select procost::float8 as cost from pg_proc where proname = 'ts_match_vq'`.execute(t.db);
    // The test servers' role is a superuser, as PGlite's always is (see the migration for other roles).
    expect(rows[0]!.cost).toBe(100);
  });

  it("ranks a match in the title above a match in the body", async () => {
    const ids = await seedCouncil(t.db);
    const inBody = await seedDecision(ids, {
      title: "Parks and open spaces",
      record: "The report set out the future of the libraries service alongside parks.",
      recordId: "D1",
    });
    const inTitle = await seedDecision(ids, {
      title: "Libraries strategy",
      record: "The report set out a plan for parks.",
      recordId: "D2",
    });
    await seedDecision(ids, { title: "Highways maintenance", record: "Roads.", recordId: "D3" });

    const query = sql`websearch_to_tsquery('english', ${"library"})`;
    const rows = await t.db
      .selectFrom("decision")
      .select(["id", sql<number>`ts_rank(search, ${query})`.as("rank")])
      .where(sql<boolean>`search @@ ${query}`)
      .orderBy("rank", "desc")
      .execute();
    expect(rows.map((row) => row.id)).toEqual([inTitle, inBody]);
    expect(rows[0]!.rank).toBeGreaterThan(rows[1]!.rank);
  });

  it("searches the outcome items and the reasons too", async () => {
    const ids = await seedCouncil(t.db);
    const id = await seedDecision(ids, {
      title: "Budget",
      reasons: "To protect frontline services.",
      recordId: "D1",
    });
    const hits = async (words: string) =>
      (
        await t.db
          .selectFrom("decision")
          .select("id")
          .where(sql<boolean>`search @@ websearch_to_tsquery('english', ${words})`)
          .execute()
      ).map((row) => row.id);
    expect(await hits("approved plan")).toEqual([id]);
    expect(await hits("frontline")).toEqual([id]);
    expect(await hits("potholes")).toEqual([]);
  });

  it("requires a decision's current version to exist when the transaction commits", async () => {
    const ids = await seedCouncil(t.db);
    await expect(
      t.database.transaction(async (trx) => {
        await trx
          .insertInto("decision")
          .values({
            councilId: ids.councilId,
            bodyId: ids.bodyId,
            documentType: "Cabinet Decision Record",
            meetingDate: "2017-11-16",
            title: "No version",
          })
          .execute();
      }),
    ).rejects.toThrow(/decision_current_version_fk/);
    expect(await t.db.selectFrom("decision").select("id").execute()).toEqual([]);
  });

  it("keeps versions unchanged and requires a reason for a correction", async () => {
    const ids = await seedCouncil(t.db);
    const id = await seedDecision(ids, { title: "Budget", recordId: "D1" });
    await expect(
      t.db.updateTable("decisionVersion").set({ reason: "tidy" }).where("decisionId", "=", id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.db
        .insertInto("decisionVersion")
        .values({ decisionId: id, version: 2, record: JSON.stringify(record) })
        .execute(),
    ).rejects.toThrow(/decision_version_correction_has_reason/);
    await expect(
      t.db
        .insertInto("decisionVersion")
        .values({ decisionId: id, version: 1, record: JSON.stringify(record), reason: "again" })
        .execute(),
    ).rejects.toThrow(/decision_version_decision_version_unique/);
    await t.db
      .insertInto("decisionVersion")
      .values({
        decisionId: id,
        version: 2,
        record: JSON.stringify(record),
        reason: "Wrong date of publication",
      })
      .execute();
    await t.db.updateTable("decision").set({ currentVersion: 2 }).where("id", "=", id).execute();
    const row = await t.db
      .selectFrom("decision")
      .select("currentVersion")
      .where("id", "=", id)
      .executeTakeFirst();
    expect(row).toEqual({ currentVersion: 2 });
  });

  it("deletes drafts (with their versions) but never a published decision", async () => {
    const ids = await seedCouncil(t.db);
    const published = await seedDecision(ids, { title: "Budget", recordId: "D1" });
    const draft = await seedDecision(ids, { title: "Draft", recordId: "D2", status: "draft" });
    await expect(t.db.deleteFrom("decision").where("id", "=", published).execute()).rejects.toThrow(
      /only drafts may be deleted/,
    );
    await t.db.deleteFrom("decision").where("id", "=", draft).execute();
    const versions = await t.db.selectFrom("decisionVersion").select("decisionId").execute();
    expect(versions).toEqual([{ decisionId: published }]);
  });

  it("refuses values outside the enumerations and ranges", async () => {
    const ids = await seedCouncil(t.db);
    const id = await seedDecision(ids, { title: "Budget", recordId: "D1" });
    const refuse = (promise: Promise<unknown>, constraint: string) =>
      expect(promise).rejects.toThrow(new RegExp(constraint));

    await refuse(
      t.db.updateTable("decision").set({ exemptParagraph: 8 }).where("id", "=", id).execute(),
      "decision_exempt_paragraph_range",
    );
    await t.db.updateTable("decision").set({ exemptParagraph: 3 }).where("id", "=", id).execute();
    await refuse(
      t.db
        .updateTable("decision")
        .set({ status: "archived" as "draft" })
        .where("id", "=", id)
        .execute(),
      "decision_status_check",
    );
    await refuse(
      t.db.updateTable("decision").set({ urgent: true }).where("id", "=", id).execute(),
      "decision_urgency_explained",
    );
    await t.db
      .updateTable("decision")
      .set({
        urgent: true,
        urgencyReason: "Grant deadline",
        urgencyChairConsent: "Cllr Smith, chair of scrutiny",
      })
      .where("id", "=", id)
      .execute();
    await refuse(
      t.db
        .insertInto("decision")
        .values({
          councilId: ids.councilId,
          bodyId: ids.bodyId,
          recordId: "D1",
          documentType: "x",
          meetingDate: "2017-11-16",
          title: "Same record id",
        })
        .execute(),
      "decision_council_record_id_unique",
    );
    await refuse(
      t.db
        .insertInto("body")
        .values({ councilId: ids.councilId, name: "Panel", kind: "panel" as "committee" })
        .execute(),
      "body_kind_check",
    );
    await refuse(
      t.db
        .insertInto("person")
        .values({ councilId: ids.councilId, name: "A Officer", role: "officer", party: "Independent" })
        .execute(),
      "person_officer_has_no_ward_or_party",
    );
    await refuse(
      t.db
        .insertInto("council")
        .values({ slug: "Not A Slug", name: "X", callInRule: JSON.stringify({}) })
        .execute(),
      "council_slug_format",
    );
    await refuse(
      t.db
        .insertInto("callInRequest")
        .values({ decisionId: id, receivedAt: new Date(), grounds: "Lack of consultation", valid: false })
        .execute(),
      "call_in_request_invalid_has_reason",
    );
  });

  it("counts a call-in signatory once", async () => {
    const ids = await seedCouncil(t.db);
    const id = await seedDecision(ids, { title: "Budget", recordId: "D1" });
    const request = await t.db
      .insertInto("callInRequest")
      .values({ decisionId: id, receivedAt: "2017-11-22T10:00:00Z", grounds: "Lack of consultation" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto("callInSignatory")
      .values({ callInRequestId: request.id, position: 1, name: "Cllr A Jones" })
      .execute();
    await expect(
      t.db
        .insertInto("callInSignatory")
        .values({ callInRequestId: request.id, position: 2, name: " cllr a jones" })
        .execute(),
    ).rejects.toThrow(/call_in_signatory_name_unique/);
  });

  it("computes a source document's SHA-256 and size from its bytes", async () => {
    const bytes = Buffer.from("%PDF-1.4\n% a decision record\n", "latin1");
    const row = await t.db
      .insertInto("sourceDocument")
      .values({ bytes, mediaType: "application/pdf", fileName: "D080067.pdf" })
      .returning(["sha256", "size"])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length });
    await expect(
      t.db
        .insertInto("sourceDocument")
        .values({ bytes, mediaType: "application/pdf", fileName: "copy.pdf" })
        .execute(),
    ).rejects.toThrow(/source_document_sha256_key/);
    // The usual way to store a document once: on conflict with the computed sha256, keep the first.
    const again = await t.db
      .insertInto("sourceDocument")
      .values({ bytes, mediaType: "application/pdf", fileName: "copy.pdf" })
      .onConflict((conflict) => conflict.column("sha256").doNothing())
      .returning("id")
      .execute();
    expect(again).toEqual([]);
    expect(await t.db.selectFrom("sourceDocument").select("fileName").execute()).toEqual([
      { fileName: "D080067.pdf" },
    ]);
  });

  it("keeps updated_at current", async () => {
    const { councilId } = await seedCouncil(t.db);
    const before = await t.db
      .selectFrom("council")
      .select(["createdAt", "updatedAt"])
      .where("id", "=", councilId)
      .executeTakeFirstOrThrow();
    expect(before.updatedAt).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await t.db.updateTable("council").set({ name: "Stockton Council" }).where("id", "=", councilId).execute();
    const after = await t.db
      .selectFrom("council")
      .select(["createdAt", "updatedAt"])
      .where("id", "=", councilId)
      .executeTakeFirstOrThrow();
    expect(after.createdAt).toEqual(before.createdAt);
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
  });

  it("is emptied between tests, identities restarting", async () => {
    const { councilId } = await seedCouncil(t.db);
    expect(councilId).toBe(1);
  });
});
