import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { parseUkDateTime } from "../../../src/domain/date-input.js";
import { listCallInRequests, requestCallIn } from "../../../src/services/call-in/index.js";
import { setCouncilRule } from "../../../src/services/councils/index.js";
import { decisionStatusAt } from "../../../src/services/decisions/index.js";
import { useTestDatabase } from "../backends.js";
import { recommendationRecord, seedDecision, stocktonRecord } from "./register-fixtures.js";

const t = useTestDatabase();
const ACTOR = "test:call-in-service";
const uk = (text: string) => parseUkDateTime(text, "at");

const THREE = ["Cllr Ann Able", "Cllr Ben Baker", "Cllr Cat Clay"];
const GROUNDS = [
  { principle: "consultation-and-advice", explanation: "ward members were not consulted" },
  { principle: "openness", explanation: "the appendix was withheld" },
];

async function counts() {
  const [requests, signatories, audit] = await Promise.all([
    t.db
      .selectFrom("callInRequest")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow(),
    t.db
      .selectFrom("callInSignatory")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow(),
    t.db
      .selectFrom("auditLog")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("action", "=", "call-in.received")
      .executeTakeFirstOrThrow(),
  ]);
  return { requests: Number(requests.n), signatories: Number(signatories.n), audit: Number(audit.n) };
}

describe("requestCallIn", () => {
  it("a valid request before the cutoff calls the decision in; request, signatories and audit are stored", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const result = await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-24T23:59") },
      ACTOR,
    );
    expect(result).toMatchObject({ valid: true, reasons: [], decisionId: id, recordId: "D170042" });
    expect(result.status.status).toBe("called-in");

    const request = await t.db
      .selectFrom("callInRequest")
      .selectAll()
      .where("id", "=", result.requestId)
      .executeTakeFirstOrThrow();
    expect(request).toMatchObject({ valid: true, invalidReason: null, assessedBy: ACTOR });
    expect(request.receivedAt).toEqual(uk("2017-11-24T23:59"));
    expect(JSON.parse(request.grounds)).toEqual(GROUNDS);
    const signatories = await t.db
      .selectFrom("callInSignatory")
      .select(["position", "name"])
      .where("callInRequestId", "=", result.requestId)
      .orderBy("position")
      .execute();
    expect(signatories).toEqual(THREE.map((name, i) => ({ position: i + 1, name })));

    const audit = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "call-in.received")
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: ACTOR, entity: "decision", entityId: String(id) });
    expect(audit.details).toMatchObject({ requestId: result.requestId, valid: true, distinctSignatories: 3 });

    expect((await decisionStatusAt(t.db, id, uk("2017-11-24T23:58"))).status.status).toBe("published");
    expect((await decisionStatusAt(t.db, id, uk("2017-11-24T23:59"))).status.status).toBe("called-in");
    expect((await decisionStatusAt(t.db, id, uk("2018-06-01T00:00"))).status.status).toBe("called-in");
  });

  it("a request after the cutoff is kept as invalid, with why, and changes nothing", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const result = await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-25T00:12") },
      ACTOR,
    );
    expect(result.valid).toBe(false);
    expect(result.reasons).toEqual([
      "received at 00:12 on Saturday 25 November 2017, after call-in closed at midnight at the end of Friday 24 November 2017",
    ]);
    expect(result.status.status).toBe("effective");
    const row = await t.db.selectFrom("callInRequest").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ valid: false, invalidReason: result.reasons[0] });
    expect(await counts()).toEqual({ requests: 1, signatories: 3, audit: 1 });
  });

  it("a request at the cutoff instant is too late", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const result = await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: new Date("2017-11-25T00:00:00Z") },
      ACTOR,
    );
    expect(result.valid).toBe(false);
    expect(result.reasons[0]).toMatch(/the moment call-in closed/);
  });

  it("needs the council's minimum number of signatories, which is configurable", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const few = await requestCallIn(
      t.database,
      id,
      { signatories: THREE.slice(0, 2), grounds: GROUNDS, receivedAt: uk("2017-11-21T10:00") },
      ACTOR,
    );
    expect(few.valid).toBe(false);
    expect(few.reasons).toEqual([
      "signed by 2 councillors; Stockton-on-Tees Borough Council requires at least 3",
    ]);
    expect(few.status.status).toBe("effective");

    await t.database.transaction((trx) =>
      setCouncilRule(trx, "stockton-on-tees", { minCallInSignatories: 2 }, ACTOR),
    );
    const enough = await requestCallIn(
      t.database,
      id,
      { signatories: THREE.slice(0, 2), grounds: GROUNDS, receivedAt: uk("2017-11-21T11:00") },
      ACTOR,
    );
    expect(enough.valid).toBe(true);
    // The earlier request keeps the assessment it had when it was received.
    const rows = await t.db.selectFrom("callInRequest").select(["id", "valid"]).orderBy("id").execute();
    expect(rows.map((r) => r.valid)).toEqual([false, true]);
  });

  it("a second valid request changes nothing and is recorded as such", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const input = { signatories: THREE, grounds: GROUNDS };
    await requestCallIn(t.database, id, { ...input, receivedAt: uk("2017-11-21T10:00") }, ACTOR);
    const second = await requestCallIn(
      t.database,
      id,
      { ...input, receivedAt: uk("2017-11-22T10:00") },
      ACTOR,
    );
    expect(second.valid).toBe(false);
    expect(second.reasons).toEqual(["the decision has already been called in by an earlier valid request"]);
    expect((await decisionStatusAt(t.db, id, uk("2017-11-23T10:00"))).status.since).toEqual(
      uk("2017-11-21T10:00"),
    );
  });

  it("a recommendation to Council and a draft cannot be called in", async () => {
    const { id: recommendation } = await seedDecision(t.database, recommendationRecord());
    const r = await requestCallIn(
      t.database,
      recommendation,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-21T10:00") },
      ACTOR,
    );
    expect(r.reasons).toEqual(["this decision is a recommendation to Council and is not subject to call-in"]);
    expect(r.status.status).toBe("recommended-to-council");

    const { id: draft } = await seedDecision(t.database, stocktonRecord({ recordId: "D170050" }), {
      status: "draft",
    });
    const d = await requestCallIn(
      t.database,
      draft,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-21T10:00") },
      ACTOR,
    );
    expect(d.valid).toBe(false);
    expect(d.reasons).toContain("the decision had not been published when the request was received");
  });

  it("malformed requests are refused and nothing is written", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const receivedAt = uk("2017-11-21T10:00");
    const attempts = [
      { signatories: [], grounds: GROUNDS, receivedAt },
      { signatories: ["Cllr Ann Able", "ann able"], grounds: GROUNDS, receivedAt },
      { signatories: THREE, grounds: [], receivedAt },
      { signatories: THREE, grounds: [{ principle: "vibes", explanation: "bad" }], receivedAt },
      { signatories: THREE, grounds: [{ principle: "openness", explanation: " " }], receivedAt },
      { signatories: THREE, grounds: GROUNDS, receivedAt: new Date("nonsense") },
      { signatories: THREE, grounds: GROUNDS, receivedAt: new Date(Date.now() + 86_400_000) },
    ];
    for (const input of attempts) {
      await expect(requestCallIn(t.database, id, input, ACTOR)).rejects.toThrow(ValidationError);
    }
    await expect(
      requestCallIn(t.database, 12345, { signatories: THREE, grounds: GROUNDS, receivedAt }, ACTOR),
    ).rejects.toThrow(NotFoundError);
    expect(await counts()).toEqual({ requests: 0, signatories: 0, audit: 0 });
  });

  it("two requests at once are assessed one after the other: exactly one calls the decision in", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const receivedAt = uk("2017-11-21T10:00");
    const results = await Promise.all(
      [0, 1].map(() =>
        requestCallIn(t.database, id, { signatories: THREE, grounds: GROUNDS, receivedAt }, ACTOR),
      ),
    );
    expect(results.map((r) => r.valid).sort()).toEqual([false, true]);
  });
});

describe("listCallInRequests", () => {
  it("lists every request, oldest first, valid or not", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    await requestCallIn(
      t.database,
      id,
      { signatories: ["Cllr Ann Able"], grounds: GROUNDS, receivedAt: uk("2017-11-22T09:00") },
      ACTOR,
    );
    await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-21T09:00") },
      ACTOR,
    );
    const { decisionId, requests } = await listCallInRequests(t.db, "D170042");
    expect(decisionId).toBe(id);
    expect(requests.map((r) => [r.receivedAt, r.valid])).toEqual([
      [uk("2017-11-21T09:00"), true],
      [uk("2017-11-22T09:00"), false],
    ]);
    // Assessed when it arrived, before the earlier-received request was recorded.
    expect(requests[1]?.reasons).toEqual([
      "signed by 1 councillor; Stockton-on-Tees Borough Council requires at least 3",
    ]);
  });
});
