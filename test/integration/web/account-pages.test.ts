import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAccount, createApiToken, findAccountByEmail } from "../../../src/services/accounts/index.js";
import { findOrCreateCouncil } from "../../../src/services/councils/index.js";
import { useTestDatabase } from "../backends.js";
import {
  ATTRIBUTE_BREAK,
  assertNoInjectedMarkup,
  cspNonceOf,
  htmlText,
  IMG_ONERROR,
  NUNJUCKS_OUTPUT,
  SCRIPT,
} from "./security-payloads.js";
import {
  type BrowserSession,
  csrfTokenIn,
  getPage,
  postForm,
  sessionFor,
  signIn,
  TEST_PASSWORD,
} from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

// The admin's accounts pages (/workspace/accounts...): listing, adding, changing roles, disabling, signing out
// everywhere and revoking tokens, each for the admin's own council only, with what an admin may not do to
// their own account refused. The clock is pinned: Thursday 3 December 2026, 10am.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-12-03T10:00:00Z");
let app: FastifyInstance;
let admin: BrowserSession;
const ids = { admin: 0, officer: 0, sso: 0, other: 0, councilId: 0 };
let officerToken = "";

beforeAll(async () => {
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

beforeEach(async () => {
  await t.resetDatabase();
  const add = async (email: string, name: string, roles: string[], extra: Record<string, unknown> = {}) =>
    createAccount(t.database, { email, name, roles, password: TEST_PASSWORD, actor: "test", ...extra });
  const ada = await add("admin@council.example", "Ada Admin", ["admin"]);
  ids.admin = ada.id;
  ids.councilId = ada.councilId;
  ids.officer = (await add("olive.officer@council.example", "Olive Officer", ["officer"])).id;
  ids.sso = (
    await add("ann.jones@council.example", "Ann Jones", ["councillor", "scrutiny-chair"], {
      password: null,
      ward: "Norton North",
      party: "Labour",
    })
  ).id;
  await findOrCreateCouncil(t.db, { name: "Salford City Council" }, "test");
  ids.other = (await add("someone@salford.example", "Sally Salford", ["admin"], { council: "salford" })).id;
  officerToken = (await createApiToken(t.database, "olive.officer@council.example", "nightly export", "test"))
    .token;
  admin = await sessionFor(app, "admin@council.example");
});

const get = (url: string, session: BrowserSession = admin) => getPage(app, url, session);
const post = (url: string, fields: Record<string, string | string[]> = {}, session: BrowserSession = admin) =>
  postForm(app, url, { _csrf: session.csrf, ...fields }, session.cookie);

/** The text of <main>, tags taken out, white space collapsed, apostrophes as typed. */
function mainText(html: string): string {
  return (/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .replace(/&#39;/g, "'")
    .trim();
}

async function counts() {
  const count = async (table: "account" | "accountRole" | "person" | "auditLog") =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    account: await count("account"),
    accountRole: await count("accountRole"),
    person: await count("person"),
    auditLog: await count("auditLog"),
  };
}

async function rolesOf(id: number): Promise<string[]> {
  const rows = await t.db.selectFrom("accountRole").select("role").where("accountId", "=", id).execute();
  return rows.map((r) => r.role).sort();
}

async function lastAudit(action: string) {
  return t.db
    .selectFrom("auditLog")
    .selectAll()
    .where("action", "=", action)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
}

const apiWith = (token: string) =>
  app.inject({ method: "GET", url: "/api/v1/decisions", headers: { authorization: `Bearer ${token}` } });

describe("the accounts list", () => {
  it("lists the council's accounts with roles, how they sign in and whether disabled, and is linked from the workspace", async () => {
    expect((await get("/workspace")).body).toContain('href="/workspace/accounts"');
    await t.db
      .updateTable("apiToken")
      .set({ lastUsedAt: new Date("2026-12-01T15:30:00Z") })
      .execute();
    await t.db.updateTable("account").set({ disabledAt: NOW }).where("id", "=", ids.officer).execute();
    const page = await get("/workspace/accounts");
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    const text = mainText(page.body);
    expect(text).toContain("Ada Admin admin@council.example Administrator Password Active Never");
    expect(text).toContain(
      "Ann Jones ann.jones@council.example Councillor Scrutiny chair Single sign-on only Active Never",
    );
    expect(text).toContain(
      "Olive Officer olive.officer@council.example Democratic services officer Password Disabled 1 December 2026",
    );
    expect(page.body).toContain(`href="/workspace/accounts/${ids.officer}"`);
    // Another council's accounts are not the admin's to see.
    expect(text).not.toContain("Sally Salford");
    expect((await get(`/workspace/accounts/${ids.other}`)).statusCode).toBe(404);
    expect((await post(`/workspace/accounts/${ids.other}/disable`)).statusCode).toBe(404);
    expect((await findAccountByEmail(t.db, "someone@salford.example"))?.disabledAt).toBeNull();
  });
});

describe("adding an account", () => {
  it("adds a single sign-on councillor with a person record, audited, and shows it with a banner once", async () => {
    const form = await get("/workspace/accounts/new");
    expect(form.statusCode).toBe(200);
    expect(mainText(form.body)).toContain("Records the outcome of scrutiny and consents to urgent decisions");
    const added = await post("/workspace/accounts", {
      email: " Bob.Cook@Council.example ",
      name: "Bob Cook",
      roles: ["councillor"],
      ward: "Bishopsgarth and Elm Tree",
      party: "Labour",
      "sign-in": "single-sign-on",
      password: "ignored because single sign-on was chosen",
    });
    expect(added.statusCode).toBe(303);
    const bob = (await findAccountByEmail(t.db, "bob.cook@council.example"))!;
    expect(added.headers.location).toBe(`/workspace/accounts/${bob.id}`);
    expect(bob).toMatchObject({ roles: ["councillor"], hasPassword: false, councilId: ids.councilId });
    const person = await t.db
      .selectFrom("person")
      .selectAll()
      .where("id", "=", bob.personId!)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: "Bob Cook", role: "councillor", ward: "Bishopsgarth and Elm Tree" });
    const audit = await lastAudit("account.created");
    expect(audit.actor).toBe(`account:${ids.admin} admin@council.example`);
    expect(audit.entityId).toBe(String(bob.id));

    const page = await get(added.headers.location!);
    expect(mainText(page.body)).toContain("An account for Bob Cook has been added");
    expect(mainText(page.body)).toContain("Single sign-on only");
    expect(mainText((await get(added.headers.location!)).body)).not.toContain("has been added");
  });

  it("adds an officer with a first password, who can then sign in with it", async () => {
    const password = "copper kettle winter orchard";
    const added = await post("/workspace/accounts", {
      email: "priya.shah@council.example",
      name: "Priya Shah",
      roles: ["officer", "proper-officer"],
      "job-title": "Democratic Services Manager",
      "sign-in": "password",
      password,
    });
    expect(added.statusCode).toBe(303);
    const priya = (await findAccountByEmail(t.db, "priya.shah@council.example"))!;
    expect(priya).toMatchObject({ roles: ["officer", "proper-officer"], hasPassword: true });
    expect(JSON.stringify((await lastAudit("account.created")).details)).not.toContain("kettle");
    const signedIn = await signIn(app, "priya.shah@council.example", password);
    expect(signedIn.statusCode).toBe(303);
  });

  it("answers 400 with every problem linked to its field, keeps what was typed but the password, and writes nothing", async () => {
    const before = await counts();
    const cases: Array<[Record<string, string | string[]>, string, string]> = [
      [
        { email: "bob at council", name: "Bob Cook", roles: ["officer"], "sign-in": "single-sign-on" },
        "#email",
        "is not an email address",
      ],
      [
        {
          email: "bob@council.example",
          name: "Bob Cook",
          roles: ["officer"],
          "sign-in": "password",
          password: "Password123!",
        },
        "#password",
        "one of the most common",
      ],
      [
        { email: "bob@council.example", name: "Bob Cook", "sign-in": "single-sign-on" },
        "#roles",
        "Give at least one role",
      ],
      [{ email: "bob@council.example", name: "Bob Cook", roles: ["officer"] }, "#sign-in", "Choose how"],
      [
        { email: "ADMIN@council.example", name: "Bob Cook", roles: ["officer"], "sign-in": "single-sign-on" },
        "#email",
        "There is already an account for admin@council.example",
      ],
    ];
    for (const [fields, href, message] of cases) {
      const response = await post("/workspace/accounts", fields);
      const where = JSON.stringify(fields);
      expect(response.statusCode, where).toBe(400);
      expect(response.body, where).toContain("govuk-error-summary");
      expect(response.body, where).toContain(`href="${href}"`);
      expect(mainText(response.body), where).toContain(message);
      expect(response.body, where).toContain('value="Bob Cook"');
      expect(response.body, where).not.toContain("Password123!");
    }
    // Everything wrong at once: each problem in the summary.
    const all = await post("/workspace/accounts", {
      email: "",
      name: "",
      "sign-in": "password",
      password: "short",
    });
    expect(all.statusCode).toBe(400);
    for (const href of ["#email", "#name", "#roles", "#password"])
      expect(all.body).toContain(`href="${href}"`);
    expect(await counts()).toEqual(before);
  });
});

describe("an account's page", () => {
  it("changes its roles, audited with before and after", async () => {
    const page = await get(`/workspace/accounts/${ids.officer}`);
    expect(page.statusCode).toBe(200);
    expect(mainText(page.body)).toContain("olive.officer@council.example");
    const saved = await post(`/workspace/accounts/${ids.officer}/roles`, {
      roles: ["officer", "proper-officer"],
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/workspace/accounts/${ids.officer}`);
    expect(await rolesOf(ids.officer)).toEqual(["officer", "proper-officer"]);
    expect(mainText((await get(`/workspace/accounts/${ids.officer}`)).body)).toContain(
      "Olive Officer's roles have been saved",
    );
    const audit = await lastAudit("account.roles-changed");
    expect(audit.actor).toBe(`account:${ids.admin} admin@council.example`);
    expect(audit.details).toMatchObject({
      before: { roles: ["officer"] },
      after: { roles: ["officer", "proper-officer"] },
    });

    // No role at all: refused at the field, nothing changed.
    const before = await counts();
    const none = await post(`/workspace/accounts/${ids.officer}/roles`, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('href="#roles"');
    expect(await rolesOf(ids.officer)).toEqual(["officer", "proper-officer"]);
    expect(await counts()).toEqual(before);
  });

  it("disables an account after a confirmation: its session and its API token stop working at once", async () => {
    const olive = await sessionFor(app, "olive.officer@council.example");
    expect((await get("/workspace", olive)).statusCode).toBe(200);
    expect((await apiWith(officerToken)).statusCode).toBe(200);

    const confirm = await get(`/workspace/accounts/${ids.officer}/disable`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`action="/workspace/accounts/${ids.officer}/disable"`);
    const disabled = await post(`/workspace/accounts/${ids.officer}/disable`);
    expect(disabled.statusCode).toBe(303);
    expect(mainText((await get(disabled.headers.location!)).body)).toContain(
      "Olive Officer's account has been disabled",
    );

    const after = await get("/workspace", olive);
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toMatch(/^\/sign-in/);
    expect((await apiWith(officerToken)).statusCode).toBe(401);
    expect((await signIn(app, "olive.officer@council.example")).statusCode).toBe(401);
    const sessions = await t.db
      .selectFrom("webSession")
      .select("sid")
      .where("accountId", "=", ids.officer)
      .execute();
    expect(sessions).toEqual([]);
    expect((await lastAudit("account.disabled")).entityId).toBe(String(ids.officer));
    expect(mainText((await get("/workspace/accounts")).body)).toContain("Password Disabled");

    // Enabled again: the token (never revoked) works again, and she can sign in.
    const enabled = await post(`/workspace/accounts/${ids.officer}/enable`);
    expect(enabled.statusCode).toBe(303);
    expect((await apiWith(officerToken)).statusCode).toBe(200);
    expect((await signIn(app, "olive.officer@council.example")).statusCode).toBe(303);
    expect((await lastAudit("account.enabled")).entityId).toBe(String(ids.officer));
  });

  it("signs an account out everywhere", async () => {
    const first = await sessionFor(app, "olive.officer@council.example");
    const second = await sessionFor(app, "olive.officer@council.example");
    const response = await post(`/workspace/accounts/${ids.officer}/sign-out-everywhere`);
    expect(response.statusCode).toBe(303);
    expect(mainText((await get(response.headers.location!)).body)).toContain(
      "Olive Officer has been signed out everywhere",
    );
    for (const session of [first, second]) expect((await get("/workspace", session)).statusCode).toBe(303);
    // The admin is still signed in, and Olive can sign in again.
    expect((await get("/workspace")).statusCode).toBe(200);
    expect((await signIn(app, "olive.officer@council.example")).statusCode).toBe(303);
    expect((await lastAudit("account.signed-out-everywhere")).details).toMatchObject({ sessionsEnded: 2 });
  });

  it("signs the admin out everywhere, this session too, when it is their own account", async () => {
    const response = await post(`/workspace/accounts/${ids.admin}/sign-out-everywhere`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/sign-in");
    expect((await get("/workspace")).statusCode).toBe(303);
    const sessions = await t.db
      .selectFrom("webSession")
      .select("sid")
      .where("accountId", "=", ids.admin)
      .execute();
    expect(sessions).toEqual([]);
  });

  it("lists its API tokens and revokes one, which stops working at once", async () => {
    const page = await get(`/workspace/accounts/${ids.officer}`);
    expect(mainText(page.body)).toContain("nightly export");
    const token = await t.db.selectFrom("apiToken").select("id").executeTakeFirstOrThrow();
    const action = `/workspace/accounts/${ids.officer}/tokens/${token.id}/revoke`;
    expect(page.body).toContain(`action="${action}"`);
    // Through another account's page: not found, and still working.
    expect((await post(`/workspace/accounts/${ids.sso}/tokens/${token.id}/revoke`)).statusCode).toBe(404);
    expect((await apiWith(officerToken)).statusCode).toBe(200);

    const revoked = await post(action);
    expect(revoked.statusCode).toBe(303);
    expect((await apiWith(officerToken)).statusCode).toBe(401);
    const after = htmlText((await get(`/workspace/accounts/${ids.officer}`)).body);
    expect(after).toContain('The token "nightly export" has been revoked');
    // Revoked by the database's clock, not the site's pinned one.
    expect(after).toMatch(/Revoked \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect((await lastAudit("api-token.revoked")).actor).toBe(`account:${ids.admin} admin@council.example`);
  });

  it("refuses to let an admin disable their own account or remove their own admin role", async () => {
    const own = await get(`/workspace/accounts/${ids.admin}`);
    expect(own.statusCode).toBe(200);
    expect(mainText(own.body)).toContain("You cannot disable your own account");
    expect(own.body).not.toContain(`href="/workspace/accounts/${ids.admin}/disable"`);
    const confirm = await get(`/workspace/accounts/${ids.admin}/disable`);
    expect(confirm.body).not.toContain(`action="/workspace/accounts/${ids.admin}/disable"`);

    const before = await counts();
    const disable = await post(`/workspace/accounts/${ids.admin}/disable`);
    expect(disable.statusCode).toBe(400);
    expect(mainText(disable.body)).toContain("You cannot disable your own account");
    expect(disable.body).toContain('href="#account"');
    const roles = await post(`/workspace/accounts/${ids.admin}/roles`, { roles: ["officer"] });
    expect(roles.statusCode).toBe(400);
    expect(mainText(roles.body)).toContain("You cannot remove your own Administrator role");
    expect(roles.body).toContain('href="#roles"');
    expect(await rolesOf(ids.admin)).toEqual(["admin"]);
    expect((await findAccountByEmail(t.db, "admin@council.example"))?.disabledAt).toBeNull();
    expect(await counts()).toEqual(before);
    expect((await get("/workspace")).statusCode).toBe(200);

    // Adding a role to their own account is fine.
    expect(
      (await post(`/workspace/accounts/${ids.admin}/roles`, { roles: ["officer", "admin"] })).statusCode,
    ).toBe(303);
    expect(await rolesOf(ids.admin)).toEqual(["admin", "officer"]);
  });
});

describe("who may use the accounts pages", () => {
  it("refuses an account without the admin role (403), and writes nothing", async () => {
    const olive = await sessionFor(app, "olive.officer@council.example");
    const before = await counts();
    for (const url of [
      "/workspace/accounts",
      "/workspace/accounts/new",
      `/workspace/accounts/${ids.admin}`,
    ]) {
      expect((await get(url, olive)).statusCode, url).toBe(403);
    }
    const posts: Array<[string, Record<string, string | string[]>]> = [
      [
        "/workspace/accounts",
        { email: "x@council.example", name: "X Y", roles: ["admin"], "sign-in": "single-sign-on" },
      ],
      [`/workspace/accounts/${ids.officer}/roles`, { roles: ["admin"] }],
      [`/workspace/accounts/${ids.admin}/disable`, {}],
      [`/workspace/accounts/${ids.admin}/sign-out-everywhere`, {}],
    ];
    for (const [url, fields] of posts) expect((await post(url, fields, olive)).statusCode, url).toBe(403);
    expect(await counts()).toEqual(before);
    expect(await rolesOf(ids.officer)).toEqual(["officer"]);
  });

  it("refuses a post without the CSRF token (403), and writes nothing", async () => {
    const before = await counts();
    const posts: Array<[string, Record<string, string | string[]>]> = [
      [
        "/workspace/accounts",
        { email: "x@council.example", name: "X Y", roles: ["admin"], "sign-in": "single-sign-on" },
      ],
      [`/workspace/accounts/${ids.officer}/roles`, { roles: ["admin"] }],
      [`/workspace/accounts/${ids.officer}/disable`, {}],
    ];
    for (const [url, fields] of posts) {
      expect((await postForm(app, url, fields, admin.cookie)).statusCode, url).toBe(403);
      expect((await postForm(app, url, { ...fields, _csrf: "forged" }, admin.cookie)).statusCode, url).toBe(
        403,
      );
    }
    expect(await counts()).toEqual(before);
    expect((await findAccountByEmail(t.db, "olive.officer@council.example"))?.disabledAt).toBeNull();
  });
});

describe("hostile text in an account's name", () => {
  it("comes back as text on every accounts page, never as markup", async () => {
    const name = `Jane ${SCRIPT} ${IMG_ONERROR} ${ATTRIBUTE_BREAK} ${NUNJUCKS_OUTPUT} Smith`;
    const added = await post("/workspace/accounts", {
      email: "jane.smith@council.example",
      name,
      roles: ["officer"],
      "sign-in": "single-sign-on",
    });
    expect(added.statusCode).toBe(303);
    const id = (await findAccountByEmail(t.db, "jane.smith@council.example"))!.id;
    for (const url of [
      `/workspace/accounts/${id}`,
      "/workspace/accounts",
      `/workspace/accounts/${id}/disable`,
    ]) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      assertNoInjectedMarkup(page.body, { nonce: cspNonceOf(page.headers), where: url });
      expect(htmlText(page.body), url).toContain(name);
    }
    // A form with an error shows it back as text too.
    const again = await post("/workspace/accounts", { email: "bad", name, roles: ["officer"] });
    expect(again.statusCode).toBe(400);
    assertNoInjectedMarkup(again.body, { nonce: cspNonceOf(again.headers) });
    expect(htmlText(again.body)).toContain(name);
    expect(csrfTokenIn(again.body)).toBeTruthy();
  });
});
