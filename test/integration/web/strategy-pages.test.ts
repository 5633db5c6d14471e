import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStrategy, importKpiValues } from "../../../src/services/strategies/index.js";
import { formatFigure } from "../../../src/web/strategies/strategy-page-routes.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
const fixtures = new URL("../../fixtures/strategies/", import.meta.url).pathname;

beforeAll(async () => {
  await t.resetDatabase();
  const { councilId } = await seedDecision(
    t.database,
    stocktonRecord({ recordId: "D170031", title: "Children's Services Strategy 2017-2020" }),
  );
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
