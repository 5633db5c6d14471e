import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  NotFoundError,
  PermissionError,
  ValidationError,
} from "../../../src/domain/errors.js";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount } from "../../../src/services/accounts/index.js";
import {
  addKpi,
  addKpiEditor,
  addPriority,
  createStrategy,
  getStrategy,
  importKpiValues,
  KpiCsvError,
  listKpiEditors,
  removeKpi,
  removeKpiEditor,
  removePriority,
  setKpiValue,
  updateKpi,
  updatePriority,
  updateStrategy,
  type AccountEnterer,
} from "../../../src/services/strategies/index.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "./register-fixtures.js";

const t = useTestDatabase();
const ACTOR = "account:3 performance@stockton.example";
const fixtures = new URL("../../fixtures/strategies/", import.meta.url).pathname;

async function strategyJson(): Promise<{
  priorities: Array<{ title?: string; kpis: Array<Record<string, unknown>> }>;
  [key: string]: unknown;
}> {
  return JSON.parse(await readFile(fixtures + "children-services-strategy.json", "utf8")) as never;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error,
  );
}

async function enterer(email: string, name: string, roles: Role[]): Promise<AccountEnterer> {
  const account = await createAccount(t.database, {
    email,
    name,
    roles,
    actor: "test",
    ...(roles.includes("councillor") && { ward: "Norton North" }),
  });
  return { accountId: account.id, roles: account.roles, label: `account:${account.id} ${email}` };
}

/** The council, the strategy (CS01 and CS02 name the safeguarding service manager) and four accounts. */
async function world() {
  const seeded = await seedDecision(
    t.database,
    stocktonRecord({ recordId: "D170031", title: "Children's Services Strategy 2017-2020" }),
  );
  const councilId = seeded.councilId;
  const people = {
    officer: await enterer("pat.performance@stockton.example", "Pat Performance", ["officer"]),
    admin: await enterer("ada.admin@stockton.example", "Ada Admin", ["admin"]),
    safeguarding: await enterer("sam.safeguarding@stockton.example", "Sam Safeguarding", ["service-manager"]),
    schools: await enterer("vic.virtual-school@stockton.example", "Vic Virtual-School", ["service-manager"]),
    councillor: await enterer("ann.able@stockton.example", "Ann Able", ["councillor"]),
  };
  const json = await strategyJson();
  json.priorities[0]!.kpis[0]!.enteredBy = ["Sam.Safeguarding@stockton.example"];
  json.priorities[0]!.kpis[1]!.enteredBy = ["sam.safeguarding@stockton.example"];
  json.priorities[1]!.kpis[0]!.enteredBy = ["vic.virtual-school@stockton.example"];
  const created = await createStrategy(t.database, councilId, json, ACTOR);
  return { councilId, decisionId: seeded.id, strategyId: created.id, people };
}

async function auditOf(action: string) {
  return t.db
    .selectFrom("auditLog")
    .select(["actor", "entity", "entityId", "details"])
    .where("action", "=", action)
    .orderBy("id")
    .execute();
}

describe("who may enter a KPI's values", () => {
  it("takes enteredBy from the strategy's JSON, and refuses an email with no account, naming the field", async () => {
    const { councilId } = await world();
    const strategy = await getStrategy(t.db, councilId, "childrens-services-strategy-2017-2020");
    const cs01 = strategy.priorities[0]!.kpis[0]!;
    expect((await listKpiEditors(t.db, cs01.id)).map((e) => e.email)).toEqual([
      "sam.safeguarding@stockton.example",
    ]);
    const created = await auditOf("kpi.created");
    expect(created[0]!.details).toMatchObject({
      code: "CS01",
      enteredBy: ["sam.safeguarding@stockton.example"],
    });

    const json = await strategyJson();
    json.title = "Early Help Strategy 2018-2021";
    json.priorities = [
      {
        title: "Help early",
        kpis: [
          {
            code: "EH01",
            name: "Families helped",
            unit: "number",
            polarity: "higher-is-better",
            enteredBy: ["nobody@stockton.example"],
          },
        ],
      },
    ];
    const error = await errorOf(createStrategy(t.database, councilId, json, ACTOR));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("priorities.0.kpis.0.enteredBy.0");
    expect((error as Error).message).toContain("no account nobody@stockton.example");
    expect(await t.db.selectFrom("kpi").select("code").where("code", "=", "EH01").execute()).toEqual([]);
  });

  it("lets officers and admins enter any KPI, a service manager only theirs, and nobody else", async () => {
    const { councilId, people } = await world();
    const q2 = "2017-18 Q2";
    await setKpiValue(t.database, councilId, "CS01", q2, { actual: 24.2, target: 22 }, people.safeguarding);
    await setKpiValue(t.database, councilId, "CS04", q2, { actual: 91 }, people.officer);
    await setKpiValue(t.database, councilId, "CS05", q2, { actual: 1245000 }, people.admin);
    await setKpiValue(t.database, councilId, "CS03", q2, { actual: 480 }, "cli:operator");

    const refused = await errorOf(
      setKpiValue(t.database, councilId, "CS04", q2, { actual: 1 }, people.safeguarding),
    );
    expect(refused).toBeInstanceOf(PermissionError);
    expect((refused as Error).message).toContain("CS04");
    expect(
      await errorOf(setKpiValue(t.database, councilId, "CS01", q2, { actual: 1 }, people.councillor)),
    ).toBeInstanceOf(PermissionError);
    // A service manager's role is needed as well as the KPI's naming them.
    const exManager = { ...people.safeguarding, roles: [] };
    expect(
      await errorOf(setKpiValue(t.database, councilId, "CS01", q2, { actual: 1 }, exManager)),
    ).toBeInstanceOf(PermissionError);

    const cs01 = await t.db
      .selectFrom("kpiValue")
      .innerJoin("kpi", "kpi.id", "kpiValue.kpiId")
      .select(["kpiValue.actual", "kpiValue.enteredBy"])
      .where("kpi.code", "=", "CS01")
      .execute();
    expect(cs01).toEqual([{ actual: "24.2", enteredBy: people.safeguarding.label }]);
  });

  it("refuses a service manager's CSV with a row for another's KPI, naming the line, and imports nothing", async () => {
    const { councilId, people } = await world();
    const csv =
      "kpi,period,actual,target\nCS01,2017-18 Q1,23,22\nCS04,2017-18 Q1,90,95\nCS02,2017-18 Q1,80,85\n";
    const error = await errorOf(importKpiValues(t.database, councilId, csv, people.schools));
    expect(error).toBeInstanceOf(KpiCsvError);
    expect((error as KpiCsvError).problems).toEqual([
      { line: 2, column: 1, message: "kpi: you may not enter the values of KPI CS01" },
      { line: 4, column: 1, message: "kpi: you may not enter the values of KPI CS02" },
    ]);
    expect(await t.db.selectFrom("kpiValue").select("id").execute()).toEqual([]);

    const own = "kpi,period,actual,target\nCS01,2017-18 Q1,23,22\nCS02,2017-18 Q1,80,85\n";
    expect(await importKpiValues(t.database, councilId, own, people.safeguarding)).toMatchObject({
      entered: 2,
    });
  });

  it("adds and removes an account on a KPI's list, audited", async () => {
    const { councilId, people } = await world();
    const added = await addKpiEditor(
      t.database,
      councilId,
      "cs04",
      "Sam.Safeguarding@stockton.example",
      ACTOR,
    );
    expect(added).toMatchObject({ name: "Sam Safeguarding" });
    await setKpiValue(t.database, councilId, "CS04", "2017-18 Q1", { actual: 90 }, people.safeguarding);
    expect(
      await errorOf(addKpiEditor(t.database, councilId, "CS04", "sam.safeguarding@stockton.example", ACTOR)),
    ).toBeInstanceOf(ConflictError);
    expect(
      await errorOf(addKpiEditor(t.database, councilId, "CS04", "nobody@stockton.example", ACTOR)),
    ).toBeInstanceOf(ValidationError);

    await removeKpiEditor(t.database, councilId, "CS04", people.safeguarding.accountId, ACTOR);
    expect(
      await errorOf(
        setKpiValue(t.database, councilId, "CS04", "2017-18 Q2", { actual: 91 }, people.safeguarding),
      ),
    ).toBeInstanceOf(PermissionError);
    expect(
      await errorOf(removeKpiEditor(t.database, councilId, "CS04", people.safeguarding.accountId, ACTOR)),
    ).toBeInstanceOf(NotFoundError);
    expect((await auditOf("kpi.editor-added")).map((a) => a.details)).toEqual([
      { code: "CS04", accountId: people.safeguarding.accountId, email: "sam.safeguarding@stockton.example" },
    ]);
    expect((await auditOf("kpi.editor-removed")).map((a) => a.details)).toEqual([
      { code: "CS04", accountId: people.safeguarding.accountId, email: "sam.safeguarding@stockton.example" },
    ]);
  });
});

describe("changing a strategy", () => {
  it("changes the title, owner, period and agreeing decision, audited with before and after", async () => {
    const { councilId, strategyId, decisionId } = await world();
    const result = await updateStrategy(
      t.database,
      councilId,
      strategyId,
      {
        title: "Children's Services Strategy 2017-2021",
        owner: "",
        period: { from: "2017-18", to: "2020-21" },
        agreedBy: null,
      },
      ACTOR,
    );
    expect(result).toMatchObject({ changed: true, slug: "childrens-services-strategy-2017-2020" });
    const after = await getStrategy(t.db, councilId, strategyId);
    expect(after).toMatchObject({
      title: "Children's Services Strategy 2017-2021",
      owner: null,
      periodFrom: "2017-04-01",
      periodTo: "2021-03-31",
      agreedBy: null,
    });
    const [entry] = await auditOf("strategy.changed");
    expect(entry!.details).toEqual({
      before: {
        title: "Children's Services Strategy 2017-2020",
        owner: "Director of Children's Services",
        periodFrom: "2017-04-01",
        periodTo: "2020-03-31",
        agreedByDecisionId: decisionId,
      },
      after: {
        title: "Children's Services Strategy 2017-2021",
        owner: null,
        periodFrom: "2017-04-01",
        periodTo: "2021-03-31",
        agreedByDecisionId: null,
      },
    });
    expect(
      (await updateStrategy(t.database, councilId, strategyId, { agreedBy: "d170031" }, ACTOR)).changed,
    ).toBe(true);
    expect(
      (await updateStrategy(t.database, councilId, strategyId, { agreedBy: decisionId }, ACTOR)).changed,
    ).toBe(false);

    const backwards = await errorOf(
      updateStrategy(
        t.database,
        councilId,
        strategyId,
        { period: { from: "2019-20", to: "2017-18" } },
        ACTOR,
      ),
    );
    expect((backwards as ValidationError).field).toBe("period.to");
    expect(
      (
        (await errorOf(
          updateStrategy(t.database, councilId, strategyId, { title: " " }, ACTOR),
        )) as ValidationError
      ).field,
    ).toBe("title");
    expect(
      (
        (await errorOf(
          updateStrategy(t.database, councilId, strategyId, { agreedBy: "D999999" }, ACTOR),
        )) as ValidationError
      ).field,
    ).toBe("agreedBy");
    expect(
      (
        (await errorOf(
          updateStrategy(t.database, councilId, strategyId, { slug: "x" }, ACTOR),
        )) as ValidationError
      ).field,
    ).toBe("slug");
    expect(
      await errorOf(updateStrategy(t.database, councilId, "early-help", { title: "X" }, ACTOR)),
    ).toBeInstanceOf(NotFoundError);
  });

  it("adds, renames, reorders and removes priorities; one with KPIs stays", async () => {
    const { councilId, strategyId } = await world();
    const titles = async () =>
      (await getStrategy(t.db, councilId, strategyId)).priorities.map((p) => `${p.position} ${p.title}`);
    const added = await addPriority(
      t.database,
      councilId,
      strategyId,
      { title: "Families get help early" },
      ACTOR,
    );
    expect(added.position).toBe(3);
    await updatePriority(
      t.database,
      councilId,
      strategyId,
      added.id,
      { position: 1, title: "Families are helped early" },
      ACTOR,
    );
    expect(await titles()).toEqual([
      "1 Families are helped early",
      "2 Children and young people are safe and protected from harm",
      "3 Children achieve their potential at school",
    ]);
    const [moved] = await auditOf("strategy-priority.changed");
    expect(moved!.details).toEqual({
      priorityId: added.id,
      before: { title: "Families get help early", position: 3 },
      after: { title: "Families are helped early", position: 1 },
    });

    const safe = (await getStrategy(t.db, councilId, strategyId)).priorities[1]!;
    const refused = await errorOf(removePriority(t.database, councilId, strategyId, safe.id, ACTOR));
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toContain("still has KPIs (CS01, CS02, CS03)");

    await removePriority(t.database, councilId, strategyId, added.id, ACTOR);
    expect(await titles()).toEqual([
      "1 Children and young people are safe and protected from harm",
      "2 Children achieve their potential at school",
    ]);
    expect(await auditOf("strategy-priority.removed")).toHaveLength(1);
    expect(await errorOf(removePriority(t.database, councilId, strategyId, added.id, ACTOR))).toBeInstanceOf(
      NotFoundError,
    );
    expect(
      (
        (await errorOf(
          addPriority(t.database, councilId, strategyId, { title: "" }, ACTOR),
        )) as ValidationError
      ).field,
    ).toBe("title");
  });

  it("adds, changes, moves and removes KPIs; one with values stays", async () => {
    const { councilId, strategyId, people } = await world();
    const strategy = await getStrategy(t.db, councilId, strategyId);
    const [safe, school] = strategy.priorities;
    const added = await addKpi(
      t.database,
      councilId,
      strategyId,
      {
        priorityId: school!.id,
        code: "CS06",
        name: "Persistent absence of children looked after",
        unit: "%",
        polarity: "lower-is-better",
        enteredBy: ["vic.virtual-school@stockton.example"],
      },
      ACTOR,
    );
    await setKpiValue(t.database, councilId, "CS06", "2017-18 Q2", { actual: 12.1 }, people.schools);
    expect(
      await errorOf(
        addKpi(
          t.database,
          councilId,
          strategyId,
          { priorityId: safe!.id, code: "cs01", name: "Again", unit: "%", polarity: "lower-is-better" },
          ACTOR,
        ),
      ),
    ).toBeInstanceOf(ConflictError);
    const otherPriority = await errorOf(
      addKpi(
        t.database,
        councilId,
        strategyId,
        { priorityId: 99999, code: "CS07", name: "X", unit: "%", polarity: "lower-is-better" },
        ACTOR,
      ),
    );
    expect((otherPriority as ValidationError).field).toBe("priorityId");

    await updateKpi(
      t.database,
      councilId,
      "CS03",
      {
        name: "Days from care to adoptive family",
        unit: "days",
        dataSource: "Adoption Tees Valley",
        priorityId: school!.id,
      },
      ACTOR,
    );
    const after = await getStrategy(t.db, councilId, strategyId);
    expect(after.priorities[1]!.kpis.map((k) => k.code)).toEqual(["CS03", "CS04", "CS05", "CS06"]);
    const [changed] = await auditOf("kpi.changed");
    expect(changed!.details).toMatchObject({
      code: "CS03",
      before: {
        name: "Average days between a child entering care and moving in with an adoptive family",
        priorityId: safe!.id,
        dataSource: "",
      },
      after: {
        name: "Days from care to adoptive family",
        priorityId: school!.id,
        dataSource: "Adoption Tees Valley",
      },
    });
    expect(
      (
        (await errorOf(
          updateKpi(t.database, councilId, "CS03", { unit: "percent" }, ACTOR),
        )) as ValidationError
      ).field,
    ).toBe("unit");
    expect((await updateKpi(t.database, councilId, "CS03", { unit: "days" }, ACTOR)).changed).toBe(false);

    const withValues = await errorOf(removeKpi(t.database, councilId, "CS06", ACTOR));
    expect(withValues).toBeInstanceOf(ConflictError);
    expect((withValues as Error).message).toContain("has values");
    expect(added.code).toBe("CS06");

    await removeKpi(t.database, councilId, "CS02", ACTOR);
    expect(await errorOf(removeKpi(t.database, councilId, "CS02", ACTOR))).toBeInstanceOf(NotFoundError);
    const [removed] = await auditOf("kpi.removed");
    expect(removed!.details).toMatchObject({
      before: { code: "CS02", name: "Single assessments completed within 45 working days" },
    });
    // Its list of who entered values went with it.
    expect(await t.db.selectFrom("kpiEditor").select("kpiId").execute()).toHaveLength(3);
  });
});
