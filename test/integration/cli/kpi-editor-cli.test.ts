import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCliRegister } from "./cli-register.js";

/**
 * The service-manager role from the command line: `resolved user add --role service-manager`, a strategy whose
 * KPIs name who enters their values ("enteredBy"), and `resolved kpi import`, which runs as the machine's operator
 * (trusted, as every command is) and so may enter any KPI's values.
 */

const { cli, withDatabase } = useCliRegister("kpi-editor-cli");
const fixtures = new URL("../../fixtures/strategies/", import.meta.url).pathname;
let dir: string;
let strategy: { priorities: Array<{ kpis: Array<Record<string, unknown>> }> } & Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "resolved-kpi-editor-cli-"));
  strategy = JSON.parse(
    await readFile(fixtures + "children-services-strategy.json", "utf8"),
  ) as typeof strategy;
  delete strategy.agreedBy;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.sequential("service managers from the command line", () => {
  it("adds an account with the service-manager role", async () => {
    const run = await cli([
      "user",
      "add",
      "sam.safeguarding@stockton.example",
      "--name",
      "Sam Safeguarding",
      "--role",
      "service-manager",
      "--no-password",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("sam.safeguarding@stockton.example (Sam Safeguarding), service-manager");
    const list = await cli(["user", "list"]);
    expect(list.stdout).toMatch(/sam\.safeguarding@stockton\.example.*service-manager/);
  });

  it("names who enters a KPI's values from the strategy's JSON, and points at an unknown email", async () => {
    const bad = structuredClone(strategy);
    bad.priorities[0]!.kpis[1]!.enteredBy = ["nobody@stockton.example"];
    const badFile = join(dir, "bad.json");
    await writeFile(badFile, JSON.stringify(bad, null, 2));
    const refused = await cli(["strategy", "import", badFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(
        `^${badFile.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+: priorities\\.0\\.kpis\\.1\\.enteredBy\\.0: no account nobody@stockton\\.example`,
      ),
    );

    const good = structuredClone(strategy);
    good.priorities[0]!.kpis[0]!.enteredBy = ["sam.safeguarding@stockton.example"];
    const goodFile = join(dir, "strategy.json");
    await writeFile(goodFile, JSON.stringify(good, null, 2));
    const run = await cli(["strategy", "import", goodFile]);
    expect(run.code, run.stderr).toBe(0);
    const editors = await withDatabase((database) =>
      database.db
        .selectFrom("kpiEditor")
        .innerJoin("kpi", "kpi.id", "kpiEditor.kpiId")
        .innerJoin("account", "account.id", "kpiEditor.accountId")
        .select(["kpi.code", "account.email"])
        .execute(),
    );
    expect(editors).toEqual([{ code: "CS01", email: "sam.safeguarding@stockton.example" }]);
  });

  it("imports any KPI's values as the operator, whoever the KPIs name", async () => {
    const csv = join(dir, "values.csv");
    await writeFile(csv, "kpi,period,actual,target\nCS01,2017-18 Q1,23,22\nCS04,2017-18 Q1,90,95\n");
    const run = await cli(["kpi", "import", csv]);
    expect(run.code, run.stderr).toBe(0);
    const values = await withDatabase((database) =>
      database.db.selectFrom("kpiValue").select(["enteredBy"]).execute(),
    );
    expect(values).toHaveLength(2);
  });
});
