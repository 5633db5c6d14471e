import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentError } from "../../../src/domain/errors.js";
import {
  importBatch,
  type BatchReport,
  type BulkImportEntry,
  importDocument,
  importFiles,
  type ImportInput,
} from "../../../src/services/import/index.js";
import { verifyAuditChain } from "../../../src/services/audit/index.js";
import { refreshInBackground } from "../../../src/services/register/index.js";
import { TABLE_NAMES } from "../../../src/storage/schema.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase();
const actor = "test";
const FIXTURES = new URL("../../fixtures/", import.meta.url);

async function fixture(path: string): Promise<Buffer> {
  return readFile(new URL(path, FIXTURES));
}

async function folder(kind: string): Promise<ImportInput[]> {
  const names = (await readdir(new URL(`${kind}/`, FIXTURES))).sort();
  return Promise.all(
    names.map(async (name) => ({ bytes: await fixture(`${kind}/${name}`), fileName: name })),
  );
}

/** A fixture with some text replaced (each replacement must apply), as a new file. */
async function edited(
  path: string,
  fileName: string,
  ...replacements: [string, string][]
): Promise<ImportInput> {
  let text = (await fixture(path)).toString("utf8");
  for (const [from, to] of replacements) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return { bytes: Buffer.from(text, "utf8"), fileName };
}

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

/**
 * Everything the imports wrote, with row ids replaced by what the rows are (a decision by its identifier or
 * meeting date and title, an original by its SHA-256, ...), so two registers filled in different orders compare
 * equal when they hold the same things. Audit entries are compared as a sorted list: a batch writes them
 * table by table rather than file by file.
 */
async function snapshot() {
  const councils = await t.db.selectFrom("council").select(["id", "slug", "name", "callInRule"]).execute();
  const councilOf = new Map(councils.map((c) => [c.id, c.slug]));
  const bodies = await t.db.selectFrom("body").select(["id", "councilId", "name", "kind"]).execute();
  const bodyOf = new Map(bodies.map((b) => [b.id, `${councilOf.get(b.councilId)}/${b.name}`]));
  const meetings = await t.db.selectFrom("meeting").select(["id", "bodyId", "date", "status"]).execute();
  const meetingOf = new Map(meetings.map((m) => [m.id, `${bodyOf.get(m.bodyId)}@${m.date}`]));
  const originals = await t.db
    .selectFrom("sourceDocument")
    .select(["id", "sha256", "size", "mediaType", "fileName", "sourceUrl", "importedBy"])
    .execute();
  const originalOf = new Map(originals.map((o) => [o.id, o.sha256]));
  const decisions = await sql<Record<string, unknown> & { id: number }>`
    select d.*, d.search::text as search from decision d`.execute(t.db);
  const decisionOf = new Map(
    decisions.rows.map((d) => [
      d.id,
      `${councilOf.get(d.councilId as number)}/${String(d.recordId ?? `${String(d.meetingDate)} ${String(d.title)}`)}`,
    ]),
  );
  const versions = await t.db
    .selectFrom("decisionVersion")
    .select(["decisionId", "version", "record", "reason", "sourceDocumentId", "createdBy"])
    .execute();
  const audit = await t.db
    .selectFrom("auditLog")
    .select(["actor", "action", "entity", "entityId", "councilId", "details"])
    .execute();
  const entityOf = (entity: string, id: string | null) => {
    const n = Number(id);
    if (entity === "decision") return decisionOf.get(n);
    if (entity === "body") return bodyOf.get(n);
    if (entity === "meeting") return meetingOf.get(n);
    if (entity === "council") return councilOf.get(n);
    return id;
  };
  const sorted = <T>(rows: T[]) => rows.map((row) => JSON.stringify(row)).sort();
  return {
    councils: sorted(councils.map(({ id: _id, ...c }) => c)),
    bodies: sorted(bodies.map((b) => ({ body: bodyOf.get(b.id), kind: b.kind }))),
    meetings: sorted(meetings.map((m) => ({ meeting: meetingOf.get(m.id), status: m.status }))),
    originals: sorted(originals.map(({ id: _id, ...o }) => o)),
    decisions: sorted(
      decisions.rows.map(({ id, councilId, bodyId, meetingId, createdAt: _c, updatedAt: _u, ...d }) => ({
        decision: decisionOf.get(id),
        council: councilOf.get(councilId as number),
        body: bodyOf.get(bodyId as number),
        meeting: meetingOf.get(meetingId as number),
        ...d,
      })),
    ),
    versions: sorted(
      versions.map((v) => ({
        decision: decisionOf.get(v.decisionId),
        version: v.version,
        record: v.record,
        reason: v.reason,
        original: v.sourceDocumentId === null ? null : originalOf.get(v.sourceDocumentId),
        createdBy: v.createdBy,
      })),
    ),
    audit: sorted(
      audit.map((a) => {
        const { sourceDocumentId, bodyId, agreedByDecisionId, ...details } = a.details as Record<
          string,
          unknown
        >;
        return {
          actor: a.actor,
          action: a.action,
          entity: a.entity,
          what: entityOf(a.entity, a.entityId),
          council: a.councilId === null ? null : councilOf.get(a.councilId),
          details,
          ...(sourceDocumentId !== undefined && { original: originalOf.get(sourceDocumentId as number) }),
          ...(bodyId !== undefined && { body: bodyOf.get(bodyId as number) }),
          ...(agreedByDecisionId !== undefined && { agreedBy: decisionOf.get(agreedByDecisionId as number) }),
        };
      }),
    ),
  };
}

/** What a caller learns of each file: the outcome, or the error's kind and message. */
function outcomes(entries: BulkImportEntry[]) {
  return entries.map(({ result, error }) =>
    result
      ? {
          outcome: result.outcome,
          version: result.version,
          title: result.title,
          warnings: result.warningDetails,
        }
      : { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
  );
}

async function oneByOne(inputs: ImportInput[]): Promise<BulkImportEntry[]> {
  const entries: BulkImportEntry[] = [];
  for (const input of inputs) {
    try {
      entries.push({ result: await importDocument(t.database, input, { actor }) });
    } catch (error) {
      entries.push({ error });
    }
  }
  return entries;
}

describe("importBatch", () => {
  /** Files already in the register before the batch. */
  let seed: ImportInput[];
  /** Good, duplicate, changed and bad files, mixed. */
  let batch: ImportInput[];

  beforeAll(async () => {
    const text = await folder("text");
    seed = text.filter((f) => /^(haverton|lcwip|d110016)/.test(f.fileName));
    const haverton = seed.find((f) => f.fileName.startsWith("haverton"))!;
    const lcwip = seed.find((f) => f.fileName.startsWith("lcwip"))!;
    batch = [
      ...text.filter((f) => !seed.includes(f)),
      { bytes: Buffer.from("not a record"), fileName: "junk.txt" },
      // Changed in the batch after its first version came in the same batch: a new version.
      await edited("text/cab-41-25-flood-strategy.txt", "cab-41-25-v2.txt", [
        "four objectives",
        "five objectives",
      ]),
      ...(await folder("pdf")),
      // The same bytes twice in the batch, under another name: unchanged.
      { bytes: text.find((f) => f.fileName.startsWith("q3"))!.bytes, fileName: "q3-again.txt" },
      // Files of records already in the register: the same bytes, other bytes with the same record, a change.
      { bytes: lcwip.bytes, fileName: "lcwip-again.txt" },
      { bytes: Buffer.concat([haverton.bytes, Buffer.from("\n\n")]), fileName: "haverton-resaved.txt" },
      await edited("text/d110016-web-record.txt", "d110016-corrected.txt", ["Appendix 1", "Appendix 2"]),
      { bytes: await fixture("bad/truncated.pdf"), fileName: "truncated.pdf" },
      ...(await folder("docx")),
      { bytes: await fixture("text-bad/missing-section-3.txt"), fileName: "missing-section-3.txt" },
      // A record without an identifier, and a second version of it in the same batch.
      await edited("text/haverton-hill-permits-pdf.txt", "haverton-v2.txt", [
        "£180,000 a year",
        "£190,000 a year",
      ]),
      ...(await folder("html")),
      // Another title at the same meeting: another decision.
      await edited("text/haverton-hill-permits-pdf.txt", "hours.txt", [
        "Household Waste Recycling Centre Permit Scheme",
        "Household Waste Recycling Centre Opening Hours",
      ]),
    ];
  });

  async function sequentialRun() {
    await t.resetDatabase();
    await oneByOne(seed);
    const entries = await oneByOne(batch);
    return { outcomes: outcomes(entries), snapshot: await snapshot() };
  }

  it.each([500, 4, 1])(
    "gives the same results and register as importing the files one by one (batches of %i)",
    async (batchSize) => {
      const expected = await sequentialRun();
      expect(expected.outcomes.filter((o) => "error" in o)).toHaveLength(3);
      expect(expected.outcomes.map((o) => ("outcome" in o ? o.outcome : "failed"))).toContain("new-version");

      await t.resetDatabase();
      await oneByOne(seed);
      const reports: BatchReport[] = [];
      const entries = await importBatch(t.database, batch, {
        actor,
        batchSize,
        onBatch: (r) => reports.push(r),
      });
      expect(outcomes(entries)).toEqual(expected.outcomes);
      expect(await snapshot()).toEqual(expected.snapshot);
      for (const { error } of entries.filter((e) => e.error)) expect(error).toBeInstanceOf(DocumentError);
      expect(reports.some((r) => r.fellBack)).toBe(false);
      expect(reports.reduce((n, r) => n + r.files, 0)).toBe(batch.length);
      if (batchSize === 500) {
        // One batch: the new records by its own statements, the rest as described.
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatchObject({ unreadable: 3, inserted: 10, unchanged: 1, deferred: 5 });
      }
    },
  );

  it("writes nothing for the same batch again, and finds every file unchanged", async () => {
    await t.resetDatabase();
    const first = await importBatch(t.database, batch, { actor });
    const before = await counts();
    const reports: BatchReport[] = [];
    const again = await importBatch(t.database, batch, { actor, onBatch: (r) => reports.push(r) });
    expect(await counts()).toEqual(before);
    expect(again.filter((e) => e.result?.outcome === "unchanged")).toHaveLength(
      first.filter((e) => e.result).length,
    );
    expect(again.filter((e) => e.error)).toHaveLength(3);
    // Found by the batch itself, apart from files that share a record with an earlier file of the batch.
    expect(reports[0]).toMatchObject({ inserted: 0, unchanged: 13, deferred: 3 });
  });

  it("makes imported records searchable, as one-by-one imports do", async () => {
    await t.resetDatabase();
    await importBatch(t.database, batch, { actor });
    const { rows } = await sql<{ title: string }>`
      select title from decision where search @@ websearch_to_tsquery('english', 'flood risk strategies')`.execute(
      t.db,
    );
    expect(rows.map((r) => r.title)).toEqual(["Local Flood Risk Management Strategy 2025-2031"]);
  });

  describe("with several jobs", () => {
    it("refuses more than one job on the embedded database, and more than eight anywhere, writing nothing", async () => {
      await t.resetDatabase();
      const before = await counts();
      const many = importBatch(t.database, batch, { actor, jobs: 9 });
      await expect(many).rejects.toThrow(/from 1 to 8/);
      if (t.backend === "pglite") {
        await expect(importBatch(t.database, batch, { actor, jobs: 2 })).rejects.toThrow(
          /several jobs need a PostgreSQL server/,
        );
      }
      expect(await counts()).toEqual(before);
    });

    // The first file's decision is held back by a lock this test holds: on one connection nothing after it could
    // be stored until the test lets go; with several jobs the batches after it go in meanwhile.
    it.runIf(t.backend === "postgres")(
      "stores batches at once on several connections, with the same results and register as one by one",
      async () => {
        const first = batch.find((f) => f.fileName === "cab-41-25-flood-strategy.txt")!;
        const inputs = [first, ...batch.filter((f) => f !== first)];
        await t.resetDatabase();
        await oneByOne(seed);
        const expected = { outcomes: outcomes(await oneByOne(inputs)), snapshot: await snapshot() };

        await t.resetDatabase();
        await oneByOne(seed);
        const seeded = await t.db
          .selectFrom("decision")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        await sql`create function test_hold_title() returns trigger language plpgsql as $$
          begin
            if new.title = 'Local Flood Risk Management Strategy 2025-2031' then
              perform pg_advisory_xact_lock_shared(4242);
            end if;
            return new;
          end $$`.execute(t.db);
        await sql`create trigger test_hold_title before insert on decision
          for each row execute function test_hold_title()`.execute(t.db);
        try {
          let othersWhileHeld = 0;
          const entries = await t.db.connection().execute(async (holder) => {
            await sql`select pg_advisory_lock(4242)`.execute(holder);
            const importing = importBatch(t.database, inputs, { actor, batchSize: 2, jobs: 3 });
            try {
              for (let tries = 0; tries < 300 && othersWhileHeld === 0; tries++) {
                await new Promise((resolve) => setTimeout(resolve, 50));
                const { rows } = await sql<{ n: number; held: number }>`
                  select count(*)::int as n,
                         count(*) filter (where title = 'Local Flood Risk Management Strategy 2025-2031')::int as held
                  from decision`.execute(holder);
                if (rows[0]!.held === 0) othersWhileHeld = rows[0]!.n - Number(seeded.n);
              }
            } finally {
              await sql`select pg_advisory_unlock(4242)`.execute(holder);
            }
            return importing;
          });
          expect(othersWhileHeld).toBeGreaterThan(0);
          expect(outcomes(entries)).toEqual(expected.outcomes);
          expect(await snapshot()).toEqual(expected.snapshot);
          const meetings = await sql<{ n: number }>`
            select count(*)::int as n from (select body_id, date from meeting group by 1, 2 having count(*) > 1) m`.execute(
            t.db,
          );
          expect(meetings.rows[0]!.n).toBe(0);
          expect((await verifyAuditChain(t.database)).firstMismatch).toBeNull();
        } finally {
          await sql`drop trigger test_hold_title on decision`.execute(t.db);
          await sql`drop function test_hold_title()`.execute(t.db);
        }
      },
      60_000,
    );
  });

  describe("when the database refuses something in a batch", () => {
    // A real refusal by the database, at the last statement of the batch but one: a trigger raises for one title.
    beforeAll(async () => {
      await sql`create function test_refuse_title() returns trigger language plpgsql as $$
        begin
          if new.title like '%Opening Hours%' then
            raise exception 'simulated refusal of %', new.title;
          end if;
          return new;
        end $$`.execute(t.db);
      await sql`create trigger test_refuse_title before insert or update on decision
        for each row execute function test_refuse_title()`.execute(t.db);
    });
    afterAll(async () => {
      await sql`drop trigger test_refuse_title on decision`.execute(t.db);
      await sql`drop function test_refuse_title()`.execute(t.db);
    });

    it("rolls the batch back, imports its files one by one, and stores every good file", async () => {
      await t.resetDatabase();
      const reports: BatchReport[] = [];
      const entries = await importBatch(t.database, batch, { actor, onBatch: (r) => reports.push(r) });
      expect(reports).toHaveLength(1);
      expect(reports[0]!.fellBack).toBe(true);
      expect(String(reports[0]!.failure)).toContain("simulated refusal");

      const refused = batch.findIndex((f) => f.fileName === "hours.txt");
      expect((entries[refused]!.error as Error).message).toContain(
        "simulated refusal of Household Waste Recycling Centre Opening Hours",
      );
      const failed = entries.flatMap((e, i) => (e.error ? [batch[i]!.fileName] : []));
      expect(failed.sort()).toEqual(["hours.txt", "junk.txt", "missing-section-3.txt", "truncated.pdf"]);

      // Nothing of the refused file, everything of the others: as one by one without the refused file.
      const stored = await snapshot();
      const good = outcomes(entries).filter((_, i) => i !== refused);
      await t.resetDatabase();
      const expected = await oneByOne(batch.filter((_, i) => i !== refused));
      expect(outcomes(expected)).toEqual(good);
      expect(stored).toEqual(await snapshot());
    });
  });
});

describe("importFiles in batches", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "resolved-bulk-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("imports folders with the outcome of one transaction per file, reporting progress per file", async () => {
    await t.resetDatabase();
    const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
    const good = ["text", "pdf", "docx", "html"].map((kind) => join(fixtures, kind));
    const bad = [
      join(fixtures, "bad", "junk.bin"),
      join(fixtures, "bad", "truncated.pdf"),
      join(work, "missing.txt"),
    ];
    const progress: { done: number; total: number }[] = [];
    const results = await importFiles(
      t.database,
      [...good, ...bad],
      { actor, batchFrom: 1, batchSize: 5 },
      ({ done, total }) => progress.push({ done, total }),
    );
    expect(results.filter((r) => r.result?.outcome === "imported")).toHaveLength(12);
    const failed = results.filter((r) => r.error !== undefined);
    expect(failed.map((r) => r.file)).toEqual(bad);
    for (const { error } of failed) expect(error).toBeInstanceOf(DocumentError);
    expect((failed[2]!.error as Error).message).toBe("no such file");
    expect(progress).toEqual([
      ...Array.from({ length: 15 }, (_, done) => ({ done, total: 15 })),
      { done: 15, total: 15 },
    ]);
    expect(await t.db.selectFrom("sourceDocument").select("id").execute()).toHaveLength(12);

    const before = await counts();
    const again = await importFiles(t.database, [...good, ...bad], { actor, batchFrom: 1 });
    expect(again.filter((r) => r.result?.outcome === "unchanged")).toHaveLength(12);
    expect(again.filter((r) => r.error !== undefined)).toHaveLength(3);
    expect(await counts()).toEqual(before);
  });

  it("leaves the new decisions' status timelines derived and the planner's statistics fresh", async () => {
    await t.resetDatabase();
    const fixtures = new URL("../../fixtures/text/", import.meta.url).pathname;
    const results = await importFiles(t.database, [fixtures], { actor, batchFrom: 1 });
    expect(results.filter((r) => r.result?.outcome === "imported").length).toBeGreaterThan(0);
    // Nothing left for the first search to derive.
    const dirty = await sql<{ n: number }>`select count(*)::int as n from derived.decision_dirty`.execute(
      t.db,
    );
    expect(dirty.rows[0]!.n).toBe(0);
    const periods = await sql<{ n: number }>`
      select count(distinct decision_id)::int as n from derived.decision_status_period`.execute(t.db);
    expect(periods.rows[0]!.n).toBe(results.filter((r) => r.result?.outcome === "imported").length);
    // ANALYZE ran: the planner knows how many decisions there are.
    const analysed = await sql<{ tuples: number }>`
      select reltuples::int as tuples from pg_class where relname = 'decision'`.execute(t.db);
    expect(analysed.rows[0]!.tuples).toBe(periods.rows[0]!.n);
  });

  it("derives timelines another writer marked, in the background, when the server starts", async () => {
    await t.resetDatabase();
    const fixtures = new URL("../../fixtures/text/", import.meta.url).pathname;
    await importFiles(t.database, [fixtures], { actor, batchFrom: 1 });
    // A change by a writer that did not refresh them:
    await sql`update decision set urgent = urgent`.execute(t.db);
    const marked = await sql<{ n: number }>`select count(*)::int as n from derived.decision_dirty`.execute(
      t.db,
    );
    expect(marked.rows[0]!.n).toBeGreaterThan(0);
    const errors: unknown[] = [];
    await refreshInBackground(t.database, (error) => errors.push(error));
    expect(errors).toEqual([]);
    const left = await sql<{ n: number }>`select count(*)::int as n from derived.decision_dirty`.execute(
      t.db,
    );
    expect(left.rows[0]!.n).toBe(0);
  });
});
