import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { setCouncilRule } from "../../../src/services/councils/index.js";
import { ensureCliBuilt, runCli } from "../../support/built-cli.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";
import { TEST_PASSWORD } from "./sign-in-helper.js";

/**
 * Several server processes on one PostgreSQL server (issue 12): two real `resolved serve` processes from the
 * build (dist/), on two ports, with the same DATABASE_URL. What one of them does, the other shows at once:
 * a correction on its cached decision page (heard through LISTEN/NOTIFY, not after a time-out), as does a
 * document imported again by the CLI in a third process; a session
 * started on one, failed sign-ins counted on both, call-in signatures given on either; and when the
 * connections that listen are ended, no stale page is served and they come back by themselves.
 *
 * On PGlite there is no second process to agree with: one process owns an embedded database (its data
 * directory is locked), so those tests are skipped there; the single-process equivalent, "one process on the
 * embedded database" below, runs there instead (and register-changes.test.ts tests the mechanism on both).
 */

const t = useTestDatabase({ reset: "manual" });
const onServer = t.backend === "postgres";
const ROOT = new URL("../../../", import.meta.url).pathname;

interface Served {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `resolved serve --port 0` on the test database; resolves once it says where it listens. */
async function serve(databaseUrl: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin/resolved.js"), "serve", "--host", "127.0.0.1", "--port", "0"],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "info", RESOLVED_SEED_EXAMPLES: "false" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  let stderr = "";
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`resolved serve did not start: ${stderr}`)), 60_000);
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderr += chunk;
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`resolved serve exited with ${code}: ${stderr}`));
    });
  });
  return {
    base,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

const tokens = new Map<string, string>();

async function account(key: string, name: string, roles: Role[], ward?: string) {
  const email = `${key}@council.example`;
  await createAccount(t.database, {
    email,
    name,
    roles,
    password: TEST_PASSWORD,
    actor: "test",
    ...(ward && { ward }),
  });
  tokens.set(key, (await createApiToken(t.database, email, "tests", "test")).token);
}

async function api(base: string, method: "GET" | "POST", path: string, who: string | null, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(who && { authorization: `Bearer ${tokens.get(who)!}` }),
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

async function page(base: string, path: string, cookie?: string) {
  const response = await fetch(`${base}${path}`, {
    redirect: "manual",
    headers: cookie ? { cookie } : {},
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

function cookieOf(headers: Headers): string | undefined {
  return headers.getSetCookie().at(-1)?.split(";", 1)[0];
}

/** Posts the sign-in form as a browser does (opening the page first for its session and CSRF token). */
async function signIn(base: string, email: string, password: string) {
  const form = await page(base, "/sign-in");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const response = await fetch(`${base}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookieOf(form.headers)!,
    },
    body: new URLSearchParams({ _csrf: csrf!, email, password }).toString(),
  });
  await response.text();
  return { status: response.status, cookie: cookieOf(response.headers) };
}

/**
 * Fetches `path` until `seen` holds; the first try is straight after the change. Through another process, a
 * change is heard when the server delivers the notification: milliseconds, never the minute a page may be kept.
 */
async function untilShown(base: string, path: string, seen: (body: string) => boolean) {
  const begin = Date.now();
  for (let attempt = 1; ; attempt++) {
    const { body } = await page(base, path);
    if (seen(body)) return { attempt, ms: Date.now() - begin };
    if (Date.now() - begin > 1_000) throw new Error(`${path} still stale after ${attempt} tries`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Not too near the end of a minute: a page kept until the minute ends must not refresh itself by chance. */
async function awayFromMinuteEnd(): Promise<void> {
  const second = new Date().getUTCSeconds();
  if (second >= 50) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
}

function meetingDate(): string {
  return new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
}

const DRAFT = {
  title: "Library opening hours",
  record: "Consideration was given to a report on library opening hours across the borough.",
  outcomes: [{ kind: "RESOLVED", text: "that the revised hours be approved." }],
  reasons: "To keep every library open within the budget.",
  alternatives: "Closing two branches was rejected.",
};

/** A correction of the published decision's reasons, through the write API (as an officer's program would). */
async function correctReasons(base: string, decisionId: number, reasons: string) {
  const current = (await api(base, "GET", `/api/v1/decisions/${decisionId}`, null)).json.data;
  const {
    callIn,
    id: _id,
    status: _s,
    statusProblem: _p,
    keyDecision: _k,
    version: _v,
    currentVersion: _c,
    versions: _vs,
    ...rest
  } = current;
  const corrected = await api(base, "POST", `/api/v1/decisions/${decisionId}/corrections`, "officer", {
    record: { ...rest, callIn: { deadline: callIn.deadline, text: callIn.text }, reasons },
    reason: "The reasons were incomplete.",
  });
  expect(corrected.status, JSON.stringify(corrected.json)).toBe(201);
}

describe.runIf(onServer)("two `resolved serve` processes on one PostgreSQL server", () => {
  let one: Served;
  let two: Served;
  let decisionId: number;

  beforeAll(async () => {
    await ensureCliBuilt();
    await t.resetDatabase();
    await account("officer", "Olive Officer", ["officer"]);
    await account("proper", "Peter Proper", ["proper-officer"]);
    await account("ann", "Ann Able", ["councillor"], "Norton North");
    await account("bob", "Bob Baker", ["councillor"], "Norton South");
    await account("cath", "Cath Cole", ["councillor"], "Western");
    await account("dan", "Dan Doe", ["officer"]);
    await setCouncilRule(t.db, "stockton-on-tees", { minCallInSignatories: 3 }, "test");
    const council = await t.db.selectFrom("council").select("id").executeTakeFirstOrThrow();
    await t.db
      .insertInto("body")
      .values({ councilId: council.id, name: "Cabinet", kind: "executive" })
      .execute();
    [one, two] = await Promise.all([serve(t.url!), serve(t.url!)]);
    expect(one.base).not.toBe(two.base);

    // A published decision, made through the first process.
    const meeting = await api(one.base, "POST", "/api/v1/meetings", "officer", {
      body: "Cabinet",
      date: meetingDate(),
    });
    expect(meeting.status).toBe(201);
    const draft = await api(one.base, "POST", "/api/v1/decisions", "officer", {
      ...DRAFT,
      meetingId: meeting.json.data.id,
    });
    expect(draft.status).toBe(201);
    decisionId = draft.json.data.id;
    expect(
      (await api(one.base, "POST", `/api/v1/decisions/${decisionId}/publish`, "proper", {})).status,
    ).toBe(200);
  });

  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
  });

  it("a correction made through one shows at once on the other's cached decision page", async () => {
    await awayFromMinuteEnd();
    const path = `/decisions/${decisionId}`;
    // Rendered, then served from the second process's cache (no database query).
    expect((await page(two.base, path)).body).toContain("within the budget.");
    expect((await page(two.base, path)).body).toContain("within the budget.");

    await correctReasons(one.base, decisionId, "To keep every library open within the 2027 budget.");
    const shown = await untilShown(two.base, path, (body) => body.includes("within the 2027 budget."));
    expect(shown.ms).toBeLessThan(1_000);
    // And the first process, which made it, shows it on the very next request.
    expect((await page(one.base, path)).body).toContain("within the 2027 budget.");
  });

  it("a session started by signing in on one works on the other, and ends on both", async () => {
    const signedIn = await signIn(one.base, "officer@council.example", TEST_PASSWORD);
    expect(signedIn.status).toBe(303);
    const workspace = await page(two.base, "/workspace", signedIn.cookie);
    expect(workspace.status).toBe(200);
    expect(workspace.body).toContain("Olive Officer");
    // Signing out on the second process ends the session on the first too.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(workspace.body)?.[1];
    const out = await fetch(`${two.base}/sign-out`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: signedIn.cookie! },
      body: new URLSearchParams({ _csrf: csrf! }).toString(),
    });
    expect(out.status).toBe(303);
    const after = await page(one.base, "/workspace", signedIn.cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toContain("/sign-in");
  });

  it("failed sign-ins are counted across both: the sixth attempt is refused wherever it is made", async () => {
    for (const [i, server] of [one, two, one, two, one].entries()) {
      expect((await signIn(server.base, "dan@council.example", `wrong password ${i}`)).status).toBe(401);
    }
    // The right password, now: refused by both, as the account has five failures between them.
    for (const server of [two, one]) {
      expect((await signIn(server.base, "dan@council.example", TEST_PASSWORD)).status).toBe(429);
    }
  });

  it("call-in signatures given on either count toward the request's validity, seen on both at once", async () => {
    await awayFromMinuteEnd();
    const path = `/decisions/${decisionId}`;
    const grounds = [
      { principle: "consultation-and-advice", explanation: "Library users were not consulted." },
    ];
    const started = await api(one.base, "POST", `/api/v1/decisions/${decisionId}/call-in-requests`, "ann", {
      grounds,
    });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const sign = started.json.links.sign as string;
    expect((await api(two.base, "POST", sign, "bob")).json.data.signaturesNeeded).toBe(1);
    // Both pages cached, showing the request not yet valid.
    for (const server of [one, two]) {
      await untilShown(server.base, path, (body) => body.includes("Bob Baker"));
      expect((await page(server.base, path)).body).not.toContain("Called in for scrutiny");
    }
    const third = await api(one.base, "POST", sign, "cath");
    expect(third.json.data).toMatchObject({ valid: true, signaturesNeeded: 0 });
    for (const server of [two, one]) {
      await untilShown(server.base, path, (body) => body.includes("Called in for scrutiny"));
      expect(
        (await api(server.base, "GET", `/api/v1/decisions/${decisionId}`, null)).json.data.status.code,
      ).toBe("called-in");
    }
  });

  it("a document imported again by the CLI (a third process) shows at once on both servers' cached pages", async () => {
    await awayFromMinuteEnd();
    const dir = await mkdtemp(join(tmpdir(), "resolved-several-"));
    try {
      const file = join(dir, "cab-41-25-flood-strategy.txt");
      const original = await readFile(join(ROOT, "test/fixtures/text/cab-41-25-flood-strategy.txt"), "utf8");
      await writeFile(file, original);
      const env = { DATABASE_URL: t.url! };
      expect((await runCli(["import", file], { env })).code).toBe(0);
      const { id } = await t.db
        .selectFrom("decision")
        .select("id")
        .where("recordId", "=", "CAB/41/25")
        .executeTakeFirstOrThrow();
      const path = `/decisions/${id}`;
      for (const server of [one, two]) {
        await page(server.base, path);
        expect((await page(server.base, path)).body).toContain("to develop, maintain, apply and monitor");
      }
      await writeFile(
        file,
        original.replace("to develop, maintain, apply and monitor", "to develop and keep"),
      );
      const again = await runCli(["import", file], { env });
      expect(again.code, again.stderr).toBe(0);
      for (const server of [two, one]) {
        const shown = await untilShown(server.base, path, (body) => body.includes("to develop and keep"));
        expect(shown.ms).toBeLessThan(1_000);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("when the connections that listen are ended, no stale page is served, and they listen again by themselves", async () => {
    await awayFromMinuteEnd();
    const path = `/decisions/${decisionId}`;
    const listening = async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where application_name = 'resolved-listen' and datname = current_database()`.execute(t.db);
      return rows[0]!.n;
    };
    expect(await listening()).toBe(2);
    await page(two.base, path);
    const { rows } = await sql<{ ended: boolean }>`
      select pg_terminate_backend(pid) as ended from pg_stat_activity
      where application_name = 'resolved-listen' and datname = current_database()`.execute(t.db);
    expect(rows).toHaveLength(2);

    // Deaf for a moment: the second process checks its pages against the database, so a change made meanwhile
    // through the first shows on the second's next request.
    await correctReasons(one.base, decisionId, "To keep every library open within the 2028 budget.");
    const shown = await untilShown(two.base, path, (body) => body.includes("within the 2028 budget."));
    expect(shown.ms).toBeLessThan(1_000);

    // Both listen again, and hear the next change.
    const deadline = Date.now() + 10_000;
    while ((await listening()) < 2) {
      if (Date.now() > deadline) throw new Error("the servers did not listen again within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await page(two.base, path);
    await correctReasons(one.base, decisionId, "To keep every library open within the 2029 budget.");
    await untilShown(two.base, path, (body) => body.includes("within the 2029 budget."));
  });
});

describe.runIf(!onServer)("one process on the embedded database", () => {
  it("a correction through the API shows on the cached decision page on the very next request", async () => {
    await awayFromMinuteEnd();
    await t.resetDatabase();
    await account("officer", "Olive Officer", ["officer"]);
    await account("proper", "Peter Proper", ["proper-officer"]);
    const council = await t.db.selectFrom("council").select("id").executeTakeFirstOrThrow();
    await t.db
      .insertInto("body")
      .values({ councilId: council.id, name: "Cabinet", kind: "executive" })
      .execute();
    const app = await startTestApp(t.database, () => new Date());
    try {
      const address = await app.listen({ host: "127.0.0.1", port: 0 });
      const meeting = await api(address, "POST", "/api/v1/meetings", "officer", {
        body: "Cabinet",
        date: meetingDate(),
      });
      const draft = await api(address, "POST", "/api/v1/decisions", "officer", {
        ...DRAFT,
        meetingId: meeting.json.data.id,
      });
      const id = draft.json.data.id as number;
      expect((await api(address, "POST", `/api/v1/decisions/${id}/publish`, "proper", {})).status).toBe(200);
      const path = `/decisions/${id}`;
      expect((await page(address, path)).body).toContain("within the budget.");
      expect((await page(address, path)).body).toContain("within the budget.");
      await correctReasons(address, id, "To keep every library open within the 2027 budget.");
      expect((await page(address, path)).body).toContain("within the 2027 budget.");
    } finally {
      await app.close();
    }
  });
});
