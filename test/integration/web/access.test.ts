import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../../src/domain/roles.js";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { endAccountSessions } from "../../../src/services/sessions/index.js";
import { useTestDatabase } from "../backends.js";
import {
  csrfTokenIn,
  openSignInPage as openSignInPageOf,
  postForm as postFormTo,
  sessionFor as sessionOf,
  setCookie,
  signIn as signInTo,
  TEST_PASSWORD,
} from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-12-04T10:00:00Z");
const PASSWORD = TEST_PASSWORD;
let app: FastifyInstance;
const accountIds = new Map<Role, number>();
const apiTokens = new Map<Role, string>();

const emailFor = (role: Role) => `${role}@council.example`;

beforeAll(async () => {
  await t.resetDatabase();
  // Account 1 and API token 1 are a spare's: the matrix tries the admin's account routes with id 1 (disable,
  // sign out everywhere, revoke token 1), which must not sign out an account whose role it goes on to try.
  await createAccount(t.database, {
    email: "spare@council.example",
    name: "Spare Account",
    roles: ["officer"],
    password: PASSWORD,
    actor: "test",
  });
  await createApiToken(t.database, "spare@council.example", "spare", "test");
  for (const role of ROLES) {
    const account = await createAccount(t.database, {
      email: emailFor(role),
      name: `Test ${role}`,
      roles: [role],
      password: PASSWORD,
      actor: "test",
    });
    accountIds.set(role, account.id);
    apiTokens.set(role, (await createApiToken(t.database, emailFor(role), "tests", "test")).token);
  }
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

const openSignInPage = () => openSignInPageOf(app);
const postForm = (url: string, fields: Record<string, string>, cookie?: string) =>
  postFormTo(app, url, fields, cookie);
const signIn = (email: string, password = PASSWORD) => signInTo(app, email, password);
const sessionFor = (role: Role) => sessionOf(app, emailFor(role), PASSWORD);

describe("every route declares who may use it", () => {
  it("and each is answered accordingly for the public and for every role", async () => {
    const routes = app
      .declaredRoutes()
      // Every method a route answers (HEAD and OPTIONS follow their GET): a new route can't be left out.
      .filter((route) => !["HEAD", "OPTIONS"].includes(route.method))
      // Signing out ends the session the next routes are tried with: last.
      .sort((a, b) => Number(a.url === "/sign-out") - Number(b.url === "/sign-out"));
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((route) => route.access === undefined)).toEqual([]);
    expect(
      routes.filter((route) => !["GET", "POST", "PUT", "PATCH", "DELETE"].includes(route.method)),
    ).toEqual([]);
    expect(new Set(routes.map((route) => route.method))).toEqual(
      new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    );
    const sessions = new Map<Role, { cookie: string; csrf: string }>();
    for (const role of ROLES) sessions.set(role, await sessionFor(role));
    const identities: (Role | null)[] = [null, ...ROLES];
    let checked = 0;
    for (const route of routes) {
      // Parameters as a value that names nothing: a 404 still proves the route let the request through.
      const url = route.url.replace(/:[^/]+/g, "1").replace(/\*$/, "x");
      // Pages are GET and form posts; anything else belongs under /api/ (tried with a token below).
      if (!url.startsWith("/api/"))
        expect(["GET", "POST"], `${route.method} ${route.url}`).toContain(route.method);
      for (const identity of identities) {
        const session = identity === null ? await openSignInPage() : sessions.get(identity)!;
        // The API knows callers by their token only; pages by their session.
        const token = identity === null ? undefined : apiTokens.get(identity);
        const response = url.startsWith("/api/")
          ? await app.inject({
              method: route.method as "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
              url,
              headers: { cookie: session.cookie, ...(token && { authorization: `Bearer ${token}` }) },
              ...(!["GET", "DELETE"].includes(route.method) && { payload: {} }),
            })
          : route.method === "GET"
            ? await app.inject({ method: "GET", url, headers: { cookie: session.cookie } })
            : await postForm(url, { _csrf: session.csrf }, session.cookie);
        const allowed =
          route.access === "public" ||
          (identity !== null && (route.access === "signed-in" || route.access.includes(identity)));
        const where = `${route.method} ${route.url} as ${identity ?? "the public"}`;
        if (allowed) {
          expect([401, 403], where).not.toContain(response.statusCode);
          expect(String(response.headers.location ?? ""), where).not.toMatch(/^\/sign-in/);
        } else if (identity !== null) {
          expect(response.statusCode, where).toBe(403);
        } else if (url.startsWith("/api/")) {
          expect(response.statusCode, where).toBe(401);
        } else if (route.method === "GET") {
          expect(response.statusCode, where).toBe(303);
          expect(response.headers.location, where).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
        } else {
          expect(response.statusCode, where).toBe(401);
        }
        checked++;
      }
    }
    expect(checked).toBe(routes.length * identities.length);
  }, 180_000);
});

describe("CSRF on every form post", () => {
  it("each POST outside /api/ refuses a missing, forged or another session's token, before its handler", async () => {
    const routes = app
      .declaredRoutes()
      .filter((route) => route.method === "POST" && !route.url.startsWith("/api/"));
    expect(routes.length).toBeGreaterThan(10);
    const other = await sessionFor("officer");
    for (const route of routes) {
      const url = route.url.replace(/:[^/]+/g, "1");
      // Someone the route lets in, so that only the token is wrong.
      const identity: Role | null =
        route.access === "public" ? null : route.access === "signed-in" ? "admin" : route.access[0]!;
      const session = identity === null ? await openSignInPage() : await sessionFor(identity);
      for (const [label, fields] of [
        ["no token", {}],
        ["a forged token", { _csrf: "forged" }],
        ["another session's token", { _csrf: other.csrf }],
      ] as const) {
        const response = await postForm(url, fields, session.cookie);
        expect(response.statusCode, `POST ${route.url} with ${label}`).toBe(403);
      }
    }
  }, 120_000);

  it("the API knows callers by their token only: a signed-in session's cookie does not authorise a write", async () => {
    const { cookie } = await sessionFor("admin");
    const writes = app
      .declaredRoutes()
      .filter(
        (route) => route.url.startsWith("/api/") && route.access !== "public" && route.method !== "GET",
      );
    expect(writes.length).toBeGreaterThan(5);
    for (const route of writes) {
      const response = await app.inject({
        method: route.method as "POST" | "PUT" | "PATCH" | "DELETE",
        url: route.url.replace(/:[^/]+/g, "1"),
        headers: { cookie },
        ...(route.method !== "DELETE" && { payload: {} }),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });
});

describe("signing in", () => {
  it("gives a new session id, goes to the page asked for, and signing out ends the session", async () => {
    const { cookie, csrf } = await openSignInPage();
    const response = await postForm(
      "/sign-in",
      { _csrf: csrf, email: emailFor("officer").toUpperCase(), password: PASSWORD, next: "/workspace" },
      cookie,
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/workspace");
    const signedIn = setCookie(response)!;
    expect(signedIn).not.toBe(cookie);
    // The cookie from before signing in (a planted one, in a fixation attack) is not signed in.
    const before = await app.inject({ method: "GET", url: "/workspace", headers: { cookie } });
    expect(before.statusCode).toBe(303);
    const page = await app.inject({ method: "GET", url: "/workspace", headers: { cookie: signedIn } });
    expect(page.body).toContain("Test officer");
    const setHeader = [response.headers["set-cookie"]].flat().at(-1) ?? "";
    expect(setHeader).toMatch(/HttpOnly/i);
    expect(setHeader).toMatch(/SameSite=Lax/i);

    const out = await postForm("/sign-out", { _csrf: csrfTokenIn(page.body) }, signedIn);
    expect(out.statusCode).toBe(303);
    const after = await app.inject({ method: "GET", url: "/workspace", headers: { cookie: signedIn } });
    expect(after.statusCode).toBe(303);
  });

  it("never sends anyone to another site after signing in", async () => {
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const { cookie, csrf } = await openSignInPage();
      const response = await postForm(
        "/sign-in",
        { _csrf: csrf, email: emailFor("admin"), password: PASSWORD, next },
        cookie,
      );
      expect(response.headers.location, next).toBe("/workspace");
    }
  });

  it("says the same for an unknown email and a wrong password, and limits failures per account", async () => {
    const unknown = await signIn("nobody@council.example");
    const wrong = await signIn(emailFor("councillor"), "not the password at all");
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const message = (body: string) => /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)</.exec(body)?.[1];
    expect(message(unknown.body)).toBe("Enter a correct email address and password");
    expect(message(wrong.body)).toBe(message(unknown.body));
    for (let i = 0; i < 4; i++) await signIn(emailFor("councillor"), "still not the password");
    const blocked = await signIn(emailFor("councillor"));
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers["retry-after"]).toBeDefined();
    expect(blocked.body).toContain("Too many failed attempts to sign in");
  });

  it("refuses a form without the CSRF token, or with another session's", async () => {
    const { cookie } = await openSignInPage();
    const other = await openSignInPage();
    const fields = { email: emailFor("admin"), password: PASSWORD };
    expect((await postForm("/sign-in", fields, cookie)).statusCode).toBe(403);
    expect((await postForm("/sign-in", { ...fields, _csrf: other.csrf }, cookie)).statusCode).toBe(403);
    expect((await postForm("/sign-in", { ...fields, _csrf: "forged" }, cookie)).statusCode).toBe(403);
  });

  it("an ended session stops working at once", async () => {
    const { cookie } = await sessionFor("scrutiny-chair");
    expect(await endAccountSessions(t.database.db, accountIds.get("scrutiny-chair")!)).toBeGreaterThan(0);
    const page = await app.inject({ method: "GET", url: "/workspace", headers: { cookie } });
    expect(page.statusCode).toBe(303);
  });
});
