import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../../src/services/accounts/index.js";
import { createStrategy, getKpi, importKpiValues } from "../../../src/services/strategies/index.js";
import { formatFigure } from "../../../src/web/shared/kpi-format.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { csrfTokenIn, getPage, postForm, sessionFor, TEST_PASSWORD } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
const fixtures = new URL("../../fixtures/strategies/", import.meta.url).pathname;
let councilId: number;

beforeAll(async () => {
  await t.resetDatabase();
  ({ councilId } = await seedDecision(
    t.database,
    stocktonRecord({ recordId: "D170031", title: "Children's Services Strategy 2017-2020" }),
  ));
  for (const [email, roles] of [
    ["pat@stockton.example", ["officer"]],
    ["ann@stockton.example", ["councillor"]],
  ] as const) {
    await createAccount(t.database, {
      email,
      name: email.split("@")[0]!,
      roles: [...roles],
      password: TEST_PASSWORD,
      actor: "test",
      ...(roles[0] === "councillor" && { ward: "Norton North" }),
    });
  }
  await createStrategy(
    t.database,
    councilId,
    JSON.parse(await readFile(fixtures + "children-services-strategy.json", "utf8")),
    "test",
  );
  await importKpiValues(
    t.database,
    councilId,
    await readFile(fixtures + "children-services-values.csv", "utf8"),
    "test",
  );
  app = await startTestApp(t.database, () => new Date("2017-11-20T10:00:00Z"));
});

afterAll(async () => {
  await app?.close();
});

describe("the strategy pages", () => {
  it("list the strategies, linked to their pages and the agreeing decision", async () => {
    const response = await app.inject({ method: "GET", url: "/strategies" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('href="/strategies/childrens-services-strategy-2017-2020"');
    expect(response.body).toContain("Children&#39;s Services Strategy 2017-2020");
    expect(response.body).toMatch(/2 priorities, 5 KPIs/);
    expect(response.body).toMatch(/Agreed by <a class="govuk-link" href="\/decisions\/\d+">/);
  });

  it("show each KPI's latest position with RAG as a word and a shape, and its direction", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/strategies/childrens-services-strategy-2017-2020",
    });
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain("1. Children and young people are safe and protected from harm");
    // CS01 in 2017-18 Q2: 24.2% against 22%, exactly 10% worse: amber, worse than Q1 and a year before.
    const cs01 = body.slice(body.indexOf("Re-referrals to children"), body.indexOf("Single assessments"));
    expect(cs01).toContain("24.2%");
    expect(cs01).toContain("22%");
    expect(cs01).toMatch(
      /<strong class="govuk-tag govuk-tag--yellow"><span aria-hidden="true">▲<\/span> Amber<\/strong>/,
    );
    expect(cs01).toContain("Worsening on the quarter before");
    const cs02 = body.slice(body.indexOf("Single assessments"), body.indexOf("Average days"));
    expect(cs02).toMatch(/●<\/span> Green/);
    expect(cs02).toContain("Improving on the quarter before");
    expect(body).toContain("£1,245,000");
    expect(body).toContain(
      "Green when the target is met; amber when worse by no more than 10% of the target",
    );

    expect((await app.inject({ method: "GET", url: "/strategies/early-help" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/strategies/%3Cscript%3E" })).statusCode).toBe(404);
  });

  it("format figures in their unit", () => {
    expect(formatFigure(24.2, "%")).toBe("24.2%");
    expect(formatFigure(1245000, "money")).toBe("£1,245,000");
    expect(formatFigure(1, "days")).toBe("1 day");
    expect(formatFigure(0.857, "ratio")).toBe("0.86");
    expect(formatFigure(null, "number")).toBe("Not given");
  });
});

describe("entering KPI values in the workspace", () => {
  it("is for officers only", async () => {
    expect((await getPage(app, "/workspace/kpis/CS01")).statusCode).not.toBe(200);
    const councillor = await sessionFor(app, "ann@stockton.example");
    expect((await getPage(app, "/workspace/kpis/CS01", councillor)).statusCode).toBe(403);
  });

  it("lists the KPIs, shows a KPI's quarters and saves one quarter, audited", async () => {
    const officer = await sessionFor(app, "pat@stockton.example");
    const list = await getPage(app, "/workspace/strategies", officer);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/workspace/kpis/CS03"');

    const page = await getPage(app, "/workspace/kpis/CS02?period=2017-18%20Q2", officer);
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.body).toContain('value="88.5"');
    expect(page.body).toMatch(/●<\/span> Green/);

    const refused = await postForm(
      app,
      "/workspace/kpis/CS02",
      { _csrf: csrfTokenIn(page.body), period: "2017-18 Q3", actual: "eighty", target: "", commentary: "" },
      officer.cookie,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#actual"');
    expect(refused.body).toContain("actual: must be a number");

    const saved = await postForm(
      app,
      "/workspace/kpis/CS02",
      {
        _csrf: csrfTokenIn(refused.body),
        period: "2017-18 Q3",
        actual: "80",
        target: "85",
        commentary: "Two social workers on long-term leave.",
      },
      officer.cookie,
    );
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/workspace/kpis/CS02");
    const after = await getPage(app, "/workspace/kpis/CS02", officer);
    expect(after.body).toContain("CS02 2017-18 Q3 has been saved");
    const kpi = await getKpi(t.db, councilId, "CS02");
    expect(kpi.values.at(-1)).toMatchObject({ period: "2017-18 Q3", actual: 80, target: 85, rag: "amber" });
    const audit = await t.db
      .selectFrom("auditLog")
      .select("actor")
      .where("action", "=", "kpi-value.entered")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(audit.actor).toMatch(/pat@stockton\.example/);

    // Without the CSRF token: refused, nothing saved.
    const forged = await postForm(
      app,
      "/workspace/kpis/CS02",
      { period: "2017-18 Q4", actual: "1" },
      officer.cookie,
    );
    expect(forged.statusCode).toBe(403);
    expect((await getKpi(t.db, councilId, "CS02")).values).toHaveLength(3);
  });
});
