import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import {
  commitmentListSchema,
  decisionCommitmentsSchema,
  fulfilmentResultSchema,
} from "../../../src/web/api/commitment-schemas.js";
import { errorSchema } from "../../../src/web/api/schemas.js";
import { useTestDatabase } from "../backends.js";
import { ATTAINMENT, proforma, Q2_FILE, q2Update } from "../commitment-fixtures.js";
import { csrfTokenIn, postForm, sessionFor } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

// Monday 15 January 2018: 2017-18 Q3 has ended, so the Q2 update's open commitments are overdue.
const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2018-01-15T10:00:00Z");
let app: FastifyInstance;
let q2: number;
let attainment: number;
let winter: number;
const tokens: Record<string, string> = {};

async function imported(bytes: Buffer, fileName: string): Promise<number> {
  return (await importDocument(t.database, { bytes, fileName }, { actor: "test" })).decisionId;
}

async function tokenFor(key: string, roles: ("officer" | "councillor")[]): Promise<void> {
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
  q2 = await imported(await q2Update(), Q2_FILE);
  attainment = await imported(proforma(ATTAINMENT), "attainment.txt");
  winter = await imported(
    proforma({
      date: "14th December 2017",
      title: "Winter Maintenance Plan 2017/18",
      record: "Consideration was given to the gritting routes and salt stocks for the winter.",
    }),
    "winter.txt",
  );
  await tokenFor("olive", ["officer"]);
  await tokenFor("colin", ["councillor"]);
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

function call(method: "GET" | "POST", url: string, who?: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: who === undefined ? {} : { authorization: `Bearer ${tokens[who]!}` },
    ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
  });
}

describe("commitments over the API", () => {
  it("lists a decision's commitments with their due quarter, status and suggestions", async () => {
    const response = await call("GET", `/api/v1/decisions/${q2}/commitments`);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBeDefined();
    const body = decisionCommitmentsSchema.parse(response.json());
    expect(body.data.map((c) => [c.position, c.due, c.status])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [n, "2017-18 Q3", "overdue"]),
    );
    const report = body.data[1]!;
    expect(report.text).toBe("A report on educational attainment of children in care to Cabinet in December");
    expect(report.suggestions[0]).toMatchObject({ decisionId: attainment, title: ATTAINMENT.title });
    expect(report.suggestions.map((s) => s.decisionId)).not.toContain(winter);
    expect(report.fulfilledBy).toBeNull();

    // A decision with no commitments: an empty list; an unknown one: 404.
    expect((await call("GET", `/api/v1/decisions/${winter}/commitments`)).json()).toMatchObject({ data: [] });
    const missing = await call("GET", "/api/v1/decisions/9999/commitments");
    expect(missing.statusCode).toBe(404);
    errorSchema.parse(missing.json());
  });

  it("lists overdue commitments across the register, and refuses an unknown status", async () => {
    const response = await call("GET", "/api/v1/commitments?status=overdue");
    expect(response.statusCode).toBe(200);
    const body = commitmentListSchema.parse(response.json());
    expect(body.data.every((c) => c.status === "overdue" && c.decision.id === q2)).toBe(true);
    expect(body.links.self).toBe("/api/v1/commitments?status=overdue");
    const bad = await call("GET", "/api/v1/commitments?status=late");
    expect(bad.statusCode).toBe(400);
    expect(errorSchema.parse(bad.json()).error.field).toBe("status");
    expect((await call("GET", "/api/v1/commitments?limit=0")).statusCode).toBe(400);
  });

  it("lets an officer with a token confirm and reject; nobody else", async () => {
    const commitments = decisionCommitmentsSchema.parse(
      (await call("GET", `/api/v1/decisions/${q2}/commitments`)).json(),
    ).data;
    const [first, report] = commitments;
    const url = `/api/v1/commitments/${report!.id}/fulfilment`;
    expect((await call("POST", url, undefined, { decisionId: attainment })).statusCode).toBe(401);
    expect((await call("POST", url, "colin", { decisionId: attainment })).statusCode).toBe(403);
    const badBody = await call("POST", url, "olive", { decisionId: "twelve" });
    expect(badBody.statusCode).toBe(400);
    expect(errorSchema.parse(badBody.json()).error.field).toBe("decisionId");
    expect((await call("POST", url, "olive", { decisionId: attainment, note: "x" })).statusCode).toBe(400);

    const confirmed = await call("POST", url, "olive", { decisionId: attainment });
    expect(confirmed.statusCode).toBe(200);
    expect(fulfilmentResultSchema.parse(confirmed.json()).data).toEqual({
      commitmentId: report!.id,
      decisionId: attainment,
      status: "done",
      verdict: "confirmed",
    });
    expect((await call("POST", url, "olive", { decisionId: winter })).statusCode).toBe(409);

    const rejected = await call("POST", `/api/v1/commitments/${first!.id}/rejections`, "olive", {
      decisionId: attainment,
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ data: { verdict: "rejected", status: "open" } });

    const after = decisionCommitmentsSchema.parse(
      (await call("GET", `/api/v1/decisions/${q2}/commitments`)).json(),
    ).data;
    expect(after[1]).toMatchObject({
      status: "done",
      fulfilledBy: { decisionId: attainment, title: ATTAINMENT.title },
      suggestions: [],
    });
    expect(after[0]!.suggestions.map((s) => s.decisionId)).not.toContain(attainment);
    const done = commitmentListSchema.parse((await call("GET", "/api/v1/commitments?status=done")).json());
    expect(done.data.map((c) => c.id)).toEqual([report!.id]);
  });
});

describe("the decision page's Commitments section", () => {
  it("lists the commitments with due quarter, status in words and the fulfilling decision", async () => {
    const response = await call("GET", `/decisions/${q2}`);
    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain(
      '<h2 class="govuk-heading-l govuk-!-margin-top-6" id="commitments">Commitments</h2>',
    );
    const section = html.slice(html.indexOf('id="commitments"'), html.indexOf('id="call-in"'));
    expect(section.match(/<tr class="govuk-table__row" id="commitment-/g)).toHaveLength(6);
    expect(section).toContain("2017-18 Q3");
    expect(section).toContain("October to December 2017; from “The next quarter would see”");
    // Overdue is a word, not a colour alone; the confirmed one links to its fulfilling decision.
    expect(section.match(/>Overdue</g)).toHaveLength(5);
    expect(section).toContain(">Done<");
    expect(section).toContain(
      `Fulfilled by <a class="govuk-link" href="/decisions/${attainment}">${ATTAINMENT.title}</a>`,
    );
  });

  it("shows on the fulfilling decision what it fulfilled, and nothing on a decision without commitments", async () => {
    const fulfilling = (await call("GET", `/decisions/${attainment}`)).body;
    expect(fulfilling).toContain("Commitments this decision fulfilled");
    expect(fulfilling).toMatch(new RegExp(`href="/decisions/${q2}#commitment-\\d+"`));
    const plain = (await call("GET", `/decisions/${winter}`)).body;
    expect(plain).not.toContain('id="commitments"');
  });

  it("puts the overdue commitments on the home page, each linked to its place on the decision page", async () => {
    const html = (await call("GET", "/")).body;
    const section = html.slice(html.indexOf('id="overdue-commitments"'));
    expect(html).toContain('id="overdue-commitments">Overdue commitments</h2>');
    // Six promised, one confirmed done by the API test above: five overdue, each a word and a link.
    expect(section.match(/govuk-tag--red">Overdue</g)).toHaveLength(5);
    expect(section).toContain("Due 2017-18 Q3 (October to December 2017)");
    expect(section).toMatch(new RegExp(`href="/decisions/${q2}#commitment-\\d+">The award of the contract`));
    expect(section).not.toContain("A report on educational attainment");
  });
});

describe("the officers' review in the workspace", () => {
  it("lists the council's open commitments with suggestions, and takes a verdict by form", async () => {
    const review = await imported(
      proforma({
        date: "11th January 2018",
        title: "Regional Peer Review of the Front Door: Findings",
        record: "Consideration was given to the findings of the regional peer review of the front door.",
      }),
      "peer-review.txt",
    );
    const councillor = await sessionFor(app, "colin@northbrook.example");
    const refused = await app.inject({
      method: "GET",
      url: "/workspace/commitments",
      headers: { cookie: councillor.cookie },
    });
    expect(refused.statusCode).toBe(403);

    const officer = await sessionFor(app, "olive@northbrook.example");
    const page = await app.inject({
      method: "GET",
      url: "/workspace/commitments",
      headers: { cookie: officer.cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.body.match(/class="app-commitment-review/g)).toHaveLength(5);
    const peer = decisionCommitmentsSchema
      .parse((await call("GET", `/api/v1/decisions/${q2}/commitments`)).json())
      .data.find((c) => c.text.startsWith("The findings of the regional peer review"))!;
    const block = page.body.slice(page.body.indexOf(`id="commitment-${peer.id}"`));
    expect(block).toContain(`action="/workspace/commitments/${peer.id}/fulfilment"`);
    expect(block).toContain(`<input type="hidden" name="decisionId" value="${review}">`);

    // Without the form's CSRF token: refused, nothing changed.
    const forged = await postForm(
      app,
      `/workspace/commitments/${peer.id}/fulfilment`,
      { decisionId: String(review) },
      officer.cookie,
    );
    expect(forged.statusCode).toBe(403);

    const done = await postForm(
      app,
      `/workspace/commitments/${peer.id}/fulfilment`,
      { _csrf: csrfTokenIn(page.body), decisionId: String(review) },
      officer.cookie,
    );
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe("/workspace/commitments");
    const after = await app.inject({
      method: "GET",
      url: "/workspace/commitments",
      headers: { cookie: officer.cookie },
    });
    expect(after.body).toContain(`Commitment ${peer.id} is done: decision ${review} fulfilled it.`);
    expect(after.body.match(/class="app-commitment-review/g)).toHaveLength(4);
    const audit = await t.db
      .selectFrom("auditLog")
      .select(["action", "actor"])
      .where("entityId", "=", String(peer.id))
      .where("entity", "=", "commitment")
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({
      action: "commitment.fulfilled",
      actor: expect.stringContaining("olive@northbrook.example"),
    });
  });
});
