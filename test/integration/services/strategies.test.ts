import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ConflictError, DocumentError, NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { exportRegister, restoreRegister } from "../../../src/services/register/index.js";
import {
  createStrategy,
  exportKpiValues,
  getKpi,
  getStrategy,
  importKpiValues,
  KpiCsvError,
  listStrategies,
  setKpiValue,
  setRagRule,
} from "../../../src/services/strategies/index.js";
import { createTestDatabase, useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "./register-fixtures.js";

const t = useTestDatabase();
const ACTOR = "account:3 performance@stockton.example";
const fixtures = new URL("../../fixtures/strategies/", import.meta.url).pathname;

async function strategyJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(fixtures + "children-services-strategy.json", "utf8")) as Record<
    string,
    unknown
  >;
}

async function valuesCsv(): Promise<string> {
  return readFile(fixtures + "children-services-values.csv", "utf8");
}

/** The council with the Cabinet decision that agreed the strategy (D170031). */
async function council(): Promise<{ councilId: number; decisionId: number }> {
  const seeded = await seedDecision(
    t.database,
    stocktonRecord({
      recordId: "D170031",
      title: "Children's Services Strategy 2017-2020",
      meetingDate: "2017-09-14",
      publishedOn: "2017-09-18",
      callIn: { deadline: "2017-09-22", text: "Midnight, 22 September 2017" },
    }),
  );
  return { councilId: seeded.councilId, decisionId: seeded.id };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error,
  );
}

async function auditActions(): Promise<string[]> {
  const rows = await t.db.selectFrom("auditLog").select("action").orderBy("id").execute();
  return rows.map((r) => r.action);
}

describe("strategies", () => {
  it("creates a strategy with its priorities and KPIs from the JSON shape, audited, in one transaction", async () => {
    const { councilId, decisionId } = await council();
    const created = await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    expect(created).toMatchObject({ slug: "childrens-services-strategy-2017-2020", kpiCount: 5 });

    const [summary] = await listStrategies(t.db, councilId);
    expect(summary).toMatchObject({
      id: created.id,
      slug: "childrens-services-strategy-2017-2020",
      title: "Children's Services Strategy 2017-2020",
      periodFrom: "2017-04-01",
      periodTo: "2020-03-31",
      owner: "Director of Children's Services",
      agreedBy: { id: decisionId, recordId: "D170031", meetingDate: "2017-09-14" },
      priorityCount: 2,
      kpiCount: 5,
    });

    const detail = await getStrategy(t.db, councilId, "childrens-services-strategy-2017-2020");
    expect(detail.priorities.map((p) => [p.position, p.kpis.map((k) => k.code)])).toEqual([
      [1, ["CS01", "CS02", "CS03"]],
      [2, ["CS04", "CS05"]],
    ]);
    expect(detail.priorities[0]!.kpis[0]).toMatchObject({
      unit: "%",
      polarity: "lower-is-better",
      dataSource: "Liquidlogic children's social care system",
      values: [],
      latest: null,
    });
    expect((await getStrategy(t.db, councilId, created.id)).slug).toBe(created.slug);
    expect(detail.ragRule).toEqual({ kind: "tolerance", amberPercent: 10 });

    const actions = await auditActions();
    expect(actions.filter((a) => a === "strategy.created")).toHaveLength(1);
    expect(actions.filter((a) => a === "kpi.created")).toHaveLength(5);
  });

  it("names the field of the first problem, and writes nothing", async () => {
    const { councilId } = await council();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits of a parsed JSON file, any shape
    const cases: Array<[(s: any) => void, string]> = [
      [(s) => (s.priorities[0].kpis[1].unit = "percent"), "priorities.0.kpis.1.unit"],
      [(s) => (s.priorities[1].kpis[0].polarity = "up"), "priorities.1.kpis.0.polarity"],
      [(s) => delete s.title, "title"],
      [(s) => (s.period.from = "2017/18"), "period.from"],
      [(s) => (s.period = { from: "2019-20", to: "2017-18" }), "period.to"],
      [(s) => (s.priorities[0].kpis[2].code = "CS 03"), "priorities.0.kpis.2.code"],
      [(s) => (s.priorities[1].kpis[0].code = "cs01"), "priorities.1.kpis.0.code"],
      [(s) => (s.priorities[0].colour = "blue"), "priorities.0.colour"],
      [(s) => (s.priorities = []), "priorities"],
      [(s) => (s.agreedBy = "D999999"), "agreedBy"],
    ];
    for (const [change, field] of cases) {
      const input = await strategyJson();
      change(input);
      const error = await errorOf(createStrategy(t.database, councilId, input, ACTOR));
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field, field).toBe(field);
      expect((error as ValidationError).message, field).toMatch(
        new RegExp(`^${field.replace(/\./g, "\\.")}: `),
      );
    }
    expect(await listStrategies(t.db, councilId)).toEqual([]);
    expect(await t.db.selectFrom("kpi").select("id").execute()).toEqual([]);
  });

  it("refuses a slug or a KPI code the council already has", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    await expect(createStrategy(t.database, councilId, await strategyJson(), ACTOR)).rejects.toThrow(
      ConflictError,
    );
    const other = { ...(await strategyJson()), title: "Early Help Strategy 2018-2021" };
    const error = await errorOf(createStrategy(t.database, councilId, other, ACTOR));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/KPI code CS01, CS02, CS03, CS04, CS05 is already used/);
    expect(await listStrategies(t.db, councilId)).toHaveLength(1);
  });
});

describe("KPI values", () => {
  it("imports the CSV, then judges each quarter: RAG by the default rule and directions of travel", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    expect(await importKpiValues(t.database, councilId, await valuesCsv(), ACTOR)).toEqual({
      entered: 9,
      changed: 0,
      unchanged: 0,
    });

    const cs01 = await getKpi(t.db, councilId, "cs01");
    expect(cs01).toMatchObject({ code: "CS01", unit: "%", polarity: "lower-is-better" });
    expect(
      cs01.values.map((v) => [v.period, v.actual, v.target, v.rag, v.direction, v.directionFromYearBefore]),
    ).toEqual([
      ["2016-17 Q2", 24.1, 22, "amber", null, null],
      ["2017-18 Q1", 23, 22, "amber", null, null],
      // 24.2 against 22 is worse by exactly 10% of the target: amber; worse than Q1 and than a year before.
      ["2017-18 Q2", 24.2, 22, "amber", "worsening", "worsening"],
    ]);
    expect(cs01.latest?.commentary).toMatch(/^Re-referrals rose in Q2/);
    expect(cs01.values[2]!.enteredBy).toBe(ACTOR);

    const cs03 = await getKpi(t.db, councilId, "CS03");
    expect(cs03.values.map((v) => [v.rag, v.direction])).toEqual([
      ["red", null],
      ["amber", "improving"],
    ]);
    const cs05 = await getKpi(t.db, councilId, "CS05");
    expect(cs05.values[0]).toMatchObject({ actual: 1245000, target: 1200000, rag: "amber" });

    const detail = await getStrategy(t.db, councilId, "childrens-services-strategy-2017-2020");
    expect(detail.priorities[0]!.kpis.map((k) => [k.code, k.latest?.period, k.latest?.rag])).toEqual([
      ["CS01", "2017-18 Q2", "amber"],
      ["CS02", "2017-18 Q2", "green"],
      ["CS03", "2017-18 Q2", "amber"],
    ]);

    // Importing the same file again changes nothing and audits nothing more.
    const before = (await auditActions()).length;
    expect(await importKpiValues(t.database, councilId, await valuesCsv(), ACTOR)).toEqual({
      entered: 0,
      changed: 0,
      unchanged: 9,
    });
    expect(await auditActions()).toHaveLength(before);
  });

  it("follows the council's rule when it changes (improving-amber)", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    await importKpiValues(t.database, councilId, await valuesCsv(), ACTOR);
    await setRagRule(t.database, councilId, { kind: "improving-amber" }, ACTOR);
    const cs01 = await getKpi(t.db, councilId, "CS01");
    // Missed, and worse than 2016-17 Q2: red under this rule.
    expect(cs01.values[2]!.rag).toBe("red");
    expect(await auditActions()).toContain("council.kpi-rag-rule-changed");
    await expect(
      setRagRule(t.database, councilId, { kind: "tolerance", amberPercent: -1 }, ACTOR),
    ).rejects.toThrow(/ragRule\.amberPercent/);
  });

  it("reports every bad row with its line and column, and imports nothing", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    const csv = [
      "kpi,period,actual,target,commentary",
      "CS01,2017-18 Q3,22.9,22,",
      "CS99,2017-18 Q3,1,2,",
      'CS02,2017-18 Q5,"eighty",85,',
      "CS04,2017-18 Q3,,,nothing given",
      "CS01,2017-18 q3,23,22,again",
      "CS03,2017-18 Q3,410,426,fine",
    ].join("\n");
    const error = await errorOf(importKpiValues(t.database, councilId, csv, ACTOR));
    expect(error).toBeInstanceOf(KpiCsvError);
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as KpiCsvError).problems.map((p) => [p.line, p.column])).toEqual([
      [3, 1],
      [4, 2],
      [4, 3],
      [5, 3],
      [6, 2],
    ]);
    expect((error as KpiCsvError).problems.map((p) => p.message)).toEqual([
      'kpi: no KPI "CS99" in this council\'s strategies',
      expect.stringMatching(/^period: "2017-18 Q5" is not a financial quarter/),
      'actual: "eighty" is not a number (write 72.5; leave the cell empty for none)',
      "actual: give the actual, the target or both",
      "period: CS01 2017-18 Q3 is given already, on line 2",
    ]);
    expect(await t.db.selectFrom("kpiValue").select("id").execute()).toEqual([]);
  });

  it("reports an unclosed quote and a bad header as one problem each", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    const unclosed =
      'kpi,period,actual,target,commentary\nCS01,2017-18 Q3,22,22,"never closed\nCS02,2017-18 Q3,80,85,\n';
    const error = (await errorOf(importKpiValues(t.database, councilId, unclosed, ACTOR))) as KpiCsvError;
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.message).toMatch(/never closed/);
    const header = (await errorOf(
      importKpiValues(t.database, councilId, "kpi,quarter,actual\n", ACTOR),
    )) as KpiCsvError;
    expect(header.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [1, 2, '"quarter" is not a column; the columns are kpi,period,actual,target,commentary'],
      [1, 4, "the header has no period column (the columns are kpi,period,actual,target,commentary)"],
    ]);
  });

  it("sets one quarter by code, keeping what is left out, audited with before and after", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    const first = await setKpiValue(t.database, councilId, "CS02", "2017-18 Q3", { target: 85 }, ACTOR);
    expect(first.changed).toBe(true);
    expect(first.kpi.values).toMatchObject([{ period: "2017-18 Q3", actual: null, target: 85, rag: null }]);
    const second = await setKpiValue(
      t.database,
      councilId,
      "CS02",
      "2017-18Q3",
      { actual: "76.5", commentary: "Two social workers on long-term leave." },
      ACTOR,
    );
    // 76.5 against 85: worse by exactly 8.5 = 10% of the target.
    expect(second.kpi.values[0]).toMatchObject({ actual: 76.5, target: 85, rag: "amber" });
    const again = await setKpiValue(t.database, councilId, "CS02", "2017-18 Q3", { actual: 76.5 }, ACTOR);
    expect(again.changed).toBe(false);
    const entries = await t.db
      .selectFrom("auditLog")
      .select(["action", "details"])
      .where("entity", "=", "kpi")
      .where("action", "like", "kpi-value.%")
      .orderBy("id")
      .execute();
    expect(entries.map((e) => e.action)).toEqual(["kpi-value.entered", "kpi-value.changed"]);
    expect(entries[1]!.details).toMatchObject({
      code: "CS02",
      period: "2017-18 Q3",
      before: { actual: null, target: "85", commentary: "" },
      after: { actual: "76.5", target: "85", commentary: "Two social workers on long-term leave." },
    });

    await expect(
      setKpiValue(t.database, councilId, "CS77", "2017-18 Q3", { actual: 1 }, ACTOR),
    ).rejects.toThrow(NotFoundError);
    const bad = await errorOf(setKpiValue(t.database, councilId, "CS02", "2017-18 Q9", { actual: 1 }, ACTOR));
    expect((bad as ValidationError).field).toBe("period");
    const nan = await errorOf(
      setKpiValue(t.database, councilId, "CS02", "2017-18 Q4", { actual: "lots" }, ACTOR),
    );
    expect((nan as ValidationError).field).toBe("actual");
  });

  it("exports the values as the CSV it imports, and the register round-trips through export and restore", async () => {
    const { councilId } = await council();
    await createStrategy(t.database, councilId, await strategyJson(), ACTOR);
    await importKpiValues(t.database, councilId, await valuesCsv(), ACTOR);
    await setKpiValue(
      t.database,
      councilId,
      "CS04",
      "2017-18 Q3",
      { actual: 94, commentary: "=SUM(A1)" },
      ACTOR,
    );

    const csv = await exportKpiValues(t.db, councilId);
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("kpi,period,actual,target,commentary");
    expect(lines).toContain("CS01,2017-18 Q1,23.0,22,");
    expect(lines).toContain("CS05,2017-18 Q2,1245000,1200000,Two new placements in August");
    expect(lines).toContain("CS04,2017-18 Q3,94,,'=SUM(A1)");
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(
      [...lines.slice(1).map((l) => l.split(",")[0])].sort(),
    );
    // Importing the export changes nothing.
    expect(await importKpiValues(t.database, councilId, csv, ACTOR)).toEqual({
      entered: 0,
      changed: 0,
      unchanged: 10,
    });
    expect((await getKpi(t.db, councilId, "CS04")).values[1]!.commentary).toBe("=SUM(A1)");
    expect(await exportKpiValues(t.db, councilId, "childrens-services-strategy-2017-2020")).toBe(csv);
    await expect(exportKpiValues(t.db, councilId, "no-such-strategy")).rejects.toThrow(NotFoundError);

    const exported: string[] = [];
    await exportRegister(t.database, (line) => {
      exported.push(line);
    });
    const target = await createTestDatabase();
    try {
      await restoreRegister(
        target.database,
        (async function* () {
          yield* exported;
        })(),
        "test",
      );
      const again: string[] = [];
      await exportRegister(target.database, (line) => {
        again.push(line);
      });
      expect(again.slice(1)).toEqual(exported.slice(1));
      expect(exported.some((line) => line.startsWith('{"table":"kpi_value"'))).toBe(true);
      expect((await getKpi(target.db, councilId, "CS01")).values[2]).toMatchObject({
        actual: 24.2,
        rag: "amber",
      });
    } finally {
      await target.close();
    }
  });
});
