import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { actorFor, createAccount, type Actor } from "../../../src/services/accounts/index.js";
import { verifyAuditChain } from "../../../src/services/audit/index.js";
import {
  confirmFulfilment,
  decisionCommitments,
  listCommitments,
  rejectSuggestion,
  suggestFulfilments,
} from "../../../src/services/commitments/index.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { createDraft, publishDecision } from "../../../src/services/drafting/index.js";
import { scheduleMeeting } from "../../../src/services/meetings/index.js";
import { importBatch, importDocument } from "../../../src/services/import/index.js";
import { useTestDatabase } from "../backends.js";
import { ATTAINMENT, proforma, Q2_FILE, q2Update } from "../commitment-fixtures.js";

const t = useTestDatabase();
async function importText(bytes: Buffer, fileName: string): Promise<number> {
  const result = await importDocument(t.database, { bytes, fileName }, { actor: "test" });
  return result.decisionId;
}

async function officerOf(council: string, name = "Olive Officer"): Promise<Actor> {
  const account = await createAccount(t.database, {
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@${council.split(" ")[0]!.toLowerCase()}.example`,
    name,
    roles: ["officer"],
    password: "plenty of words in this passphrase",
    council,
    actor: "test",
  });
  return actorFor(account);
}

/** The Q2 update, and the later decisions its commitments may be matched with. */
async function register() {
  const q2 = await importText(await q2Update(), Q2_FILE);
  const attainment = await importText(proforma(ATTAINMENT), "attainment.txt");
  const winter = await importText(
    proforma({
      date: "14th December 2017",
      title: "Winter Maintenance Plan 2017/18",
      record: "Consideration was given to the gritting routes and salt stocks for the winter.",
    }),
    "winter.txt",
  );
  const earlier = await importText(
    proforma({
      date: "12th October 2017",
      title: "Virtual School Annual Report: Educational Attainment of Children in Care",
      record: "Consideration was given to the annual report of the Virtual School Headteacher.",
    }),
    "virtual-school.txt",
  );
  const elsewhere = await importText(
    proforma({
      council: "SOUTHMOOR DISTRICT COUNCIL",
      date: "14th December 2017",
      title: "Educational Attainment of Children in Care",
      record: "Consideration was given to a report on the educational attainment of children in care.",
    }),
    "southmoor.txt",
  );
  const officer = await officerOf("Northbrook Metropolitan Borough Council");
  return { q2, attainment, winter, earlier, elsewhere, officer };
}

describe("commitments", () => {
  it("imports the Q2 update's six commitments, due in 2017-18 Q3, open until the quarter ends", async () => {
    const { q2 } = await register();
    const before = await decisionCommitments(t.db, q2, "2017-12-31");
    expect(before.map((c) => [c.position, c.due, c.status, c.duePhrase])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [n, "2017-18 Q3", "open", "The next quarter would see"]),
    );
    expect(before[1]!.text).toBe(
      "A report on educational attainment of children in care to Cabinet in December",
    );
    expect(before[1]!.dueMonths).toBe("October to December 2017");
    const after = await decisionCommitments(t.db, q2, "2018-01-01");
    expect(after.every((c) => c.status === "overdue")).toBe(true);

    expect((await listCommitments(t.db, { status: "overdue" }, "2017-12-31")).length).toBe(0);
    const overdue = await listCommitments(t.db, { status: "overdue" }, "2018-01-01");
    expect(overdue.map((c) => [c.decision.id, c.position])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [q2, n]));
    expect((await listCommitments(t.db, { status: "open" }, "2018-01-01")).length).toBe(0);
  });

  it("stores the same commitments through the bulk importer", async () => {
    const entries = await importBatch(
      t.database,
      [
        { bytes: await q2Update(), fileName: Q2_FILE },
        {
          bytes: proforma({
            date: "14th December 2017",
            title: "Fostering Service Review",
            record: "Officers would report back in six months on the recruitment of foster carers.",
          }),
          fileName: "fostering.txt",
        },
      ],
      { actor: "test" },
    );
    const [q2, fostering] = entries.map((e) => e.result!.decisionId);
    expect((await decisionCommitments(t.db, q2!, "2017-12-01")).map((c) => c.due)).toEqual(
      Array(6).fill("2017-18 Q3"),
    );
    const [six] = await decisionCommitments(t.db, fostering!, "2017-12-01");
    expect([six!.due, six!.duePhrase, six!.confidence]).toEqual(["2018-19 Q1", "in six months", "medium"]);
  });

  it("suggests later decisions of the same council, best first, and learns from confirmations and rejections", async () => {
    const { q2, attainment, winter, earlier, elsewhere, officer } = await register();
    const report = (await decisionCommitments(t.db, q2, "2017-12-01"))[1]!;
    const suggestions = await suggestFulfilments(t.db, report.id);
    expect(suggestions[0]).toMatchObject({
      decisionId: attainment,
      title: "Educational Attainment of Children in Care 2016/17",
    });
    expect(suggestions[0]!.score).toBeGreaterThan(0.8);
    expect(suggestions[0]!.score).toBeLessThanOrEqual(1);
    const ids = suggestions.map((s) => s.decisionId);
    // Not the decision itself, not one made before it, not another council's, not one sharing no words.
    for (const id of [q2, earlier, elsewhere, winter]) expect(ids).not.toContain(id);

    // Rejected: never suggested again for this commitment.
    await rejectSuggestion(t.database, report.id, attainment, officer);
    expect((await suggestFulfilments(t.db, report.id)).map((s) => s.decisionId)).not.toContain(attainment);

    // Confirmed (another commitment): done, fulfilled by the decision, no more suggestions.
    const peerReview = (await decisionCommitments(t.db, q2, "2017-12-01"))[2]!;
    const review = await importText(
      proforma({
        date: "14th December 2017",
        title: "Regional Peer Review of the Front Door: Findings",
        record: "Consideration was given to the findings of the regional peer review of the front door.",
      }),
      "peer-review.txt",
    );
    expect((await suggestFulfilments(t.db, peerReview.id))[0]!.decisionId).toBe(review);
    await confirmFulfilment(t.database, peerReview.id, review, officer, new Date("2018-01-10T10:00:00Z"));
    const done = (await decisionCommitments(t.db, q2, "2018-02-01"))[2]!;
    expect(done).toMatchObject({
      status: "done",
      fulfilledBy: { id: review, title: "Regional Peer Review of the Front Door: Findings" },
    });
    expect(await suggestFulfilments(t.db, peerReview.id)).toEqual([]);
    await expect(confirmFulfilment(t.database, peerReview.id, attainment, officer)).rejects.toThrow(
      ConflictError,
    );
    await expect(rejectSuggestion(t.database, peerReview.id, review, officer)).rejects.toThrow(ConflictError);

    const audit = await t.db
      .selectFrom("auditLog")
      .select(["action", "entityId", "actor", "details"])
      .where("entity", "=", "commitment")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.action, a.entityId, a.actor])).toEqual([
      ["commitment.suggestion-rejected", String(report.id), officer.label],
      ["commitment.fulfilled", String(peerReview.id), officer.label],
    ]);
    expect(audit[1]!.details).toMatchObject({
      before: { status: "open", fulfilledBy: null },
      after: { status: "done", fulfilledBy: review },
    });
    expect((await verifyAuditChain(t.database)).ok).toBe(true);
  });

  it("refuses another council's officer, unknown decisions and a decision fulfilling itself", async () => {
    const { q2, elsewhere, attainment, officer } = await register();
    const [first] = await decisionCommitments(t.db, q2, "2017-12-01");
    const stranger = await officerOf("Southmoor District Council", "Sam Southmoor");
    await expect(confirmFulfilment(t.database, first!.id, elsewhere, stranger)).rejects.toThrow(
      NotFoundError,
    );
    await expect(confirmFulfilment(t.database, first!.id, elsewhere, officer)).rejects.toThrow(
      ValidationError,
    );
    await expect(confirmFulfilment(t.database, first!.id, q2, officer)).rejects.toThrow(/its own commitment/);
    await expect(confirmFulfilment(t.database, first!.id, 99999, officer)).rejects.toThrow(ValidationError);
    await expect(confirmFulfilment(t.database, 99999, attainment, officer)).rejects.toThrow(NotFoundError);
    const rows = await t.db.selectFrom("commitment").select("status").where("decisionId", "=", q2).execute();
    expect(rows.every((r) => r.status === "open")).toBe(true);
  });

  it("re-reads a corrected record, keeping the fulfilment an officer confirmed", async () => {
    const { q2, attainment, officer } = await register();
    const [, report, peer] = await decisionCommitments(t.db, q2, "2017-12-01");
    await confirmFulfilment(t.database, report!.id, attainment, officer);
    const current = await t.db
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", q2)
      .executeTakeFirstOrThrow();
    const record = current.record;
    const corrected = {
      ...record,
      record: record.record
        .replace(/^b\. .*$/m, "b. An interim note on attainment")
        .replace(
          /^c\. .*$/m,
          "c. The findings of the regional peer review of the front door and of the duty team",
        ),
    };
    await t.database.transaction((trx) =>
      addDecisionVersion(trx, q2, corrected, { reason: "Items b and c misrecorded", actor: "test" }),
    );
    const after = await decisionCommitments(t.db, q2, "2017-12-01");
    expect(after.map((c) => [c.position, c.text.slice(0, 40), c.status])).toEqual([
      [1, "The award of the contract for the integr", "open"],
      [2, "An interim note on attainment", "open"],
      [3, "The findings of the regional peer review", "open"],
      [4, "An update on the waiting times for speec", "open"],
      [5, "An update on the borough-wide Family Hub", "open"],
      [6, "Feedback from the care leavers' forum an", "open"],
      // No longer in the record, but confirmed: kept, after the record's own, with its fulfilment.
      [7, "A report on educational attainment of ch", "done"],
    ]);
    expect(after[6]!.id).toBe(report!.id);
    expect(after[6]!.fulfilledBy?.id).toBe(attainment);
    expect(after[2]!.id).not.toBe(peer!.id);
    const entry = await t.db
      .selectFrom("auditLog")
      .select("details")
      .where("action", "=", "commitments.re-read")
      .executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ version: 2, kept: 5 });
    expect((entry.details.removed as string[])[0]).toMatch(/^The findings of the regional peer review/);
  });

  it("stores a draft's commitments when it is published, not before", async () => {
    const account = async (name: string, role: "officer" | "proper-officer") =>
      actorFor(
        await createAccount(t.database, {
          email: `${name.split(" ")[0]!.toLowerCase()}@stockton.example`,
          name,
          roles: [role],
          password: "plenty of words in this passphrase",
          actor: "test",
        }),
      );
    const officer = await account("Olive Officer", "officer");
    const properOfficer = await account("Peter Proper", "proper-officer");
    await t.db
      .insertInto("body")
      .values({ councilId: officer.councilId, name: "Cabinet", kind: "executive" })
      .execute();
    const meeting = await scheduleMeeting(
      t.database,
      { body: "Cabinet", date: "2026-11-19" },
      officer,
      "2026-11-18",
    );
    const draft = await createDraft(
      t.database,
      {
        meetingId: meeting.id,
        title: "Library Opening Hours",
        record:
          "Consideration was given to a report on library opening hours. The Head of Libraries would report back in six months on how the revised hours had been used.",
        outcomes: [{ kind: "RESOLVED", text: "that the revised opening hours be approved.", items: [] }],
        reasons: "To keep every library open within the budget.",
      },
      officer,
    );
    expect(await t.db.selectFrom("commitment").selectAll().execute()).toEqual([]);
    await publishDecision(
      t.database,
      draft.id,
      { publishedOn: "2026-11-23", now: new Date("2026-11-24T09:00:00Z") },
      properOfficer,
    );
    const [published] = await decisionCommitments(t.db, draft.id, "2026-11-24");
    expect(published).toMatchObject({
      text: "The Head of Libraries would report back in six months on how the revised hours had been used.",
      due: "2027-28 Q1",
      duePhrase: "in six months",
      status: "open",
    });
  });
});
