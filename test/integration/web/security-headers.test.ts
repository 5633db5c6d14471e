import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { loadConfig } from "../../../src/config.js";
import { ROLES } from "../../../src/domain/roles.js";
import { createAccount, createApiToken } from "../../../src/services/accounts/index.js";
import { createApp } from "../../../src/web/create-app.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { startTestApp } from "./test-app.js";

// Security headers on every GET route the app declares (app.declaredRoutes()), as the public and signed in
// with every role, and on the error pages: a Content Security Policy whose scripts need our nonce (never
// 'unsafe-inline' or 'unsafe-eval'), no framing, no MIME sniffing, a referrer policy; every cookie HttpOnly
// and SameSite.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2017-11-22T12:00:00Z");
const PASSWORD = "plenty of words in this passphrase";
const EMAIL = "everyone@council.example";

let app: FastifyInstance;
let decisionId: number;
/** A session cookie and the Set-Cookie headers that signing in sent. */
let apiToken: string;
let session: { cookie: string; setCookies: string[] };

function setCookies(response: LightMyRequestResponse): string[] {
  const header = response.headers["set-cookie"];
  return header === undefined ? [] : [header].flat();
}

beforeAll(async () => {
  await t.resetDatabase();
  decisionId = (await seedDecision(t.database, stocktonRecord())).id;
  await createAccount(t.database, {
    email: EMAIL,
    name: "Every Role",
    roles: [...ROLES],
    password: PASSWORD,
    actor: "test",
  });
  apiToken = (await createApiToken(t.database, EMAIL, "headers test", "test")).token;
  app = await startTestApp(t.database, () => NOW);
  const page = await app.inject({ method: "GET", url: "/sign-in" });
  const visitor = setCookies(page)[0]!.split(";", 1)[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const signedIn = await app.inject({
    method: "POST",
    url: "/sign-in",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: visitor },
    payload: new URLSearchParams({ _csrf: csrf, email: EMAIL, password: PASSWORD }).toString(),
  });
  expect(signedIn.statusCode).toBe(303);
  session = {
    cookie: setCookies(signedIn).at(-1)!.split(";", 1)[0]!,
    setCookies: [...setCookies(page), ...setCookies(signedIn)],
  };
});

afterAll(async () => {
  await app?.close();
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** Every problem with a response's security headers (an empty list when there are none). */
function headerProblems(response: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  const header = (name: string) => {
    const value = response.headers[name];
    return value === undefined ? undefined : String(value);
  };
  if (header("x-content-type-options") !== "nosniff") problems.push("X-Content-Type-Options is not nosniff");
  if (
    !/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/.test(
      header("referrer-policy") ?? "",
    )
  ) {
    problems.push(`Referrer-Policy is ${header("referrer-policy")}`);
  }
  const csp = header("content-security-policy");
  if (csp === undefined) {
    problems.push("no Content-Security-Policy");
  } else {
    const policy = directives(csp);
    const sandboxed = policy.has("sandbox") && policy.get("default-src")?.includes("'none'");
    const scripts = policy.get("script-src") ?? policy.get("default-src") ?? [];
    if (!sandboxed) {
      if (scripts.length === 0) problems.push("the CSP does not limit scripts");
      for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"]) {
        if (scripts.includes(bad)) problems.push(`the CSP allows scripts from ${bad}`);
      }
      if (policy.get("object-src")?.join(" ") !== "'none'")
        problems.push("the CSP allows plugins (object-src)");
      if (policy.get("base-uri")?.join(" ") !== "'none'" && policy.get("base-uri")?.join(" ") !== "'self'") {
        problems.push("the CSP allows any <base>");
      }
    }
    const framing = policy.get("frame-ancestors")?.join(" ");
    if (framing !== "'none'" && header("x-frame-options") !== "DENY") {
      problems.push(
        `the page may be framed (frame-ancestors ${framing}, X-Frame-Options ${header("x-frame-options")})`,
      );
    }
  }
  if (header("x-frame-options") !== undefined && header("x-frame-options") !== "DENY") {
    problems.push(`X-Frame-Options is ${header("x-frame-options")}`);
  }
  for (const cookie of setCookies(response)) problems.push(...cookieProblems(cookie));
  return problems;
}

function cookieProblems(cookie: string): string[] {
  const attributes = cookie
    .split(";")
    .slice(1)
    .map((a) => a.trim().toLowerCase());
  // A cookie being removed (empty, expired at once: the old session's at sign-in) carries nothing to protect.
  if (/^[^=]+=;/.test(cookie) && attributes.includes("max-age=0")) return [];
  const problems: string[] = [];
  if (!attributes.includes("httponly")) problems.push(`a cookie without HttpOnly: ${cookie}`);
  if (!attributes.some((a) => /^samesite=(lax|strict)$/.test(a)))
    problems.push(`a cookie without SameSite: ${cookie}`);
  return problems;
}

/** A URL for a declared route: its parameters as the seeded decision's id, a wildcard as a real asset. */
function urlFor(route: string): string {
  return route.replace(/:[^/.]+/g, String(decisionId)).replace(/\*$/, "images/favicon.svg");
}

describe("security headers", () => {
  it("are on every GET route, for the public and for a signed-in account, and on the error pages", async () => {
    const routes = app
      .declaredRoutes()
      .filter((route) => route.method === "GET")
      .map((route) => route.url);
    expect(routes.length).toBeGreaterThan(20);
    const urls = [
      ...routes.map(urlFor),
      `/decisions/${decisionId}.pdf`,
      `/decisions/${decisionId}.docx`,
      "/no-such-page",
      "/decisions?from=not-a-date",
      "/api/v1/decisions?from=not-a-date",
      "/api/v1/no-such-thing",
      "/decisions/%E0%A4%A",
    ];
    const problems: string[] = [];
    const statuses = new Set<number>();
    let html = 0;
    for (const url of urls) {
      for (const cookie of [undefined, session.cookie]) {
        const response = await app.inject({ method: "GET", url, headers: cookie ? { cookie } : {} });
        statuses.add(response.statusCode);
        if (String(response.headers["content-type"]).startsWith("text/html")) html++;
        for (const problem of headerProblems(response)) {
          problems.push(`GET ${url}${cookie ? " (signed in)" : ""} → ${response.statusCode}: ${problem}`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The routes were reached, not refused: pages, data, redirects and the errors asked for.
    expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 404]));
    expect(statuses.has(500)).toBe(false);
    expect(html).toBeGreaterThan(20);
  });

  it("keep signed-in pages out of every cache (Cache-Control: no-store)", async () => {
    const routes = app
      .declaredRoutes()
      .filter((route) => route.method === "GET" && route.access !== "public");
    expect(routes.length).toBeGreaterThan(0);
    let answered = 0;
    for (const route of routes) {
      const url = urlFor(route.url);
      // The API knows its callers by token; pages by their session.
      const headers = url.startsWith("/api/")
        ? { authorization: `Bearer ${apiToken}` }
        : { cookie: session.cookie };
      const response = await app.inject({ method: "GET", url, headers });
      expect([401, 403, 500], url).not.toContain(response.statusCode);
      if (response.statusCode === 200) answered++;
      expect(String(response.headers["cache-control"]), url).toMatch(/\bno-store\b/);
    }
    expect(answered).toBeGreaterThan(0);
  });

  it("give every HTML page's scripts a fresh nonce, and the page has no other inline script", async () => {
    const first = await app.inject({ method: "GET", url: `/decisions/${decisionId}` });
    const second = await app.inject({ method: "GET", url: `/decisions/${decisionId}` });
    const nonce = (r: LightMyRequestResponse) =>
      /'nonce-([^']+)'/.exec(String(r.headers["content-security-policy"]))?.[1];
    expect(nonce(first)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonce(first)).not.toBe(nonce(second));
    const inline = [...first.body.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline.length).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes).toContain(`nonce="${nonce(first)}"`);
  });

  it("mark the session cookie HttpOnly and SameSite, and Secure behind HTTPS", async () => {
    expect(session.setCookies.length).toBeGreaterThan(0);
    expect(session.setCookies.flatMap(cookieProblems)).toEqual([]);
    // Behind a proxy that terminates HTTPS (RESOLVED_TRUST_PROXY), the cookie is Secure too.
    const behindProxy = await createApp({
      database: t.database,
      config: loadConfig({ RESOLVED_TRUST_PROXY: "true" }),
      logger: pino({ level: "silent" }),
      now: () => NOW,
    });
    try {
      const page = await behindProxy.inject({
        method: "GET",
        url: "/sign-in",
        headers: { "x-forwarded-proto": "https" },
      });
      const cookies = setCookies(page);
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) {
        expect(cookieProblems(cookie)).toEqual([]);
        expect(cookie.toLowerCase()).toMatch(/;\s*secure(;|$)/);
      }
    } finally {
      await behindProxy.close();
    }
  });
});
