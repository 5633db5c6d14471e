import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { decisionCommitments } from "../../../src/services/commitments/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import { commitmentListSchema, commitmentResultSchema } from "../../../src/web/api/commitment-schemas.js";
import type { OpenApiDocument } from "../../../src/web/api/openapi.js";
import { errorSchema } from "../../../src/web/api/schemas.js";
import { useTestDatabase } from "../backends.js";
import { ATTAINMENT, proforma, Q2_FILE, q2Update } from "../commitment-fixtures.js";
import { csrfTokenIn, postForm, sessionFor, type BrowserSession } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

/**
 * Managing commitments on the website and over the API: the workspace page per commitment (owner, due quarter,
 * progress, drop, reopen), the public list and the decision page showing what officers recorded, escaped.
 */

// Monday 15 January 2018: 2017-18 Q3 has ended, so the Q2 update's open commitments are overdue.
const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2018-01-15T10:00:00Z");
const HOSTILE = `<script>alert("x")</script>`;
let app: FastifyInstance;
let q2: number;
let ids: number[];
const tokens: Record<string, string> = {};
let officer: BrowserSession;
let councillor: BrowserSession;

async function account(key: string, roles: ("officer" | "councillor")[]): Promise<void> {
  const email = `${key}@northbrook.example`;
  await createAccount(t.database, {
    email,
    name: `${key[0]!.toUpperCase()}${key.slice(1)} Tester`,
    roles,
    password: "plenty of words in this passphrase",
    council: "Northbrook Metropolitan Borough Council",
    actor: "test",
    ...(roles.includes("councillor") && { ward: "Northbrook Central", party: "Independent" }),
  });
  tokens[key] = (await createApiToken(t.database, email, "tests", "test")).token;
}

beforeAll(async () => {
  await t.resetDatabase();
  q2 = (await importDocument(t.database, { bytes: await q2Update(), fileName: Q2_FILE }, { actor: "test" }))
    .decisionId;
  await importDocument(t.database, { bytes: proforma(ATTAINMENT), fileName: "a.txt" }, { actor: "test" });
  ids = (await decisionCommitments(t.db, q2, "2018-01-15")).map((c) => c.id);
  await account("olive", ["officer"]);
  await account("colin", ["councillor"]);
  app = await startTestApp(t.database, () => NOW);
  officer = await sessionFor(app, "olive@northbrook.example");
  councillor = await sessionFor(app, "colin@northbrook.example");
});

afterAll(async () => {
  await app?.close();
});

const get = (url: string, session?: BrowserSession) =>
  app.inject({ method: "GET", url, headers: session ? { cookie: session.cookie } : {} });

function api(method: "GET" | "POST" | "PATCH", url: string, who?: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: who === undefined ? {} : { authorization: `Bearer ${tokens[who]!}` },
    ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
  });
}

describe.sequential("the workspace page of a commitment", () => {
  it("is for officers only", async () => {
    expect((await get(`/workspace/commitments/${ids[0]}`, councillor)).statusCode).toBe(403);
    const anonymous = await get(`/workspace/commitments/${ids[0]}`);
    expect([302, 303, 401]).toContain(anonymous.statusCode);
    const page = await get(`/workspace/commitments/${ids[0]}`, officer);
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.body).toContain("The award of the contract");
    expect(page.body).toContain("No progress has been recorded yet.");
    expect((await get("/workspace/commitments/99999", officer)).statusCode).toBe(404);
  });

  it("takes a progress note with the CSRF token, and shows it dated", async () => {
    const page = await get(`/workspace/commitments/${ids[0]}`, officer);
    const url = `/workspace/commitments/${ids[0]}/progress`;
    expect((await postForm(app, url, { note: "Tenders are in." }, officer.cookie)).statusCode).toBe(403);
    const councillorPost = await postForm(
      app,
      url,
      { _csrf: councillor.csrf, note: "Tenders are in." },
      councillor.cookie,
    );
    expect(councillorPost.statusCode).toBe(403);

    const empty = await postForm(app, url, { _csrf: csrfTokenIn(page.body), note: "  " }, officer.cookie);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain("<title>Error: ");
    expect(empty.body).toContain('href="#note"');
    expect(empty.body).toContain("Enter what progress has been made");

    const saved = await postForm(
      app,
      url,
      { _csrf: csrfTokenIn(page.body), note: `Tenders are in. ${HOSTILE}` },
      officer.cookie,
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/workspace/commitments/${ids[0]}`);
    const after = await get(`/workspace/commitments/${ids[0]}`, officer);
    expect(after.body).toContain("The progress note has been added.");
    expect(after.body).toContain("15 January 2018");
    expect(after.body).toContain("Tenders are in. &lt;script&gt;");
    expect(after.body).not.toContain(HOSTILE);
  });

  it("sets the owner and due quarter, showing a bad quarter at its field", async () => {
    const page = await get(`/workspace/commitments/${ids[0]}`, officer);
    const url = `/workspace/commitments/${ids[0]}`;
    const bad = await postForm(
      app,
      url,
      { _csrf: csrfTokenIn(page.body), owner: "Head of Commissioning", due: "next spring" },
      officer.cookie,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#due"');
    expect(bad.body).toContain('value="next spring"');
    expect(bad.body).toContain('value="Head of Commissioning"');

    const saved = await postForm(
      app,
      url,
      {
        _csrf: csrfTokenIn(page.body),
        owner: `Director of Children's Services ${HOSTILE}`,
        due: "2018-19 Q1",
      },
      officer.cookie,
    );
    expect(saved.statusCode).toBe(303);
    const after = await get(url, officer);
    expect(after.body).toContain("2018-19 Q1");
    expect(after.body).toContain("Director of Children&#39;s Services &lt;script&gt;");
  });

  it("drops with a required reason and reopens", async () => {
    const page = await get(`/workspace/commitments/${ids[2]}`, officer);
    const csrf = csrfTokenIn(page.body);
    const none = await postForm(
      app,
      `/workspace/commitments/${ids[2]}/drop`,
      { _csrf: csrf },
      officer.cookie,
    );
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#reason"');
    const dropped = await postForm(
      app,
      `/workspace/commitments/${ids[2]}/drop`,
      { _csrf: csrf, reason: `The peer review was cancelled by the region. ${HOSTILE}` },
      officer.cookie,
    );
    expect(dropped.statusCode).toBe(303);
    const after = await get(`/workspace/commitments/${ids[2]}`, officer);
    expect(after.body).toContain("Reopen commitment");
    expect(after.body).not.toContain("Drop commitment");

    const list = await get("/workspace/commitments?status=dropped", officer);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/workspace/commitments/${ids[2]}"`);
    expect(list.body).not.toContain(`href="/workspace/commitments/${ids[1]}"`);
    expect((await get("/workspace/commitments?status=late", officer)).statusCode).toBe(400);
    expect((await get("/workspace/commitments", officer)).body).toContain(
      `href="/workspace/commitments/${ids[1]}"`,
    );

    // Reopened and dropped again below, for the public pages.
    await postForm(app, `/workspace/commitments/${ids[2]}/reopen`, { _csrf: csrf }, officer.cookie);
    expect((await get(`/workspace/commitments/${ids[2]}`, officer)).body).toContain("Drop commitment");
    await postForm(
      app,
      `/workspace/commitments/${ids[2]}/drop`,
      { _csrf: csrf, reason: `The peer review was cancelled by the region. ${HOSTILE}` },
      officer.cookie,
    );
  });
});

describe.sequential("confirming from a commitment's page", () => {
  it("offers its suggestions, and a verdict goes back to the commitment's page", async () => {
    const page = await get(`/workspace/commitments/${ids[1]}`, officer);
    expect(page.body).toContain("Educational Attainment of Children in Care 2016/17");
    const decisionId = /name="decisionId" value="(\d+)"/.exec(page.body)![1]!;
    const done = await postForm(
      app,
      `/workspace/commitments/${ids[1]}/fulfilment`,
      { _csrf: csrfTokenIn(page.body), decisionId, back: "commitment" },
      officer.cookie,
    );
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/workspace/commitments/${ids[1]}`);
    const after = await get(`/workspace/commitments/${ids[1]}`, officer);
    expect(after.body).toContain("Reopen commitment");
    expect(after.body).toContain("If it was marked done by mistake");
    // Reopened: ids[1] stays overdue for the public list below.
    const reopened = await postForm(
      app,
      `/workspace/commitments/${ids[1]}/reopen`,
      { _csrf: csrfTokenIn(after.body) },
      officer.cookie,
    );
    expect(reopened.statusCode).toBe(303);
    expect((await get(`/workspace/commitments/${ids[1]}`, officer)).body).toContain("This fulfils it");
  });
});

describe.sequential("what the public sees", () => {
  it("lists every commitment on /commitments, overdue first, filterable by status", async () => {
    const page = await get("/commitments");
    expect(page.statusCode).toBe(200);
    const order = [ids[1], ids[0], ids[2]].map((id) => page.body.indexOf(`id="commitment-${id}"`));
    expect(order.every((at) => at > 0)).toBe(true);
    // ids[1] is overdue, ids[0] open (due 2018-19 Q1), ids[2] dropped.
    expect(order[0]!).toBeLessThan(order[1]!);
    expect(order[1]!).toBeLessThan(order[2]!);
    expect(page.body).toContain("Why dropped: The peer review was cancelled by the region. &lt;script&gt;");
    expect(page.body).not.toContain(HOSTILE);

    const dropped = await get("/commitments?status=dropped");
    expect(dropped.body).toContain(`id="commitment-${ids[2]}"`);
    expect(dropped.body).not.toContain(`id="commitment-${ids[1]}"`);
    const bad = await get("/commitments?status=late");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#status"');
  });

  it("shows the owner, progress and drop reason on the decision's page, and links the home page to the list", async () => {
    const page = await get(`/decisions/${q2}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Owner: Director of Children&#39;s Services &lt;script&gt;");
    expect(page.body).toContain("Tenders are in. &lt;script&gt;");
    expect(page.body).toContain("Why dropped: The peer review was cancelled");
    expect(page.body).not.toContain(HOSTILE);
    const home = await get("/");
    expect(home.body).toContain('href="/commitments?status=overdue"');
  });
});

describe.sequential("managing commitments over the API", () => {
  it("changes owner and due, drops with a reason and reopens; officers only", async () => {
    const url = `/api/v1/commitments/${ids[3]}`;
    expect((await api("PATCH", url, undefined, { owner: "Me" })).statusCode).toBe(401);
    expect((await api("PATCH", url, "colin", { owner: "Me" })).statusCode).toBe(403);

    const changed = await api("PATCH", url, "olive", { owner: "Head of Therapies", due: "2017-18 Q4" });
    expect(changed.statusCode).toBe(200);
    const body = commitmentResultSchema.parse(changed.json());
    expect(body.data).toMatchObject({
      id: ids[3],
      owner: "Head of Therapies",
      due: "2017-18 Q4",
      // January 2018 is in 2017-18 Q4: not overdue yet.
      status: "open",
    });

    const noReason = await api("PATCH", url, "olive", { status: "dropped" });
    expect(noReason.statusCode).toBe(400);
    expect(errorSchema.parse(noReason.json()).error.field).toBe("reason");
    const unknown = await api("PATCH", url, "olive", { colour: "red" });
    expect(unknown.statusCode).toBe(400);
    expect(errorSchema.parse(unknown.json()).error.field).toBe("colour");
    const badDue = await api("PATCH", url, "olive", { due: "Q4" });
    expect(errorSchema.parse(badDue.json()).error.field).toBe("due");

    const dropped = await api("PATCH", url, "olive", {
      status: "dropped",
      reason: "Waiting times now reported monthly.",
    });
    expect(commitmentResultSchema.parse(dropped.json()).data).toMatchObject({
      status: "dropped",
      droppedReason: "Waiting times now reported monthly.",
    });
    expect((await api("PATCH", url, "olive", { status: "dropped", reason: "Again" })).statusCode).toBe(409);
    const reopened = await api("PATCH", url, "olive", { status: "open" });
    expect(commitmentResultSchema.parse(reopened.json()).data).toMatchObject({
      status: "open",
      droppedReason: null,
    });
    expect((await api("PATCH", "/api/v1/commitments/99999", "olive", { owner: "x" })).statusCode).toBe(404);
  });

  it("records progress, and the reads include owner, progress and the drop reason", async () => {
    const url = `/api/v1/commitments/${ids[3]}/progress`;
    expect((await api("POST", url, "colin", { note: "x" })).statusCode).toBe(403);
    const empty = await api("POST", url, "olive", { note: "" });
    expect(errorSchema.parse(empty.json()).error.field).toBe("note");
    const saved = await api("POST", url, "olive", { note: "Two new therapists started in January." });
    expect(saved.statusCode).toBe(200);
    expect(commitmentResultSchema.parse(saved.json()).data.progress).toEqual([
      { note: "Two new therapists started in January.", recordedAt: "2018-01-15T10:00:00+00:00" },
    ]);

    const list = commitmentListSchema.parse((await api("GET", "/api/v1/commitments?status=dropped")).json());
    expect(list.data.map((c) => [c.id, c.droppedReason])).toEqual([
      [ids[2], `The peer review was cancelled by the region. ${HOSTILE}`],
    ]);
    const ofDecision = (await api("GET", `/api/v1/decisions/${q2}/commitments`)).json() as {
      data: { id: number; owner: string | null; progress: unknown[]; suggestions: unknown[] }[];
    };
    const fourth = ofDecision.data.find((c) => c.id === ids[3])!;
    expect(fourth.owner).toBe("Head of Therapies");
    expect(fourth.progress).toHaveLength(1);
    expect(Array.isArray(fourth.suggestions)).toBe(true);
  });

  it("documents the new operations", async () => {
    const document = JSON.parse((await api("GET", "/api/openapi.json")).body) as OpenApiDocument;
    expect(Object.keys(document.paths["/api/v1/commitments/{id}"] ?? {})).toContain("patch");
    expect(Object.keys(document.paths["/api/v1/commitments/{id}/progress"] ?? {})).toContain("post");
  });
});
