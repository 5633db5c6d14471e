import { describe, expect, it } from "vitest";
import { actorFor, createAccount, type Actor } from "../../../src/services/accounts/index.js";
import { verifyAuditChain } from "../../../src/services/audit/index.js";
import { signCallInRequest, startCallInRequest } from "../../../src/services/call-in/index.js";
import { setCouncilRule } from "../../../src/services/councils/index.js";
import { getDecision, decisionStatusAt } from "../../../src/services/decisions/index.js";
import {
  consentToUrgency,
  createDraft,
  discardDraft,
  listDrafts,
  publishDecision,
  updateDraft,
} from "../../../src/services/drafting/index.js";
import { scheduleMeeting } from "../../../src/services/meetings/index.js";
import { useTestDatabase } from "../backends.js";
import type { Role } from "../../../src/domain/roles.js";

const t = useTestDatabase();
const PASSWORD = "plenty of words in this passphrase";

async function actorWith(role: Role, name: string): Promise<Actor> {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@council.example`;
  const account = await createAccount(t.database, {
    email,
    name,
    roles: [role],
    password: PASSWORD,
    actor: "test",
    ...(role === "councillor" && { ward: "Norton North", party: "Independent" }),
  });
  return actorFor(account);
}

/** A council with a Cabinet, an officer and a Proper Officer; the Cabinet member Jane Smith. */
async function setUp() {
  const officer = await actorWith("officer", "Olive Officer");
  const properOfficer = await actorWith("proper-officer", "Peter Proper");
  const cabinet = await t.db
    .insertInto("body")
    .values({ councilId: officer.councilId, name: "Cabinet", kind: "executive" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const jane = await t.db
    .insertInto("person")
    .values({
      councilId: officer.councilId,
      name: "Jane Smith",
      role: "councillor",
      ward: "Bishopsgarth",
      party: "Labour",
      jobTitle: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("bodyMembership")
    .values({ bodyId: cabinet.id, personId: jane.id, role: "member", startedOn: "2025-05-20", endedOn: null })
    .execute();
  return { officer, properOfficer, cabinetId: cabinet.id, janeId: jane.id };
}

const OUTCOMES = [
  { kind: "RESOLVED", text: "that:", items: ["the strategy be approved;", "progress be reported in March."] },
];

describe("drafting and publishing", () => {
  it("a draft under a meeting, changed, published with the council's call-in line, and never public before", async () => {
    const { officer, properOfficer, janeId } = await setUp();
    const meeting = await scheduleMeeting(
      t.database,
      { body: "Cabinet", date: "2026-11-19" },
      officer,
      "2026-11-18",
    );
    expect(meeting.status).toBe("scheduled");
    const draft = await createDraft(
      t.database,
      {
        meetingId: meeting.id,
        title: "Children's Services Strategy 2026-29",
        record: "Consideration was given to a report on the strategy.",
        outcomes: OUTCOMES,
        reasons: "To set the council's priorities for children.",
        declarations: [{ personId: janeId, category: "personal", nature: "a governor of Northfield School" }],
        keyDecision: true,
      },
      officer,
    );
    expect(draft.record.body).toBe("Cabinet");
    expect(draft.record.conflictsOfInterest).toBe(
      "Councillor Jane Smith declared a personal interest: a governor of Northfield School.",
    );
    const declaration = await t.db.selectFrom("declarationOfInterest").selectAll().executeTakeFirstOrThrow();
    expect(declaration.personId).toBe(janeId);
    expect(declaration.category).toBe("personal");
    expect((await listDrafts(t.db, officer.councilId)).map((d) => d.id)).toEqual([draft.id]);

    await updateDraft(t.database, draft.id, { alternatives: "None." }, officer);
    await expect(updateDraft(t.database, draft.id, { title: "" }, officer)).rejects.toMatchObject({
      field: "title",
    });
    await expect(updateDraft(t.database, draft.id, { colour: "red" }, officer)).rejects.toMatchObject({
      field: "colour",
    });

    const published = await publishDecision(
      t.database,
      draft.id,
      { publishedOn: "2026-11-23", now: new Date("2026-11-24T09:00:00Z") },
      properOfficer,
    );
    // Stockton's rule: the 5th working day counting the publication day (Mon 23 → Fri 27 November).
    expect(published).toMatchObject({
      publishedOn: "2026-11-23",
      callInDeadline: "2026-11-27",
      callInText: "Midnight, 27 November 2026",
      signedBy: "Peter Proper",
    });
    const detail = await getDecision(t.db, draft.id, new Date("2026-11-24T09:00:00Z"));
    expect(detail.record.alternatives).toBe("None.");
    expect(detail.currentVersion).toBe(1);
    expect(detail.record.callIn).toEqual({ deadline: "2026-11-27", text: "Midnight, 27 November 2026" });
    expect(detail.status?.status).toBe("published");

    await expect(updateDraft(t.database, draft.id, { title: "Changed" }, officer)).rejects.toThrow(
      /correction/,
    );
    await expect(publishDecision(t.database, draft.id, {}, properOfficer)).rejects.toThrow(/published/);
    const actions = (await t.db.selectFrom("auditLog").select("action").orderBy("id").execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        "meeting.created",
        "decision.drafted",
        "decision.draft-changed",
        "decision.published",
      ]),
    );
    expect((await verifyAuditChain(t.database)).ok).toBe(true);
  });

  it("a decision by a cabinet member with no meeting; an urgent draft waits for the scrutiny chair", async () => {
    const { officer, properOfficer } = await setUp();
    const chair = await actorWith("scrutiny-chair", "Sam Scrutiny");
    const draft = await createDraft(
      t.database,
      {
        body: "Cabinet Member for Children and Young People",
        meetingDate: "2026-11-20",
        title: "Emergency accommodation contract",
        outcomes: [{ kind: "RESOLVED", text: "that the contract be awarded.", items: [] }],
        urgencyReason: "The current provider ceases trading on 1 December.",
      },
      officer,
    );
    const now = new Date("2026-11-23T10:00:00Z");
    await expect(publishDecision(t.database, draft.id, { now }, properOfficer)).rejects.toThrow(/consent/);
    await consentToUrgency(t.database, draft.id, chair);
    const published = await publishDecision(t.database, draft.id, { now }, properOfficer);
    expect(published.callInText).toBe("Not applicable");
    expect(published.callInDeadline).toBeNull();
    const status = await decisionStatusAt(t.db, draft.id, now);
    expect(status.status.status).toBe("effective");
    const body = await t.db
      .selectFrom("body")
      .select("kind")
      .where("name", "=", "Cabinet Member for Children and Young People")
      .executeTakeFirstOrThrow();
    expect(body.kind).toBe("individual-member");
  });

  it("a discarded draft is gone; a meeting's body must exist", async () => {
    const { officer } = await setUp();
    await expect(
      scheduleMeeting(t.database, { body: "Cabnet", date: "2026-12-10" }, officer, "2026-12-04"),
    ).rejects.toMatchObject({ field: "body" });
    const draft = await createDraft(
      t.database,
      { body: "Cabinet", meetingDate: "2026-12-10", title: "X", outcomes: OUTCOMES },
      officer,
    );
    await discardDraft(t.database, draft.id, officer);
    expect(await t.db.selectFrom("decision").select("id").execute()).toEqual([]);
  });
});

describe("call-in online", () => {
  it("becomes valid the moment the threshold is met, and the decision is called in then", async () => {
    const { officer, properOfficer } = await setUp();
    await setCouncilRule(t.db, "stockton-on-tees", { minCallInSignatories: 3 }, "test");
    const draft = await createDraft(
      t.database,
      { body: "Cabinet", meetingDate: "2026-11-19", title: "Library hours", outcomes: OUTCOMES },
      officer,
    );
    await publishDecision(
      t.database,
      draft.id,
      { publishedOn: "2026-11-23", now: new Date("2026-11-23T09:00:00Z") },
      properOfficer,
    );
    const [a, b, c] = [
      await actorWith("councillor", "Ann Able"),
      await actorWith("councillor", "Bob Baker"),
      await actorWith("councillor", "Cath Cole"),
    ];
    const grounds = [
      { principle: "consultation-and-advice", explanation: "Library users were not consulted." },
    ];
    const started = await startCallInRequest(
      t.database,
      draft.id,
      { grounds },
      a!,
      new Date("2026-11-24T10:00:00Z"),
    );
    expect(started.request.valid).toBeNull();
    expect(started.signaturesNeeded).toBe(2);
    await expect(
      signCallInRequest(t.database, draft.id, started.request.id, a!, new Date("2026-11-24T11:00:00Z")),
    ).rejects.toThrow(/already signed/);
    await expect(
      signCallInRequest(t.database, draft.id, started.request.id, officer, new Date("2026-11-24T11:00:00Z")),
    ).rejects.toThrow(/councillor/);
    const second = await signCallInRequest(
      t.database,
      draft.id,
      started.request.id,
      b!,
      new Date("2026-11-24T11:00:00Z"),
    );
    expect(second.signaturesNeeded).toBe(1);
    expect((await decisionStatusAt(t.db, draft.id, new Date("2026-11-24T11:30:00Z"))).status.status).toBe(
      "published",
    );
    const third = await signCallInRequest(
      t.database,
      draft.id,
      started.request.id,
      c!,
      new Date("2026-11-24T12:00:00Z"),
    );
    expect(third.request.valid).toBe(true);
    expect(third.request.receivedAt.toISOString()).toBe("2026-11-24T12:00:00.000Z");
    expect(third.request.signatures.map((s) => s.name)).toEqual(["Ann Able", "Bob Baker", "Cath Cole"]);
    expect((await decisionStatusAt(t.db, draft.id, new Date("2026-11-24T12:00:01Z"))).status.status).toBe(
      "called-in",
    );
    await expect(
      startCallInRequest(t.database, draft.id, { grounds }, b!, new Date("2026-11-24T13:00:00Z")),
    ).rejects.toThrow(/already been called in/);
  });

  it("refuses signatures after the cutoff", async () => {
    const { officer, properOfficer } = await setUp();
    const draft = await createDraft(
      t.database,
      { body: "Cabinet", meetingDate: "2026-11-19", title: "Parks", outcomes: OUTCOMES },
      officer,
    );
    await publishDecision(
      t.database,
      draft.id,
      { publishedOn: "2026-11-23", now: new Date("2026-11-23T09:00:00Z") },
      properOfficer,
    );
    const a = await actorWith("councillor", "Ann Able");
    const b = await actorWith("councillor", "Bob Baker");
    const grounds = [{ principle: "openness", explanation: "Decided in private without reason." }];
    const started = await startCallInRequest(
      t.database,
      draft.id,
      { grounds },
      a,
      new Date("2026-11-27T23:00:00Z"),
    );
    await expect(
      signCallInRequest(t.database, draft.id, started.request.id, b, new Date("2026-11-28T00:00:00Z")),
    ).rejects.toThrow(/closed/);
  });
});
