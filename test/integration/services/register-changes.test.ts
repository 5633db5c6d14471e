import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { appendAudit } from "../../../src/services/audit/index.js";
import { watchRegisterChanges, type RegisterChanges } from "../../../src/services/register/index.js";
import { useTestDatabase } from "../backends.js";

/**
 * Hearing of changes to the register without asking the database: the audit log's trigger notifies on commit,
 * and this process counts what it hears. On PGlite the change is heard before the committing call returns;
 * on a server it arrives from the server a moment after the commit, so those tests wait for it (briefly).
 */

const t = useTestDatabase();
let changes: RegisterChanges | undefined;

afterEach(async () => {
  await changes?.close();
  changes = undefined;
});

const entry = (action: string) => ({ actor: "test", action, entity: "council", entityId: 1 });

/** The stamp from memory (it must be live: a promise means it asked the database). */
function heardStamp(watch: RegisterChanges): string {
  const stamp = watch.stamp();
  if (typeof stamp !== "string") throw new Error("the stamp came from the database, not from memory");
  return stamp;
}

/** On PGlite the stamp must have moved already; on a server, within a second. */
async function expectMovedFrom(watch: RegisterChanges, before: string): Promise<void> {
  if (t.backend === "pglite") {
    expect(heardStamp(watch)).not.toBe(before);
    return;
  }
  await waitFor(() => heardStamp(watch) !== before, 1_000);
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not so within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("watchRegisterChanges", () => {
  it("answers from memory, and moves on with every committed audit entry, inside a transaction or not", async () => {
    changes = await watchRegisterChanges(t.database);
    expect(changes.live).toBe(true);
    const first = heardStamp(changes);
    expect(heardStamp(changes)).toBe(first);

    await t.database.transaction((trx) => appendAudit(trx, entry("test.in-transaction")));
    await expectMovedFrom(changes, first);

    const second = heardStamp(changes);
    await appendAudit(t.db, entry("test.on-its-own"));
    await expectMovedFrom(changes, second);

    // Written by hand, not through appendAudit: only the trigger's notification tells of it (on PGlite, before
    // the statement's promise resolves).
    const third = heardStamp(changes);
    await sql`insert into audit_log (actor, action, entity, details)
              values ('test', 'test.by-hand', 'council', '{}')`.execute(t.db);
    await expectMovedFrom(changes, third);
  });

  it("the process that commits a change has its stamp moved when the commit returns, on either backend", async () => {
    changes = await watchRegisterChanges(t.database);
    const before = heardStamp(changes);
    await t.database.transaction((trx) => appendAudit(trx, entry("test.here")));
    expect(heardStamp(changes)).not.toBe(before);
    const between = heardStamp(changes);
    await appendAudit(t.db, entry("test.here-on-its-own"));
    expect(heardStamp(changes)).not.toBe(between);
  });

  it("does not move for a rolled-back transaction, nor for one that wrote no audit entry", async () => {
    changes = await watchRegisterChanges(t.database);
    const before = heardStamp(changes);
    await expect(
      t.database.transaction(async (trx) => {
        await appendAudit(trx, entry("test.rolled-back"));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await t.database.transaction((trx) =>
      trx
        .insertInto("serverSecret")
        .values({ name: "test-secret", value: "x".repeat(32) })
        .execute(),
    );
    // Long enough for a server's notification to have arrived, had there been one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heardStamp(changes)).toBe(before);
  });

  it("tells onChange listeners of a transaction of many entries once or twice (as it commits, as it is heard), not for each", async () => {
    changes = await watchRegisterChanges(t.database);
    let heard = 0;
    changes.onChange(() => heard++);
    await t.database.transaction(async (trx) => {
      for (let i = 0; i < 5; i++) await appendAudit(trx, entry(`test.many-${i}`));
    });
    if (t.backend === "postgres") await waitFor(() => heard > 0, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toBeGreaterThan(0);
    expect(heard).toBeLessThanOrEqual(2);
  });

  it.runIf(t.backend === "postgres")(
    "when the listening connection is ended, asks the database until it listens again, and serves nothing from before",
    async () => {
      const errors: Error[] = [];
      changes = await watchRegisterChanges(t.database, { onError: (error) => errors.push(error) });
      const before = heardStamp(changes);
      const { rows } = await sql<{ ended: boolean }>`
        select pg_terminate_backend(pid) as ended from pg_stat_activity
        where application_name = 'resolved-listen' and datname = current_database()`.execute(t.db);
      expect(rows.map((row) => row.ended)).toEqual([true]);
      await waitFor(() => !changes!.live, 2_000);
      expect(errors.length).toBeGreaterThan(0);

      // Deaf: each stamp is the database's, and follows a change made meanwhile (which no one heard).
      const deaf = changes.stamp();
      expect(deaf).toBeInstanceOf(Promise);
      const deafBefore = await deaf;
      await appendAudit(t.db, entry("test.while-deaf"));
      const deafAfter = await changes.stamp();
      expect(deafAfter).not.toBe(deafBefore);

      // Listening again by itself, on a new stamp: nothing stamped before or during the gap matches it.
      await waitFor(() => changes!.live, 5_000);
      const after = heardStamp(changes);
      expect([before, deafBefore, deafAfter]).not.toContain(after);
      await appendAudit(t.db, entry("test.after-reconnecting"));
      await expectMovedFrom(changes, after);
    },
  );
});
