import { readFile, readdir } from "node:fs/promises";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAccount } from "../../../src/services/accounts/index.js";
import { appendAudit } from "../../../src/services/audit/audit-log.js";
import { getCouncil } from "../../../src/services/councils/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import { addMembership, createPerson } from "../../../src/services/people/index.js";
import { EXAMPLE_RECORDS_DIR, importExampleRecordsIfEmpty } from "../../../src/services/register/index.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { startTestApp } from "./test-app.js";

// The councillors' public pages and the admin's people and council settings pages, at a pinned "now":
// Sunday 22 November 2026, midday.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-11-22T12:00:00Z");
const PASSWORD = "plenty of words in this passphrase";
const CONTRACT = "2026-11-12-town-centre-public-realm-contract-award.txt";
const XSS = `<script>alert("x")</script>`;
let app: FastifyInstance;
const ids = {
  aldridge: 0,
  cook: 0,
  officer: 0,
  xss: 0,
  decision: 0,
  oldDecision: 0,
  cabinet: 0,
  councilId: 0,
};

beforeAll(async () => {
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

beforeEach(async () => {
  await t.resetDatabase();
  const bytes = await readFile(new URL(`../../../examples/records/${CONTRACT}`, import.meta.url));
  const imported = await importDocument(t.database, { bytes, fileName: CONTRACT }, { actor: "test" });
  ids.decision = imported.decisionId;
  const decision = await t.db
    .selectFrom("decision")
    .select(["bodyId", "councilId"])
    .where("id", "=", ids.decision)
    .executeTakeFirstOrThrow();
  ids.cabinet = decision.bodyId;
  ids.councilId = decision.councilId;
  const old = await seedDecision(
    t.database,
    stocktonRecord({
      recordId: "D190001",
      title: "Leisure Review 2019",
      meetingDate: "2019-03-12",
      publishedOn: "2019-03-14",
    }),
  );
  ids.oldDecision = old.id;
  const add = async (name: string, extra: Record<string, string>) =>
    (await createPerson(t.database, ids.councilId, { name, ...extra }, "test")).id;
  ids.aldridge = await add("Margaret Aldridge", {
    role: "councillor",
    ward: "Norton South",
    party: "Labour",
    portfolio: "Regeneration and Housing",
  });
  ids.cook = await add("Bob Cook", {
    role: "councillor",
    ward: "Bishopsgarth and Elm Tree",
    party: "Labour",
  });
  ids.officer = await add("Priya Shah", { role: "officer", jobTitle: "Director of Finance" });
  ids.xss = await add(`Evil ${XSS}`, { role: "councillor", ward: XSS, party: `Party ${XSS}` });
  await addMembership(
    t.database,
    ids.cook,
    { body: ids.cabinet, role: "chair", from: "2015-05-18", to: "2019-05-19" },
    "test",
  );
  await addMembership(
    t.database,
    ids.aldridge,
    { body: ids.cabinet, role: "chair", from: "2019-05-20" },
    "test",
  );
  await addMembership(
    t.database,
    ids.cook,
    { body: ids.cabinet, role: "member", from: "2019-05-20" },
    "test",
  );
});

const get = (url: string, cookie?: string) =>
  app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });

/** The text of <main>, without tags, white space collapsed, apostrophes as typed (other entities left). */
function mainText(html: string): string {
  return (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .replace(/&#39;/g, "'")
    .trim();
}

describe("the public councillors pages", () => {
  it("lists councillors (not officers) with ward, party, portfolio and today's bodies, sortable by ward and party", async () => {
    const page = await get("/councillors");
    expect(page.statusCode).toBe(200);
    const text = mainText(page.body);
    expect(text).toContain(
      "Margaret Aldridge Norton South Labour Cabinet portfolio: Regeneration and Housing Cabinet (chair)",
    );
    expect(text).toContain("Bob Cook Bishopsgarth and Elm Tree Labour Cabinet");
    expect(text).not.toContain("Priya Shah");
    expect(page.body).toContain(`href="/councillors/${ids.aldridge}"`);
    expect((await get("/")).body).toMatch(
      /<a class="govuk-service-navigation__link" href="\/councillors"[^>]*>\s*Councillors/,
    );

    const byWard = await get("/councillors?sort=ward");
    expect(byWard.statusCode).toBe(200);
    const headings = [...byWard.body.matchAll(/<h2 class="govuk-heading-m">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual([
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
      "Bishopsgarth and Elm Tree",
      "Norton South",
    ]);
    const byParty = mainText((await get("/councillors?sort=party")).body);
    expect(byParty.indexOf("Bob Cook")).toBeLessThan(byParty.indexOf("Margaret Aldridge"));
    expect((await get("/councillors?sort=age")).statusCode).toBe(400);
  });

  it("shows a councillor's memberships with dates and their declarations, imported ones matched by name", async () => {
    const page = await get(`/councillors/${ids.aldridge}`);
    expect(page.statusCode).toBe(200);
    const text = mainText(page.body);
    expect(text).toContain("Ward Norton South Party Labour Cabinet portfolio Regeneration and Housing");
    expect(text).toContain("Cabinet Chair 20 May 2019 To date");
    expect(page.body).toContain(`href="/decisions/${ids.decision}"`);
    expect(text).toContain(
      "Stockton Town Centre – Public Realm Works Contract Award Cabinet 12 November 2026 Personal interest Councillor Margaret Aldridge declared a personal non-prejudicial interest",
    );
    const cook = mainText((await get(`/councillors/${ids.cook}`)).body);
    expect(cook).toContain("Earlier");
    expect(cook).toContain("Cabinet Chair 18 May 2015 19 May 2019");
    expect(cook).toContain("Interests declared");
    expect(cook).toMatch(/Interests declared .* None recorded\./);
  });

  it("answers 404 for officers, unknown ids and ids that are not numbers", async () => {
    for (const url of [
      `/councillors/${ids.officer}`,
      "/councillors/99999",
      "/councillors/abc",
      "/councillors/1e3",
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });

  it("has the example people with the example records: the Cabinet, and Margaret Aldridge's declaration", async () => {
    await t.resetDatabase();
    const summary = await importExampleRecordsIfEmpty(t.database, { actor: "test:examples" });
    const examples = (await readdir(EXAMPLE_RECORDS_DIR)).filter((name) => name.endsWith(".txt")).length;
    expect(summary).toMatchObject({ imported: examples, failed: 0, people: 9 });
    const list = mainText((await get("/councillors")).body);
    expect(list).toContain("7 councillors");
    expect(list).toContain(
      "Helen Whitfield Stockton Town Centre Labour Cabinet portfolio: Leader of the Council Cabinet (chair)",
    );
    const aldridge = await t.db
      .selectFrom("person")
      .select("id")
      .where("name", "=", "Margaret Aldridge")
      .executeTakeFirstOrThrow();
    expect(mainText((await get(`/councillors/${aldridge.id}`)).body)).toContain(
      "Stockton Town Centre – Public Realm Works Contract Award Cabinet 12 November 2026 Personal interest",
    );
    const contract = await t.db
      .selectFrom("decision")
      .select("id")
      .where("title", "like", "Stockton Town Centre%")
      .executeTakeFirstOrThrow();
    expect(mainText((await get(`/decisions/${contract.id}`)).body)).toContain(
      "Members of Cabinet on 12 November 2026 Helen Whitfield (chair), Leader of the Council Margaret Aldridge (vice chair), Regeneration and Housing",
    );
  });

  it("escapes what people typed on every page", async () => {
    for (const url of ["/councillors", `/councillors/${ids.xss}`, "/councillors?sort=party"]) {
      const page = await get(url);
      expect(page.body, url).not.toContain(XSS);
      expect(page.body, url).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    }
  });

  it("shows the body's members on the meeting date on a decision's page: the Cabinet of 2019 for 2019", async () => {
    const now = mainText((await get(`/decisions/${ids.decision}`)).body);
    expect(now).toContain(
      "Members of Cabinet on 12 November 2026 Margaret Aldridge (chair), Regeneration and Housing Bob Cook",
    );
    const page2019 = await get(`/decisions/${ids.oldDecision}`);
    expect(mainText(page2019.body)).toContain("Members of Cabinet on 12 March 2019 Bob Cook (chair)");
    expect(mainText(page2019.body)).not.toContain("Margaret Aldridge (chair)");
    expect(page2019.body).toContain(`<a class="govuk-link" href="/councillors/${ids.cook}">Bob Cook</a>`);
    // No memberships recorded for the body: no list at all.
    // Audited as the services do, so this process hears of the change as it commits (on a server the
    // notification could come after the next request).
    await t.database.transaction(async (trx) => {
      await trx.deleteFrom("bodyMembership").execute();
      await appendAudit(trx, { actor: "test", action: "test.cache", entity: "test" });
    });
    expect((await get(`/decisions/${ids.decision}`)).body).not.toContain("Members of Cabinet");
  });
});

// --- The admin's pages --------------------------------------------------------------------------------------

function setCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers["set-cookie"];
  const last = Array.isArray(header) ? header[header.length - 1] : header;
  return last?.split(";", 1)[0];
}

function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token in the page");
  return token;
}

function postForm(url: string, fields: Record<string, string>, cookie?: string) {
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie && { cookie }) },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** An account with `roles`, signed in: its session cookie and a CSRF token for its forms. */
async function signedIn(roles: string[]): Promise<{ cookie: string; csrf: string }> {
  const email = `${roles.join("-")}@council.example`;
  await createAccount(t.database, {
    email,
    name: `Test ${roles.join(" ")}`,
    roles,
    password: PASSWORD,
    actor: "test",
  });
  const signInPage = await get("/sign-in");
  const response = await postForm(
    "/sign-in",
    { _csrf: csrfTokenIn(signInPage.body), email, password: PASSWORD },
    setCookie(signInPage),
  );
  expect(response.statusCode).toBe(303);
  const cookie = setCookie(response)!;
  const workspace = await get("/workspace", cookie);
  return { cookie, csrf: csrfTokenIn(workspace.body) };
}

/** The error summary's links: [text, href]. */
function errorSummary(html: string): Array<[string, string]> {
  const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? "";
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[2]!.trim(), m[1]!]);
}

describe("the admin's people pages", () => {
  it("lists people and adds one: 303 to their page with a success banner shown once, audited with the account", async () => {
    const admin = await signedIn(["admin"]);
    const list = await get("/workspace/people", admin.cookie);
    expect(list.statusCode).toBe(200);
    expect(list.headers["cache-control"]).toBe("no-store");
    expect(mainText(list.body)).toContain("Priya Shah Officer Director of Finance None");
    expect(list.body).not.toContain(XSS);

    const form = await get("/workspace/people/new", admin.cookie);
    expect(form.statusCode).toBe(200);
    const added = await postForm(
      "/workspace/people",
      {
        _csrf: admin.csrf,
        name: " Ann  Lee ",
        role: "councillor",
        ward: "Yarm",
        party: "Independent",
        portfolio: "",
        "job-title": "",
      },
      admin.cookie,
    );
    expect(added.statusCode).toBe(303);
    const row = await t.db
      .selectFrom("person")
      .selectAll()
      .where("name", "=", "Ann Lee")
      .executeTakeFirstOrThrow();
    expect(added.headers.location).toBe(`/workspace/people/${row.id}`);
    expect(row).toMatchObject({ role: "councillor", ward: "Yarm", party: "Independent", portfolio: null });
    const page = await get(added.headers.location!, admin.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("govuk-notification-banner--success");
    expect(mainText(page.body)).toContain("Ann Lee has been added");
    expect((await get(added.headers.location!, admin.cookie)).body).not.toContain("has been added");
    const audit = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "person.created")
      .where("entityId", "=", String(row.id))
      .executeTakeFirstOrThrow();
    expect(audit.actor).toMatch(/^account:\d+ admin@council\.example$/);
  });

  it("answers a bad form with 400, an error summary linking to each field, what was typed kept, nothing written", async () => {
    const admin = await signedIn(["admin"]);
    const before = await t.db.selectFrom("person").select("id").execute();
    const response = await postForm(
      "/workspace/people",
      {
        _csrf: admin.csrf,
        name: "",
        role: "officer",
        ward: "Yarm",
        party: "",
        portfolio: "",
        "job-title": "Clerk <b>",
      },
      admin.cookie,
    );
    expect(response.statusCode).toBe(400);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toMatch(/<title>\s*Error: Add a person/);
    expect(errorSummary(response.body)).toEqual([
      ["Enter the person&#39;s name", "#name"],
      ["An officer has no ward: leave it empty, or choose councillor", "#ward"],
    ]);
    expect(response.body).toContain('id="ward-error"');
    expect(response.body).toContain('value="Clerk &lt;b&gt;"');
    expect(await t.db.selectFrom("person").select("id").execute()).toEqual(before);
  });

  it("changes a person's details and adds and ends memberships with GOV.UK date inputs", async () => {
    const admin = await signedIn(["admin"]);
    const url = `/workspace/people/${ids.cook}`;
    const page = await get(url, admin.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Bishopsgarth and Elm Tree"');

    const saved = await postForm(
      url,
      { _csrf: admin.csrf, name: "Bob Cook", role: "councillor", ward: "Norton North", party: "Labour" },
      admin.cookie,
    );
    expect(saved.statusCode).toBe(303);
    expect(mainText((await get(url, admin.cookie)).body)).toContain("Bob Cook's details have been saved");
    expect(
      (await t.db.selectFrom("person").select("ward").where("id", "=", ids.cook).executeTakeFirstOrThrow())
        .ward,
    ).toBe("Norton North");

    const scrutiny = (
      await t.db
        .insertInto("body")
        .values({ councilId: ids.councilId, name: "Executive Scrutiny Committee", kind: "committee" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    const bad = await postForm(
      `${url}/memberships`,
      {
        _csrf: admin.csrf,
        body: String(scrutiny),
        "membership-role": "vice-chair",
        "from-day": "31",
        "from-month": "5",
        "from-year": "2024",
        "to-day": "1",
        "to-month": "5",
        "to-year": "2024",
      },
      admin.cookie,
    );
    expect(bad.statusCode).toBe(400);
    expect(errorSummary(bad.body)).toEqual([
      ["The end date must be the same as or after the start date", "#to-day"],
    ]);
    expect(bad.body).toContain('id="to-day" name="to-day" type="text" value="1"');
    expect(bad.body).toMatch(/<option value="\d+" selected>Executive Scrutiny Committee<\/option>/);
    const missing = await postForm(
      `${url}/memberships`,
      { _csrf: admin.csrf, body: "", "from-day": "", "from-month": "", "from-year": "" },
      admin.cookie,
    );
    expect(errorSummary(missing.body)).toEqual([
      ["Select the body they sit on", "#body"],
      ["Enter the date the membership started", "#from-day"],
    ]);
    const invalid = await postForm(
      `${url}/memberships`,
      { _csrf: admin.csrf, body: String(scrutiny), "from-day": "30", "from-month": "2", "from-year": "2024" },
      admin.cookie,
    );
    expect(errorSummary(invalid.body)).toEqual([
      ["The start date must be a real date, for example 2024-05-21", "#from-day"],
    ]);
    const unknown = await postForm(
      `${url}/memberships`,
      { _csrf: admin.csrf, body: "99999", "from-day": "1", "from-month": "5", "from-year": "2024" },
      admin.cookie,
    );
    expect(unknown.statusCode).toBe(400);
    expect(errorSummary(unknown.body)[0]![1]).toBe("#body");
    expect(
      await t.db.selectFrom("bodyMembership").select("id").where("bodyId", "=", scrutiny).execute(),
    ).toEqual([]);

    const ok = await postForm(
      `${url}/memberships`,
      {
        _csrf: admin.csrf,
        body: String(scrutiny),
        "membership-role": "vice-chair",
        "from-day": "21",
        "from-month": "5",
        "from-year": "2024",
      },
      admin.cookie,
    );
    expect(ok.statusCode).toBe(303);
    const membership = await t.db
      .selectFrom("bodyMembership")
      .selectAll()
      .where("bodyId", "=", scrutiny)
      .executeTakeFirstOrThrow();
    expect(membership).toMatchObject({
      personId: ids.cook,
      role: "vice-chair",
      startedOn: "2024-05-21",
      endedOn: null,
    });

    const endUrl = `${url}/memberships/${membership.id}/end`;
    const early = await postForm(
      endUrl,
      {
        _csrf: admin.csrf,
        [`to-${membership.id}-day`]: "1",
        [`to-${membership.id}-month`]: "1",
        [`to-${membership.id}-year`]: "2024",
      },
      admin.cookie,
    );
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body)).toEqual([
      ["The end date must be the same as or after the start date (2024-05-21)", `#to-${membership.id}-day`],
    ]);
    const ended = await postForm(
      endUrl,
      {
        _csrf: admin.csrf,
        [`to-${membership.id}-day`]: "19",
        [`to-${membership.id}-month`]: "11",
        [`to-${membership.id}-year`]: "2026",
      },
      admin.cookie,
    );
    expect(ended.statusCode).toBe(303);
    expect(mainText((await get(url, admin.cookie)).body)).toContain(
      "Membership of Executive Scrutiny Committee has been ended",
    );
    expect(
      (
        await t.db
          .selectFrom("bodyMembership")
          .select("endedOn")
          .where("id", "=", membership.id)
          .executeTakeFirstOrThrow()
      ).endedOn,
    ).toBe("2026-11-19");
    // Another person's membership through this person's address: not found.
    expect(
      (
        await postForm(
          `/workspace/people/${ids.aldridge}/memberships/${membership.id}/end`,
          { _csrf: admin.csrf },
          admin.cookie,
        )
      ).statusCode,
    ).toBe(404);
  });

  it("answers 404 for people of another council and ids that are not numbers", async () => {
    const admin = await signedIn(["admin"]);
    const other = await seedDecision(
      t.database,
      stocktonRecord({ council: "Hartlepool Borough Council", recordId: "H1" }),
    );
    const elsewhere = (
      await createPerson(t.database, other.councilId, { name: "Someone Else", role: "councillor" }, "test")
    ).id;
    expect((await get(`/workspace/people/${elsewhere}`, admin.cookie)).statusCode).toBe(404);
    expect(
      (
        await postForm(
          `/workspace/people/${elsewhere}`,
          { _csrf: admin.csrf, name: "X", role: "councillor" },
          admin.cookie,
        )
      ).statusCode,
    ).toBe(404);
    expect((await get("/workspace/people/abc", admin.cookie)).statusCode).toBe(404);
  });

  it("refuses a post without the CSRF token or from an account that is not an admin", async () => {
    const admin = await signedIn(["admin"]);
    const officer = await signedIn(["officer", "proper-officer"]);
    const fields = { name: "Ann Lee", role: "councillor" };
    expect((await postForm("/workspace/people", fields, admin.cookie)).statusCode).toBe(403);
    expect(
      (await postForm("/workspace/people", { ...fields, _csrf: "forged" }, admin.cookie)).statusCode,
    ).toBe(403);
    expect(
      (await postForm("/workspace/people", { ...fields, _csrf: officer.csrf }, officer.cookie)).statusCode,
    ).toBe(403);
    expect((await get("/workspace/people", officer.cookie)).statusCode).toBe(403);
    expect((await get("/workspace/council", officer.cookie)).statusCode).toBe(403);
    expect((await get("/workspace/people")).statusCode).toBe(303);
    expect(await t.db.selectFrom("person").select("id").where("name", "=", "Ann Lee").execute()).toEqual([]);
  });
});

describe("the admin's council settings", () => {
  const settings = {
    days: "10",
    "day-kind": "calendar",
    "count-from": "next-day",
    cutoff: "other",
    "cutoff-time": "16:00",
    region: "scotland",
    "min-signatories": "5",
    "closure-days": "2026-12-29\n2026-12-30\n",
  };

  it("shows the rule and saves a new one through setCouncilRule, audited", async () => {
    const admin = await signedIn(["admin"]);
    const page = await get("/workspace/council", admin.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<input [^>]*id="days" name="days" type="text"[^>]* value="5"/);
    const saved = await postForm("/workspace/council", { _csrf: admin.csrf, ...settings }, admin.cookie);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/workspace/council");
    const council = await getCouncil(t.db, "stockton-on-tees");
    expect(council.callInRule).toMatchObject({
      days: 10,
      dayKind: "calendar",
      countFrom: "next-day",
      cutoff: "16:00",
      holidayRegion: "scotland",
      closureDays: ["2026-12-29", "2026-12-30"],
    });
    expect(council.minCallInSignatories).toBe(5);
    const after = await get("/workspace/council", admin.cookie);
    expect(mainText(after.body)).toContain("The council's settings have been saved");
    expect(after.body).toContain('value="16:00"');
    const audit = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "council.rule-changed")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^account:\d+ admin@council\.example$/);
  });

  it("answers bad values with 400 and an error summary, and changes nothing", async () => {
    const admin = await signedIn(["admin"]);
    const response = await postForm(
      "/workspace/council",
      {
        _csrf: admin.csrf,
        ...settings,
        days: "0",
        "cutoff-time": "25:00",
        "min-signatories": "many",
        "closure-days": "2026-02-30",
      },
      admin.cookie,
    );
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body).map(([, href]) => href)).toEqual([
      "#days",
      "#cutoff-time",
      "#min-signatories",
      "#closure-days",
    ]);
    expect(response.body).toContain("2026-02-30</textarea>");
    const council = await getCouncil(t.db, "stockton-on-tees");
    expect(council.callInRule.days).toBe(5);
    expect(council.minCallInSignatories).toBe(3);
  });
});
