import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Migrator, sql, type Transaction } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain, type AuditChainReport } from "../../../src/services/audit/index.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { importDocument, importFiles, type ImportInput } from "../../../src/services/import/index.js";
import { exportRegister, restoreRegister } from "../../../src/services/register/index.js";
import { migrateToLatest } from "../../../src/storage/migrate.js";
import { migrations } from "../../../src/storage/migrations/index.js";
import type { DatabaseSchema } from "../../../src/storage/schema.js";
import { createTestDatabase, useTestDatabase, type TestDatabase } from "../backends.js";

const t = useTestDatabase();
const actor = "test:audit-chain";
const FIXTURES = new URL("../../fixtures/", import.meta.url);
const GENESIS = "0".repeat(64);

async function textFixtures(): Promise<ImportInput[]> {
  const names = [
    "cab-41-25-flood-strategy.txt",
    "d110016-web-record.txt",
    "haverton-hill-permits-pdf.txt",
    "lcwip-curly-quotes.txt",
    "mtfp-decision-proforma.txt",
    "q3-childrens-performance.txt",
  ];
  return Promise.all(
    names.map(async (name) => ({ bytes: await readFile(new URL(`text/${name}`, FIXTURES)), fileName: name })),
  );
}

async function importEach(inputs: ImportInput[]): Promise<void> {
  for (const input of inputs) await importDocument(t.database, input, { actor });
}

async function rowCount(table: "audit_log" | "decision_version"): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db);
  return rows[0]!.n;
}

function expectIntact(report: AuditChainReport): void {
  expect(report.firstMismatch).toBeNull();
  expect(report.ok).toBe(true);
}

/** Every audit entry's id, prev_hash and hash, in id order. */
async function auditChain() {
  return t.db.selectFrom("auditLog").select(["id", "prevHash", "hash"]).orderBy("id").execute();
}

/** Runs `change` with the table's append-only trigger off, as someone with the database's keys could. */
async function behindTheTrigger(
  table: "audit_log" | "decision_version",
  change: (trx: Transaction<DatabaseSchema>) => Promise<unknown>,
): Promise<void> {
  const trigger = table === "audit_log" ? "audit_log_append_only" : "decision_version_immutable";
  await t.database.transaction(async (trx) => {
    await sql`alter table ${sql.table(table)} disable trigger ${sql.id(trigger)}`.execute(trx);
    await change(trx);
    await sql`alter table ${sql.table(table)} enable trigger ${sql.id(trigger)}`.execute(trx);
  });
}

describe("the audit chain", () => {
  it("is intact in an empty register", async () => {
    expect(await verifyAuditChain(t.database)).toEqual({
      ok: true,
      entries: 0,
      versions: 0,
      firstMismatch: null,
      head: null,
    });
  });

  it("links each entry to the one before, from the genesis hash, as the database writes them", async () => {
    await importEach(await textFixtures());
    const chain = await auditChain();
    expect(chain.length).toBeGreaterThan(6);
    expect(chain[0]!.prevHash).toBe(GENESIS);
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
      expect(chain[i]!.id).toBeGreaterThan(chain[i - 1]!.id);
    }
    const report = await verifyAuditChain(t.database);
    expectIntact(report);
    expect(report.entries).toBe(chain.length);
    expect(report.versions).toBe(await rowCount("decision_version"));
    expect(report.head).toEqual({ id: chain.at(-1)!.id, hash: chain.at(-1)!.hash });
  });

  it("stays intact after a changed file is imported again and after corrections", async () => {
    const [flood, ...others] = await textFixtures();
    await importEach([flood!, ...others]);
    const text = Buffer.from(flood!.bytes).toString("utf8");
    const changed = Buffer.from(text.replace("four objectives", "five objectives"));
    const again = await importDocument(t.database, { bytes: changed, fileName: "flood-v2.txt" }, { actor });
    expect(again.outcome).toBe("new-version");

    const { id, record } = await t.db
      .selectFrom("decisionVersion")
      .select(["decisionId as id", "record"])
      .where("version", "=", 1)
      .where("decisionId", "!=", again.decisionId)
      .orderBy("decisionId")
      .executeTakeFirstOrThrow();
    for (const title of ["First correction", "Second correction"]) {
      await t.database.transaction((trx) =>
        addDecisionVersion(trx, id, { ...record, title }, { reason: `Typo: ${title}`, actor }),
      );
    }

    const versions = await t.db
      .selectFrom("decisionVersion")
      .select(["version", "prevHash", "hash"])
      .where("decisionId", "=", id)
      .orderBy("version")
      .execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(versions[0]!.prevHash).toBe(GENESIS);
    expect(versions[1]!.prevHash).toBe(versions[0]!.hash);
    expect(versions[2]!.prevHash).toBe(versions[1]!.hash);

    const report = await verifyAuditChain(t.database);
    expectIntact(report);
    expect(report.versions).toBe(await rowCount("decision_version"));
  });

  it("stays intact after a bulk import of 64 files (several rows per statement)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "resolved-audit-chain-"));
    try {
      const flood = (await readFile(new URL("text/cab-41-25-flood-strategy.txt", FIXTURES))).toString("utf8");
      expect(flood).toContain("CAB/41/25");
      for (let n = 1; n <= 64; n++) {
        await writeFile(join(folder, `cab-${n}.txt`), flood.replace("CAB/41/25", `CAB/${n}/26`));
      }
      const results = await importFiles(t.database, [folder], { actor });
      expect(results.filter((r) => r.result?.outcome === "imported")).toHaveLength(64);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    const report = await verifyAuditChain(t.database);
    expectIntact(report);
    expect(report.entries).toBe(await rowCount("audit_log"));
    expect(report.entries).toBeGreaterThanOrEqual(64);
    expect(report.versions).toBe(64);
  });

  it("refuses hashes an ordinary insert makes up, but takes the right ones", async () => {
    const forged = "f".repeat(64);
    await expect(
      sql`insert into audit_log (actor, action, entity, prev_hash, hash)
          values ('x', 'forged', 'test', ${GENESIS}, ${forged})`.execute(t.db),
    ).rejects.toThrow(/not the ones the audit chain gives/);
    await expect(
      sql`insert into audit_log (actor, action, entity, prev_hash) values ('x', 'forged', 'test', ${forged})`.execute(
        t.db,
      ),
    ).rejects.toThrow(/not the ones the audit chain gives/);
    await t.db.insertInto("auditLog").values({ actor, action: "test.one", entity: "test" }).execute();
    expectIntact(await verifyAuditChain(t.database));
  });

  it("hashes every column as TypeScript does: nulls, Unicode, quotes, nested JSON", async () => {
    await t.db
      .insertInto("auditLog")
      .values([
        {
          actor: "Cllr Ó'Brien — “quoted”",
          action: "test.text",
          entity: "test",
          entityId: null,
          councilId: null,
        },
        {
          actor: "système\nnext line\ttab",
          action: "test.json",
          entity: "decision",
          entityId: "42",
          councilId: 7,
          details: JSON.stringify({ b: [1, 2.5, null, { z: "é", a: true }], aa: "\u0001", "": -0.1e-7 }),
        },
      ])
      .execute();
    const report = await verifyAuditChain(t.database);
    expectIntact(report);
    expect(report.entries).toBe(2);
  });

  it("starts again when the audit log is emptied with TRUNCATE", async () => {
    await importEach((await textFixtures()).slice(0, 2));
    await sql`truncate audit_log`.execute(t.db);
    await t.db
      .insertInto("auditLog")
      .values({ actor, action: "test.after-truncate", entity: "test" })
      .execute();
    const [first] = await auditChain();
    expect(first!.prevHash).toBe(GENESIS);
    expectIntact(await verifyAuditChain(t.database));
  });
});

describe("the migration", () => {
  it("chains the entries and versions already in the register, in order", async () => {
    const earlier = await createTestDatabase({ migrate: false });
    try {
      const before = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name < "2026-12-04T1000-audit-chain"),
      );
      const migrator = new Migrator({
        db: earlier.database.db.withoutPlugins(),
        provider: { getMigrations: async () => before },
      });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      // Today's importer also stores commitments and links strategies, whose tables a register of that time
      // lacked: lend it the tables for the imports, then take them away so that every later migration runs as it
      // would on such a register.
      const lent = [
        "2026-12-05T1000-strategies",
        "2026-12-05T1100-commitments",
        "2026-12-06T1000-strategy-updates",
      ].map((name) => migrations[name]!);
      for (const migration of lent) await migration.up(earlier.database.db.withoutPlugins());
      for (const input of await textFixtures()) await importDocument(earlier.database, input, { actor });
      const { id, record } = await earlier.db
        .selectFrom("decisionVersion")
        .select(["decisionId as id", "record"])
        .orderBy("decisionId")
        .executeTakeFirstOrThrow();
      await earlier.database.transaction((trx) =>
        addDecisionVersion(trx, id, { ...record, title: "Corrected" }, { reason: "Typo", actor }),
      );
      for (const migration of [...lent].reverse())
        await migration.down!(earlier.database.db.withoutPlugins());

      await migrateToLatest(earlier.database);
      const report = await verifyAuditChain(earlier.database);
      expectIntact(report);
      expect(report.entries).toBeGreaterThan(6);
      expect(report.versions).toBe(7);
      // And the chain goes on from the last entry the migration chained.
      await earlier.db
        .insertInto("auditLog")
        .values({ actor, action: "test.after", entity: "test" })
        .execute();
      expectIntact(await verifyAuditChain(earlier.database));
    } finally {
      await earlier.close();
    }
  });
});

describe("verify finds a change made behind the triggers", () => {
  beforeAll(async () => {
    await t.resetDatabase();
  });

  /** A fresh register with every text fixture imported; returns the audit entries' ids in order. */
  async function filled(): Promise<number[]> {
    await t.resetDatabase();
    await importEach(await textFixtures());
    expectIntact(await verifyAuditChain(t.database));
    return (await auditChain()).map((row) => row.id);
  }

  it("an audit entry's details edited: names that entry", async () => {
    const ids = await filled();
    const target = ids[3]!;
    const before = await t.db
      .selectFrom("auditLog")
      .select(["hash", "action", "at"])
      .where("id", "=", target)
      .executeTakeFirstOrThrow();
    await behindTheTrigger("audit_log", (trx) =>
      sql`update audit_log set details = details || '{"note":"edited"}'::jsonb where id = ${target}`.execute(
        trx,
      ),
    );
    const report = await verifyAuditChain(t.database);
    expect(report.ok).toBe(false);
    expect(report.entries).toBe(ids.length);
    expect(report.firstMismatch).toMatchObject({
      table: "audit_log",
      id: target,
      problem: "changed",
      found: before.hash,
      previousId: ids[2],
      what: before.action,
    });
    expect(report.firstMismatch!.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(report.firstMismatch!.expected).not.toBe(before.hash);
    expect(report.firstMismatch!.at!.getTime()).toBe(before.at.getTime());
  });

  it("an audit entry edited with its hash recomputed: names the entry after it", async () => {
    const ids = await filled();
    const target = ids[2]!;
    await behindTheTrigger("audit_log", (trx) =>
      sql`update audit_log set actor = 'someone else',
            hash = resolved_audit_log_hash(prev_hash, id, at, 'someone else', action, entity, entity_id, council_id, details)
          where id = ${target}`.execute(trx),
    );
    const report = await verifyAuditChain(t.database);
    expect(report.firstMismatch).toMatchObject({
      table: "audit_log",
      id: ids[3],
      problem: "unlinked",
      previousId: target,
    });
  });

  it("an audit entry deleted: names the entry after the gap", async () => {
    const ids = await filled();
    await behindTheTrigger("audit_log", (trx) =>
      trx.deleteFrom("auditLog").where("id", "=", ids[4]!).execute(),
    );
    const report = await verifyAuditChain(t.database);
    expect(report.ok).toBe(false);
    expect(report.entries).toBe(ids.length - 1);
    expect(report.firstMismatch).toMatchObject({
      table: "audit_log",
      id: ids[5],
      problem: "unlinked",
      previousId: ids[3],
    });
  });

  it("the last audit entries deleted: names the last one the chain recorded", async () => {
    const ids = await filled();
    const last = await t.db
      .selectFrom("auditLog")
      .select("hash")
      .where("id", "=", ids.at(-1)!)
      .executeTakeFirstOrThrow();
    await behindTheTrigger("audit_log", (trx) =>
      trx.deleteFrom("auditLog").where("id", ">=", ids.at(-2)!).execute(),
    );
    const report = await verifyAuditChain(t.database);
    expect(report.firstMismatch).toMatchObject({
      table: "audit_log",
      id: ids.at(-1),
      problem: "head",
      expected: last.hash,
      at: null,
    });
  });

  it("a decision version's record edited: names that version", async () => {
    await filled();
    const version = await t.db
      .selectFrom("decisionVersion")
      .select(["id", "decisionId", "version", "hash"])
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    await behindTheTrigger("decision_version", (trx) =>
      sql`update decision_version set record = jsonb_set(record, '{title}', '"Something else"') where id = ${version.id}`.execute(
        trx,
      ),
    );
    const report = await verifyAuditChain(t.database);
    expect(report.ok).toBe(false);
    expect(report.firstMismatch).toMatchObject({
      table: "decision_version",
      id: version.id,
      problem: "changed",
      found: version.hash,
      what: `decision ${version.decisionId} version ${version.version}`,
    });
  });

  it("a decision's earlier version deleted: names the version after it", async () => {
    await filled();
    const { id: decisionId, record } = await t.db
      .selectFrom("decisionVersion")
      .select(["decisionId as id", "record"])
      .orderBy("decisionId")
      .executeTakeFirstOrThrow();
    await t.database.transaction((trx) =>
      addDecisionVersion(trx, decisionId, { ...record, title: "Corrected" }, { reason: "Typo", actor }),
    );
    const versions = await t.db
      .selectFrom("decisionVersion")
      .select(["id", "version"])
      .where("decisionId", "=", decisionId)
      .orderBy("version")
      .execute();
    // No trigger refuses this (only UPDATE is refused; drafts are deleted with their versions).
    await t.db.deleteFrom("decisionVersion").where("id", "=", versions[0]!.id).execute();
    const report = await verifyAuditChain(t.database);
    expect(report.firstMismatch).toMatchObject({
      table: "decision_version",
      id: versions[1]!.id,
      problem: "unlinked",
      expected: GENESIS,
      previousId: null,
    });
  });
});

describe("restore", () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createTestDatabase();
  });
  afterAll(async () => {
    await target?.close();
  });

  async function exported(): Promise<string[]> {
    const lines: string[] = [];
    await exportRegister(t.database, (line) => void lines.push(line));
    return lines;
  }
  async function* each(lines: readonly string[]): AsyncGenerator<string> {
    yield* lines;
  }

  it("loads the chains as exported, and the chain goes on from there", async () => {
    await t.resetDatabase();
    await target.resetDatabase();
    await importEach(await textFixtures());
    const lines = await exported();
    await restoreRegister(target.database, each(lines), actor);
    const report = await verifyAuditChain(target.database);
    expectIntact(report);
    expect(report.head).toEqual((await verifyAuditChain(t.database)).head);

    await target.db
      .insertInto("auditLog")
      .values({ actor, action: "test.after-restore", entity: "test" })
      .execute();
    expectIntact(await verifyAuditChain(target.database));
  });

  it("refuses an export whose audit entry was changed, and restores nothing", async () => {
    await t.resetDatabase();
    await target.resetDatabase();
    await importEach(await textFixtures());
    const lines = await exported();
    const index = lines.findIndex((line) => line.includes('"table":"audit_log"'));
    const line = JSON.parse(lines[index]!) as { table: string; row: { actor: string } };
    line.row.actor = "someone else";
    lines[index] = JSON.stringify(line);
    await expect(restoreRegister(target.database, each(lines), actor)).rejects.toThrow(
      /audit_log row not accepted: .*not the ones the audit chain gives/,
    );
    expect(await target.db.selectFrom("council").select("id").execute()).toEqual([]);
  });
});

describe.runIf(t.backend === "postgres")("concurrent writers (server)", () => {
  it("keep one linear chain, in id order, when the second waits for the first", async () => {
    await t.resetDatabase();
    let firstInserted!: () => void;
    const firstIn = new Promise<void>((resolve) => (firstInserted = resolve));
    const first = t.database.transaction(async (trx) => {
      await trx.insertInto("auditLog").values({ actor, action: "test.first.1", entity: "test" }).execute();
      firstInserted();
      // The second transaction's INSERT waits for the chain's head meanwhile.
      await sleep(300);
      await trx.insertInto("auditLog").values({ actor, action: "test.first.2", entity: "test" }).execute();
    });
    const second = (async () => {
      await firstIn;
      await t.database.transaction(async (trx) => {
        await trx.insertInto("auditLog").values({ actor, action: "test.second", entity: "test" }).execute();
      });
    })();
    await Promise.all([first, second]);

    const rows = await t.db.selectFrom("auditLog").select(["id", "action"]).orderBy("id").execute();
    expect(rows.map((r) => r.action)).toEqual(["test.first.1", "test.first.2", "test.second"]);
    expectIntact(await verifyAuditChain(t.database));
  });

  it("refuse a repeatable-read writer whose snapshot misses another's entries, rather than fork", async () => {
    await t.resetDatabase();
    await t.db.insertInto("auditLog").values({ actor, action: "test.before", entity: "test" }).execute();
    let snapshotTaken!: () => void;
    const snapshot = new Promise<void>((resolve) => (snapshotTaken = resolve));
    let otherCommitted!: () => void;
    const committed = new Promise<void>((resolve) => (otherCommitted = resolve));
    const stale = t.database.transaction(async (trx) => {
      await sql`set transaction isolation level repeatable read`.execute(trx);
      await trx.selectFrom("auditLog").select("id").execute();
      snapshotTaken();
      await committed;
      await trx.insertInto("auditLog").values({ actor, action: "test.stale", entity: "test" }).execute();
    });
    await snapshot;
    await t.database.transaction((trx) =>
      trx.insertInto("auditLog").values({ actor, action: "test.other", entity: "test" }).execute(),
    );
    otherCommitted();
    await expect(stale).rejects.toThrow(/could not serialize access/);
    const report = await verifyAuditChain(t.database);
    expectIntact(report);
    expect(report.entries).toBe(2);
  });

  it("keep one linear chain with many writers at once", async () => {
    await t.resetDatabase();
    await Promise.all(
      Array.from({ length: 8 }, (_, writer) =>
        t.database.transaction(async (trx) => {
          for (let n = 0; n < 10; n++) {
            await trx
              .insertInto("auditLog")
              .values({ actor, action: `test.writer-${writer}.${n}`, entity: "test" })
              .execute();
            if (n % 3 === 0) await sleep(5);
          }
        }),
      ),
    );
    const report = await verifyAuditChain(t.database);
    expectIntact(report);
    expect(report.entries).toBe(80);
    // Each transaction's entries are contiguous: writers are serialised from their first entry to commit.
    const actions = (await t.db.selectFrom("auditLog").select("action").orderBy("id").execute()).map(
      (r) => r.action.split(".")[1],
    );
    const runs = actions.filter((writer, i) => writer !== actions[i - 1]);
    expect(runs).toHaveLength(8);
  });
});
