import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { createStrategy } from "../../../src/services/strategies/index.js";
import type { OpenApiDocument } from "../../../src/web/api/openapi.js";
import { errorSchema } from "../../../src/web/api/schemas.js";
import { kpiSchema, strategySchema } from "../../../src/web/api/strategy-schemas.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
const tokens = new Map<string, string>();
let strategyId: number;

async function account(key: string, name: string, roles: Role[]) {
  const email = `${key}@stockton.example`;
  await createAccount(t.database, {
    email,
    name,
    roles,
    actor: "test",
    ...(roles.includes("councillor") && { ward: "Norton North" }),
  });
  tokens.set(key, (await createApiToken(t.database, email, "tests", "test")).token);
}

beforeAll(async () => {
  await t.resetDatabase();
  const { councilId } = await seedDecision(
    t.database,
    stocktonRecord({ recordId: "D170031", title: "Children's Services Strategy 2017-2020" }),
  );
  await account("performance", "Pat Performance", ["officer"]);
  await account("admin", "Ada Admin", ["admin"]);
  await account("safeguarding", "Sam Safeguarding", ["service-manager"]);
  await account("councillor", "Ann Able", ["councillor"]);
  const json = JSON.parse(
    await readFile(
      new URL("../../fixtures/strategies/children-services-strategy.json", import.meta.url),
      "utf8",
    ),
  ) as { priorities: Array<{ kpis: Array<Record<string, unknown>> }> };
  json.priorities[0]!.kpis[0]!.enteredBy = ["safeguarding@stockton.example"];
  strategyId = (await createStrategy(t.database, councilId, json, "test")).id;
  app = await startTestApp(t.database, () => new Date("2017-11-20T10:00:00Z"));
});

afterAll(async () => {
  await app?.close();
});

function call(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  who: string | null,
  payload?: unknown,
) {
  return app.inject({
    method,
    url,
    headers: who === null ? {} : { authorization: `Bearer ${tokens.get(who)!}` },
    ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
  });
}

const errorOf = (body: string) => errorSchema.parse(JSON.parse(body)).error;

describe.sequential("entering KPI values with a service manager's token", () => {
  it("works for the KPIs that name them, 403 for others, and for councillors", async () => {
    const own = await call("PUT", "/api/v1/kpis/CS01/values/2017-18%20Q2", "safeguarding", {
      actual: 24.2,
      target: 22,
    });
    expect(own.statusCode).toBe(200);
    expect(kpiSchema.parse(JSON.parse(own.body)).data.values).toHaveLength(1);

    const other = await call("PUT", "/api/v1/kpis/CS02/values/2017-18%20Q2", "safeguarding", { actual: 80 });
    expect(other.statusCode).toBe(403);
    expect(errorOf(other.body)).toMatchObject({ code: "forbidden" });
    expect(errorOf(other.body).message).toContain("CS02");
    expect(
      (await call("PUT", "/api/v1/kpis/CS01/values/2017-18%20Q3", "councillor", { actual: 1 })).statusCode,
    ).toBe(403);
    expect(
      (await call("PUT", "/api/v1/kpis/CS02/values/2017-18%20Q2", "admin", { actual: 80 })).statusCode,
    ).toBe(200);
    expect(
      (await call("PUT", "/api/v1/kpis/CS02/values/2017-18%20Q2", null, { actual: 80 })).statusCode,
    ).toBe(401);
  });
});

describe.sequential("changing a strategy through the API", () => {
  it("patches the strategy's details, for officers and admins only", async () => {
    const url = `/api/v1/strategies/${strategyId}`;
    expect((await call("PATCH", url, "safeguarding", { title: "Mine" })).statusCode).toBe(403);
    expect((await call("PATCH", url, "councillor", { title: "Mine" })).statusCode).toBe(403);
    expect((await call("PATCH", url, null, { title: "Mine" })).statusCode).toBe(401);

    const bad = await call("PATCH", url, "performance", { period: { from: "2017-18", to: "2016-17" } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad.body).field).toBe("period.to");
    const unknown = await call("PATCH", url, "performance", { colour: "blue" });
    expect(errorOf(unknown.body).field).toBe("colour");

    const response = await call("PATCH", url, "admin", {
      owner: "Corporate Director, Children's Services",
      agreedBy: null,
    });
    expect(response.statusCode).toBe(200);
    expect(strategySchema.parse(JSON.parse(response.body)).data).toMatchObject({
      owner: "Corporate Director, Children's Services",
      agreedBy: null,
      title: "Children's Services Strategy 2017-2020",
    });
  });

  it("adds, changes and removes priorities", async () => {
    const base = `/api/v1/strategies/${strategyId}/priorities`;
    const added = await call("POST", base, "performance", {
      title: "Families are helped early",
      position: 1,
    });
    expect(added.statusCode).toBe(201);
    const priorities = strategySchema.parse(JSON.parse(added.body)).data.priorities;
    expect(priorities.map((p) => [p.position, p.title])[0]).toEqual([1, "Families are helped early"]);
    const early = priorities[0]!.id;

    const moved = await call("PATCH", `${base}/${early}`, "performance", {
      position: 3,
      title: "Early help",
    });
    expect(moved.statusCode).toBe(200);
    expect(strategySchema.parse(JSON.parse(moved.body)).data.priorities.map((p) => p.title)[2]).toBe(
      "Early help",
    );
    expect((await call("PATCH", `${base}/99999`, "performance", { title: "X" })).statusCode).toBe(404);
    expect((await call("PATCH", `${base}/${early}`, "safeguarding", { title: "X" })).statusCode).toBe(403);

    const withKpis = priorities[1]!.id;
    const refused = await call("DELETE", `${base}/${withKpis}`, "performance");
    expect(refused.statusCode).toBe(409);
    expect(errorOf(refused.body).message).toContain("still has KPIs");
    const removed = await call("DELETE", `${base}/${early}`, "performance");
    expect(removed.statusCode).toBe(204);
  });

  it("adds, changes and removes KPIs by code", async () => {
    const strategy = strategySchema.parse(
      JSON.parse((await call("GET", `/api/v1/strategies/${strategyId}`, null)).body),
    );
    const school = strategy.data.priorities[1]!.id;
    const kpi = {
      priorityId: school,
      code: "CS06",
      name: "Persistent absence of children looked after",
      unit: "%",
      polarity: "lower-is-better",
      enteredBy: ["safeguarding@stockton.example"],
    };
    expect(
      (await call("POST", `/api/v1/strategies/${strategyId}/kpis`, "safeguarding", kpi)).statusCode,
    ).toBe(403);
    const added = await call("POST", `/api/v1/strategies/${strategyId}/kpis`, "performance", kpi);
    expect(added.statusCode).toBe(201);
    expect(added.headers.location).toBe("/api/v1/kpis/CS06");
    expect(kpiSchema.parse(JSON.parse(added.body)).data.priority.position).toBe(2);
    // Named on it, the service manager may now enter its figures.
    expect(
      (await call("PUT", "/api/v1/kpis/CS06/values/2017-18%20Q2", "safeguarding", { actual: 12 })).statusCode,
    ).toBe(200);
    const again = await call("POST", `/api/v1/strategies/${strategyId}/kpis`, "performance", kpi);
    expect(again.statusCode).toBe(409);

    const changed = await call("PATCH", "/api/v1/kpis/CS03", "admin", {
      name: "Days from care to adoptive family",
      priorityId: school,
    });
    expect(changed.statusCode).toBe(200);
    expect(kpiSchema.parse(JSON.parse(changed.body)).data).toMatchObject({
      name: "Days from care to adoptive family",
      priority: { position: 2 },
    });
    const badUnit = await call("PATCH", "/api/v1/kpis/CS03", "admin", { unit: "percent" });
    expect(errorOf(badUnit.body).field).toBe("unit");

    expect((await call("DELETE", "/api/v1/kpis/CS06", "performance")).statusCode).toBe(409);
    expect((await call("DELETE", "/api/v1/kpis/CS03", "councillor")).statusCode).toBe(403);
    expect((await call("DELETE", "/api/v1/kpis/CS03", "performance")).statusCode).toBe(204);
    expect((await call("GET", "/api/v1/kpis/CS03", null)).statusCode).toBe(404);
  });

  it("is in the OpenAPI document", async () => {
    const document = JSON.parse((await call("GET", "/api/openapi.json", null)).body) as OpenApiDocument;
    expect(Object.keys(document.paths["/api/v1/strategies/{id}"]!).sort()).toEqual(["get", "patch"]);
    expect(Object.keys(document.paths["/api/v1/strategies/{id}/priorities/{pid}"]!).sort()).toEqual([
      "delete",
      "patch",
    ]);
    expect(Object.keys(document.paths["/api/v1/kpis/{code}"]!).sort()).toEqual(["delete", "get", "patch"]);
    expect(document.paths["/api/v1/strategies/{id}/kpis"]!.post).toBeDefined();
    expect(document.paths["/api/v1/kpis/{code}/values/{period}"]!.put!["x-roles"]).toEqual([
      "officer",
      "admin",
      "service-manager",
    ]);
    for (const name of ["StrategyChanges", "NewPriority", "PriorityChanges", "NewKpi", "KpiChanges"]) {
      expect(document.components.schemas).toHaveProperty(name);
    }
  });
});
