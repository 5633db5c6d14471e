import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../../src/services/accounts/index.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { assertNoInjectedMarkup, cspNonceOf } from "./security-payloads.js";
import { startTestApp } from "./test-app.js";

// SQL injection: strings that would change a query built by concatenation, in every parameter the public
// site, the API, the feeds and the sign-in form read. Each is answered 200, 301, 400 or 404 with a message
// (never 500), and the database is as it was: every table has the rows it had, the decisions unchanged.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2017-11-22T12:00:00Z");
const PASSWORD = "plenty of words in this passphrase";
const EMAIL = "officer@council.example";

const INJECTIONS = [
  "'; drop table decision; --",
  "1; drop table decision",
  "1 OR 1=1",
  "1' OR '1'='1",
  "%' or '1'='1",
  "' UNION SELECT password_hash, email FROM account --",
  "1)) or pg_sleep(5)--",
  "%",
  "_",
  "\\",
  "\\'",
  "$$; drop table decision; $$",
  "$1",
  "’ OR ‘1’=‘1",
  "“quoted” «guillemets» ′prime′",
  "a & b | !c <-> d:* (",
  "''",
  '"',
  "-1",
  "99999999999999999999",
  "1e3",
  "0x1F",
  "null",
  "\u0000",
  "%00",
  "\u202e",
];

const QUERY_PARAMETERS = [
  "q",
  "from",
  "to",
  "body",
  "status",
  "callIn",
  "key",
  "sort",
  "page",
  "limit",
  "cursor",
];
const MEETING_PARAMETERS = ["body", "from", "to", "cursor", "limit"];
// Tables a request may write to: visiting sign-in makes a session, a failed sign-in is counted.
const WRITTEN_BY_REQUESTS = new Set(["web_session", "sign_in_throttle"]);

let app: FastifyInstance;

async function tableCounts(): Promise<Record<string, number>> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    if (WRITTEN_BY_REQUESTS.has(name)) continue;
    const { rows: count } = await sql<{ n: string }>`select count(*) as n from ${sql.table(name)}`.execute(
      t.db,
    );
    counts[name] = Number(count[0]!.n);
  }
  return counts;
}

async function decisionsAsStored() {
  return t.db.selectFrom("decision").selectAll().orderBy("id").execute();
}

let countsBefore: Record<string, number>;
let decisionsBefore: Awaited<ReturnType<typeof decisionsAsStored>>;

beforeAll(async () => {
  await t.resetDatabase();
  await seedDecision(t.database, stocktonRecord());
  await seedDecision(
    t.database,
    stocktonRecord({
      recordId: "D170050",
      title: "O'Brien Park: Friends' Group Lease",
      meetingDate: "2017-11-09",
    }),
  );
  await seedDecision(t.database, stocktonRecord({ recordId: "D170051", title: "Library Opening Hours" }));
  await createAccount(t.database, {
    email: EMAIL,
    name: "Test Officer",
    roles: ["officer"],
    password: PASSWORD,
    actor: "test",
  });
  app = await startTestApp(t.database, () => NOW);
  countsBefore = await tableCounts();
  decisionsBefore = await decisionsAsStored();
  expect(countsBefore.decision).toBe(3);
});

afterAll(async () => {
  await app?.close();
});

/** The answer is one a client can act on: a page or data, a redirect, or a 400/404 that says what was wrong. */
function expectHandled(response: LightMyRequestResponse, where: string) {
  expect([200, 301, 400, 404], `${where}: ${response.body.slice(0, 300)}`).toContain(response.statusCode);
  const type = String(response.headers["content-type"] ?? "");
  if (response.statusCode === 400 || response.statusCode === 404) {
    if (type.startsWith("application/json")) {
      const body = JSON.parse(response.body) as { error?: { message?: string } };
      expect(body.error?.message, where).toMatch(/\S/);
    } else {
      expect(type, where).toMatch(/^text\/html/);
      expect(response.body, where).toMatch(
        response.statusCode === 400 ? /govuk-error-summary/ : /Page not found|not found/i,
      );
    }
  }
  if (type.startsWith("text/html")) {
    assertNoInjectedMarkup(response.body, { nonce: cspNonceOf(response.headers), where });
  }
}

function urlsFor(value: string): string[] {
  const v = encodeURIComponent(value);
  return [
    ...QUERY_PARAMETERS.map((name) => `/decisions?${name}=${v}`),
    ...QUERY_PARAMETERS.map((name) => `/api/v1/decisions?${name}=${v}`),
    ...MEETING_PARAMETERS.map((name) => `/api/v1/meetings?${name}=${v}`),
    `/decisions.atom?q=${v}&body=${v}`,
    `/decisions.csv?q=${v}`,
    `/decisions.jsonl?body=${v}`,
    `/call-in.ics?q=${v}&status=${v}`,
    `/meetings?page=${v}`,
    `/decisions/${v}`,
    `/decisions/${v}.pdf`,
    `/decisions/1?version=${v}`,
    `/decisions/${v}/original`,
    `/decisions/1/original?version=${v}`,
    `/api/v1/decisions/${v}`,
    `/api/v1/decisions/1/versions/${v}`,
    `/api/v1/meetings/${v}`,
    `/meetings/${v}`,
    `/bodies/${v}`,
  ];
}

describe("SQL injection strings", () => {
  it("in every search parameter, API parameter and path id are answered, never with a server error", async () => {
    let checked = 0;
    for (const value of INJECTIONS) {
      for (const url of urlsFor(value)) {
        const response = await app.inject({ method: "GET", url });
        expectHandled(response, `GET ${url}`);
        checked++;
      }
    }
    expect(checked).toBe(INJECTIONS.length * urlsFor("x").length);
    expect(await tableCounts()).toEqual(countsBefore);
    expect(await decisionsAsStored()).toEqual(decisionsBefore);
  });

  it("match as text: a quote, % or _ finds only what has it", async () => {
    const search = async (q: string) => {
      const response = await app.inject({
        method: "GET",
        url: `/api/v1/decisions?q=${encodeURIComponent(q)}`,
      });
      expect(response.statusCode, q).toBe(200);
      return (JSON.parse(response.body) as { data: { title: string }[] }).data.map((d) => d.title);
    };
    for (const q of ["%", "_", "%' or '1'='1", "1 OR 1=1", "' OR ''='"]) {
      expect(await search(q), q).toEqual([]);
    }
    expect(await search("O'Brien")).toEqual(["O'Brien Park: Friends' Group Lease"]);
    // A record id with a quote is not found, and no other decision is found instead.
    const byId = await app.inject({ method: "GET", url: "/decisions/D170050%27%20OR%20%271%27%3D%271" });
    expect(byId.statusCode).toBe(404);
    const byApi = await app.inject({ method: "GET", url: "/api/v1/decisions/1%27" });
    expect(byApi.statusCode).toBe(404);
    expect(JSON.parse(byApi.body)).toMatchObject({ error: { code: "not_found" } });
  });

  it("in a bearer token are refused as a token that is not valid", async () => {
    // Only what an HTTP header can carry (Latin-1, no control characters).
    for (const value of INJECTIONS.filter((v) => /^[\x20-\x7e]*$/.test(v))) {
      const response = await app.inject({
        method: "GET",
        url: "/api/v1/decisions",
        headers: { authorization: `Bearer ${value}` },
      });
      expect(response.statusCode, value).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ error: { message: expect.any(String) } });
    }
    expect(await tableCounts()).toEqual(countsBefore);
  });

  it("as a sign-in email fail like any wrong email, and sign no one in", async () => {
    const emails = [
      ...INJECTIONS,
      `${EMAIL}' --`,
      `${EMAIL}'; --`,
      `' OR email = '${EMAIL}' --`,
      `${EMAIL}\u0000`,
      `%@council.example`,
    ];
    let address = 1;
    const signIn = async (email: string) => {
      // Each attempt from its own address: the limit per address is not what is tested here.
      const remoteAddress = `127.0.0.${address++}`;
      const page = await app.inject({ method: "GET", url: "/sign-in", remoteAddress });
      const cookie = String(page.headers["set-cookie"]).split(";", 1)[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      return app.inject({
        method: "POST",
        url: "/sign-in",
        remoteAddress,
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        payload: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString(),
      });
    };
    for (const email of emails) {
      const response = await signIn(email);
      const where = `sign-in as ${JSON.stringify(email)}`;
      expect([400, 401], `${where}: ${response.body.slice(0, 200)}`).toContain(response.statusCode);
      expect(response.headers.location, where).toBeUndefined();
      expect(response.body, where).toMatch(/govuk-error-summary/);
      assertNoInjectedMarkup(response.body, { nonce: cspNonceOf(response.headers), where });
    }
    expect(await tableCounts()).toEqual(countsBefore);
    const sessions = await t.db.selectFrom("webSession").select("accountId").execute();
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.filter((s) => s.accountId !== null)).toEqual([]);
    // The same form with the account's own email does sign in: the attempts above failed for their email.
    expect((await signIn(EMAIL)).statusCode).toBe(303);
    const signedIn = await t.db.selectFrom("webSession").select("accountId").execute();
    expect(signedIn.filter((s) => s.accountId !== null)).toHaveLength(1);
  });
});
