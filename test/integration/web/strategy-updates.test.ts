import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import { decisionDetailSchema, errorSchema } from "../../../src/web/api/schemas.js";
import { strategySchema } from "../../../src/web/api/strategy-schemas.js";
import { strategyUpdateVerdictSchema } from "../../../src/web/api/strategy-update-schemas.js";
import { useTestDatabase } from "../backends.js";
import { ASC_Q2, ASC_Q3, ASC_STRATEGY, cabinetRecord, HARROWFIELD } from "../strategy-update-fixtures.js";
import { csrfTokenIn, postForm, sessionFor } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2020-03-02T10:00:00Z");
let app: FastifyInstance;
let agreeing: number;
let q2: number;
let q3: number;
const tokens: Record<string, string> = {};

async function imported(bytes: Buffer, fileName: string): Promise<number> {
  return (await importDocument(t.database, { bytes, fileName }, { actor: "test" })).decisionId;
}

async function account(key: string, roles: ("officer" | "councillor")[]): Promise<void> {
  const email = `${key}@harrowfield.example`;
  await createAccount(t.database, {
    email,
    name: `${key[0]!.toUpperCase()}${key.slice(1)} Tester`,
    roles,
    password: "plenty of words in this passphrase",
    council: HARROWFIELD,
    actor: "test",
    ...(roles.includes("councillor") && { ward: "Harrowfield North", party: "Independent" }),
  });
  tokens[key] = (await createApiToken(t.database, email, "tests", "test")).token;
}

beforeAll(async () => {
  await t.resetDatabase();
  agreeing = await imported(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
  q2 = await imported(cabinetRecord(ASC_Q2), "asc-q2.txt");
  q3 = await imported(cabinetRecord(ASC_Q3), "asc-q3.txt");
  await account("olu", ["officer"]);
  await account("cora", ["councillor"]);
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

const SLUG = "adult-social-care-strategy-2019-2022";

function call(method: "GET" | "POST", url: string, who?: string) {
  return app.inject({
    method,
    url,
    headers: who === undefined ? {} : { authorization: `Bearer ${tokens[who]!}` },
  });
}

async function linkIds(): Promise<Record<string, number>> {
  const body = strategySchema.parse((await call("GET", `/api/v1/strategies/${SLUG}`)).json());
  return Object.fromEntries(body.data.updates.map((u) => [u.period, u.id]));
}

describe("strategy updates on the website and the API", () => {
  it("says on the decision pages which strategy a decision agreed or updated on", async () => {
    const agreed = await app.inject({ method: "GET", url: `/decisions/${agreeing}` });
    expect(agreed.statusCode).toBe(200);
    expect(agreed.body).toContain(
      '<h2 class="govuk-heading-l govuk-!-margin-top-6" id="strategy">Strategy</h2>',
    );
    expect(agreed.body).toContain(
      `This decision agreed the <a class="govuk-link" href="/strategies/${SLUG}">Adult Social Care Strategy 2019-2022</a>.`,
    );
    const update = await app.inject({ method: "GET", url: `/decisions/${q2}` });
    expect(update.body).toContain(
      `Quarterly performance update for the <a class="govuk-link" href="/strategies/${SLUG}">Adult Social Care Strategy 2019-2022</a>, <a class="govuk-link" href="/strategies/${SLUG}/2019-20/q2">2019-20 Q2</a> (awaiting an officer’s confirmation).`,
    );
    const strategyPage = await app.inject({ method: "GET", url: `/strategies/${SLUG}` });
    expect(strategyPage.statusCode).toBe(200);
    expect(strategyPage.body).toContain("Quarterly updates to Cabinet");
    expect(strategyPage.body).toContain(`href="/strategies/${SLUG}/2019-20/q3">2019-20 Q3</a>`);
    expect(strategyPage.body).toContain(`<a class="govuk-link" href="/decisions/${q3}">${ASC_Q3.title}</a>`);
    expect(strategyPage.body).toContain("Its priorities and KPIs have not been added yet.");
    const list = await app.inject({ method: "GET", url: "/strategies" });
    expect(list.body).toContain("found in the record that agreed it, priorities and KPIs not yet added");
  });

  it("gives the links in the decision and strategy JSON", async () => {
    const decision = decisionDetailSchema.parse((await call("GET", `/api/v1/decisions/${q2}`)).json());
    expect(decision.data.strategy).toMatchObject({
      agrees: null,
      updateOf: [
        {
          strategy: { slug: SLUG, origin: "found-in-record", links: { html: `/strategies/${SLUG}` } },
          period: "2019-20 Q2",
          status: "proposed",
          links: { quarter: `/strategies/${SLUG}/2019-20/q2` },
        },
      ],
    });
    const agreed = decisionDetailSchema.parse((await call("GET", `/api/v1/decisions/${agreeing}`)).json());
    expect(agreed.data.strategy?.agrees).toMatchObject({
      slug: SLUG,
      title: "Adult Social Care Strategy 2019-2022",
    });
    const strategy = strategySchema.parse((await call("GET", `/api/v1/strategies/${SLUG}`)).json());
    expect(strategy.data.origin).toBe("found-in-record");
    expect(strategy.data.updates.map((u) => [u.period, u.decisionId, u.status])).toEqual([
      ["2019-20 Q2", q2, "proposed"],
      ["2019-20 Q3", q3, "proposed"],
    ]);
  });

  it("lets an officer's token confirm over the API, and nobody else", async () => {
    const { "2019-20 Q3": link } = await linkIds();
    const url = `/api/v1/strategy-updates/${link}/confirmation`;
    expect((await call("POST", url)).statusCode).toBe(401);
    expect((await call("POST", url, "cora")).statusCode).toBe(403);
    const missing = await call("POST", "/api/v1/strategy-updates/99999/confirmation", "olu");
    expect(missing.statusCode).toBe(404);
    errorSchema.parse(missing.json());
    const confirmed = await call("POST", url, "olu");
    expect(confirmed.statusCode).toBe(200);
    expect(strategyUpdateVerdictSchema.parse(confirmed.json()).data).toMatchObject({
      decisionId: q3,
      period: "2019-20 Q3",
      status: "confirmed",
    });
    const page = await app.inject({ method: "GET", url: `/decisions/${q3}` });
    expect(page.body).toContain(`2019-20 Q3</a>.`);
    expect(page.body).not.toContain("awaiting an officer");
  });

  it("lists proposed links in the workspace for officers, who confirm or reject with the form's CSRF token", async () => {
    const councillor = await sessionFor(app, "cora@harrowfield.example");
    const refused = await app.inject({
      method: "GET",
      url: "/workspace/strategy-updates",
      headers: { cookie: councillor.cookie },
    });
    expect(refused.statusCode).toBe(403);
    expect((await app.inject({ method: "GET", url: "/workspace/strategy-updates" })).statusCode).not.toBe(
      200,
    );

    const officer = await sessionFor(app, "olu@harrowfield.example");
    const page = await app.inject({
      method: "GET",
      url: "/workspace/strategy-updates",
      headers: { cookie: officer.cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    const { "2019-20 Q2": link } = await linkIds();
    expect(page.body).toContain(`id="strategy-update-${link}"`);
    expect(page.body).toContain("Found because: title names Q2 (July - Sept), read as 2019-20 Q2");
    expect(page.body).not.toContain(ASC_Q3.title); // confirmed already: not listed

    const forged = await postForm(app, `/workspace/strategy-updates/${link}/rejection`, {}, officer.cookie);
    expect(forged.statusCode).toBe(403);
    const councillorPost = await postForm(
      app,
      `/workspace/strategy-updates/${link}/rejection`,
      { _csrf: councillor.csrf },
      councillor.cookie,
    );
    expect(councillorPost.statusCode).toBe(403);

    const rejected = await postForm(
      app,
      `/workspace/strategy-updates/${link}/rejection`,
      { _csrf: csrfTokenIn(page.body) },
      officer.cookie,
    );
    expect(rejected.statusCode).toBe(303);
    expect(rejected.headers.location).toBe("/workspace/strategy-updates");
    const after = await app.inject({
      method: "GET",
      url: "/workspace/strategy-updates",
      headers: { cookie: officer.cookie },
    });
    expect(after.body).toContain(`Decision ${q2} will not be proposed as an update of that strategy again.`);
    expect(after.body).toContain("There are no proposed updates to confirm.");
    expect(Object.keys(await linkIds())).toEqual(["2019-20 Q3"]);
    const audit = await t.db
      .selectFrom("auditLog")
      .select(["action", "actor"])
      .where("action", "=", "strategy-update.rejected")
      .executeTakeFirstOrThrow();
    expect(audit.actor).toContain("olu@harrowfield.example");
  });
});
