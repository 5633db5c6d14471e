import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../../src/domain/errors.js";
import { actorFor, createAccount, type Actor } from "../../../src/services/accounts/index.js";
import { verifyAuditChain } from "../../../src/services/audit/index.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { createDraft, publishDecision } from "../../../src/services/drafting/index.js";
import { scheduleMeeting } from "../../../src/services/meetings/index.js";
import { importBatch, importDocument } from "../../../src/services/import/index.js";
import { createStrategy, getStrategy, listStrategies } from "../../../src/services/strategies/index.js";
import {
  confirmStrategyUpdate,
  proposedStrategyUpdates,
  proposeStrategyLinks,
  quarterlyUpdateFor,
  rejectStrategyUpdate,
  strategyLinksForDecision,
  updatesForStrategy,
} from "../../../src/services/strategy-updates/index.js";
import { useTestDatabase } from "../backends.js";
import {
  ASC_Q2,
  ASC_Q3,
  ASC_STRATEGY,
  cabinetRecord,
  HARROWFIELD,
  OTHER_COUNCIL_Q2,
} from "../strategy-update-fixtures.js";

const t = useTestDatabase();

async function importText(bytes: Buffer, fileName: string): Promise<number> {
  return (await importDocument(t.database, { bytes, fileName }, { actor: "test" })).decisionId;
}

async function officer(): Promise<Actor> {
  const account = await createAccount(t.database, {
    email: "olu.officer@harrowfield.example",
    name: "Olu Officer",
    roles: ["officer"],
    password: "plenty of words in this passphrase",
    council: HARROWFIELD,
    actor: "test",
  });
  return actorFor(account);
}

async function councilId(): Promise<number> {
  const row = await t.database.db
    .selectFrom("council")
    .select("id")
    .where("name", "ilike", "Harrowfield%")
    .executeTakeFirstOrThrow();
  return row.id;
}

const strategyJson = (agreedBy: string | number) => ({
  title: "Adult Social Care Strategy 2019-2022",
  slug: "adult-social-care-2019-22",
  owner: "Director of Adult Social Care",
  period: { from: "2019-20", to: "2021-22" },
  agreedBy,
  priorities: [
    {
      title: "People live independently at home for longer",
      kpis: [
        {
          code: "ASC01",
          name: "Delayed transfers of care per 100,000",
          unit: "number",
          polarity: "lower-is-better",
        },
      ],
    },
  ],
});

describe("strategy updates read from records", () => {
  it("creates the agreed strategy from its record and proposes the Q2 update as its update", async () => {
    const agreeing = await importText(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
    const q2 = await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    const council = await councilId();
    const [strategy, ...others] = await listStrategies(t.database.db, council);
    expect(others).toEqual([]);
    expect(strategy).toMatchObject({
      title: "Adult Social Care Strategy 2019-2022",
      periodFrom: "2019-04-01",
      periodTo: "2022-03-31",
      owner: null,
      priorityCount: 0,
      agreedBy: { id: agreeing },
    });
    const row = await t.database.db.selectFrom("strategy").select("origin").executeTakeFirstOrThrow();
    expect(row.origin).toBe("found-in-record");

    const updates = await updatesForStrategy(t.database.db, strategy!.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      period: "2019-20 Q2",
      status: "proposed",
      decision: { id: q2, title: ASC_Q2.title, meetingDate: "2019-11-21" },
    });
    expect(updates[0]!.foundBy).toBe(
      "title names Q2 (July - Sept), read as 2019-20 Q2; text names the Adult Social Care Strategy 2019-22; meeting 21 November 2019",
    );
    expect(await strategyLinksForDecision(t.database.db, agreeing)).toMatchObject({
      agrees: { id: strategy!.id, origin: "found-in-record" },
      updateOf: [],
    });
    expect(await strategyLinksForDecision(t.database.db, q2)).toMatchObject({
      agrees: null,
      updateOf: [{ strategy: { id: strategy!.id }, period: "2019-20 Q2", status: "proposed" }],
    });
    expect(await quarterlyUpdateFor(t.database.db, strategy!.id, 2019, 2)).toMatchObject({
      decision: { id: q2 },
    });
    expect(await quarterlyUpdateFor(t.database.db, strategy!.id, 2019, 3)).toBeNull();
    const audit = await t.database.db
      .selectFrom("auditLog")
      .select("action")
      .where("action", "=", "strategy.found-in-record")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("links an update imported before its strategy, one naming none by its title's subject, and not another council's", async () => {
    const q3 = await importText(cabinetRecord(ASC_Q3), "asc-q3.txt");
    const elsewhere = await importText(cabinetRecord(OTHER_COUNCIL_Q2), "other-q2.txt");
    const q2 = await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    await importText(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
    const [strategy] = await listStrategies(t.database.db, await councilId());
    const updates = await updatesForStrategy(t.database.db, strategy!.id);
    expect(updates.map((u) => [u.period, u.decision.id])).toEqual([
      ["2019-20 Q2", q2],
      ["2019-20 Q3", q3],
    ]);
    expect(updates[1]!.foundBy).toContain(
      "the title's subject matches the Adult Social Care Strategy 2019-2022",
    );
    expect((await strategyLinksForDecision(t.database.db, elsewhere)).updateOf).toEqual([]);
  });

  it("does the same in one bulk import, and re-importing changes nothing", async () => {
    const files = [
      { bytes: cabinetRecord(ASC_Q2), fileName: "asc-q2.txt" },
      { bytes: cabinetRecord(ASC_STRATEGY), fileName: "asc-strategy.txt" },
      { bytes: cabinetRecord(ASC_Q3), fileName: "asc-q3.txt" },
    ];
    await importBatch(t.database, files, { actor: "test" });
    await importBatch(t.database, files, { actor: "test" });
    for (const file of files) await importDocument(t.database, file, { actor: "test" });
    const strategies = await listStrategies(t.database.db, await councilId());
    expect(strategies).toHaveLength(1);
    const updates = await updatesForStrategy(t.database.db, strategies[0]!.id);
    expect(updates.map((u) => u.period)).toEqual(["2019-20 Q2", "2019-20 Q3"]);
    expect(await proposeStrategyLinks(t.database.db, updates[0]!.decision.id)).toBe(0);
  });

  it("confirms a link once, and refuses a second decision for the same quarter", async () => {
    await importText(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
    await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    const resubmitted = await importText(
      cabinetRecord({
        ...ASC_Q2,
        date: "5th December 2019",
        title: "Adult Social Care Performance Update Q2 - revised",
      }),
      "asc-q2-revised.txt",
    );
    const actor = await officer();
    const [strategy] = await listStrategies(t.database.db, await councilId());
    const [first, second] = await updatesForStrategy(t.database.db, strategy!.id);
    expect(second!.decision.id).toBe(resubmitted);
    const confirmed = await confirmStrategyUpdate(t.database, first!.id, actor);
    expect(confirmed).toMatchObject({ status: "confirmed", period: "2019-20 Q2" });
    await expect(confirmStrategyUpdate(t.database, first!.id, actor)).resolves.toMatchObject({
      status: "confirmed",
    });
    await expect(confirmStrategyUpdate(t.database, second!.id, actor)).rejects.toThrow(ConflictError);
    const view = await quarterlyUpdateFor(t.database.db, strategy!.id, 2019, 2);
    expect(view).toMatchObject({ id: first!.id, status: "confirmed", confirmedBy: actor.label });
    expect(await proposedStrategyUpdates(t.database.db, actor.councilId)).toHaveLength(1);
    expect((await verifyAuditChain(t.database)).ok).toBe(true);
  });

  it("never proposes a rejected pairing again, even after a correction", async () => {
    await importText(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
    const q2 = await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    const actor = await officer();
    const [strategy] = await listStrategies(t.database.db, await councilId());
    const [link] = await updatesForStrategy(t.database.db, strategy!.id);
    await rejectStrategyUpdate(t.database, link!.id, actor);
    expect(await updatesForStrategy(t.database.db, strategy!.id)).toEqual([]);
    expect(await proposeStrategyLinks(t.database.db, q2)).toBe(0);
    await importText(
      cabinetRecord({ ...ASC_Q2, record: `${ASC_Q2.record} Members thanked officers.` }),
      "asc-q2-v2.txt",
    );
    expect(await updatesForStrategy(t.database.db, strategy!.id)).toEqual([]);
    await expect(rejectStrategyUpdate(t.database, link!.id, actor)).rejects.toThrow(NotFoundError);
    const rejection = await t.database.db
      .selectFrom("auditLog")
      .select("action")
      .where("action", "=", "strategy-update.rejected")
      .execute();
    expect(rejection).toHaveLength(1);
  });

  it("fills in the found strategy from JSON whose agreedBy names its decision, and finds its updates", async () => {
    const agreeing = await importText(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
    await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    const council = await councilId();
    const [stub] = await listStrategies(t.database.db, council);
    const created = await createStrategy(t.database, council, strategyJson(agreeing), "test");
    expect(created.id).toBe(stub!.id);
    const strategies = await listStrategies(t.database.db, council);
    expect(strategies).toHaveLength(1);
    const detail = await getStrategy(t.database.db, council, created.id);
    expect(detail).toMatchObject({
      slug: "adult-social-care-2019-22",
      owner: "Director of Adult Social Care",
      priorityCount: 1,
      kpiCount: 1,
      agreedBy: { id: agreeing },
    });
    const row = await t.database.db.selectFrom("strategy").select("origin").executeTakeFirstOrThrow();
    expect(row.origin).toBe("defined");
    expect((await updatesForStrategy(t.database.db, created.id)).map((u) => u.period)).toEqual([
      "2019-20 Q2",
    ]);
  });

  it("searches existing decisions for the updates of a strategy defined from JSON", async () => {
    await importText(
      cabinetRecord({ ...ASC_STRATEGY, resolved: "RESOLVED that the report be noted." }),
      "asc.txt",
    );
    const q2 = await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    const council = await councilId();
    expect(await listStrategies(t.database.db, council)).toEqual([]);
    const { id } = await createStrategy(
      t.database,
      council,
      { ...strategyJson(1), agreedBy: undefined },
      "test",
    );
    expect((await updatesForStrategy(t.database.db, id)).map((u) => u.decision.id)).toEqual([q2]);
  });

  it("re-reads a corrected record: a new quarter, and a found strategy's corrected title", async () => {
    const agreeing = await importText(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
    const q2 = await importText(cabinetRecord(ASC_Q2), "asc-q2.txt");
    const [strategy] = await listStrategies(t.database.db, await councilId());

    await t.database.transaction(async (trx) => {
      const current = await trx
        .selectFrom("decisionVersion")
        .select("record")
        .where("decisionId", "=", q2)
        .executeTakeFirstOrThrow();
      await addDecisionVersion(
        trx,
        q2,
        { ...current.record, title: "Adult Social Care Performance Update Q1 (April - June)" },
        {
          reason: "The title named the wrong quarter",
          actor: "test",
        },
      );
    });
    expect((await updatesForStrategy(t.database.db, strategy!.id)).map((u) => u.period)).toEqual([
      "2019-20 Q1",
    ]);

    await t.database.transaction(async (trx) => {
      const current = await trx
        .selectFrom("decisionVersion")
        .select("record")
        .where("decisionId", "=", agreeing)
        .executeTakeFirstOrThrow();
      const outcome = {
        kind: "RESOLVED",
        text: "that the Adult Social Care Strategy 2019-2023 be approved.",
        items: [],
      };
      await addDecisionVersion(
        trx,
        agreeing,
        { ...current.record, title: "Adult Social Care Strategy 2019-2023", outcome, outcomes: [outcome] },
        { reason: "The strategy runs four years", actor: "test" },
      );
    });
    const [after] = await listStrategies(t.database.db, await councilId());
    expect(after).toMatchObject({
      id: strategy!.id,
      title: "Adult Social Care Strategy 2019-2023",
      periodTo: "2023-03-31",
    });
  });

  it("links a published draft: a strategy agreed on publication, not before", async () => {
    const account = async (name: string, role: "officer" | "proper-officer") =>
      actorFor(
        await createAccount(t.database, {
          email: `${name.split(" ")[0]!.toLowerCase()}@harrowfield.example`,
          name,
          roles: [role],
          password: "plenty of words in this passphrase",
          actor: "test",
        }),
      );
    const officerActor = await account("Olu Officer", "officer");
    const properOfficer = await account("Priya Proper", "proper-officer");
    await t.db
      .insertInto("body")
      .values({ councilId: officerActor.councilId, name: "Cabinet", kind: "executive" })
      .execute();
    const meeting = await scheduleMeeting(
      t.database,
      { body: "Cabinet", date: "2024-06-20" },
      officerActor,
      "2024-06-01",
    );
    const draft = await createDraft(
      t.database,
      {
        meetingId: meeting.id,
        title: "Carers Strategy 2024-2027",
        record: "Consideration was given to a report that presented the Carers Strategy 2024-2027.",
        outcomes: [{ kind: "RESOLVED", text: "that the Carers Strategy 2024-2027 be adopted.", items: [] }],
        reasons: "To support unpaid carers.",
      },
      officerActor,
    );
    expect(await listStrategies(t.db, officerActor.councilId)).toEqual([]);
    await publishDecision(
      t.database,
      draft.id,
      { publishedOn: "2024-06-24", now: new Date("2024-06-24T09:00:00Z") },
      properOfficer,
    );
    const [carers] = await listStrategies(t.db, officerActor.councilId);
    expect(carers).toMatchObject({
      title: "Carers Strategy 2024-2027",
      agreedBy: { id: draft.id },
      periodTo: "2027-03-31",
    });
    const audit = await t.db
      .selectFrom("auditLog")
      .select("actor")
      .where("action", "=", "strategy.found-in-record")
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe(properOfficer.label);
  });
});
