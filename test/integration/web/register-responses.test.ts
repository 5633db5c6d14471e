import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { getDecision } from "../../../src/services/decisions/index.js";
import { importExampleRecordsIfEmpty } from "../../../src/services/register/index.js";
import { useTestDatabase } from "../backends.js";
import { sessionFor, TEST_PASSWORD } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

// The public register's searches, API reads and feeds kept in memory (src/web/shared/register-responses.ts), on
// the example records the project ships, at a pinned "now": Tuesday 24 November 2026, 10am. The Crisis and
// Resilience Fund decision is open for call-in until midnight at the end of Thursday 26 November.

const t = useTestDatabase({ reset: "manual" });
const ACTOR = "test:register-responses";
const CRISIS = "Crisis and Resilience Fund 2026/27 – Allocation of Funding";
const OFFICER = "olive.officer@council.example";

let app: FastifyInstance;
let clock = new Date("2026-11-24T10:00:05Z");
let crisisId: number;
let apiToken: string;

beforeAll(async () => {
  await t.resetDatabase();
  await importExampleRecordsIfEmpty(t.database, { actor: ACTOR });
  const row = await t.db
    .selectFrom("decision")
    .select("id")
    .where("title", "=", CRISIS)
    .executeTakeFirstOrThrow();
  crisisId = row.id;
  await createAccount(t.database, {
    email: OFFICER,
    name: "Olive Officer",
    roles: ["officer"],
    password: TEST_PASSWORD,
    actor: ACTOR,
  });
  apiToken = (await createApiToken(t.database, OFFICER, "tests", ACTOR)).token;
  app = await startTestApp(t.database, () => clock);
});

afterAll(async () => {
  await app?.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: "GET", url, headers });

const nonceOf = (response: LightMyRequestResponse) =>
  /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"]))?.[1] ?? "";

/** The body as text: iCalendar's folded lines unfolded. */
const text = (response: LightMyRequestResponse) => response.body.replace(/\r\n /g, "");

/** The body with this response's nonce taken out, to compare pages. */
const withoutNonce = (response: LightMyRequestResponse) => response.body.replaceAll(nonceOf(response), "N");

/**
 * Changes the title in the database without the services (no audit entry, so the register is not known to have
 * changed): what a response rendered after it shows, one kept in memory does not.
 */
async function retitleBehindTheServices(title: string): Promise<void> {
  await sql`update decision set title = ${title} where id = ${crisisId}`.execute(t.db);
}

/** A new version of the record with `title`, through the services (with its audit entry). */
async function retitleThroughTheServices(title: string): Promise<void> {
  const crisis = await getDecision(t.db, crisisId, clock);
  await t.database.transaction((trx) =>
    addDecisionVersion(
      trx,
      crisisId,
      { ...crisis.record, title },
      { reason: "The title named the wrong year", actor: ACTOR },
    ),
  );
}

/** Every kind of response kept: the search page, the API's reads, the feeds and downloads, the meetings. */
const KEPT = () => [
  "/decisions?q=resilience",
  "/api/v1/decisions?q=resilience",
  `/api/v1/decisions/${crisisId}`,
  "/api/v1/meetings",
  "/meetings",
  "/decisions.atom?q=resilience",
  "/call-in.ics",
  "/decisions.csv?q=resilience",
  "/decisions.jsonl?q=resilience",
];

describe("the register's searches, API reads and feeds kept in memory", () => {
  it("answer a second identical request from memory (no query: a write behind the services is not seen)", async () => {
    const firsts = new Map<string, LightMyRequestResponse>();
    for (const url of KEPT()) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      expect(text(first), url).toContain(url.includes("meetings") ? "Cabinet" : "Allocation of Funding");
      firsts.set(url, first);
    }
    await retitleBehindTheServices("Written behind the services");
    // The meetings show their decision maker's name, not the decision's title.
    await sql`update body set name = 'Written behind the services' where name = 'Cabinet'`.execute(t.db);
    for (const url of KEPT()) {
      const first = firsts.get(url)!;
      const second = await get(url);
      expect(second.statusCode, url).toBe(200);
      expect(second.headers["content-type"], url).toBe(first.headers["content-type"]);
      expect(second.headers["cache-control"], url).toBe(first.headers["cache-control"]);
      expect(second.headers["etag"], url).toBe(first.headers["etag"]);
      expect(second.headers["content-disposition"], url).toBe(first.headers["content-disposition"]);
      expect(withoutNonce(second), url).toBe(withoutNonce(first));
      expect(text(second), url).not.toContain("Written behind the services");
    }
    // HEAD is answered as GET is, without the body.
    for (const url of KEPT()) {
      const head = await app.inject({ method: "HEAD", url });
      expect(head.statusCode, url).toBe(200);
      expect(head.headers["content-type"], url).toBe(firsts.get(url)!.headers["content-type"]);
      expect(head.body, url).toBe("");
    }
    // The same query written otherwise (parameters in another order, empty fields, tracking parameters): the
    // same entry. (Not the decision's own page or API record, which are not searches.)
    const same = await get("/decisions?utm_source=newsletter&status=&q=resilience");
    expect(same.body).not.toContain("Written behind the services");
    expect(withoutNonce(same)).toBe(withoutNonce(firsts.get("/decisions?q=resilience")!));
    // A query not asked before is read from the database.
    expect((await get("/api/v1/decisions?q=resilience&limit=5")).body).toContain(
      "Written behind the services",
    );
    expect((await get("/api/v1/meetings?limit=5")).body).toContain("Written behind the services");
    await sql`update body set name = 'Cabinet' where name = 'Written behind the services'`.execute(t.db);
  });

  it("show a change made through the services at once", async () => {
    await retitleThroughTheServices("Crisis and Resilience Fund 2026/27 – Allocation of Funding (revised)");
    for (const url of KEPT()) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      if (!url.includes("meetings")) expect(text(response), url).toContain("Allocation of Funding (revised)");
      expect(text(response), url).not.toContain("Written behind the services");
    }
  });

  it("keep each query's own answer", async () => {
    const resilience = await get("/decisions?q=resilience");
    const treasury = await get("/decisions?q=treasury");
    expect(resilience.body).toContain("Allocation of Funding");
    expect(treasury.body).not.toContain("Allocation of Funding");
    expect(treasury.body).toContain("Treasury");
    const byDate = await get("/api/v1/decisions?sort=date&limit=1");
    const byDateTwo = await get("/api/v1/decisions?sort=date&limit=2");
    expect(byDate.json().data).toHaveLength(1);
    expect(byDateTwo.json().data).toHaveLength(2);
    // Feeds have absolute links: each site address its own.
    const one = await get("/decisions.atom", { host: "decisions.one.example" });
    const two = await get("/decisions.atom", { host: "decisions.two.example" });
    expect(one.body).toContain("http://decisions.one.example/decisions/");
    expect(two.body).toContain("http://decisions.two.example/decisions/");
    expect(two.body).not.toContain("decisions.one.example");
    // Nothing but 200 is kept: a bad query is answered 400 each time.
    for (let i = 0; i < 2; i++) expect((await get("/api/v1/decisions?from=2026-13-01")).statusCode).toBe(400);
  });

  it("give each page its own nonce, and data their ETag: 304 from memory", async () => {
    const first = await get("/decisions?q=resilience&sort=date");
    const second = await get("/decisions?q=resilience&sort=date");
    const [n1, n2] = [nonceOf(first), nonceOf(second)];
    expect(n1).not.toBe("");
    expect(n1).not.toBe(n2);
    expect(first.body).toContain(`nonce="${n1}"`);
    expect(second.body).toContain(`nonce="${n2}"`);
    expect(second.body).not.toContain(n1);
    expect(second.body).not.toContain("nonce-placeholder");
    expect(second.body.replaceAll(n2, "N")).toBe(first.body.replaceAll(n1, "N"));

    const atom = await get("/decisions.atom?q=fund");
    const etag = String(atom.headers["etag"]);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get("/decisions.atom?q=fund", { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.headers["etag"]).toBe(etag);
    // Cached no further than the cutoff, however long it is kept in memory.
    expect(again.headers["cache-control"]).toBe("public, max-age=300");
  });

  it("are never kept for, nor served to, a signed-in visitor or an API token", async () => {
    const session = await sessionFor(app, OFFICER);
    const page = "/decisions?q=resilience&key=no";
    const api = "/api/v1/decisions?q=resilience&callIn=yes";
    const signedIn = { cookie: session.cookie };
    const token = { authorization: `Bearer ${apiToken}` };
    // Asked first signed in: nothing is kept for the anonymous request after.
    expect((await get(page, signedIn)).statusCode).toBe(200);
    expect((await get(api, token)).statusCode).toBe(200);
    await retitleBehindTheServices("Read again for the anonymous visitor");
    expect((await get(page)).body).toContain("Read again for the anonymous visitor");
    expect((await get(api)).body).toContain("Read again for the anonymous visitor");
    // Now kept for anonymous visitors, but not served to the signed-in ones.
    await retitleBehindTheServices("Read again for the signed-in visitor");
    expect((await get(page)).body).toContain("Read again for the anonymous visitor");
    expect((await get(page, signedIn)).body).toContain("Read again for the signed-in visitor");
    expect((await get(api, token)).body).toContain("Read again for the signed-in visitor");
  });

  it("show the status after a call-in cutoff once the clock has passed it", async () => {
    await retitleThroughTheServices(CRISIS);
    const url = `/api/v1/decisions?q=resilience`;
    const before = await get(url);
    expect(before.json().data[0].status).toBe("published");
    clock = new Date("2026-11-27T00:00:30Z");
    const after = await get(url);
    expect(after.json().data[0].status).toBe("effective");
    const calendar = await get("/call-in.ics");
    expect(calendar.body).toContain("Status: In effect");
  });
});
