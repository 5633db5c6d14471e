import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UnavailableError, ValidationError } from "../../../src/domain/errors.js";
import { openDatabase, type Database } from "../../../src/storage/database.js";
import { migrateToLatest } from "../../../src/storage/migrate.js";
import { testDatabaseUrl, useTestDatabase } from "../backends.js";

const t = useTestDatabase();

async function seedCouncil(): Promise<number> {
  const row = await t.db
    .insertInto("council")
    .values({
      slug: "gloucestershire",
      name: "Gloucestershire County Council",
      callInRule: JSON.stringify({}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("values come back the same on every backend", () => {
  it("date columns as YYYY-MM-DD strings, whatever the time zone", async () => {
    const councilId = await seedCouncil();
    const body = await t.db
      .insertInto("body")
      .values({ councilId, name: "Cabinet", kind: "executive" })
      .returning("id")
      .executeTakeFirstOrThrow();
    // The night the clocks go back, New Year's Eve, a leap day, the first day of the Gregorian calendar era.
    const dates = ["2017-10-29", "2017-12-31", "2024-02-29", "0001-01-01"];
    for (const date of dates) await t.db.insertInto("meeting").values({ bodyId: body.id, date }).execute();
    const rows = await t.db.selectFrom("meeting").select("date").orderBy("id").execute();
    expect(rows.map((row) => row.date)).toEqual(dates);

    const { rows: arrays } = await sql<{ days: string[] }>`
      select array['2017-11-24'::date, null, '2017-11-27'::date] as days`.execute(t.db);
    expect(arrays[0]!.days).toEqual(["2017-11-24", null, "2017-11-27"]);
  });

  it("timestamptz as Date, and the session in Europe/London time", async () => {
    const { rows } = await sql<{ at: Date; zone: string; day: string }>`
      select '2017-06-30T23:30:00Z'::timestamptz as at, current_setting('TimeZone') as zone,
             ('2017-06-30T23:30:00Z'::timestamptz)::date as day`.execute(t.db);
    expect(rows[0]!.at).toEqual(new Date("2017-06-30T23:30:00Z"));
    expect(rows[0]!.zone).toBe("Europe/London");
    // Half past midnight on 1 July in London (BST).
    expect(rows[0]!.day).toBe("2017-07-01");
  });

  it("bigint as number, and an error rather than a wrong number beyond 2^53", async () => {
    const { rows } = await sql<{ n: number; ns: number[] }>`
      select 9007199254740991::int8 as n, array[1, 2]::int8[] as ns`.execute(t.db);
    expect(rows[0]).toEqual({ n: Number.MAX_SAFE_INTEGER, ns: [1, 2] });
    const count = await t.db
      .selectFrom("council")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(count.count).toBe(0);
    await expect(sql`select 9007199254740993::int8 as n`.execute(t.db)).rejects.toThrow(/too large/);
    // The connection is still usable afterwards.
    expect((await sql<{ one: number }>`select 1 as one`.execute(t.db)).rows).toEqual([{ one: 1 }]);
  });

  it("bytea byte for byte, as a Buffer", async () => {
    const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const large = randomBytes(1024 * 1024 + 7);
    for (const [bytes, fileName] of [
      [everyByte, "every-byte.bin"],
      [large, "large.bin"],
      [Buffer.alloc(0), "empty.bin"],
    ] as const) {
      // A plain Uint8Array is accepted too.
      const inserted = await t.db
        .insertInto("sourceDocument")
        .values({ bytes: new Uint8Array(bytes), mediaType: "application/octet-stream", fileName })
        .returning("id")
        .executeTakeFirstOrThrow();
      const row = await t.db
        .selectFrom("sourceDocument")
        .select(["bytes", "sha256", "size"])
        .where("id", "=", inserted.id)
        .executeTakeFirstOrThrow();
      expect(Buffer.isBuffer(row.bytes)).toBe(true);
      expect(row.bytes.equals(bytes)).toBe(true);
      expect(row.size).toBe(bytes.length);
      expect(row.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });

  it("jsonb exactly as written: arrays, nested snake_case keys, unicode", async () => {
    const details = {
      snake_case: { inner_key: [1, "two", null] },
      camelCase: true,
      text: "£500,000 – “quoted”",
    };
    await t.db
      .insertInto("auditLog")
      .values({ actor: "system", action: "test", entity: "council", details: JSON.stringify(details) })
      .execute();
    const row = await t.db.selectFrom("auditLog").select(["details", "entityId"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ details, entityId: null });
  });
});

describe("transactions", () => {
  it("commit, and roll back when the callback throws", async () => {
    await t.database.transaction(async (trx) => {
      await trx
        .insertInto("council")
        .values({ slug: "salford", name: "Salford City Council", callInRule: JSON.stringify({}) })
        .execute();
    });
    await expect(
      t.database.transaction(async (trx) => {
        await trx
          .insertInto("council")
          .values({ slug: "colchester", name: "Colchester City Council", callInRule: JSON.stringify({}) })
          .execute();
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const slugs = await t.db.selectFrom("council").select("slug").execute();
    expect(slugs).toEqual([{ slug: "salford" }]);
  });

  it("refuse a query through database.db inside a transaction, instead of hanging", async () => {
    await expect(
      t.database.transaction(async () => {
        await t.db.selectFrom("council").selectAll().execute();
      }),
    ).rejects.toThrow(/use the trx handle/);
    await expect(t.database.transaction(async () => t.database.transaction(async () => 1))).rejects.toThrow(
      /inside another transaction/,
    );
    // Still usable afterwards, inside and outside transactions.
    expect(
      await t.database.transaction(async (trx) => trx.selectFrom("council").selectAll().execute()),
    ).toEqual([]);
    expect(await t.db.selectFrom("council").selectAll().execute()).toEqual([]);
  });

  it("support savepoints", async () => {
    const trx = await t.db.startTransaction().execute();
    await trx
      .insertInto("council")
      .values({ slug: "salford", name: "Salford City Council", callInRule: JSON.stringify({}) })
      .execute();
    const savepoint = await trx.savepoint("before_second").execute();
    await savepoint
      .insertInto("council")
      .values({ slug: "colchester", name: "Colchester City Council", callInRule: JSON.stringify({}) })
      .execute();
    const rolledBack = await savepoint.rollbackToSavepoint("before_second").execute();
    await rolledBack.commit().execute();
    expect(await t.db.selectFrom("council").select("slug").execute()).toEqual([{ slug: "salford" }]);
  });
});

describe("a PostgreSQL server that does not answer", () => {
  const password = "s3cret-Pa55word";
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it("gives UnavailableError naming host:port, never the password, and writes nothing", async () => {
    scratch = await mkdtemp(join(tmpdir(), "resolved-unavailable-"));
    const dataDir = join(scratch, "data");
    // Port 9 (discard) on the loopback interface: nothing listens there.
    const error = await openDatabase({
      databaseUrl: `postgres://resolved:${password}@127.0.0.1:9/resolved`,
      dataDir,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnavailableError);
    const message = (error as UnavailableError).message;
    expect(message).toContain("127.0.0.1:9");
    expect(message).toMatch(/connection refused/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).not.toContain(password);
    expect(String((error as Error).cause)).not.toContain(password);
    expect(existsSync(dataDir)).toBe(false);
  });

  it("gives ValidationError for a URL that is not postgres://, without echoing it", async () => {
    const error = await openDatabase({ databaseUrl: `mysql://root:${password}@db/resolved` }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("DATABASE_URL");
    expect((error as Error).message).not.toContain(password);
  });

  it.runIf(t.backend === "postgres")(
    "names a database that does not exist, and how to create it",
    async () => {
      const url = new URL(testDatabaseUrl());
      url.pathname = "/resolved_no_such_database";
      url.password = password;
      const error = await openDatabase({ databaseUrl: url.toString() }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnavailableError);
      expect((error as Error).message).toMatch(/no database named "resolved_no_such_database".*createdb/);
      expect((error as Error).message).not.toContain(password);
    },
  );
});

// The embedded database on disk: independent of the backend chosen for the run, so run once, with PGlite.
describe.runIf(t.backend === "pglite")("PGlite in a data directory", () => {
  let scratch: string | undefined;
  const opened: Database[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    scratch = undefined;
  });

  it("creates the directory, keeps the data across close and reopen, and locks it while open", async () => {
    scratch = await mkdtemp(join(tmpdir(), "resolved-data-"));
    const dataDir = join(scratch, "nested", "data");

    const first = await openDatabase({ dataDir });
    opened.push(first);
    expect(first.kind).toBe("pglite");
    expect(first.location).toContain(dataDir);
    await migrateToLatest(first);
    await first.db
      .insertInto("council")
      .values({
        slug: "bracknell-forest",
        name: "Bracknell Forest Council",
        callInRule: JSON.stringify({ days: 5 }),
      })
      .execute();

    // A second process (or instance) on the same files would corrupt them.
    const refused = await openDatabase({ dataDir }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as Error).message).toMatch(/in use by another Resolved process \(pid \d+/);

    await first.close();
    await first.close(); // twice is fine
    expect(existsSync(join(dataDir, "resolved.lock"))).toBe(false);

    // A lock left behind by a process that has gone (killed, power cut) is taken over.
    const lockFile = join(dataDir, "resolved.lock");
    const startedAt = "2026-01-01T00:00:00.000Z";
    await writeFile(
      lockFile,
      JSON.stringify({ pid: await pidOfExitedProcess(), hostname: hostname(), startedAt }),
    );

    const second = await openDatabase({ dataDir });
    opened.push(second);
    expect(await migrateToLatest(second)).toEqual([]);
    const rows = await second.db.selectFrom("council").select(["slug", "callInRule"]).execute();
    expect(rows).toEqual([{ slug: "bracknell-forest", callInRule: { days: 5 } }]);
    expect(JSON.parse(await readFile(lockFile, "utf8"))).toMatchObject({ pid: process.pid });
  });
});

// The data directory's database runs in a thread of its own (src/storage/pglite-thread.ts) unless told not to:
// the same values, errors, transactions and copies as PGlite on the main thread gives.
describe.runIf(t.backend === "pglite")("PGlite in its own thread", () => {
  // Two data directories (initdb is the slow part), shared by the tests: one in a thread, one not.
  let scratch: string;
  let thread: Database;
  let main: Database;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "resolved-thread-"));
    thread = await openDatabase({ dataDir: join(scratch, "thread") });
    main = await openDatabase({ dataDir: join(scratch, "main"), embeddedThread: false });
  });
  afterAll(async () => {
    await thread?.close();
    await main?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it("gives the same values, bytea as a Buffer, and database errors with their SQLSTATE", async () => {
    const bytes = randomBytes(300);
    const query = sql<Record<string, unknown>>`
      select ${bytes}::bytea as bytes, '2017-11-20'::date as day, 9007199254740991::int8 as big,
             '2017-11-20 12:30:00+00'::timestamptz as at, '{"a": [1, "b"]}'::jsonb as doc,
             current_setting('TimeZone') as zone, null::text as nothing`;
    const [fromThread, fromMain] = [
      (await query.execute(thread.db)).rows[0]!,
      (await query.execute(main.db)).rows[0]!,
    ];
    expect(fromThread).toEqual(fromMain);
    expect(Buffer.isBuffer(fromThread.bytes)).toBe(true);
    expect((fromThread.bytes as Buffer).equals(bytes)).toBe(true);
    expect(fromThread.at).toBeInstanceOf(Date);
    expect(fromThread.zone).toBe("Europe/London");

    await sql`create table thing (id int primary key)`.execute(thread.db);
    await sql`insert into thing values (1)`.execute(thread.db);
    const duplicate = await sql`insert into thing values (1)`.execute(thread.db).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({ code: "23505", constraint: "thing_pkey" });
    expect(await sql`update thing set id = 2`.execute(thread.db).then((r) => r.numAffectedRows)).toBe(1n);
  });

  it("commits and rolls back transactions, and copies the data directory", async () => {
    await migrateToLatest(thread);
    await thread.transaction(async (trx) => {
      await trx
        .insertInto("council")
        .values({ slug: "york", name: "City of York Council", callInRule: JSON.stringify({}) })
        .execute();
    });
    const failed = await thread
      .transaction(async (trx) => {
        await trx
          .insertInto("council")
          .values({ slug: "hull", name: "Hull City Council", callInRule: JSON.stringify({}) })
          .execute();
        throw new Error("changed my mind");
      })
      .catch((e: unknown) => e);
    expect(String(failed)).toContain("changed my mind");
    const slugs = await thread.db.selectFrom("council").select("slug").execute();
    expect(slugs.map((row) => row.slug)).toEqual(["york"]);

    const copy = await openDatabase({ inMemory: true, loadDataDir: await thread.dumpDataDir() });
    try {
      const copied = await copy.db.selectFrom("council").select("slug").execute();
      expect(copied.map((row) => row.slug)).toEqual(["york"]);
    } finally {
      await copy.close();
    }
  });

  it("tells listeners of a notification before the query that sent it returns, and only once committed", async () => {
    const heard: string[] = [];
    const listener = await thread.listen("resolved_thread_test", {
      notify: (payload) => heard.push(payload),
      live: () => {},
    });
    try {
      await sql`select pg_notify('resolved_thread_test', 'first')`.execute(thread.db);
      expect(heard).toEqual(["first"]);
      await thread
        .transaction(async (trx) => {
          await sql`select pg_notify('resolved_thread_test', 'rolled back')`.execute(trx);
          throw new Error("undo");
        })
        .catch(() => {});
      await thread.transaction(async (trx) => {
        await sql`select pg_notify('resolved_thread_test', 'committed')`.execute(trx);
        expect(heard).toEqual(["first"]);
      });
      expect(heard).toEqual(["first", "committed"]);
    } finally {
      await listener.close();
    }
    await sql`select pg_notify('resolved_thread_test', 'after close')`.execute(thread.db);
    expect(heard).toEqual(["first", "committed"]);
  });

  it("keeps the main thread free while a query runs", async () => {
    /** Timer ticks the main thread managed while the database slept for half a second. */
    async function ticksDuringSleep(database: Database): Promise<number> {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      try {
        await sql`select pg_sleep(0.5)`.execute(database.db);
      } finally {
        clearInterval(timer);
      }
      return ticks;
    }
    expect(await ticksDuringSleep(thread)).toBeGreaterThan(0);
    // PGlite on the main thread holds the event loop for the whole query.
    expect(await ticksDuringSleep(main)).toBe(0);
  });
});

async function pidOfExitedProcess(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid;
  await new Promise((resolve) => child.on("exit", resolve));
  if (pid === undefined) throw new Error("no pid");
  return pid;
}
