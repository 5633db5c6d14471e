import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount, createApiToken, revokeApiToken } from "../../../src/services/accounts/index.js";
import { setCouncilRule } from "../../../src/services/councils/index.js";
import { decisionDetailSchema, errorSchema } from "../../../src/web/api/schemas.js";
import {
  callInRequestSchema,
  draftSchema,
  meetingCreatedSchema,
  versionCreatedSchema,
} from "../../../src/web/api/write-schemas.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
// Monday 23 November 2026, 10:00: Stockton's rule closes call-in at midnight ending Friday 27 November.
let now = new Date("2026-11-23T10:00:00Z");
let app: FastifyInstance;
const tokens = new Map<string, string>();

async function account(key: string, name: string, roles: Role[], extra: { ward?: string } = {}) {
  const email = `${key}@council.example`;
  await createAccount(t.database, {
    email,
    name,
    roles,
    password: "plenty of words in this passphrase",
    actor: "test",
    ...extra,
  });
  tokens.set(key, (await createApiToken(t.database, email, "tests", "test")).token);
}

beforeAll(async () => {
  await t.resetDatabase();
  await account("officer", "Olive Officer", ["officer"]);
  await account("proper", "Peter Proper", ["proper-officer"]);
  await account("clerk", "Clare Clerk", ["officer"]);
  await account("chair", "Sam Scrutiny", ["scrutiny-chair"]);
  await account("ann", "Ann Able", ["councillor"], { ward: "Norton North" });
  await account("bob", "Bob Baker", ["councillor"], { ward: "Norton South" });
  await account("cath", "Cath Cole", ["councillor"], { ward: "Western" });
  await setCouncilRule(t.db, "stockton-on-tees", { minCallInSignatories: 3 }, "test");
  const council = await t.db.selectFrom("council").select("id").executeTakeFirstOrThrow();
  await t.db
    .insertInto("body")
    .values({ councilId: council.id, name: "Cabinet", kind: "executive" })
    .execute();
  app = await startTestApp(t.database, () => now);
});

afterAll(async () => {
  await app?.close();
});

function call(method: "GET" | "POST" | "PATCH", url: string, who: string | null, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: who === null ? {} : { authorization: `Bearer ${tokens.get(who)!}` },
    ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
  });
}

const DRAFT = {
  title: "Library opening hours",
  record: "Consideration was given to a report on library opening hours across the borough.",
  outcomes: [
    {
      kind: "RESOLVED",
      text: "that:",
      items: ["the revised hours be approved;", "usage be reviewed in 2027."],
    },
  ],
  reasons: "To keep every library open within the budget.",
  alternatives: "Closing two branches was rejected.",
};

describe("the write API", () => {
  let meetingId: number;
  let decisionId: number;

  it("records a meeting: 201 with its id; 401 without a token, 403 without the role, 400 naming the field", async () => {
    const made = await call("POST", "/api/v1/meetings", "officer", { body: "Cabinet", date: "2026-11-19" });
    expect(made.statusCode).toBe(201);
    const json = meetingCreatedSchema.parse(made.json());
    expect(json.data).toMatchObject({ body: "Cabinet", date: "2026-11-19", status: "held" });
    expect(made.headers.location).toBe(`/api/v1/meetings/${json.data.id}`);
    meetingId = json.data.id;

    expect(
      (await call("POST", "/api/v1/meetings", null, { body: "Cabinet", date: "2026-12-10" })).statusCode,
    ).toBe(401);
    const councillor = await call("POST", "/api/v1/meetings", "ann", { body: "Cabinet", date: "2026-12-10" });
    expect(councillor.statusCode).toBe(403);
    errorSchema.parse(councillor.json());
    const bad = await call("POST", "/api/v1/meetings", "officer", { body: "Cabinet", date: "2026-02-30" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe("date");
    const unknownBody = await call("POST", "/api/v1/meetings", "officer", {
      body: "Cabnet",
      date: "2026-12-10",
    });
    expect(unknownBody.json().error).toMatchObject({ status: 400, field: "body" });
    expect(unknownBody.json().error.message).toContain("Cabinet");
  });

  it("drafts a decision: 201 with status draft, never public; 400 names the field", async () => {
    const made = await call("POST", "/api/v1/decisions", "officer", { ...DRAFT, meetingId });
    expect(made.statusCode).toBe(201);
    const json = draftSchema.parse(made.json());
    expect(json.data.status).toBe("draft");
    expect(json.data.record.body).toBe("Cabinet");
    expect(json.data.record.meetingDate).toBe("2026-11-19");
    decisionId = json.data.id;

    expect((await call("GET", `/api/v1/decisions/${decisionId}`, null)).statusCode).toBe(404);
    expect((await app.inject({ url: `/decisions/${decisionId}` })).statusCode).toBe(404);
    expect((await call("GET", `/api/v1/drafts/${decisionId}`, "officer")).statusCode).toBe(200);
    expect((await call("GET", `/api/v1/drafts/${decisionId}`, "ann")).statusCode).toBe(403);

    const badKind = await call("POST", "/api/v1/decisions", "officer", {
      ...DRAFT,
      meetingId,
      outcomes: [{ kind: "resolved", text: "that", items: [] }],
    });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.field).toBe("outcomes.0.kind");
    const unknownField = await call("POST", "/api/v1/decisions", "officer", {
      ...DRAFT,
      meetingId,
      colour: "red",
    });
    expect(unknownField.json().error.field).toBe("colour");
    const notJson = await app.inject({
      method: "POST",
      url: "/api/v1/decisions",
      headers: { authorization: `Bearer ${tokens.get("officer")!}`, "content-type": "application/json" },
      payload: "{not json",
    });
    expect(notJson.statusCode).toBe(400);
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(1);
  });

  it("changes a draft with PATCH, stores SQL-looking text as text, and only a Proper Officer publishes", async () => {
    const injection = "Robert'); DROP TABLE decision; --";
    const patched = await call("PATCH", `/api/v1/decisions/${decisionId}`, "officer", {
      alternatives: injection,
      keyDecision: true,
    });
    expect(patched.statusCode).toBe(200);
    expect(draftSchema.parse(patched.json()).data.record.alternatives).toBe(injection);

    expect((await call("POST", `/api/v1/decisions/${decisionId}/publish`, "ann", {})).statusCode).toBe(403);
    expect((await call("POST", `/api/v1/decisions/${decisionId}/publish`, "officer", {})).statusCode).toBe(
      403,
    );
    const future = await call("POST", `/api/v1/decisions/${decisionId}/publish`, "proper", {
      publishedOn: "2026-12-01",
    });
    expect(future.json().error.field).toBe("publishedOn");
    const published = await call("POST", `/api/v1/decisions/${decisionId}/publish`, "proper", {});
    expect(published.statusCode).toBe(200);
    const decision = decisionDetailSchema.parse(published.json());
    expect(decision.data.publishedOn).toBe("2026-11-23");
    expect(decision.data.signedBy).toBe("Peter Proper");
    expect(decision.data.callIn).toMatchObject({
      deadline: "2026-11-27",
      text: "Midnight, 27 November 2026",
    });
    expect(decision.data.callIn.cutoff).toBe("2026-11-28T00:00:00+00:00");
    expect(decision.data.status?.code).toBe("published");
    expect((await call("GET", `/api/v1/decisions/${decisionId}`, null)).statusCode).toBe(200);

    const again = await call("PATCH", `/api/v1/decisions/${decisionId}`, "officer", { title: "Changed" });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain("correction");
  });

  it("corrects a published record as a new version with a reason", async () => {
    const current = (await call("GET", `/api/v1/decisions/${decisionId}`, null)).json().data;
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
    const record = {
      ...rest,
      callIn: { deadline: callIn.deadline, text: callIn.text },
      reasons: "To keep every library open within the 2027 budget.",
    };
    expect(
      (await call("POST", `/api/v1/decisions/${decisionId}/corrections`, "officer", { record })).json().error
        .field,
    ).toBe("reason");
    const corrected = await call("POST", `/api/v1/decisions/${decisionId}/corrections`, "officer", {
      record,
      reason: "The budget year was missing.",
    });
    expect(corrected.statusCode).toBe(201);
    const json = versionCreatedSchema.parse(corrected.json());
    expect(json.data).toMatchObject({ version: 2, changedFields: ["reasons"] });
    const versions = (await call("GET", `/api/v1/decisions/${decisionId}`, null)).json().data.versions;
    expect(versions.map((v: { reason: string | null }) => v.reason)).toEqual([
      null,
      "The budget year was missing.",
    ]);
  });

  it("councillors call it in: valid the moment the third signs; officers cannot sign", async () => {
    now = new Date("2026-11-24T09:00:00Z");
    const grounds = [
      { principle: "consultation-and-advice", explanation: "Library users were not consulted." },
    ];
    expect(
      (await call("POST", `/api/v1/decisions/${decisionId}/call-in-requests`, "officer", { grounds }))
        .statusCode,
    ).toBe(403);
    const badGround = await call("POST", `/api/v1/decisions/${decisionId}/call-in-requests`, "ann", {
      grounds: [{ principle: "vibes", explanation: "x" }],
    });
    expect(badGround.statusCode).toBe(400);
    expect(badGround.json().error.field).toBe("grounds.0.principle");
    const started = await call("POST", `/api/v1/decisions/${decisionId}/call-in-requests`, "ann", {
      grounds,
    });
    expect(started.statusCode).toBe(201);
    const request = callInRequestSchema.parse(started.json());
    expect(request.data).toMatchObject({ signatories: ["Ann Able"], valid: null, signaturesNeeded: 2 });
    const sign = request.links.sign;
    expect((await call("POST", sign, "officer")).statusCode).toBe(403);
    expect((await call("POST", sign, "ann")).statusCode).toBe(409);
    now = new Date("2026-11-24T10:00:00Z");
    expect(callInRequestSchema.parse((await call("POST", sign, "bob")).json()).data.signaturesNeeded).toBe(1);
    expect((await call("GET", `/api/v1/decisions/${decisionId}`, null)).json().data.status.code).toBe(
      "published",
    );
    now = new Date("2026-11-24T11:00:00Z");
    const third = callInRequestSchema.parse((await call("POST", sign, "cath")).json());
    expect(third.data).toMatchObject({
      valid: true,
      signaturesNeeded: 0,
      receivedAt: "2026-11-24T11:00:00+00:00",
    });
    expect(third.data.signatures.map((s) => s.signedAt)).toEqual([
      "2026-11-24T09:00:00+00:00",
      "2026-11-24T10:00:00+00:00",
      "2026-11-24T11:00:00+00:00",
    ]);
    const status = (await call("GET", `/api/v1/decisions/${decisionId}`, null)).json().data.status;
    expect(status.code).toBe("called-in");
  });

  it("the scrutiny chair records the outcome; nobody else can", async () => {
    now = new Date("2026-12-02T15:00:00Z");
    const url = `/api/v1/decisions/${decisionId}/scrutiny-outcome`;
    expect((await call("POST", url, "officer", { outcome: "confirmed" })).statusCode).toBe(403);
    expect((await call("POST", url, "chair", { outcome: "maybe" })).json().error.field).toBe("outcome");
    const recorded = await call("POST", url, "chair", { outcome: "referred-back" });
    expect(recorded.statusCode).toBe(200);
    expect(decisionDetailSchema.parse(recorded.json()).data.status?.code).toBe("referred-back");
    expect((await call("POST", url, "chair", { outcome: "confirmed" })).statusCode).toBe(409);
  });

  it("a revoked token stops working at once", async () => {
    expect((await call("GET", "/api/v1/drafts", "officer")).statusCode).toBe(200);
    await revokeApiToken(t.database, tokens.get("officer")!, "test");
    const after = await call("GET", "/api/v1/drafts", "officer");
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/revoked/);
    const actions = await t.db
      .selectFrom("auditLog")
      .select(["actor", "action"])
      .where("action", "like", "decision.%")
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        "decision.drafted",
        "decision.draft-changed",
        "decision.published",
        "decision.version-added",
      ]),
    );
    expect(actions.find((a) => a.action === "decision.published")?.actor).toMatch(/proper@council.example/);
  });
});

describe("the write API refuses what PostgreSQL cannot store, naming the field", () => {
  it("a NUL in a draft, a correction or a meeting is a 400, and nothing is written", async () => {
    const before = await t.db.selectFrom("decision").select("id").execute();
    expect((await call("POST", "/api/v1/decisions", "proper", { ...DRAFT, meetingId: 1 })).statusCode).toBe(
      403,
    );
    const draft = await call("POST", "/api/v1/decisions", "clerk", {
      ...DRAFT,
      body: "Cabinet",
      meetingDate: "2026-11-19",
      outcomes: [{ kind: "RESOLVED", text: "that", items: ["fine", "not\u0000fine"] }],
    });
    expect(draft.statusCode).toBe(400);
    expect(draft.json().error.field).toBe("outcomes.0.items.1");
    const meeting = await call("POST", "/api/v1/meetings", "proper", {
      body: "Cabinet",
      date: "2026-12-11",
      location: "Room\u00001",
    });
    expect(meeting.json().error).toMatchObject({ status: 400, field: "location" });
    expect(await t.db.selectFrom("decision").select("id").execute()).toEqual(before);
  });
});
