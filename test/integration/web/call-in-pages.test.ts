import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { actorFor, createAccount, type Actor } from "../../../src/services/accounts/index.js";
import { setCouncilRule } from "../../../src/services/councils/index.js";
import { createDraft, publishDecision } from "../../../src/services/drafting/index.js";
import { useTestDatabase } from "../backends.js";
import { getPage, postForm, signInAs, type TestSession } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

// Call-in online through the website: councillors start and sign a request from their own accounts, the
// decision is called in the moment the third signs, officers see the open requests, the scrutiny chair records
// the outcome, and the public page shows every signature and the outcome.

const t = useTestDatabase();
const PASSWORD = "plenty of words in this passphrase";

/** Published Monday 23 November 2026; call-in closes at midnight at the end of Friday 27 November. */
const PUBLISHED_ON = "2026-11-23";
const CUTOFF = new Date("2026-11-28T00:00:00Z");
let now = new Date("2026-11-24T10:00:00Z");
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

const at = (iso: string) => {
  now = new Date(iso);
};

async function account(role: Role, name: string): Promise<Actor & { email: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@council.example`;
  const created = await createAccount(t.database, {
    email,
    name,
    roles: [role],
    password: PASSWORD,
    actor: "test",
    ...(role === "councillor" && { ward: "Norton North", party: "Independent" }),
  });
  return { ...actorFor(created), email };
}

/**
 * Three councillors, an officer, the Proper Officer and the scrutiny chair; a Cabinet decision on library
 * hours published through the drafting services; at least 3 signatures needed. Signed in, each of them.
 */
async function setUp(title = "Library opening hours from January 2027") {
  now = new Date("2026-11-24T10:00:00Z");
  const officer = await account("officer", "Olive Officer");
  const properOfficer = await account("proper-officer", "Peter Proper");
  const chair = await account("scrutiny-chair", "Sam Scrutiny");
  const [ann, bob, cath] = [
    await account("councillor", "Ann Able"),
    await account("councillor", "Bob Baker"),
    await account("councillor", "Cath Cole"),
  ];
  await setCouncilRule(t.db, "stockton-on-tees", { minCallInSignatories: 3 }, "test");
  await t.db
    .insertInto("body")
    .values({ councilId: officer.councilId, name: "Cabinet", kind: "executive" })
    .execute();
  const draft = await createDraft(
    t.database,
    {
      body: "Cabinet",
      meetingDate: "2026-11-19",
      title,
      outcomes: [{ kind: "RESOLVED", text: "that the new library opening hours be approved.", items: [] }],
    },
    officer,
  );
  await publishDecision(
    t.database,
    draft.id,
    { publishedOn: PUBLISHED_ON, now: new Date("2026-11-23T09:00:00Z") },
    properOfficer,
  );
  app = await startTestApp(t.database, () => now);
  const sessions = {
    ann: await signInAs(app, ann.email, PASSWORD),
    bob: await signInAs(app, bob.email, PASSWORD),
    cath: await signInAs(app, cath.email, PASSWORD),
    officer: await signInAs(app, officer.email, PASSWORD),
    chair: await signInAs(app, chair.email, PASSWORD),
  };
  return { id: draft.id, sessions };
}

const GROUNDS = {
  principles: ["consultation-and-advice", "alternatives-considered"],
  "explanation-consultation-and-advice": "Library users were not consulted about shorter evening hours.",
  "explanation-alternatives-considered": "Volunteer-run evenings were not considered.",
};

function callInPage(id: number): string {
  return `/workspace/decisions/${id}/call-in`;
}

/** Posts a form as `session` would: with its CSRF token. */
function submit(url: string, fields: Record<string, string | string[]>, session: TestSession) {
  return postForm(app!, url, { _csrf: session.csrf, ...fields }, session.cookie);
}

/** The text of a page, tags removed and spaces collapsed, for checking what a reader sees. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .replace(/ ([.,:;])/g, "$1");
}

async function requestIds(decisionId: number): Promise<number[]> {
  const rows = await t.db
    .selectFrom("callInRequest")
    .select("id")
    .where("decisionId", "=", decisionId)
    .orderBy("id")
    .execute();
  return rows.map((row) => row.id);
}

describe("calling in a decision online", () => {
  it("start, sign, sign: called in at once, and the public page lists every signature with its time", async () => {
    const { id, sessions } = await setUp();

    const page = await getPage(app!, callInPage(id), sessions.ann);
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    const pageText = textOf(page.body);
    expect(pageText).toContain("Library opening hours from January 2027");
    expect(pageText).toContain(
      "Call-in closes at midnight at the end of Friday 27 November 2026 (UK time): 3 days 14 hours left.",
    );
    expect(page.body).toContain('name="principles" type="checkbox" value="openness"');
    expect(page.body).toContain('id="explanation-openness"');

    const started = await submit(callInPage(id), GROUNDS, sessions.ann);
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe(callInPage(id));
    const afterStart = await getPage(app!, callInPage(id), sessions.ann);
    expect(afterStart.body).toContain("govuk-notification-banner--success");
    expect(textOf(afterStart.body)).toContain("Call-in request started");
    expect(textOf(afterStart.body)).toContain("It needs 2 signatures more from other councillors");
    expect(textOf(afterStart.body)).toContain("Gathering signatures: 1 of 3 needed");
    // The banner is shown once.
    expect(textOf((await getPage(app!, callInPage(id), sessions.ann)).body)).not.toContain(
      "Call-in request started",
    );
    // Ann has signed: no button for her; Bob has one.
    expect(afterStart.body).not.toContain("Sign this request");
    expect(afterStart.body).toContain("You have signed this request.");
    const [requestId] = await requestIds(id);
    const signUrl = `${callInPage(id)}/${requestId}/sign`;
    expect((await getPage(app!, callInPage(id), sessions.bob)).body).toContain(`action="${signUrl}"`);

    const publicGathering = textOf((await getPage(app!, `/decisions/${id}`)).body);
    expect(publicGathering).toContain("Councillors: start or sign a call-in request");
    expect(publicGathering).toContain("Gathering signatures: 1 of 3 needed");
    expect(publicGathering).toContain("Ann Able, signed 24 November 2026 at 10am");
    expect(publicGathering).toContain("Library users were not consulted about shorter evening hours.");

    at("2026-11-24T11:00:00Z");
    const second = await submit(signUrl, {}, sessions.bob);
    expect(second.statusCode).toBe(303);
    const afterSecond = textOf((await getPage(app!, callInPage(id), sessions.bob)).body);
    expect(afterSecond).toContain("You have signed the call-in request");
    expect(afterSecond).toContain("It needs 1 signature more before call-in closes.");
    expect(afterSecond).toContain("Gathering signatures: 2 of 3 needed");

    at("2026-11-24T12:00:00Z");
    const third = await submit(signUrl, {}, sessions.cath);
    expect(third.statusCode).toBe(303);
    const afterThird = textOf((await getPage(app!, callInPage(id), sessions.cath)).body);
    expect(afterThird).toContain("The decision is called in");
    expect(afterThird).toContain("Your signature was the last of the 3 signatures needed");
    // Called in: no more starting or signing.
    expect(afterThird).not.toContain("Start a call-in request");

    at("2026-11-24T12:01:00Z");
    const publicPage = await getPage(app!, `/decisions/${id}`);
    const publicText = textOf(publicPage.body);
    expect(publicText).toContain("Called in for scrutiny");
    expect(publicText).toContain("Ann Able, signed 24 November 2026 at 10am");
    expect(publicText).toContain("Bob Baker, signed 24 November 2026 at 11am");
    expect(publicText).toContain("Cath Cole, signed 24 November 2026 at midday");
    expect(publicText).toContain("Valid: the decision was called in on 24 November 2026 at midday");
    expect(publicText).not.toContain("Councillors: start or sign a call-in request");

    // The API gives the signatures too.
    const api = await app!.inject({ method: "GET", url: `/api/v1/decisions/${id}` });
    const json = api.json<{
      data: { callInRequests: { valid: boolean | null; signatures: { name: string; signedAt: string }[] }[] };
    }>();
    expect(json.data.callInRequests).toHaveLength(1);
    expect(json.data.callInRequests[0]!.valid).toBe(true);
    expect(json.data.callInRequests[0]!.signatures).toEqual([
      { name: "Ann Able", signedAt: "2026-11-24T10:00:00+00:00" },
      { name: "Bob Baker", signedAt: "2026-11-24T11:00:00+00:00" },
      { name: "Cath Cole", signedAt: "2026-11-24T12:00:00+00:00" },
    ]);
  });

  it("refuses an officer (the route is councillors'), a second signature, and a signature after the cutoff", async () => {
    const { id, sessions } = await setUp();
    expect((await submit(callInPage(id), GROUNDS, sessions.ann)).statusCode).toBe(303);
    const [requestId] = await requestIds(id);
    const signUrl = `${callInPage(id)}/${requestId}/sign`;

    const officer = await postForm(app!, signUrl, { _csrf: sessions.officer.csrf }, sessions.officer.cookie);
    expect(officer.statusCode).toBe(403);
    expect((await getPage(app!, callInPage(id), sessions.officer)).statusCode).toBe(403);

    const twice = await submit(signUrl, {}, sessions.ann);
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain("govuk-error-summary");
    expect(textOf(twice.body)).toContain("You have already signed this call-in request");
    expect(twice.body).not.toMatch(/at .+\.(ts|js):\d+/);

    at(CUTOFF.toISOString());
    const closedPage = await getPage(app!, callInPage(id), sessions.bob);
    expect(textOf(closedPage.body)).toContain(
      "Councillors could call this decision in for scrutiny until midnight at the end of Friday 27 November 2026",
    );
    expect(closedPage.body).not.toContain("Sign this request");
    expect(closedPage.body).not.toContain("Start a call-in request");
    const late = await postForm(app!, signUrl, { _csrf: sessions.bob.csrf }, sessions.bob.cookie);
    expect(late.statusCode).toBe(409);
    expect(textOf(late.body)).toContain(
      "The call-in window closed at midnight at the end of Friday 27 November 2026",
    );
    const lateStart = await postForm(
      app!,
      callInPage(id),
      { _csrf: sessions.bob.csrf, ...GROUNDS },
      sessions.bob.cookie,
    );
    expect(lateStart.statusCode).toBe(409);
    expect(await requestIds(id)).toHaveLength(1);
    const publicText = textOf((await getPage(app!, `/decisions/${id}`)).body);
    expect(publicText).toContain("Not valid: call-in closed with 1 of the 3 signatures needed");
  });

  it("asks for a principle and an explanation for each one chosen, keeping what was typed", async () => {
    const { id, sessions } = await setUp();
    const none = await submit(callInPage(id), {}, sessions.ann);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("govuk-error-summary");
    expect(none.body).toContain('href="#principles"');
    expect(textOf(none.body)).toContain("Select at least one principle of decision making");

    const unexplained = await submit(
      callInPage(id),
      { principles: ["openness", "proportionality"], "explanation-openness": "Decided behind closed doors." },
      sessions.ann,
    );
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.body).toContain('href="#explanation-proportionality"');
    expect(unexplained.body).toContain("Decided behind closed doors.");
    expect(unexplained.body).toMatch(/<title>Error: /);
    expect(await requestIds(id)).toEqual([]);
  });

  it("refuses a form without the CSRF token", async () => {
    const { id, sessions } = await setUp();
    const response = await postForm(app!, callInPage(id), GROUNDS, sessions.ann.cookie);
    expect(response.statusCode).toBe(403);
    expect(await requestIds(id)).toEqual([]);
  });

  it("shows a stored script in the explanation as text, on the workspace and the public page", async () => {
    const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const { id, sessions } = await setUp();
    const started = await submit(
      callInPage(id),
      { principles: ["openness"], "explanation-openness": payload },
      sessions.ann,
    );
    expect(started.statusCode).toBe(303);
    for (const [url, session] of [
      [callInPage(id), sessions.bob],
      [`/decisions/${id}`, undefined],
      ["/workspace/call-ins", sessions.officer],
    ] as const) {
      const body = (await getPage(app!, url, session)).body;
      expect(body, url).not.toContain("<script>alert");
      expect(body, url).not.toContain("<img src=x");
      if (url !== "/workspace/call-ins") expect(body, url).toContain("&lt;script&gt;alert(&quot;x&quot;)");
    }
  });
});

describe("open call-ins and scrutiny's outcome", () => {
  it("officers see the open requests; the scrutiny chair records the outcome, and the public page shows it", async () => {
    const { id, sessions } = await setUp();
    expect((await submit(callInPage(id), GROUNDS, sessions.ann)).statusCode).toBe(303);

    const open = await getPage(app!, "/workspace/call-ins", sessions.officer);
    expect(open.statusCode).toBe(200);
    expect(open.headers["cache-control"]).toBe("no-store");
    const openText = textOf(open.body);
    expect(openText).toContain("Library opening hours from January 2027");
    expect(openText).toContain("Ann Able, 24 November 2026 at 10am");
    expect(openText).toContain("1 of 3");
    expect(openText).toContain("3 days 14 hours left");
    expect(openText).toContain("No decision is waiting for scrutiny's outcome.");
    // Councillors use the decision's call-in page, not this list.
    expect((await getPage(app!, "/workspace/call-ins", sessions.ann)).statusCode).toBe(403);

    // Not called in yet: nothing to record.
    const early = await getPage(app!, `/workspace/decisions/${id}/scrutiny-outcome`, sessions.chair);
    expect(textOf(early.body)).toContain("This decision has not been called in");

    const [requestId] = await requestIds(id);
    at("2026-11-24T11:00:00Z");
    await submit(`${callInPage(id)}/${requestId}/sign`, {}, sessions.bob);
    at("2026-11-24T12:00:00Z");
    await submit(`${callInPage(id)}/${requestId}/sign`, {}, sessions.cath);

    at("2026-11-26T15:00:00Z");
    const waiting = textOf((await getPage(app!, "/workspace/call-ins", sessions.chair)).body);
    expect(waiting).toContain("No call-in request is gathering signatures.");
    expect(waiting).toContain("Record the outcome");

    const form = await getPage(app!, `/workspace/decisions/${id}/scrutiny-outcome`, sessions.chair);
    expect(form.statusCode).toBe(200);
    expect(form.headers["cache-control"]).toBe("no-store");
    expect(textOf(form.body)).toContain("The decision was called in on 24 November 2026 at midday.");
    // Today, in the date input.
    expect(form.body).toMatch(/name="decidedOn-day" type="text" value="26"/);
    expect(form.body).toMatch(/name="decidedOn-year" type="text" value="2026"/);
    expect(
      (await getPage(app!, `/workspace/decisions/${id}/scrutiny-outcome`, sessions.officer)).statusCode,
    ).toBe(403);

    const url = `/workspace/decisions/${id}/scrutiny-outcome`;
    const missing = await submit(
      url,
      { "decidedOn-day": "26", "decidedOn-month": "11", "decidedOn-year": "2026" },
      sessions.chair,
    );
    expect(missing.statusCode).toBe(400);
    expect(textOf(missing.body)).toContain("Select the outcome of scrutiny");
    const future = await submit(
      url,
      { outcome: "confirmed", "decidedOn-day": "27", "decidedOn-month": "11", "decidedOn-year": "2026" },
      sessions.chair,
    );
    expect(future.statusCode).toBe(400);
    expect(textOf(future.body)).toContain("2026-11-27 is in the future");

    const recorded = await submit(
      url,
      { outcome: "referred-back", "decidedOn-day": "26", "decidedOn-month": "11", "decidedOn-year": "2026" },
      sessions.chair,
    );
    expect(recorded.statusCode).toBe(303);
    expect(recorded.headers.location).toBe("/workspace/call-ins");
    const after = textOf((await getPage(app!, "/workspace/call-ins", sessions.chair)).body);
    expect(after).toContain("Scrutiny outcome recorded");
    expect(after).toContain("No decision is waiting for scrutiny's outcome.");

    const publicText = textOf((await getPage(app!, `/decisions/${id}`)).body);
    expect(publicText).toContain(
      "Overview and scrutiny referred the decision back to the decision maker on 26 November 2026.",
    );
    expect(publicText).toContain("Referred back");

    const again = await submit(
      url,
      { outcome: "confirmed", "decidedOn-day": "26", "decidedOn-month": "11", "decidedOn-year": "2026" },
      sessions.chair,
    );
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toContain("already has a scrutiny outcome");
  });
});
