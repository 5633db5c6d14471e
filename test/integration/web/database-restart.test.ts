import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateRegisterChunk } from "../../../bench/web/generate-register.js";
import { openDatabase, type Database } from "../../../src/storage/database.js";
import { ensureCliBuilt, runCli, type CliRun } from "../../support/built-cli.js";
import { startScratchPostgres, type ScratchPostgres } from "../../support/scratch-postgres.js";
import { startServeProcess, type ServeProcess } from "../../support/serve-process.js";
import { testBackend } from "../backends.js";

/**
 * The PostgreSQL server stopped and restarted under a running `resolved serve` (the built CLI, its own process)
 * and under an import: while it is down, pages answer 503 with a GOV.UK page and a Retry-After, the API 503 in
 * JSON, /health 503; the process stays up; once the server is back, requests succeed again by themselves (the
 * pool reconnects) and an import caught in the middle left each batch whole or absent.
 *
 * The server is a cluster of this file's own (a scratch directory and a free port), never the shared test
 * server, so stopping it disturbs no other file. The Postgres project only: PGlite has no server to stop.
 */

const backend = testBackend();
/** Over two batches of the importer's 500: the server stops after the first is stored, before the last. */
const DOCUMENTS = 1_200;
const RECOVERY_MS = 10_000;
const PASSWORD = "a long passphrase for the restart test";
const OFFICER = "olive.officer@stockton.gov.uk";

const SECURITY_HEADERS = [
  "content-security-policy",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
];

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
}

/** Polls `check` until it holds; how long that took, in ms. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(100);
  }
}

describe.skipIf(backend !== "postgres")(
  "a PostgreSQL server restarted under a running server (Postgres project only: PGlite has no server to stop)",
  () => {
    let scratch: string;
    let postgres: ScratchPostgres;
    let serve: ServeProcess;
    let env: NodeJS.ProcessEnv;
    let documents: string;
    let decisionId: number;
    /** A signed-in officer's session cookie, "name=value". */
    let session: string;

    beforeAll(async () => {
      await ensureCliBuilt();
      scratch = await mkdtemp(join(tmpdir(), "resolved-restart-"));
      // Directly under the temp directory: the cluster's owner (postgres, when the tests run as root) must reach it.
      postgres = await startScratchPostgres(
        join(tmpdir(), `resolved-restart-pg-${process.pid}-${Date.now()}`),
      );
      env = {
        DATABASE_URL: postgres.url,
        RESOLVED_DATA_DIR: "",
        RESOLVED_COUNCIL: "",
        RESOLVED_DEBUG: "",
        RESOLVED_SEED_EXAMPLES: "true",
      };
      serve = await startServeProcess(env);
      documents = join(scratch, "documents");
      await mkdir(documents);
      for (const input of generateRegisterChunk(0, DOCUMENTS, DOCUMENTS, 1212).inputs) {
        await writeFile(join(documents, input.fileName), input.bytes);
      }
      const list = (await (await get(`${serve.baseUrl}/api/v1/decisions`)).json()) as {
        data: { id: number }[];
      };
      decisionId = list.data[0]!.id;
      session = await signIn();
    }, 180_000);

    afterAll(async () => {
      await serve?.stop();
      await postgres?.remove().catch(() => {});
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    async function signIn(): Promise<string> {
      const email = OFFICER;
      const added = await runCli(["user", "add", email, "--name", "Olive Officer", "--role", "officer"], {
        env,
        input: `${PASSWORD}\n`,
      });
      expect(added.code, added.stderr).toBe(0);
      const page = await get(`${serve.baseUrl}/sign-in`);
      const visitor = page.headers.getSetCookie()[0]!.split(";", 1)[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const signedIn = await fetch(`${serve.baseUrl}/sign-in`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: visitor },
        body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString(),
      });
      expect(signedIn.status).toBe(303);
      const cookie = signedIn.headers.getSetCookie().at(-1)!.split(";", 1)[0]!;
      expect((await get(`${serve.baseUrl}/workspace`, { cookie })).status).toBe(200);
      return cookie;
    }

    async function expectUnavailable(): Promise<void> {
      for (const path of ["/", "/decisions", `/decisions/${decisionId}`, "/meetings", "/decisions.csv"]) {
        const response = await get(`${serve.baseUrl}${path}`);
        expect(response.status, path).toBe(503);
        expect(response.headers.get("content-type"), path).toMatch(/^text\/html/);
        expect(Number(response.headers.get("retry-after")), path).toBeGreaterThan(0);
        for (const header of SECURITY_HEADERS)
          expect(response.headers.get(header), `${path} ${header}`).toBeTruthy();
        const html = await response.text();
        expect(html, path).toContain("Sorry, the service is unavailable");
        expect(html, path).toContain("govuk-template");
        expect(html, path).not.toMatch(/ECONNREFUSED|terminat|at .*\.js:\d+/);
      }
      for (const path of ["/api/v1/decisions", `/api/v1/decisions/${decisionId}`, "/api/v1/meetings"]) {
        const response = await get(`${serve.baseUrl}${path}`);
        expect(response.status, path).toBe(503);
        expect(response.headers.get("content-type"), path).toMatch(/^application\/json/);
        expect(Number(response.headers.get("retry-after")), path).toBeGreaterThan(0);
        expect(await response.json(), path).toMatchObject({ error: { status: 503, code: "unavailable" } });
      }
      const health = await get(`${serve.baseUrl}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "unavailable", database: "unreachable" });
      // A signed-in reader's session cannot be read either: the same page, not a 500.
      const withCookie = await get(`${serve.baseUrl}/workspace`, { cookie: session });
      expect(withCookie.status).toBe(503);
      expect((await get(`${serve.baseUrl}/ping`)).status).toBe(200);
      expect(serve.alive()).toBe(true);
    }

    async function expectRecovered(): Promise<number> {
      const took = await within(
        RECOVERY_MS,
        async () => (await get(`${serve.baseUrl}/health`)).status === 200,
      );
      for (const path of [
        "/",
        "/decisions",
        `/decisions/${decisionId}`,
        "/api/v1/decisions",
        "/decisions.csv",
      ]) {
        expect((await get(`${serve.baseUrl}${path}`)).status, path).toBe(200);
      }
      return took;
    }

    async function decisionsIn(
      database: Database,
    ): Promise<{ recordId: string | null; title: string; versions: number; audits: number }[]> {
      const rows = await database.db
        .selectFrom("decision")
        .select((eb) => [
          "decision.recordId",
          "decision.title",
          eb
            .selectFrom("decisionVersion")
            .whereRef("decisionVersion.decisionId", "=", "decision.id")
            .where("decisionVersion.sourceDocumentId", "is not", null)
            .select(eb.fn.countAll<string>().as("n"))
            .as("versions"),
          eb
            .selectFrom("auditLog")
            .where("auditLog.entity", "=", "decision")
            .whereRef("auditLog.entityId", "=", eb.cast("decision.id", "text"))
            .select(eb.fn.countAll<string>().as("n"))
            .as("audits"),
        ])
        .execute();
      return rows.map((row) => ({ ...row, versions: Number(row.versions), audits: Number(row.audits) }));
    }

    it("answers 503 (GOV.UK page, JSON under /api) while it is stopped with -m immediate during an import, and recovers", async () => {
      expect((await get(`${serve.baseUrl}/health`)).status).toBe(200);
      const generatedIds = new Set(
        generateRegisterChunk(0, DOCUMENTS, DOCUMENTS, 1212).inputs.map((input) =>
          input.fileName.replace(/\.txt$/, ""),
        ),
      );

      // An import in flight when the server dies: let it store some batches first.
      const importing: Promise<CliRun> = runCli(["import", documents, "--json"], { env });
      const admin = await openDatabase({ databaseUrl: postgres.url, poolSize: 1 });
      try {
        await within(120_000, async () => {
          const { n } = await admin.db
            .selectFrom("decision")
            .where("recordId", "in", [...generatedIds])
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow();
          return Number(n) > 0;
        }).catch(() => {});
      } finally {
        await admin.close();
      }
      await postgres.stop("immediate");

      await expectUnavailable();
      const imported = await importing;
      // The import could not finish: it says so in a line or two, without a stack trace.
      expect(imported.code).not.toBe(0);
      expect(imported.stderr).not.toMatch(/^\s+at /m);

      await postgres.start();
      await expectRecovered();
      expect(serve.alive()).toBe(true);

      // Whole or absent: every stored decision has its version, its original and its audit entry.
      const database = await openDatabase({ databaseUrl: postgres.url, poolSize: 2 });
      try {
        const partial = await decisionsIn(database);
        const stored = partial.filter((decision) => generatedIds.has(decision.recordId ?? "")).length;
        expect(stored, imported.stderr).toBeGreaterThan(0);
        expect(stored, imported.stderr).toBeLessThan(DOCUMENTS);
        // The importer stores 500 to a transaction: whole batches only.
        expect(stored % 500, imported.stderr).toBe(0);
        expect(imported.stderr).toMatch(/does not answer/);
        for (const decision of partial) {
          expect(decision.versions, decision.recordId ?? "").toBe(1);
          expect(decision.audits, decision.recordId ?? "").toBeGreaterThanOrEqual(1);
        }
        const rerun = await runCli(["import", documents, "--json"], { env });
        expect(rerun.stderr).not.toMatch(/^\s+at /m);
        const after = await decisionsIn(database);
        expect(after.filter((decision) => generatedIds.has(decision.recordId ?? "")).length).toBe(DOCUMENTS);
        for (const decision of after) expect(decision.versions, decision.recordId ?? "").toBe(1);
      } finally {
        await database.close();
      }
      const verify = await runCli(["audit", "verify"], { env });
      expect(verify.code, verify.stderr).toBe(0);
    }, 300_000);

    it("answers every request 200 or 503, never 500, through a -m fast stop under load; writes whole or absent", async () => {
      await postgres.start();
      await expectRecovered();
      let stopping = true;
      const statuses = new Map<number, number>();
      const paths = ["/", "/decisions?q=budget", `/decisions/${decisionId}`, "/api/v1/decisions", "/health"];
      const worker = async (offset: number) => {
        for (let n = offset; stopping; n++) {
          const status = await get(`${serve.baseUrl}${paths[n % paths.length]}`)
            .then(async (response) => {
              await response.arrayBuffer();
              return response.status;
            })
            .catch(() => 0);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      };
      // And writes in flight: an officer's program recording meetings through the write API.
      const created = await runCli(["token", "create", OFFICER, "--name", "restart test"], { env });
      expect(created.code, created.stderr).toBe(0);
      const token = created.stdout.trim().split("\n").at(-1)!.trim();
      const writes: { date: string; status: number }[] = [];
      const writer = async () => {
        for (let n = 0; stopping; n++) {
          const date = new Date(Date.UTC(2031, 0, 1 + n)).toISOString().slice(0, 10);
          const status = await fetch(`${serve.baseUrl}/api/v1/meetings`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ body: "Cabinet", date }),
            signal: AbortSignal.timeout(15_000),
          })
            .then(async (response) => {
              await response.arrayBuffer();
              return response.status;
            })
            .catch(() => 0);
          writes.push({ date, status });
        }
      };
      const load = Promise.all([...[0, 1, 2, 3].map(worker), writer()]);
      await sleep(300);
      await postgres.stop("fast");
      await sleep(1_000);
      await expectUnavailable();
      await postgres.start();
      await expectRecovered();
      await sleep(300);
      stopping = false;
      await load;
      expect(statuses.get(0) ?? 0).toBe(0);
      expect([...statuses.keys()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
      expect(statuses.get(503)).toBeGreaterThan(0);
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect(serve.alive()).toBe(true);

      // Each write answered 201 is stored whole (the meeting and its audit entry); one answered 503 is absent,
      // unless the server committed it just before the connection went (never half of it).
      expect(writes[0]?.status).toBe(201);
      expect(writes.filter((write) => write.status !== 201 && write.status !== 503)).toEqual([]);
      expect(writes.some((write) => write.status === 503)).toBe(true);
      const database = await openDatabase({ databaseUrl: postgres.url, poolSize: 1 });
      try {
        const stored = await database.db
          .selectFrom("meeting")
          .where(
            "date",
            "in",
            writes.map((write) => write.date),
          )
          .select((eb) => [
            "meeting.date",
            eb
              .selectFrom("auditLog")
              .where("auditLog.entity", "=", "meeting")
              .whereRef("auditLog.entityId", "=", eb.cast("meeting.id", "text"))
              .select(eb.fn.countAll<string>().as("n"))
              .as("audits"),
          ])
          .execute();
        const storedDates = new Set(stored.map((row) => String(row.date)));
        for (const write of writes.filter((write) => write.status === 201)) {
          expect(storedDates.has(write.date), write.date).toBe(true);
        }
        for (const row of stored) expect(Number(row.audits), String(row.date)).toBe(1);
        expect(stored.length).toBeLessThanOrEqual(writes.filter((write) => write.status !== 0).length);
      } finally {
        await database.close();
      }
    }, 120_000);
  },
);
