import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { actorFor, createAccount, type Actor } from "../../../src/services/accounts/index.js";
import { verifyAuditChain } from "../../../src/services/audit/index.js";
import {
  changeCommitment,
  confirmFulfilment,
  decisionCommitments,
  dropCommitment,
  getCommitment,
  listCommitments,
  recordProgress,
  reopenCommitment,
  suggestFulfilments,
  updateCommitment,
} from "../../../src/services/commitments/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import { useTestDatabase } from "../backends.js";
import { ATTAINMENT, proforma, Q2_FILE, q2Update } from "../commitment-fixtures.js";

/** Officers managing commitments: owner, due quarter, progress history, drop with a reason, reopen. */

const t = useTestDatabase();
const TODAY = "2018-01-15";

async function importText(bytes: Buffer, fileName: string): Promise<number> {
  return (await importDocument(t.database, { bytes, fileName }, { actor: "test" })).decisionId;
}

async function officerOf(council: string, name: string): Promise<Actor> {
  const account = await createAccount(t.database, {
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@example.org`,
    name,
    roles: ["officer"],
    password: "plenty of words in this passphrase",
    council,
    actor: "test",
  });
  return actorFor(account);
}

async function setUp() {
  const q2 = await importText(await q2Update(), Q2_FILE);
  const attainment = await importText(proforma(ATTAINMENT), "attainment.txt");
  await importText(
    proforma({
      council: "SOUTHMOOR DISTRICT COUNCIL",
      date: "14th December 2017",
      title: "Southmoor Leisure Strategy",
      record: "Consideration was given to the leisure centres.",
    }),
    "southmoor.txt",
  );
  const officer = await officerOf("Northbrook Metropolitan Borough Council", "Olive Officer");
  const stranger = await officerOf("Southmoor District Council", "Sam Southmoor");
  const [first, second, third] = await decisionCommitments(t.db, q2, TODAY);
  return { q2, attainment, officer, stranger, first: first!, second: second!, third: third! };
}

async function auditOf(entityId: number) {
  return t.db
    .selectFrom("auditLog")
    .select(["action", "actor", "details"])
    .where("entity", "=", "commitment")
    .where("entityId", "=", String(entityId))
    .orderBy("id")
    .execute();
}

describe("managing a commitment", () => {
  it("sets its owner and due quarter, audited with before and after; nothing changed is not audited", async () => {
    const { first, officer } = await setUp();
    expect(first.owner).toBeNull();
    expect(first.status).toBe("overdue");

    const result = await updateCommitment(
      t.database,
      first.id,
      { owner: "  Director of Children's Services ", due: "2018-19 q1" },
      officer,
    );
    expect(result.changed).toBe(true);
    const after = await getCommitment(t.db, first.id, TODAY);
    expect(after).toMatchObject({
      owner: "Director of Children's Services",
      due: "2018-19 Q1",
      dueMonths: "April to June 2018",
      duePhrase: "set by an officer (was 2017-18 Q3)",
      status: "open",
    });
    // No longer overdue: the open list has it, the overdue list does not.
    expect((await listCommitments(t.db, { status: "overdue" }, TODAY)).map((c) => c.id)).not.toContain(
      first.id,
    );
    expect((await listCommitments(t.db, { status: "open" }, TODAY)).map((c) => c.id)).toEqual([first.id]);

    expect(
      (await updateCommitment(t.database, first.id, { owner: "Director of Children's Services" }, officer))
        .changed,
    ).toBe(false);
    await updateCommitment(t.database, first.id, { owner: "" }, officer);
    expect((await getCommitment(t.db, first.id, TODAY)).owner).toBeNull();

    const audit = await auditOf(first.id);
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["commitment.updated", officer.label],
      ["commitment.updated", officer.label],
    ]);
    expect(audit[0]!.details).toMatchObject({
      before: { owner: null, due: "2017-18 Q3" },
      after: { owner: "Director of Children's Services", due: "2018-19 Q1" },
    });
    expect((await verifyAuditChain(t.database)).ok).toBe(true);
  });

  it("refuses a bad due quarter or owner, naming the field, and changes nothing", async () => {
    const { first, officer } = await setUp();
    for (const [changes, field] of [
      [{ due: "Q3 2017" }, "due"],
      [{ due: "2017-19 Q3" }, "due"],
      [{ owner: "x".repeat(201) }, "owner"],
      [{ owner: "Two\nlines" }, "owner"],
    ] as const) {
      const error = await updateCommitment(t.database, first.id, changes, officer).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    expect((await getCommitment(t.db, first.id, TODAY)).due).toBe("2017-18 Q3");
    expect(await auditOf(first.id)).toEqual([]);
  });

  it("keeps a dated history of progress notes, oldest first, the latest also on the commitment", async () => {
    const { first, officer } = await setUp();
    await recordProgress(
      t.database,
      first.id,
      "Tenders received from three providers.",
      officer,
      new Date("2017-12-01T09:00:00Z"),
    );
    await recordProgress(
      t.database,
      first.id,
      "Preferred bidder chosen.",
      officer,
      new Date("2018-01-10T09:00:00Z"),
    );
    const view = await getCommitment(t.db, first.id, TODAY);
    expect(view.progress).toEqual([
      { note: "Tenders received from three providers.", recordedAt: new Date("2017-12-01T09:00:00Z") },
      { note: "Preferred bidder chosen.", recordedAt: new Date("2018-01-10T09:00:00Z") },
    ]);
    const stored = await t.db
      .selectFrom("commitment")
      .select("progress")
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    expect(stored.progress).toBe("Preferred bidder chosen.");
    const history = await t.db.selectFrom("commitmentProgress").select("recordedBy").execute();
    expect(history.map((h) => h.recordedBy)).toEqual([officer.label, officer.label]);

    const empty = await recordProgress(t.database, first.id, "   ", officer).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(ValidationError);
    expect((empty as ValidationError).field).toBe("note");
    expect((await auditOf(first.id)).map((a) => a.action)).toEqual([
      "commitment.progress-recorded",
      "commitment.progress-recorded",
    ]);
  });

  it("drops an open commitment with a required reason, and reopens it", async () => {
    const { first, officer } = await setUp();
    const noReason = await dropCommitment(t.database, first.id, "  ", officer).catch((e: unknown) => e);
    expect(noReason).toBeInstanceOf(ValidationError);
    expect((noReason as ValidationError).field).toBe("reason");

    await dropCommitment(t.database, first.id, "The service is now commissioned by the NHS.", officer);
    let view = await getCommitment(t.db, first.id, TODAY);
    expect(view.status).toBe("dropped");
    expect(view.droppedReason).toBe("The service is now commissioned by the NHS.");
    expect(await suggestFulfilments(t.db, first.id)).toEqual([]);
    await expect(dropCommitment(t.database, first.id, "Again", officer)).rejects.toThrow(ConflictError);
    await expect(confirmFulfilment(t.database, first.id, 2, officer)).rejects.toThrow(ConflictError);

    await reopenCommitment(t.database, first.id, officer);
    view = await getCommitment(t.db, first.id, TODAY);
    expect(view.status).toBe("overdue");
    expect(view.droppedReason).toBeNull();
    await expect(reopenCommitment(t.database, first.id, officer)).rejects.toThrow(ConflictError);

    const audit = await auditOf(first.id);
    expect(audit.map((a) => a.action)).toEqual(["commitment.dropped", "commitment.reopened"]);
    expect(audit[1]!.details).toMatchObject({
      before: { status: "dropped", droppedReason: "The service is now commissioned by the NHS." },
      after: { status: "open" },
    });
  });

  it("reopens one wrongly marked done: the fulfilment is unlinked and the decision may be suggested again", async () => {
    const { second, attainment, officer } = await setUp();
    await confirmFulfilment(t.database, second.id, attainment, officer);
    expect((await getCommitment(t.db, second.id, TODAY)).fulfilledBy?.id).toBe(attainment);
    await expect(dropCommitment(t.database, second.id, "No longer needed", officer)).rejects.toThrow(
      /reopen it before dropping/,
    );

    await reopenCommitment(t.database, second.id, officer);
    const view = await getCommitment(t.db, second.id, TODAY);
    expect(view.status).toBe("overdue");
    expect(view.fulfilledBy).toBeNull();
    expect(view.confirmedAt).toBeNull();
    expect((await suggestFulfilments(t.db, second.id)).map((s) => s.decisionId)).toContain(attainment);
  });

  it("changes owner, due and status in one transaction: all or nothing", async () => {
    const { first, officer } = await setUp();
    await changeCommitment(
      t.database,
      first.id,
      { owner: "Head of Commissioning", status: "dropped", reason: "Merged into the 0-19 contract." },
      officer,
    );
    // Dropping again fails, and the owner change with it is not kept.
    await expect(
      changeCommitment(
        t.database,
        first.id,
        { owner: "Someone else", status: "dropped", reason: "x" },
        officer,
      ),
    ).rejects.toThrow(ConflictError);
    expect((await getCommitment(t.db, first.id, TODAY)).owner).toBe("Head of Commissioning");
    const stray = await changeCommitment(t.database, first.id, { reason: "Why?" }, officer).catch(
      (e: unknown) => e,
    );
    expect((stray as ValidationError).field).toBe("reason");
  });

  it("is not found for another council's officer, or for an unknown commitment", async () => {
    const { first, stranger, officer } = await setUp();
    await expect(updateCommitment(t.database, first.id, { owner: "Me" }, stranger)).rejects.toThrow(
      NotFoundError,
    );
    await expect(recordProgress(t.database, first.id, "Note", stranger)).rejects.toThrow(NotFoundError);
    await expect(dropCommitment(t.database, first.id, "Why", stranger)).rejects.toThrow(NotFoundError);
    await expect(reopenCommitment(t.database, 99999, officer)).rejects.toThrow(NotFoundError);
    await expect(getCommitment(t.db, first.id, TODAY, stranger.councilId)).rejects.toThrow(NotFoundError);
    expect(await auditOf(first.id)).toEqual([]);
  });
});
