import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount } from "../../../src/services/accounts/index.js";
import {
  createStrategy,
  getKpi,
  getStrategy,
  listKpiEditors,
} from "../../../src/services/strategies/index.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import {
  csrfTokenIn,
  getPage,
  postForm,
  sessionFor,
  TEST_PASSWORD,
  type BrowserSession,
} from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
let councilId: number;
const SLUG = "childrens-services-strategy-2017-2020";
const EDIT = `/workspace/strategies/${SLUG}`;
const sessions = new Map<string, BrowserSession>();
const accountIds = new Map<string, number>();

const ACCOUNTS: Array<[key: string, name: string, roles: Role[]]> = [
  ["pat", "Pat Performance", ["officer"]],
  ["ada", "Ada Admin", ["admin"]],
  ["sam", "Sam Safeguarding", ["service-manager"]],
  ["vic", "Vic Virtual-School", ["service-manager"]],
  ["ann", "Ann Able", ["councillor"]],
];

beforeAll(async () => {
  await t.resetDatabase();
  ({ councilId } = await seedDecision(
    t.database,
    stocktonRecord({ recordId: "D170031", title: "Children's Services Strategy 2017-2020" }),
  ));
  for (const [key, name, roles] of ACCOUNTS) {
    const account = await createAccount(t.database, {
      email: `${key}@stockton.example`,
      name,
      roles,
      password: TEST_PASSWORD,
      actor: "test",
      ...(roles.includes("councillor") && { ward: "Norton North" }),
    });
    accountIds.set(key, account.id);
  }
  const json = JSON.parse(
    await readFile(
      new URL("../../fixtures/strategies/children-services-strategy.json", import.meta.url),
      "utf8",
    ),
  ) as { priorities: Array<{ kpis: Array<Record<string, unknown>> }> };
  json.priorities[0]!.kpis[0]!.enteredBy = ["sam@stockton.example"];
  json.priorities[1]!.kpis[0]!.enteredBy = ["vic@stockton.example"];
  await createStrategy(t.database, councilId, json, "test");
  app = await startTestApp(t.database, () => new Date("2017-11-20T10:00:00Z"));
  for (const [key] of ACCOUNTS) sessions.set(key, await sessionFor(app, `${key}@stockton.example`));
});

afterAll(async () => {
  await app?.close();
});

const as = (key: string) => sessions.get(key)!;

/** Posts a form with a CSRF token of the page at `from` (as a browser would, from that page). */
async function postFrom(who: string, from: string, url: string, fields: Record<string, string>) {
  const page = await getPage(app, from, as(who));
  expect(page.statusCode, from).toBe(200);
  return postForm(app, url, { _csrf: csrfTokenIn(page.body), ...fields }, as(who).cookie);
}

describe("who may enter a KPI's values, in the workspace", () => {
  it("lets a service manager see and enter only the KPIs that name them", async () => {
    const list = await getPage(app, "/workspace/strategies", as("sam"));
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('href="/workspace/kpis/CS01"');
    expect(list.body).not.toContain('href="/workspace/kpis/CS02"');
    expect(list.body).not.toContain('href="/workspace/kpis/CS04"');
    expect(list.body).not.toContain(`href="${EDIT}"`);
    expect((await getPage(app, "/workspace", as("sam"))).body).toContain('href="/workspace/strategies"');

    const own = await getPage(app, "/workspace/kpis/CS01", as("sam"));
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain("Values entered by: Sam Safeguarding (and any officer or administrator)");
    expect(own.body).not.toContain("/editors");
    const saved = await postForm(
      app,
      "/workspace/kpis/CS01",
      { _csrf: csrfTokenIn(own.body), period: "2017-18 Q2", actual: "24.2", target: "22", commentary: "" },
      as("sam").cookie,
    );
    expect(saved.statusCode).toBe(303);
    expect((await getKpi(t.db, councilId, "CS01")).values).toHaveLength(1);

    expect((await getPage(app, "/workspace/kpis/CS04", as("sam"))).statusCode).toBe(403);
    const other = await postForm(
      app,
      "/workspace/kpis/CS04",
      { _csrf: csrfTokenIn(own.body), period: "2017-18 Q2", actual: "90" },
      as("sam").cookie,
    );
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain("CS04");
    expect((await getKpi(t.db, councilId, "CS04")).values).toEqual([]);
  });

  it("refuses councillors and the public, and a post without the CSRF token", async () => {
    expect((await getPage(app, "/workspace/kpis/CS01", as("ann"))).statusCode).toBe(403);
    expect((await getPage(app, "/workspace/strategies", as("ann"))).statusCode).toBe(403);
    const anonymous = await getPage(app, "/workspace/kpis/CS01");
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/sign-in/);
    const forged = await postForm(
      app,
      "/workspace/kpis/CS01",
      { period: "2017-18 Q3", actual: "1" },
      as("sam").cookie,
    );
    expect(forged.statusCode).toBe(403);
    expect((await getKpi(t.db, councilId, "CS01")).values).toHaveLength(1);
  });

  it("lets officers and admins name and remove who enters a KPI's values", async () => {
    const page = await getPage(app, "/workspace/kpis/CS01", as("pat"));
    expect(page.body).toContain('action="/workspace/kpis/CS01/editors"');
    // The breadcrumbs lead back to the strategy's edit page.
    expect(page.body).toMatch(
      new RegExp(
        `<a class="govuk-breadcrumbs__link" href="${EDIT}">Children&#39;s Services Strategy 2017-2020</a>`,
      ),
    );

    const unknown = await postFrom("pat", "/workspace/kpis/CS01", "/workspace/kpis/CS01/editors", {
      email: "nobody@stockton.example",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('href="#editor-email"');
    expect(unknown.body).toContain("no account nobody@stockton.example");
    expect(unknown.body).toMatch(/<title>Error: /);

    const added = await postFrom("ada", "/workspace/kpis/CS01", "/workspace/kpis/CS01/editors", {
      email: "VIC@stockton.example",
    });
    expect(added.statusCode).toBe(303);
    // The banner is shown to the admin who added them (the notice is the session's).
    const after = await getPage(app, "/workspace/kpis/CS01", as("ada"));
    expect(after.body).toContain(
      "Vic Virtual-School (vic@stockton.example) may now enter the values of CS01",
    );
    expect(after.body).toContain("Values entered by: Sam Safeguarding, Vic Virtual-School");
    expect((await getPage(app, "/workspace/kpis/CS01", as("vic"))).statusCode).toBe(200);

    const vic = accountIds.get("vic")!;
    const byManager = await postFrom(
      "sam",
      "/workspace/kpis/CS01",
      `/workspace/kpis/CS01/editors/${vic}/remove`,
      {},
    );
    expect(byManager.statusCode).toBe(403);
    const removed = await postFrom(
      "pat",
      "/workspace/kpis/CS01",
      `/workspace/kpis/CS01/editors/${vic}/remove`,
      {},
    );
    expect(removed.statusCode).toBe(303);
    const cs01 = await getKpi(t.db, councilId, "CS01");
    expect((await listKpiEditors(t.db, cs01.id)).map((e) => e.name)).toEqual(["Sam Safeguarding"]);
    expect((await getPage(app, "/workspace/kpis/CS01", as("vic"))).statusCode).toBe(403);
  });
});

describe("changing a strategy in the workspace", () => {
  it("is for officers and admins", async () => {
    const page = await getPage(app, EDIT, as("pat"));
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.body).toContain('value="2017-18"');
    expect(page.body).toContain('value="2019-20"');
    expect(page.body).toContain('value="D170031"');
    expect((await getPage(app, EDIT, as("ada"))).statusCode).toBe(200);
    // The admin's account form offers the role.
    const newAccount = await getPage(app, "/workspace/accounts/new", as("ada"));
    expect(newAccount.body).toContain('value="service-manager"');
    expect(newAccount.body).toContain("Service manager");
    expect((await getPage(app, "/workspace/strategies", as("pat"))).body).toContain(`href="${EDIT}"`);
    expect((await getPage(app, EDIT, as("sam"))).statusCode).toBe(403);
    expect((await getPage(app, EDIT, as("ann"))).statusCode).toBe(403);
    expect((await getPage(app, EDIT)).statusCode).toBe(303);
    expect((await getPage(app, "/workspace/strategies/early-help", as("pat"))).statusCode).toBe(404);
    const bySam = await postFrom("sam", "/workspace/kpis/CS01", EDIT, { title: "Taken over" });
    expect(bySam.statusCode).toBe(403);
  });

  it("changes the details, showing each problem at its field", async () => {
    const details = {
      title: "Children's Services Strategy 2017-2021",
      owner: "Director of Children's Services",
      periodFrom: "2017-18",
      periodTo: "2016-17",
      agreedBy: "D170031",
    };
    const refused = await postFrom("pat", EDIT, EDIT, details);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#period-to"');
    expect(refused.body).toContain('value="Children&#39;s Services Strategy 2017-2021"');
    const empty = await postFrom("pat", EDIT, EDIT, { ...details, title: " ", periodTo: "2020-21" });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#title"');
    expect(empty.body).toContain("Enter the title");

    const saved = await postFrom("pat", EDIT, EDIT, { ...details, periodTo: "2020-21", agreedBy: "" });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(EDIT);
    expect((await getPage(app, EDIT, as("pat"))).body).toContain(
      "The strategy&#39;s details have been saved",
    );
    const strategy = await getStrategy(t.db, councilId, SLUG);
    expect(strategy).toMatchObject({ title: details.title, periodTo: "2021-03-31", agreedBy: null });

    const forged = await postForm(app, EDIT, { ...details, title: "Forged" }, as("pat").cookie);
    expect(forged.statusCode).toBe(403);
  });

  it("adds, renames, moves and removes priorities", async () => {
    const added = await postFrom("pat", EDIT, `${EDIT}/priorities`, { title: "Families are helped early" });
    expect(added.statusCode).toBe(303);
    let strategy = await getStrategy(t.db, councilId, SLUG);
    const early = strategy.priorities[2]!;
    expect(early.title).toBe("Families are helped early");

    const badPosition = await postFrom("pat", EDIT, `${EDIT}/priorities/${early.id}`, {
      title: early.title,
      position: "first",
    });
    expect(badPosition.statusCode).toBe(400);
    expect(badPosition.body).toContain(`href="#priority-${early.id}-position"`);
    expect(badPosition.body).toContain("Enter the position as a whole number, such as 1");

    const moved = await postFrom("pat", EDIT, `${EDIT}/priorities/${early.id}`, {
      title: "Families get help early",
      position: "1",
    });
    expect(moved.statusCode).toBe(303);
    strategy = await getStrategy(t.db, councilId, SLUG);
    expect(strategy.priorities.map((p) => p.title)[0]).toBe("Families get help early");

    const safe = strategy.priorities[1]!;
    const refused = await postFrom("pat", EDIT, `${EDIT}/priorities/${safe.id}/remove`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain("still has KPIs");
    const removed = await postFrom("pat", EDIT, `${EDIT}/priorities/${early.id}/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect((await getStrategy(t.db, councilId, SLUG)).priorities).toHaveLength(2);
  });

  it("adds, changes and removes KPIs", async () => {
    const strategy = await getStrategy(t.db, councilId, SLUG);
    const school = strategy.priorities[1]!;
    const kpi = {
      priorityId: String(school.id),
      code: "CS06",
      name: "Persistent absence of children looked after",
      polarity: "lower-is-better",
      definition: "",
      dataSource: "",
    };
    const noUnit = await postFrom("pat", EDIT, `${EDIT}/kpis`, kpi);
    expect(noUnit.statusCode).toBe(400);
    expect(noUnit.body).toContain('href="#kpi-unit"');
    expect(noUnit.body).toContain("Choose the unit");
    expect(noUnit.body).toContain('value="CS06"');
    const taken = await postFrom("pat", EDIT, `${EDIT}/kpis`, { ...kpi, unit: "%", code: "CS01" });
    expect(taken.statusCode).toBe(409);
    const added = await postFrom("pat", EDIT, `${EDIT}/kpis`, { ...kpi, unit: "%" });
    expect(added.statusCode).toBe(303);
    expect((await getKpi(t.db, councilId, "CS06")).priority.title).toBe(school.title);

    const editPage = await getPage(app, `${EDIT}/kpis/CS06`, as("ada"));
    expect(editPage.statusCode).toBe(200);
    const changed = await postForm(
      app,
      `${EDIT}/kpis/CS06`,
      {
        _csrf: csrfTokenIn(editPage.body),
        ...kpi,
        unit: "%",
        priorityId: String(strategy.priorities[0]!.id),
        dataSource: "Virtual School attendance returns",
      },
      as("ada").cookie,
    );
    expect(changed.statusCode).toBe(303);
    expect(await getKpi(t.db, councilId, "CS06")).toMatchObject({
      dataSource: "Virtual School attendance returns",
      priority: { position: 1 },
    });
    expect((await getPage(app, `${EDIT}/kpis/CS06`, as("sam"))).statusCode).toBe(403);

    // CS01 has a quarter's figures: it stays.
    const refused = await postFrom("pat", EDIT, `${EDIT}/kpis/CS01/remove`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain("cannot be removed");
    const removed = await postFrom("pat", EDIT, `${EDIT}/kpis/CS06/remove`, {});
    expect(removed.statusCode).toBe(303);
    expect((await getPage(app, `${EDIT}/kpis/CS06`, as("pat"))).statusCode).toBe(404);
  });
});
