import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import type { OpenApiDocument } from "../../../src/web/api/openapi.js";
import { errorSchema } from "../../../src/web/api/schemas.js";
import { kpiSchema, strategyListSchema, strategySchema } from "../../../src/web/api/strategy-schemas.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
const now = new Date("2017-11-20T10:00:00Z");
let app: FastifyInstance;
const tokens = new Map<string, string>();
let strategy: Record<string, unknown>;
let agreedById: number;

async function account(key: string, name: string, roles: Role[], extra: { ward?: string } = {}) {
  const email = `${key}@stockton.example`;
  await createAccount(t.database, {
    email,
    name,
    roles,
    password: "plenty of words in this passphrase",
    actor: "test",
    ...extra,
  });
  tokens.set(key, (await createApiToken(t.database, email, "tests", "test")).token);
}

beforeAll(async () => {
  await t.resetDatabase();
  await account("performance", "Pat Performance", ["officer"]);
  await account("councillor", "Ann Able", ["councillor"], { ward: "Norton North" });
  agreedById = (
    await seedDecision(
      t.database,
      stocktonRecord({ recordId: "D170031", title: "Children's Services Strategy 2017-2020" }),
    )
  ).id;
  strategy = JSON.parse(
    await readFile(
      new URL("../../fixtures/strategies/children-services-strategy.json", import.meta.url),
      "utf8",
    ),
  ) as Record<string, unknown>;
  app = await startTestApp(t.database, () => now);
});

afterAll(async () => {
  await app?.close();
});

function call(method: "GET" | "POST" | "PUT", url: string, who: string | null, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: who === null ? {} : { authorization: `Bearer ${tokens.get(who)!}` },
    ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
  });
}

function errorOf(body: string) {
  return errorSchema.parse(JSON.parse(body)).error;
}

describe.sequential("strategies and KPIs in the API", () => {
  it("lists no strategies at first", async () => {
    const response = await call("GET", "/api/v1/strategies", null);
    expect(response.statusCode).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(strategyListSchema.parse(JSON.parse(response.body)).data).toEqual([]);
  });

  it("creates a strategy for officers only, naming the field of a bad one", async () => {
    expect((await call("POST", "/api/v1/strategies", null, strategy)).statusCode).toBe(401);
    expect((await call("POST", "/api/v1/strategies", "councillor", strategy)).statusCode).toBe(403);

    const bad = structuredClone(strategy) as { priorities: Array<{ kpis: Array<{ unit: string }> }> };
    bad.priorities[0]!.kpis[1]!.unit = "percent";
    const refused = await call("POST", "/api/v1/strategies", "performance", bad);
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused.body)).toMatchObject({ code: "validation", field: "priorities.0.kpis.1.unit" });

    const response = await call("POST", "/api/v1/strategies", "performance", strategy);
    expect(response.statusCode).toBe(201);
    const body = strategySchema.parse(JSON.parse(response.body));
    expect(response.headers.location).toBe(body.links.self);
    expect(body.data).toMatchObject({
      slug: "childrens-services-strategy-2017-2020",
      period: { from: "2017-04-01", to: "2020-03-31" },
      agreedBy: { id: agreedById, recordId: "D170031", links: { html: `/decisions/${agreedById}` } },
      kpiCount: 5,
      ragRule: { kind: "tolerance", amberPercent: 10 },
    });

    const again = await call("POST", "/api/v1/strategies", "performance", strategy);
    expect(again.statusCode).toBe(409);
  });

  it("enters a quarter's figures by KPI code and period, for officers only", async () => {
    const url = "/api/v1/kpis/CS01/values/2017-18%20Q2";
    const figures = {
      actual: 24.2,
      target: 22,
      commentary: "Re-referrals rose after changes at the front door.",
    };
    expect((await call("PUT", url, null, figures)).statusCode).toBe(401);
    expect((await call("PUT", url, "councillor", figures)).statusCode).toBe(403);
    await call("PUT", "/api/v1/kpis/CS01/values/2017-18%20Q1", "performance", { actual: 23, target: 22 });
    const response = await call("PUT", url, "performance", figures);
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    const body = kpiSchema.parse(JSON.parse(response.body));
    expect(body.data.values.map((v) => [v.period, v.actual, v.target, v.rag, v.direction])).toEqual([
      ["2017-18 Q1", 23, 22, "amber", null],
      ["2017-18 Q2", 24.2, 22, "amber", "worsening"],
    ]);

    const badPeriod = await call("PUT", "/api/v1/kpis/CS01/values/2017-18%20Q7", "performance", figures);
    expect(badPeriod.statusCode).toBe(400);
    expect(errorOf(badPeriod.body).field).toBe("period");
    const badField = await call("PUT", url, "performance", { actual: 24.2, colour: "red" });
    expect(errorOf(badField.body).field).toBe("colour");
    const badFigure = await call("PUT", url, "performance", { actual: "a lot" });
    expect(errorOf(badFigure.body).field).toBe("actual");
    expect(
      (await call("PUT", "/api/v1/kpis/XX99/values/2017-18%20Q2", "performance", figures)).statusCode,
    ).toBe(404);
  });

  it("reads strategies and KPIs publicly, with ETags", async () => {
    const list = strategyListSchema.parse(JSON.parse((await call("GET", "/api/v1/strategies", null)).body));
    expect(list.data.map((s) => [s.id, s.slug])).toEqual([[1, "childrens-services-strategy-2017-2020"]]);

    const bySlug = await call("GET", "/api/v1/strategies/childrens-services-strategy-2017-2020", null);
    expect(bySlug.statusCode).toBe(200);
    const detail = strategySchema.parse(JSON.parse(bySlug.body));
    expect(detail.data.priorities[0]!.kpis[0]!.latest).toMatchObject({ period: "2017-18 Q2", rag: "amber" });
    const byId = await call("GET", "/api/v1/strategies/1", null);
    expect(byId.body).toBe(bySlug.body);
    const cached = await app.inject({
      method: "GET",
      url: "/api/v1/strategies/1",
      headers: { "if-none-match": String(byId.headers.etag) },
    });
    expect(cached.statusCode).toBe(304);

    const kpi = kpiSchema.parse(JSON.parse((await call("GET", "/api/v1/kpis/CS01", null)).body));
    expect(kpi.data).toMatchObject({ code: "CS01", unit: "%", polarity: "lower-is-better" });
    expect(kpi.data.values).toHaveLength(2);
    expect(kpi.links.strategy).toBe("/api/v1/strategies/1");
    expect(JSON.stringify(kpi)).not.toContain("@stockton.example"); // who entered it stays in the audit log

    expect((await call("GET", "/api/v1/strategies/early-help", null)).statusCode).toBe(404);
    expect((await call("GET", "/api/v1/kpis/XX99", null)).statusCode).toBe(404);
  });

  it("is in the OpenAPI document and on the docs page", async () => {
    const document = JSON.parse((await call("GET", "/api/openapi.json", null)).body) as OpenApiDocument;
    expect(Object.keys(document.paths["/api/v1/strategies"]!)).toEqual(["get", "post"]);
    expect(document.paths["/api/v1/strategies/{id}"]!.get).toBeDefined();
    expect(document.paths["/api/v1/kpis/{code}"]!.get).toBeDefined();
    const put = document.paths["/api/v1/kpis/{code}/values/{period}"]!.put!;
    expect(put.security).toEqual([{ apiToken: [] }]);
    expect(document.components.schemas).toHaveProperty("NewStrategy");
    expect(document.components.schemas).toHaveProperty("KpiValueInput");
    const docs = await call("GET", "/api/docs", null);
    expect(docs.body).toContain("/api/v1/kpis/{code}/values/{period}");
  });
});
