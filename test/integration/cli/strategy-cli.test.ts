import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCliRegister } from "./cli-register.js";

/**
 * `resolved strategy` and `resolved kpi` as a performance officer runs them: the built CLI in its own process,
 * on the run's backend, with the children's services strategy and its values.
 */

const { cli } = useCliRegister("strategy-cli");
const fixtures = new URL("../../fixtures/strategies/", import.meta.url).pathname;
let dir: string;
let strategyFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "resolved-strategy-cli-"));
  // The register here has no decisions: the strategy without its agreeing decision.
  const strategy = JSON.parse(await readFile(fixtures + "children-services-strategy.json", "utf8")) as Record<
    string,
    unknown
  >;
  delete strategy.agreedBy;
  strategyFile = join(dir, "strategy.json");
  await writeFile(strategyFile, JSON.stringify(strategy, null, 2));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.sequential("resolved strategy and resolved kpi", () => {
  it("reports a bad field of the JSON at its line and column, and creates nothing", async () => {
    const text = (await readFile(strategyFile, "utf8")).replace('"unit": "days"', '"unit": "weeks"');
    const bad = join(dir, "bad-strategy.json");
    await writeFile(bad, text);
    const run = await cli(["strategy", "import", bad]);
    expect(run.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l.includes('"weeks"')) + 1;
    const column = text.split("\n")[line - 1]!.indexOf('"weeks"') + 1;
    expect(run.stderr).toBe(
      `${bad}:${line}:${column}: priorities.0.kpis.2.unit: must be one of number, %, money, days, ratio\n`,
    );

    await writeFile(
      bad,
      '{\n  "title": "Early Help",\n  "period": { "from": "2018-19" "to": "2020-21" }\n}\n',
    );
    const broken = await cli(["strategy", "import", bad]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`^${bad}:3:33: not valid JSON: `));

    expect((await cli(["strategy", "list"])).stdout).toBe(
      "No strategies yet (add one with resolved strategy import).\n",
    );
  });

  it("imports a strategy and lists it", async () => {
    const run = await cli(["strategy", "import", strategyFile]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Strategy 1 created: childrens-services-strategy-2017-2020, with 5 KPIs.\n");
    const list = await cli(["strategy", "list"]);
    expect(list.stdout).toMatch(
      /^ID +SLUG +PERIOD +PRIORITIES +KPIS +AGREED BY +TITLE\n1 +childrens-services-strategy-2017-2020 +2017-04-01 to 2020-03-31 +2 +5 +Children's Services Strategy 2017-2020\n$/,
    );
    const json = JSON.parse((await cli(["strategy", "list", "--json"])).stdout) as Array<{ slug: string }>;
    expect(json.map((s) => s.slug)).toEqual(["childrens-services-strategy-2017-2020"]);
  });

  it("refuses a CSV with bad rows, naming each at FILE:LINE:COLUMN, and imports nothing", async () => {
    const bad = join(dir, "bad-values.csv");
    await writeFile(
      bad,
      "kpi,period,actual,target,commentary\nCS01,2017-18 Q3,22.9,22,\nCS09,2017-18 Q3,1,,\nCS02,Q3 2017,80,85,\n",
    );
    const run = await cli(["kpi", "import", bad]);
    expect(run.code).toBe(1);
    expect(run.stderr.split("\n")).toEqual([
      `${bad}:3:1: kpi: no KPI "CS09" in this council's strategies`,
      expect.stringMatching(new RegExp(`^${bad}:4:2: period: "Q3 2017" is not a financial quarter`)),
      "resolved: nothing was imported",
      "",
    ]);
    const exported = await cli(["kpi", "export"]);
    expect(exported.stdout).toBe("\uFEFFkpi,period,actual,target,commentary\r\n");
  });

  it("imports the values and exports them the same way", async () => {
    const file = fixtures + "children-services-values.csv";
    const run = await cli(["kpi", "import", file]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("KPI values: 9 entered, 0 changed, 0 unchanged.\n");

    const exported = await cli(["kpi", "export", "--strategy", "childrens-services-strategy-2017-2020"]);
    expect(exported.code).toBe(0);
    const lines = exported.stdout
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines).toHaveLength(10);
    expect(lines[1]).toBe("CS01,2016-17 Q2,24.1,22,");
    expect(lines[3]).toBe(
      "CS01,2017-18 Q2,24.2,22,Re-referrals rose in Q2 after the changes at the front door; an audit of closed cases reports to Cabinet in December.",
    );

    // Its own export, read back: nothing to change.
    const again = join(dir, "values.csv");
    await writeFile(again, exported.stdout);
    expect((await cli(["kpi", "import", again])).stdout).toBe(
      "KPI values: 0 entered, 0 changed, 9 unchanged.\n",
    );

    const unknown = await cli(["kpi", "export", "--strategy", "early-help"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no strategy "early-help"/);
  });

  it("shows and sets the council's RAG rule", async () => {
    expect((await cli(["kpi", "rule"])).stdout).toBe(
      "RAG: green when the target is met; amber when worse by no more than 10% of the target; red when worse by more.\n",
    );
    const set = await cli(["kpi", "rule", "--improving-amber"]);
    expect(set.stdout).toMatch(
      /^RAG rule changed\.\nRAG: green when the target is met; amber when it is missed but better/,
    );
    const bad = await cli(["kpi", "rule", "--amber-percent", "150"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^resolved: ragRule\.amberPercent: /);
    expect((await cli(["kpi", "rule", "--amber-percent", "5"])).stdout).toMatch(
      /no more than 5% of the target/,
    );
  });
});
