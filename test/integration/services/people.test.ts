import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { signatoryKey } from "../../../src/domain/call-in-request.js";
import { NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { createAccount } from "../../../src/services/accounts/index.js";
import { findOrCreateCouncil } from "../../../src/services/councils/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import {
  PersonInputError,
  addMembership,
  bodyMembersOn,
  createPerson,
  declarationsByMember,
  endMembership,
  getPerson,
  listCouncillors,
  listPeople,
  updatePerson,
} from "../../../src/services/people/index.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "./register-fixtures.js";

const t = useTestDatabase();
const ACTOR = "account:1 admin@council.example";
const CONTRACT = "2026-11-12-town-centre-public-realm-contract-award.txt";

async function stockton(): Promise<number> {
  return (await findOrCreateCouncil(t.db, { name: "Stockton-on-Tees Borough Council" }, "test")).council.id;
}

async function body(councilId: number, name: string, kind: "executive" | "committee" = "executive") {
  return (
    await t.db.insertInto("body").values({ councilId, name, kind }).returning("id").executeTakeFirstOrThrow()
  ).id;
}

async function audit(action: string) {
  return t.db.selectFrom("auditLog").selectAll().where("action", "=", action).orderBy("id").execute();
}

async function councillor(councilId: number, name: string, extra: Record<string, string> = {}) {
  return (await createPerson(t.database, councilId, { name, role: "councillor", ...extra }, ACTOR)).id;
}

/** The problems a call refused with, as [field, message] pairs. */
async function problemsOf(promise: Promise<unknown>): Promise<Array<[string, string]>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PersonInputError);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as PersonInputError).problems.map((p) => [p.field, p.message]);
}

describe("people", () => {
  it("adds councillors and officers, audited, and lists councillors with their current memberships", async () => {
    const councilId = await stockton();
    const cabinet = await body(councilId, "Cabinet");
    const aldridge = await councillor(councilId, "  Margaret   Aldridge ", {
      ward: "Norton South",
      party: "Labour",
      portfolio: "Regeneration and Housing",
    });
    const officer = await createPerson(
      t.database,
      councilId,
      { name: "Priya Shah", role: "officer", jobTitle: "Director of Finance" },
      ACTOR,
    );
    await addMembership(t.database, aldridge, { body: "cabinet", role: "member", from: "2023-05-22" }, ACTOR);
    await addMembership(
      t.database,
      aldridge,
      { body: cabinet, role: "chair", from: "2019-05-20", to: "2023-05-21" },
      ACTOR,
    );

    const listed = await listCouncillors(t.db, { on: "2026-11-22" });
    expect(listed.map((p) => p.name)).toEqual(["Margaret Aldridge"]);
    expect(listed[0]).toMatchObject({
      ward: "Norton South",
      party: "Labour",
      portfolio: "Regeneration and Housing",
    });
    expect(listed[0]!.currentMemberships.map((m) => [m.bodyName, m.role, m.startedOn])).toEqual([
      ["Cabinet", "member", "2023-05-22"],
    ]);
    expect((await listPeople(t.db, { on: "2026-11-22" })).map((p) => p.role)).toEqual([
      "councillor",
      "officer",
    ]);

    const detail = await getPerson(t.db, aldridge, "2026-11-22");
    expect(detail.memberships.map((m) => [m.role, m.startedOn, m.endedOn, m.current])).toEqual([
      ["member", "2023-05-22", null, true],
      ["chair", "2019-05-20", "2023-05-21", false],
    ]);
    expect(detail.council.slug).toBe("stockton-on-tees");
    expect(detail.hasAccount).toBe(false);
    expect((await getPerson(t.db, officer.id, "2026-11-22")).jobTitle).toBe("Director of Finance");

    const created = await audit("person.created");
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({
      actor: ACTOR,
      entity: "person",
      entityId: String(aldridge),
      councilId,
    });
    expect(created[0]!.details).toMatchObject({ name: "Margaret Aldridge", role: "councillor" });
    const added = await audit("membership.added");
    expect(added.map((a) => a.details)).toEqual([
      expect.objectContaining({ body: "Cabinet", role: "member", startedOn: "2023-05-22", endedOn: null }),
      expect.objectContaining({
        body: "Cabinet",
        role: "chair",
        startedOn: "2019-05-20",
        endedOn: "2023-05-21",
      }),
    ]);
  });

  it("refuses bad input with every problem named by field, and writes nothing", async () => {
    const councilId = await stockton();
    const auditBefore = (await t.db.selectFrom("auditLog").select("id").execute()).length;
    expect(
      await problemsOf(
        createPerson(
          t.database,
          councilId,
          { name: " ", role: "officer", ward: "Norton", portfolio: "Finance" },
          ACTOR,
        ),
      ),
    ).toEqual([
      ["name", "Enter the person's name"],
      ["ward", "An officer has no ward: leave it empty, or choose councillor"],
      ["portfolio", "An officer has no portfolio: leave it empty, or choose councillor"],
    ]);
    expect(
      await problemsOf(createPerson(t.database, councilId, { name: "A", role: "mayor" }, ACTOR)),
    ).toEqual([["role", '"mayor" is not a role; expected councillor or officer']]);
    expect(
      await problemsOf(
        createPerson(t.database, councilId, { name: "A", role: "councillor", jobTitle: "Clerk" }, ACTOR),
      ),
    ).toEqual([["job-title", expect.stringContaining("A councillor has no job title")]]);
    expect(
      await problemsOf(
        createPerson(t.database, councilId, { name: "x".repeat(201), role: "councillor" }, ACTOR),
      ),
    ).toEqual([["name", "Enter at most 200 characters"]]);
    expect(await t.db.selectFrom("person").selectAll().execute()).toEqual([]);

    const id = await councillor(councilId, "Ben Carter");
    await body(councilId, "Cabinet");
    expect(
      await problemsOf(
        addMembership(
          t.database,
          id,
          { body: "Planning Committee", role: "member", from: "2024-05-01" },
          ACTOR,
        ),
      ),
    ).toEqual([
      ["body", 'There is no body called "Planning Committee" (the council\'s bodies are: Cabinet)'],
    ]);
    expect(
      await problemsOf(
        addMembership(
          t.database,
          id,
          { body: "Cabinet", role: "leader", from: "2024-05-01", to: "2024-04-30" },
          ACTOR,
        ),
      ),
    ).toEqual([
      ["role", '"leader" is not a role on a body; expected member, chair or vice-chair'],
      ["to", "The end date must be the same as or after the start date"],
    ]);
    expect(
      await problemsOf(addMembership(t.database, id, { body: "Cabinet", from: "2024-02-30" }, ACTOR)),
    ).toEqual([["from", "The start date must be a real date, for example 2024-05-21"]]);
    expect(await problemsOf(addMembership(t.database, id, { body: "", from: "" }, ACTOR))).toEqual([
      ["body", "Select the body they sit on"],
      ["from", "Enter the date the membership started"],
    ]);
    expect(await t.db.selectFrom("bodyMembership").selectAll().execute()).toEqual([]);
    // Only the person added above and the council were audited: nothing for the refused attempts.
    expect(
      (await t.db.selectFrom("auditLog").select("action").where("id", ">", auditBefore).execute()).map(
        (a) => a.action,
      ),
    ).toEqual(["person.created"]);
    await expect(
      addMembership(t.database, 999, { body: "Cabinet", from: "2024-05-01" }, ACTOR),
    ).rejects.toThrow(NotFoundError);
  });

  it("refuses a membership that overlaps another of the same body, and ends one on a date", async () => {
    const councilId = await stockton();
    await body(councilId, "Cabinet");
    const id = await councillor(councilId, "Ben Carter");
    const open = await addMembership(t.database, id, { body: "Cabinet", from: "2022-05-16" }, ACTOR);
    expect(
      await problemsOf(addMembership(t.database, id, { body: "Cabinet", from: "2024-01-01" }, ACTOR)),
    ).toEqual([
      [
        "from",
        expect.stringContaining("Ben Carter is already a member of Cabinet from 2022-05-16 (not ended)"),
      ],
    ]);
    // Before it, ending the day before it started: no overlap.
    await addMembership(t.database, id, { body: "Cabinet", from: "2019-05-20", to: "2022-05-15" }, ACTOR);

    expect(await problemsOf(endMembership(t.database, open.id, "2022-05-01", ACTOR))).toEqual([
      ["to", "The end date must be the same as or after the start date (2022-05-16)"],
    ]);
    const ended = await endMembership(t.database, open.id, "2026-05-10", ACTOR);
    expect(ended.endedOn).toBe("2026-05-10");
    await expect(endMembership(t.database, open.id, "2026-05-11", ACTOR)).rejects.toThrow(/already ended/);
    await expect(
      endMembership(t.database, open.id, "2026-05-11", ACTOR, { councilId: councilId + 1 }),
    ).rejects.toThrow(NotFoundError);
    const [entry] = await audit("membership.ended");
    expect(entry!.details).toMatchObject({ before: { endedOn: null }, after: { endedOn: "2026-05-10" } });
  });

  it("gives a body's members on a date: the Cabinet of 2019 for a decision made in 2019", async () => {
    const councilId = await stockton();
    const cabinet = await body(councilId, "Cabinet");
    const scrutiny = await body(councilId, "Executive Scrutiny Committee", "committee");
    const cook = await councillor(councilId, "Bob Cook");
    const aldridge = await councillor(councilId, "Margaret Aldridge");
    const carter = await councillor(councilId, "Ben Carter");
    await addMembership(
      t.database,
      cook,
      { body: cabinet, role: "chair", from: "2015-05-18", to: "2019-05-19" },
      ACTOR,
    );
    await addMembership(
      t.database,
      carter,
      { body: cabinet, role: "member", from: "2015-05-18", to: "2019-05-19" },
      ACTOR,
    );
    await addMembership(t.database, aldridge, { body: cabinet, role: "chair", from: "2019-05-20" }, ACTOR);
    await addMembership(t.database, carter, { body: cabinet, role: "vice-chair", from: "2019-05-20" }, ACTOR);
    await addMembership(t.database, cook, { body: scrutiny, role: "member", from: "2019-05-20" }, ACTOR);
    // Older data without a start date counts as having started before any date asked about.
    await t.db
      .insertInto("bodyMembership")
      .values({ bodyId: scrutiny, personId: aldridge, startedOn: null, endedOn: "2019-05-19" })
      .execute();

    const names = async (bodyId: number, on: string) =>
      (await bodyMembersOn(t.db, bodyId, on)).map((m) => `${m.name} (${m.role})`);
    expect(await names(cabinet, "2019-03-12")).toEqual(["Bob Cook (chair)", "Ben Carter (member)"]);
    expect(await names(cabinet, "2019-05-19")).toEqual(["Bob Cook (chair)", "Ben Carter (member)"]);
    expect(await names(cabinet, "2019-05-20")).toEqual([
      "Margaret Aldridge (chair)",
      "Ben Carter (vice-chair)",
    ]);
    expect(await names(cabinet, "2015-05-17")).toEqual([]);
    expect(await names(scrutiny, "2001-01-01")).toEqual(["Margaret Aldridge (member)"]);
    expect(await names(scrutiny, "2026-11-22")).toEqual(["Bob Cook (member)"]);
  });

  it("changes a person's details, audited with before and after; a councillor who signs in stays one", async () => {
    const councilId = await stockton();
    const account = await createAccount(t.database, {
      email: "m.aldridge@council.example",
      name: "Margaret Aldridge",
      roles: ["councillor"],
      password: null,
      ward: "Norton South",
      actor: "test",
    });
    const id = account.personId!;
    expect((await getPerson(t.db, id, "2026-11-22")).hasAccount).toBe(true);
    expect(
      await updatePerson(
        t.database,
        id,
        { name: "Margaret Aldridge", role: "councillor", ward: "Norton North", party: "Labour" },
        ACTOR,
      ),
    ).toEqual({ id, changed: true });
    const [entry] = await audit("person.updated");
    expect(entry!.details).toEqual({
      before: { ward: "Norton South", party: null },
      after: { ward: "Norton North", party: "Labour" },
    });
    expect(
      await updatePerson(
        t.database,
        id,
        { name: "Margaret Aldridge", role: "councillor", ward: "Norton North", party: "Labour" },
        ACTOR,
      ),
    ).toEqual({ id, changed: false });
    expect(await audit("person.updated")).toHaveLength(1);
    expect(
      await problemsOf(updatePerson(t.database, id, { name: "Margaret Aldridge", role: "officer" }, ACTOR)),
    ).toEqual([
      [
        "role",
        "Margaret Aldridge signs in as a councillor (m.aldridge@council.example), so stays a councillor",
      ],
    ]);
    await expect(
      updatePerson(t.database, id, { name: "X", role: "councillor" }, ACTOR, { councilId: councilId + 1 }),
    ).rejects.toThrow(NotFoundError);
    expect((await getPerson(t.db, id, "2026-11-22")).name).toBe("Margaret Aldridge");
  });
});

describe("the register of declarations by member", () => {
  async function declare(decisionId: number, personName: string, personId: number | null = null) {
    await t.db
      .insertInto("declarationOfInterest")
      .values({
        decisionId,
        personName,
        personId,
        category: "personal",
        nature: `${personName} declared an interest.`,
      })
      .execute();
  }

  it("finds a member's declarations by id and, in imported records, by name; never drafts or unpublished ones", async () => {
    const bytes = await readFile(new URL(`../../../examples/records/${CONTRACT}`, import.meta.url));
    const imported = await importDocument(t.database, { bytes, fileName: CONTRACT }, { actor: "test" });
    const councilId = await stockton();
    const aldridge = await councillor(councilId, "Margaret Aldridge");
    const other = await councillor(councilId, "Margaret Aldridge-Hughes");

    const older = await seedDecision(
      t.database,
      stocktonRecord({
        recordId: "D190001",
        title: "Older",
        meetingDate: "2019-03-12",
        publishedOn: "2019-03-14",
      }),
    );
    await declare(older.id, "CLLR  margaret   ALDRIDGE");
    await declare(older.id, "Mrs M Aldridge", aldridge); // tied by id: the name as written does not matter
    await declare(older.id, "Margaret Aldridge", other); // tied to someone else by id: not hers
    await declare(older.id, "Councillor Margaret Aldridge-Hughes");
    const draft = await seedDecision(t.database, stocktonRecord({ recordId: "D260099", title: "Draft" }), {
      status: "draft",
    });
    await declare(draft.id, "Councillor Margaret Aldridge");
    const future = await seedDecision(
      t.database,
      stocktonRecord({
        recordId: "D260100",
        title: "Not yet published",
        meetingDate: "2026-11-26",
        publishedOn: "2026-11-30",
      }),
    );
    await declare(future.id, "Councillor Margaret Aldridge");
    const elsewhere = await seedDecision(
      t.database,
      stocktonRecord({ council: "Hartlepool Borough Council", recordId: "H1", title: "Elsewhere" }),
    );
    await declare(elsewhere.id, "Councillor Margaret Aldridge");

    const found = await declarationsByMember(t.db, aldridge, "2026-11-22");
    expect(found.map((d) => [d.title, d.personName, d.matchedBy])).toEqual([
      ["Stockton Town Centre – Public Realm Works Contract Award", "Councillor Margaret Aldridge", "name"],
      ["Older", "CLLR  margaret   ALDRIDGE", "name"],
      ["Older", "Mrs M Aldridge", "person"],
    ]);
    expect(found[0]).toMatchObject({
      decisionId: imported.decisionId,
      bodyName: "Cabinet",
      meetingDate: "2026-11-12",
      publishedOn: "2026-11-16",
      category: "personal",
    });
    expect(found[0]!.nature).toMatch(
      /^Councillor Margaret Aldridge declared a personal non-prejudicial interest/,
    );
    // The same day the future record is published, it counts.
    expect((await declarationsByMember(t.db, aldridge, "2026-11-30")).map((d) => d.title)).toContain(
      "Not yet published",
    );
    expect(
      (await declarationsByMember(t.db, other, "2026-11-22")).map((d) => [d.title, d.personName]),
    ).toEqual([
      ["Older", "Margaret Aldridge"],
      ["Older", "Councillor Margaret Aldridge-Hughes"],
    ]);
  });

  it("normalises the written name exactly as signatoryKey does", async () => {
    const councilId = await stockton();
    const decision = await seedDecision(t.database, stocktonRecord());
    const names = [
      "Cllr. Ann Lee",
      "councillor ann lee",
      " Ann\tLee ",
      "Cllr Councillor Ann Lee",
      "Ann Leee",
      "Mr Ann Lee",
    ];
    for (const name of names) await declare(decision.id, name);
    const lee = await councillor(councilId, "Ann Lee");
    const matched = (await declarationsByMember(t.db, lee, "2026-11-22")).map((d) => d.personName);
    expect(matched).toEqual(names.filter((name) => signatoryKey(name) === signatoryKey("Ann Lee")));
    expect(matched).toHaveLength(3);
  });
});
