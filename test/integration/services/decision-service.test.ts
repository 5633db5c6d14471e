import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { parseUkDateTime } from "../../../src/domain/date-input.js";
import { toUkIsoString } from "../../../src/domain/uk-time.js";
import { requestCallIn, printedCutoffTime } from "../../../src/services/call-in/index.js";
import { setCouncilRule, findCouncil } from "../../../src/services/councils/index.js";
import {
  declareUrgency,
  markImplemented,
  recordScrutinyOutcome,
} from "../../../src/services/decision-changes/index.js";
import { decisionStatusAt, getDecision, listDecisions } from "../../../src/services/decisions/index.js";
import { useTestDatabase } from "../backends.js";
import {
  recommendationRecord,
  seedCorrection,
  seedDecision,
  seedFixture,
  stocktonRecord,
} from "./register-fixtures.js";

const t = useTestDatabase();
const ACTOR = "test:decision-service";

/** UK local time, as a user would type it. */
const uk = (text: string) => parseUkDateTime(text, "at");

const THREE = ["Cllr Ann Able", "Cllr Ben Baker", "Cllr Cat Clay"];
const GROUNDS = [{ principle: "openness", explanation: "the appendix was withheld without reason" }];

async function auditActions(): Promise<string[]> {
  const rows = await t.db.selectFrom("auditLog").select("action").orderBy("id").execute();
  return rows.map((row) => row.action);
}

describe("parseUkDateTime", () => {
  it("reads a time without an offset as UK time, GMT or BST as in force", () => {
    expect(uk("2017-11-23T12:00").toISOString()).toBe("2017-11-23T12:00:00.000Z");
    expect(uk("2017-06-01T12:00").toISOString()).toBe("2017-06-01T11:00:00.000Z");
    expect(uk("2017-06-01 09:30:15").toISOString()).toBe("2017-06-01T08:30:15.000Z");
  });

  it("honours an offset or Z", () => {
    expect(uk("2017-06-01T12:00Z").toISOString()).toBe("2017-06-01T12:00:00.000Z");
    expect(uk("2017-06-01T12:00:00+02:00").toISOString()).toBe("2017-06-01T10:00:00.000Z");
  });

  it("refuses what is not a date-time, naming the field", () => {
    for (const bad of [
      "yesterday",
      "2017-11-23",
      "2017-02-30T12:00",
      "2017-11-23T24:00",
      "23/11/2017 12:00",
    ]) {
      expect(() => parseUkDateTime(bad, "--at")).toThrow(ValidationError);
    }
    expect(() => parseUkDateTime("yesterday", "--at")).toThrow(
      '"yesterday" is not a date-time (expected e.g. 2017-11-23T12:00)',
    );
  });

  it("writes instants back with the UK offset", () => {
    expect(toUkIsoString(new Date("2017-11-25T00:00:00Z"))).toBe("2017-11-25T00:00:00+00:00");
    expect(toUkIsoString(new Date("2024-06-25T23:00:00Z"))).toBe("2024-06-26T00:00:00+01:00");
  });
});

describe("printedCutoffTime", () => {
  it.each([
    ["Midnight, 24 November 2017", "24:00"],
    ["Midnight Tuesday, 25 June 2024", "24:00"],
    ["12 noon, 7 February 2019", "12:00"],
    ["5pm, Thursday 7 February 2019", "17:00"],
    ["4.30 p.m. on 7 February 2019", "16:30"],
    ["12am 8 February 2019", "00:00"],
    ["17:00 on 7 February 2019", "17:00"],
    ["7 February 2019", null],
    ["Not applicable", null],
  ])("%s → %s", (text, time) => {
    expect(printedCutoffTime(text)).toBe(time);
  });
});

describe("status derived at an instant", () => {
  it("goes draft → published (call-in open until the cutoff) → effective, with no stored change", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const before = await decisionStatusAt(t.db, id, uk("2017-11-19T23:59"));
    expect(before.status.status).toBe("draft");

    const open = await decisionStatusAt(t.db, id, uk("2017-11-23T12:00"));
    expect(open.status.status).toBe("published");
    expect(open.status.label).toBe("Call-in period open");
    expect(open.status.since).toEqual(uk("2017-11-20T00:00"));
    expect(open.status.until).toEqual(new Date("2017-11-25T00:00:00Z"));
    expect(open.callIn).toMatchObject({
      governedBy: "printed",
      deadline: "2017-11-24",
      cutoff: "2017-11-25T00:00:00+00:00",
      effectiveFrom: "2017-11-25",
      warnings: [],
    });
    expect(open.callIn.explanation).toContain("Mon 20, Tue 21, Wed 22, Thu 23 and Fri 24 November 2017");

    // The window closes AT the cutoff.
    expect((await decisionStatusAt(t.db, id, new Date("2017-11-24T23:59:59.999Z"))).status.status).toBe(
      "published",
    );
    expect((await decisionStatusAt(t.db, id, new Date("2017-11-25T00:00:00Z"))).status.status).toBe(
      "effective",
    );
    expect(await auditActions()).toEqual(["council.created"]);
  });

  it("finds a decision by its record id, whatever the case", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    expect((await decisionStatusAt(t.db, "D170042", uk("2017-11-23T12:00"))).id).toBe(id);
    expect((await decisionStatusAt(t.db, "d170042", uk("2017-11-23T12:00"))).id).toBe(id);
    expect((await decisionStatusAt(t.db, String(id), uk("2017-11-23T12:00"))).id).toBe(id);
  });

  it("lets the printed deadline govern when it differs from the rule, with a warning", async () => {
    const { id } = await seedDecision(
      t.database,
      stocktonRecord({ callIn: { deadline: "2017-11-27", text: "Midnight, 27 November 2017" } }),
    );
    const report = await decisionStatusAt(t.db, id, uk("2017-11-26T12:00"));
    expect(report.status.status).toBe("published");
    expect(report.callIn.governedBy).toBe("printed");
    expect(report.callIn.cutoff).toBe("2017-11-28T00:00:00+00:00");
    expect(report.callIn.rule?.deadline).toBe("2017-11-24");
    expect(report.callIn.warnings).toHaveLength(1);
    expect(report.callIn.warnings[0]).toContain(
      "the printed call-in deadline (2017-11-27, closing at midnight at the end of Monday 27 November 2017) " +
        "differs from the one the council's rule gives (2017-11-24, closing at midnight at the end of Friday 24 November 2017)",
    );
    expect((await decisionStatusAt(t.db, id, uk("2017-11-28T00:00"))).status.status).toBe("effective");
  });

  it("keeps the printed time of day when the council's rule changes later", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-24T20:00") },
      ACTOR,
    );
    await t.database.transaction((trx) =>
      setCouncilRule(trx, "stockton-on-tees", { rule: { cutoff: "16:00" } }, ACTOR),
    );
    const report = await decisionStatusAt(t.db, id, uk("2017-11-25T12:00"));
    expect(report.callIn.cutoff).toBe("2017-11-25T00:00:00+00:00");
    expect(report.status.status).toBe("called-in");
    expect(report.callIn.warnings[0]).toContain("closing at 16:00 on Friday 24 November 2017");
  });

  it("lets a printed 'Not applicable' stand on a record with RESOLVED items, with a warning", async () => {
    const { id } = await seedFixture(t.database, "mtfp-decision-proforma.txt");
    const report = await decisionStatusAt(t.db, id, uk("2023-02-14T12:00"));
    expect(report.status).toMatchObject({ status: "effective", subjectToCallIn: false });
    expect(report.callIn).toMatchObject({ governedBy: null, deadline: null, cutoff: null });
    expect(report.callIn.exemption?.reason).toBe("stated-in-record");
    expect(report.callIn.warnings[0]).toContain('says call-in is "Not applicable"');
  });

  it("counts BST correctly: the cutoff is midnight UK time, 23:00 UTC", async () => {
    const { id } = await seedFixture(t.database, "lcwip-curly-quotes.txt");
    const report = await decisionStatusAt(t.db, id, uk("2024-06-25T23:59"));
    expect(report.status.status).toBe("published");
    expect(report.callIn.cutoff).toBe("2024-06-26T00:00:00+01:00");
    expect(report.callIn.warnings).toEqual([]);
    expect((await decisionStatusAt(t.db, id, new Date("2024-06-25T23:00:00Z"))).status.status).toBe(
      "effective",
    );
  });

  it("a recommendation to Council is never subject to call-in", async () => {
    const { id } = await seedDecision(t.database, recommendationRecord());
    const report = await decisionStatusAt(t.db, id, uk("2017-11-21T12:00"));
    expect(report.status).toMatchObject({ status: "recommended-to-council", subjectToCallIn: false });
    expect(report.callIn.cutoff).toBeNull();
  });

  it("a stored draft stays a draft whatever the date", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord(), { status: "draft" });
    expect((await decisionStatusAt(t.db, id, uk("2030-01-01T00:00"))).status.status).toBe("draft");
  });

  it("refuses an unknown decision with a hint", async () => {
    await expect(decisionStatusAt(t.db, 999, new Date())).rejects.toThrow(NotFoundError);
    await expect(decisionStatusAt(t.db, "D999999", new Date())).rejects.toThrow(/resolved decisions list/);
  });
});

describe("listDecisions", () => {
  it("lists newest first with each status, and filters by council, body, dates, status and page", async () => {
    const old = await seedFixture(t.database, "d110016-web-record.txt");
    const flood = await seedFixture(t.database, "cab-41-25-flood-strategy.txt");
    const stockton = await seedDecision(t.database, stocktonRecord());
    const at = uk("2017-11-23T12:00");

    const all = await listDecisions(t.db, {}, at);
    expect(all.map((d) => d.id)).toEqual([flood.id, stockton.id, old.id]);
    expect(all.map((d) => d.status?.status)).toEqual(["draft", "published", "effective"]);
    expect(all[1]).toMatchObject({
      recordId: "D170042",
      council: { slug: "stockton-on-tees" },
      body: "Cabinet",
      callInDeadline: "2017-11-24",
      callInCutoff: "2017-11-25T00:00:00+00:00",
      subjectToCallIn: true,
      currentVersion: 1,
    });

    expect((await listDecisions(t.db, { council: "stockton" }, at)).length).toBe(3);
    expect((await listDecisions(t.db, { body: "cabinet" }, at)).length).toBe(3);
    expect((await listDecisions(t.db, { body: "Council" }, at)).length).toBe(0);
    expect(
      (await listDecisions(t.db, { from: "2012-01-01", to: "2020-01-01" }, at)).map((d) => d.id),
    ).toEqual([stockton.id]);
    expect((await listDecisions(t.db, { status: "effective" }, at)).map((d) => d.id)).toEqual([old.id]);
    expect((await listDecisions(t.db, { limit: 1, offset: 1 }, at)).map((d) => d.id)).toEqual([stockton.id]);
    expect(
      (await listDecisions(t.db, { status: "draft", limit: 5, offset: 0 }, at)).map((d) => d.id),
    ).toEqual([flood.id]);
  });

  it("refuses bad filters clearly", async () => {
    await seedDecision(t.database, stocktonRecord());
    await expect(listDecisions(t.db, { council: "gloucestershire" }, new Date())).rejects.toThrow(
      'no council "gloucestershire" (known councils: stockton-on-tees)',
    );
    await expect(listDecisions(t.db, { from: "2017-02-30" }, new Date())).rejects.toThrow(ValidationError);
    await expect(listDecisions(t.db, { from: "2018-01-01", to: "2017-01-01" }, new Date())).rejects.toThrow(
      ValidationError,
    );
    await expect(listDecisions(t.db, { status: "pending" as never }, new Date())).rejects.toThrow(
      /not a status/,
    );
    await expect(listDecisions(t.db, { limit: 0 }, new Date())).rejects.toThrow(ValidationError);
  });
});

describe("findCouncil", () => {
  it("takes a slug, an unambiguous prefix or the name, and says when a prefix is ambiguous", async () => {
    await seedDecision(t.database, stocktonRecord());
    await seedDecision(t.database, stocktonRecord({ council: "Stockport Metropolitan Borough Council" }));
    expect((await findCouncil(t.db, "stockton-on-tees")).slug).toBe("stockton-on-tees");
    expect((await findCouncil(t.db, "Stockton")).slug).toBe("stockton-on-tees");
    expect((await findCouncil(t.db, "Stockport Metropolitan Borough Council")).slug).toBe("stockport");
    await expect(findCouncil(t.db, "stock")).rejects.toThrow(/matches several councils/);
    await expect(findCouncil(t.db, "york")).rejects.toThrow(NotFoundError);
  });
});

describe("getDecision", () => {
  it("gives the row fields, council, body, current record, every version and the call-in window", async () => {
    const { id, record } = await seedFixture(t.database, "q3-childrens-performance.txt");
    const corrected = { ...record, title: `${record.title} (corrected)` };
    await seedCorrection(t.database, id, corrected, "title misspelt in the original");

    const detail = await getDecision(t.db, id, uk("2018-02-21T12:00"));
    expect(detail).toMatchObject({
      id,
      title: corrected.title,
      council: { slug: "stockton-on-tees", minCallInSignatories: 3 },
      body: { name: "Cabinet", kind: "executive" },
      publishedOn: "2018-02-19",
      publicationState: "published",
      currentVersion: 2,
      recordVersion: 2,
      record: { title: corrected.title },
      status: { status: "published", label: "Call-in period open" },
      statusProblem: null,
      callIn: { deadline: "2018-02-23", cutoff: "2018-02-24T00:00:00+00:00", governedBy: "printed" },
      callInRequests: [],
      implementedAt: null,
    });
    expect(detail.versions).toHaveLength(2);
    expect(detail.versions[0]).toMatchObject({
      version: 1,
      reason: null,
      sourceDocument: { fileName: "q3-childrens-performance.txt", mediaType: "text/plain" },
    });
    expect(detail.versions[0]?.sourceDocument?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.versions[1]).toMatchObject({
      version: 2,
      reason: "title misspelt in the original",
      sourceDocument: null,
    });

    // Every version stays readable.
    const first = await getDecision(t.db, id, new Date(), { version: 1 });
    expect(first.record.title).toBe(record.title);
    await expect(getDecision(t.db, id, new Date(), { version: 3 })).rejects.toThrow(/has no version 3/);
  });

  it("shows call-in requests with their signatories and validity", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-22T10:00") },
      ACTOR,
    );
    await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-27T10:00") },
      ACTOR,
    );
    const detail = await getDecision(t.db, "D170042", uk("2017-11-28T12:00"));
    expect(detail.status?.status).toBe("called-in");
    expect(detail.callInRequests).toHaveLength(2);
    expect(detail.callInRequests[0]).toMatchObject({
      valid: true,
      reasons: [],
      signatories: THREE,
      grounds: GROUNDS,
    });
    expect(detail.callInRequests[1]?.valid).toBe(false);
    expect(detail.callInRequests[1]?.reasons.join(" ")).toMatch(/after call-in closed/);
  });
});

describe("lifecycle changes", () => {
  async function calledIn(): Promise<number> {
    const { id } = await seedDecision(t.database, stocktonRecord());
    await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-22T10:00") },
      ACTOR,
    );
    return id;
  }

  it("records a scrutiny outcome once, only after a valid call-in, with an audit entry", async () => {
    const { id: notCalledIn } = await seedDecision(t.database, stocktonRecord({ recordId: "D170044" }));
    await expect(
      recordScrutinyOutcome(t.database, notCalledIn, {
        outcome: "confirmed",
        decidedOn: "2017-12-01",
        actor: ACTOR,
      }),
    ).rejects.toThrow(/never validly called in/);

    const id = await calledIn();
    await expect(
      recordScrutinyOutcome(t.database, id, { outcome: "confirmed", decidedOn: "2017-11-21", actor: ACTOR }),
    ).rejects.toThrow(/before the decision was called in/);
    await expect(
      recordScrutinyOutcome(t.database, id, { outcome: "dismissed", decidedOn: "2017-12-01", actor: ACTOR }),
    ).rejects.toThrow(ValidationError);

    const result = await recordScrutinyOutcome(t.database, id, {
      outcome: "confirmed",
      decidedOn: "2017-12-01",
      actor: ACTOR,
    });
    expect(result.status.status).toBe("confirmed");
    const row = await t.db.selectFrom("decision").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ scrutinyOutcome: "no-further-action", scrutinyOutcomeOn: "2017-12-01" });
    expect((await decisionStatusAt(t.db, id, uk("2017-11-30T12:00"))).status.status).toBe("called-in");
    expect((await decisionStatusAt(t.db, id, uk("2017-12-01T00:00"))).status.status).toBe("confirmed");
    await expect(
      recordScrutinyOutcome(t.database, id, {
        outcome: "referred-back",
        decidedOn: "2017-12-02",
        actor: ACTOR,
      }),
    ).rejects.toThrow(ConflictError);
    expect((await auditActions()).filter((a) => a === "decision.scrutiny-outcome-recorded")).toHaveLength(1);
  });

  it("a referral back stays referred back and cannot be implemented", async () => {
    const id = await calledIn();
    await recordScrutinyOutcome(t.database, id, {
      outcome: "referred-back",
      decidedOn: "2017-11-22",
      actor: ACTOR,
    });
    const status = await decisionStatusAt(t.db, id, uk("2017-11-22T12:00"));
    expect(status.status.status).toBe("referred-back");
    await expect(
      markImplemented(t.database, id, { at: uk("2017-12-05T09:00"), actor: ACTOR }),
    ).rejects.toThrow(/referred it back/);
  });

  it("marks a decision implemented only once it is effective, and only once", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    const auditBefore = await auditActions();
    await expect(
      markImplemented(t.database, id, { at: uk("2017-11-24T09:00"), actor: ACTOR }),
    ).rejects.toThrow(/before the call-in period ends at midnight at the end of Friday 24 November 2017/);
    await expect(
      markImplemented(t.database, id, { at: new Date(Date.now() + 86_400_000), actor: ACTOR }),
    ).rejects.toThrow(/in the future/);
    expect(await auditActions()).toEqual(auditBefore);

    const result = await markImplemented(t.database, id, { at: uk("2017-11-27T09:00"), actor: ACTOR });
    expect(result.status.status).toBe("implemented");
    expect((await decisionStatusAt(t.db, id, uk("2017-11-26T12:00"))).status.status).toBe("effective");
    expect((await decisionStatusAt(t.db, id, uk("2017-11-27T09:00"))).status.status).toBe("implemented");
    expect((await getDecision(t.db, id, new Date())).implementedAt).toEqual(uk("2017-11-27T09:00"));
    await expect(
      markImplemented(t.database, id, { at: uk("2017-11-28T09:00"), actor: ACTOR }),
    ).rejects.toThrow(ConflictError);
  });

  it("declares urgency with the reason and the chair's consent: no call-in, effective from publication", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord());
    await expect(
      declareUrgency(t.database, id, {
        reason: "contract expires",
        consent: { name: "", role: "scrutiny-chair" },
        actor: ACTOR,
      }),
    ).rejects.toThrow(ValidationError);

    const result = await declareUrgency(t.database, id, {
      reason: "The contract expires on 30 November",
      consent: { name: "Cllr Jane Smith", role: "scrutiny-chair" },
      actor: ACTOR,
    });
    expect(result.status.status).toBe("effective");
    const report = await decisionStatusAt(t.db, id, uk("2017-11-20T09:00"));
    expect(report.status).toMatchObject({ status: "effective", subjectToCallIn: false });
    expect(report.status.explanation).toContain("Cllr Jane Smith, chair of overview and scrutiny");
    expect(report.callIn.warnings[0]).toContain("not subject to call-in (urgent)");

    const request = await requestCallIn(
      t.database,
      id,
      { signatories: THREE, grounds: GROUNDS, receivedAt: uk("2017-11-21T10:00") },
      ACTOR,
    );
    expect(request.valid).toBe(false);
    expect(request.reasons).toContain("this decision was taken as urgent and is not subject to call-in");
    await expect(
      declareUrgency(t.database, id, {
        reason: "again",
        consent: { name: "Cllr X", role: "council-chair" },
        actor: ACTOR,
      }),
    ).rejects.toThrow(ConflictError);
  });

  it("refuses urgency for a recommendation or a decision already called in", async () => {
    const { id: recommendation } = await seedDecision(t.database, recommendationRecord());
    const consent = { name: "Cllr Jane Smith", role: "scrutiny-chair" };
    await expect(
      declareUrgency(t.database, recommendation, { reason: "r", consent, actor: ACTOR }),
    ).rejects.toThrow(/recommendation to Council/);
    const id = await calledIn();
    await expect(declareUrgency(t.database, id, { reason: "r", consent, actor: ACTOR })).rejects.toThrow(
      /validly called in/,
    );
  });

  it("uses the council's current rule when the record prints no deadline", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord({ callIn: { deadline: null, text: "" } }));
    await t.database.transaction((trx) =>
      setCouncilRule(
        trx,
        "stockton-on-tees",
        { rule: { days: 8, dayKind: "calendar", cutoff: "12:00" } },
        ACTOR,
      ),
    );
    // Published Mon 20 Nov 2017; 8 calendar days counting that day end on Mon 27 Nov, at noon.
    const report = await decisionStatusAt(t.db, id, uk("2017-11-27T11:59"));
    expect(report.callIn).toMatchObject({ deadline: "2017-11-27", cutoff: "2017-11-27T12:00:00+00:00" });
    expect(report.status.status).toBe("published");
    expect((await decisionStatusAt(t.db, id, uk("2017-11-27T12:00"))).status.status).toBe("effective");
  });
});
