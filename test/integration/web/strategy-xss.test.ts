import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractText } from "../../../src/import/extract/index.js";
import { createStrategy, exportKpiValues, importKpiValues } from "../../../src/services/strategies/index.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { assertNoInjectedMarkup, CSV_FORMULAS, cspNonceOf, hostile, SCRIPT } from "./security-payloads.js";
import { startTestApp } from "./test-app.js";

/**
 * Hostile text in what a strategy carries (its title, owner, priorities, KPI names, definitions, data sources and
 * quarterly commentary) comes back as text in every output of the strategies: their pages, the quarterly report
 * page and its PDF, the API, and the KPI values CSV, whose formulas are defused.
 */

const t = useTestDatabase({ reset: "manual" });
const SLUG = "hostile-strategy";
const NOW = new Date("2017-11-20T10:00:00Z");
let app: FastifyInstance;
let councilId: number;

const csvCell = (value: string) => `"${value.replace(/"/g, '""')}"`;

beforeAll(async () => {
  await t.resetDatabase();
  ({ councilId } = await seedDecision(t.database, stocktonRecord({ recordId: "D170099" })));
  await createStrategy(
    t.database,
    councilId,
    {
      title: hostile("Strategy"),
      slug: SLUG,
      owner: hostile("Owner"),
      period: { from: "2017-18", to: "2019-20" },
      agreedBy: "D170099",
      priorities: [
        {
          title: hostile("Priority"),
          kpis: [
            {
              code: "HX01",
              name: hostile("KPI"),
              unit: "%",
              polarity: "higher-is-better",
              definition: hostile("Definition"),
              dataSource: hostile("Source"),
            },
            ...CSV_FORMULAS.map((_formula, n) => ({
              code: `HX1${n}`,
              name: `Formula KPI ${n}`,
              unit: "number" as const,
              polarity: "higher-is-better" as const,
            })),
          ],
        },
      ],
    },
    "test",
  );
  const rows = [
    "kpi,period,actual,target,commentary",
    `HX01,2017-18 Q2,71.5,80,${csvCell(hostile("Commentary"))}`,
    ...CSV_FORMULAS.map((formula, n) => `HX1${n},2017-18 Q2,${n + 1},5,${csvCell(formula)}`),
  ];
  await importKpiValues(t.database, councilId, `${rows.join("\r\n")}\r\n`, "test");
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

describe("hostile text in a strategy comes back as text", () => {
  it("on the strategy pages and the quarterly report", async () => {
    for (const url of ["/strategies", `/strategies/${SLUG}`, `/strategies/${SLUG}/2017-18/q2`]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      assertNoInjectedMarkup(response.body, { nonce: cspNonceOf(response.headers), where: url });
      expect(response.body, url).not.toContain(SCRIPT);
      expect(response.body, url).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
  });

  it("in the quarterly PDF, as read back by our importer", async () => {
    const response = await app.inject({ url: `/strategies/${SLUG}/2017-18/q2.pdf` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/pdf/);
    const { text } = await extractText(response.rawPayload, "report.pdf");
    const flat = text.replace(/\s+/g, " ");
    for (const label of ["Priority", "KPI"]) expect(flat).toContain(`${label} ${SCRIPT}`);
  });

  it("in the API, exactly", async () => {
    const response = await app.inject({ url: `/api/v1/strategies/${SLUG}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const kpi = await app.inject({ url: "/api/v1/kpis/HX01" });
    expect(kpi.statusCode).toBe(200);
    const body = JSON.stringify(response.json()) + JSON.stringify(kpi.json());
    for (const label of ["Strategy", "Owner", "Priority", "KPI", "Definition", "Source", "Commentary"]) {
      expect(body, label).toContain(JSON.stringify(hostile(label)).slice(1, -1));
    }
  });

  it("in the KPI values CSV, with every formula behind an apostrophe", async () => {
    const csv = await exportKpiValues(t.database.db, councilId, SLUG);
    for (const formula of CSV_FORMULAS) expect(csv).toContain(`'${formula.replace(/"/g, '""')}`);
    // Each cell a spreadsheet reads starts with text, never =, +, - or @.
    for (const line of csv
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n")
      .slice(1)) {
      const commentary = line.split(",").slice(4).join(",").replace(/^"/, "");
      expect(commentary, line).not.toMatch(/^[=+\-@]/);
    }
  });
});
