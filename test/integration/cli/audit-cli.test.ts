import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { CliRun } from "../../support/built-cli.js";
import { useCliRegister } from "./cli-register.js";

/**
 * `resolved audit verify` as a user runs it: the built CLI in its own process, on the run's backend (an embedded
 * database in a temporary RESOLVED_DATA_DIR, or a database created for this file on the test server).
 */

const fixtures = new URL("../../fixtures/text/", import.meta.url).pathname;
const { cli: run, withDatabase } = useCliRegister("audit-cli");
const cli = (...args: string[]): Promise<CliRun> => run(args);

describe("resolved audit verify", () => {
  it("says the chains are intact on an empty register, and after imports", async () => {
    const empty = await cli("audit", "verify");
    expect(empty.stderr).toBe("");
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe("Audit log: 0 entries and 0 versions, chains intact.\n");

    const imported = await cli("import", fixtures);
    expect(imported.code, imported.stderr).toBe(0);
    const { entries, versions } = await withDatabase(async (database) => {
      const count = async (table: string) =>
        (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(database.db))
          .rows[0]!.n;
      return { entries: await count("audit_log"), versions: await count("decision_version") };
    });
    expect(versions).toBe(6);

    const run = await cli("audit", "verify");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Audit log: ${entries} entries and 6 versions, chains intact.\n`);

    const json = await cli("audit", "verify", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries, versions, firstMismatch: null });
  });

  it("exits 1 with one line naming the entry that was changed", async () => {
    const entry = await withDatabase(async (database) => {
      const row = await database.db
        .selectFrom("auditLog")
        .select(["id", "action"])
        .where("action", "=", "decision.imported")
        .orderBy("id")
        .executeTakeFirstOrThrow();
      await database.transaction(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
        await sql`update audit_log set actor = 'someone else' where id = ${row.id}`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
      });
      return row;
    });

    const run = await cli("audit", "verify");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^resolved: audit chain broken: audit_log entry ${entry.id} \\(decision\\.imported, \\d\\d:\\d\\d(:\\d\\d)? on \\w+ \\d+ \\w+ \\d{4}\\) was changed after it was written`,
      ),
    );

    const json = await cli("audit", "verify", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      firstMismatch: { table: "audit_log", id: entry.id, problem: "changed", what: entry.action },
    });
  });
});
