import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { createAccount, disableAccount } from "../../../src/services/accounts/index.js";
import { createApp } from "../../../src/web/create-app.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";
import { startTestOidcProvider, type TestOidcProvider } from "./test-oidc-provider.js";

/**
 * Single sign-on end to end: the app (through inject) and a real OpenID Connect provider (over HTTP on
 * 127.0.0.1), with the browser's part played by following each redirect by hand and carrying the cookies.
 */

const t = useTestDatabase({ reset: "manual" });
// The site's address as registered with the provider; requests for it are handed to the app with inject.
const REDIRECT_URI = "http://127.0.0.1:8080/sign-in/sso/callback";
const PASSWORD = "plenty of words in this passphrase";

let provider: TestOidcProvider;
let app: FastifyInstance;
/** What the app logged: a refusal's real reason is only there. */
const logs: { msg?: string; reason?: string; email?: string }[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => logs.push(JSON.parse(line)) });

/** The reason the app logged for the last refusal. */
function lastRefusal(): string | undefined {
  return logs.filter((entry) => entry.msg === "single sign-on refused").at(-1)?.reason;
}

beforeAll(async () => {
  await t.resetDatabase();
  provider = await startTestOidcProvider({
    redirectUri: REDIRECT_URI,
    people: {
      // Mixed case at the provider: addresses match whatever their case.
      jane: { email: "Jane.Armstrong@Council.example", email_verified: true, name: "Jane A" },
      stranger: { email: "someone.else@council.example", email_verified: true },
      unverified: { email: "jane.armstrong@council.example", email_verified: false },
      noemail: { name: "No Email" },
      disabled: { email: "former.officer@council.example", email_verified: true },
      upn: { preferred_username: "Jane.Armstrong@council.example", email: "jane@personal.example" },
    },
  });
  // An account without a password: single sign-on only (resolved user add without one).
  await createAccount(t.database, {
    email: "jane.armstrong@council.example",
    name: "Jane Armstrong",
    roles: ["officer"],
    actor: "test",
  });
  await createAccount(t.database, {
    email: "former.officer@council.example",
    name: "Former Officer",
    roles: ["officer"],
    password: PASSWORD,
    actor: "test",
  });
  await disableAccount(t.database, "former.officer@council.example", "test");
  app = await appWith({});
});

afterAll(async () => {
  await app?.close();
  await provider?.close();
});

async function appWith(extra: Record<string, string>): Promise<FastifyInstance> {
  const config = loadConfig({
    RESOLVED_OIDC_ISSUER: provider.issuer,
    RESOLVED_OIDC_CLIENT_ID: provider.clientId,
    RESOLVED_OIDC_CLIENT_SECRET: provider.clientSecret,
    RESOLVED_OIDC_REDIRECT_URL: REDIRECT_URI,
    RESOLVED_OIDC_BUTTON_LABEL: "Sign in with Microsoft",
    ...extra,
  });
  // The real clock: the provider's ID tokens are checked against it.
  const instance = await createApp({ database: t.database, config, logger });
  await instance.ready();
  return instance;
}

function setCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers["set-cookie"];
  const last = Array.isArray(header) ? header[header.length - 1] : header;
  return last?.split(";", 1)[0];
}

interface Flow {
  /** The session cookie the browser had when it left for the provider. */
  before: string;
  /** Where the provider sent the browser back to: the callback, with the code and state (path and query). */
  callbackPath: string;
  /** The callback's answer, and the cookie it left (the one from before, if it set none). */
  callback: LightMyRequestResponse;
  after: string;
  /** The reason the app logged, if it refused. */
  reason?: string;
}

/** A browser opens /sign-in/sso (with `next`) and signs in at the provider as `subject`: not back yet. */
async function goToProvider(
  subject: string,
  options: { next?: string; on?: FastifyInstance } = {},
): Promise<{ before: string; callbackUrl: URL }> {
  const site = options.on ?? app;
  const query = options.next === undefined ? "" : `?next=${encodeURIComponent(options.next)}`;
  const start = await site.inject({ method: "GET", url: `/sign-in/sso${query}` });
  expect(start.statusCode).toBe(303);
  const before = setCookie(start)!;
  expect(before).toBeDefined();
  const authorize = new URL(String(start.headers.location));
  expect(authorize.origin).toBe(provider.issuer);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("code_challenge")).toBeTruthy();
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("nonce")).toBeTruthy();

  provider.signInAs(subject);
  const callbackUrl = new URL(await provider.browse(authorize.href));
  expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(REDIRECT_URI);
  return { before, callbackUrl };
}

/** The whole round trip, the callback's URL first passed through `alter` (as an attacker might). */
async function signInThroughProvider(
  subject: string,
  options: { next?: string; alter?: (callback: URL) => void; on?: FastifyInstance } = {},
): Promise<Flow> {
  const site = options.on ?? app;
  const { before, callbackUrl } = await goToProvider(subject, options);
  options.alter?.(callbackUrl);
  const callbackPath = `${callbackUrl.pathname}${callbackUrl.search}`;
  const logged = logs.length;
  const callback = await site.inject({ method: "GET", url: callbackPath, headers: { cookie: before } });
  const reason = logs.length > logged ? lastRefusal() : undefined;
  return { before, callbackPath, callback, after: setCookie(callback) ?? before, ...(reason && { reason }) };
}

async function workspace(cookie: string, on: FastifyInstance = app) {
  return on.inject({ method: "GET", url: "/workspace", headers: { cookie } });
}

/** The refusal page as a person sees it: the same whatever the reason (the CSP nonce aside). */
function refusal(flow: Flow) {
  return {
    status: flow.callback.statusCode,
    body: flow.callback.body.replace(/nonce="[^"]*"/g, ""),
  };
}

describe("single sign-on with OpenID Connect", () => {
  it("signs in the account whose address the provider verified, with a new session id", async () => {
    const flow = await signInThroughProvider("jane");
    expect(flow.callback.statusCode).toBe(303);
    expect(flow.callback.headers.location).toBe("/workspace");
    expect(flow.after).not.toBe(flow.before);
    const page = await workspace(flow.after);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Jane Armstrong");
    // The session from before (planted, in a fixation attack) is not signed in.
    expect((await workspace(flow.before)).statusCode).toBe(303);
  });

  it("goes on to the page asked for, only on this site", async () => {
    const back = await signInThroughProvider("jane", { next: "/workspace?from=sign-in" });
    expect(back.callback.headers.location).toBe("/workspace?from=sign-in");
    for (const next of ["//evil.example/x", "https://evil.example/"]) {
      const flow = await signInThroughProvider("jane", { next });
      expect(flow.callback.headers.location, next).toBe("/workspace");
    }
  });

  it("refuses an unknown address, an unverified one, none, and a disabled account with one page", async () => {
    const flows = {
      unknown: await signInThroughProvider("stranger"),
      unverified: await signInThroughProvider("unverified"),
      noEmail: await signInThroughProvider("noemail"),
      disabled: await signInThroughProvider("disabled"),
    };
    const reasons = {
      unknown: "no account has this email address",
      unverified: "the provider does not say the email address is verified (email_verified)",
      noEmail: "the provider sent no email claim",
      disabled: "the account is disabled",
    };
    for (const [reason, flow] of Object.entries(flows)) {
      expect(flow.reason, reason).toBe(reasons[reason as keyof typeof reasons]);
      expect(flow.callback.statusCode, reason).toBe(403);
      expect(flow.callback.body, reason).toContain("You could not be signed in");
      expect(refusal(flow), reason).toEqual(refusal(flows.unknown));
      expect((await workspace(flow.after)).statusCode, reason).toBe(303);
    }
  });

  it("refuses a callback whose state was changed, and one that comes twice", async () => {
    const tampered = await signInThroughProvider("jane", {
      alter: (url) => url.searchParams.set("state", "forged-state-value"),
    });
    expect(tampered.callback.statusCode).toBe(403);
    expect(tampered.reason).toMatch(/did not pass the checks.*state/);
    expect(tampered.callback.body).toContain("You could not be signed in");
    expect((await workspace(tampered.after)).statusCode).toBe(303);

    const flow = await signInThroughProvider("jane");
    expect(flow.callback.statusCode).toBe(303);
    // The same callback again, in the session from before: the attempt is over.
    const again = await app.inject({
      method: "GET",
      url: flow.callbackPath,
      headers: { cookie: flow.before },
    });
    expect(again.statusCode).toBe(403);
    expect(lastRefusal()).toBe("no single sign-on attempt in this session");
  });

  it("refuses a callback in a browser that did not start it (someone else's sign-in forced on a victim)", async () => {
    const attacker = await goToProvider("stranger");
    const callbackPath = `${attacker.callbackUrl.pathname}${attacker.callbackUrl.search}`;
    // The victim has no attempt under way, or one of their own: either way, not the attacker's.
    const victimPage = await app.inject({ method: "GET", url: "/sign-in" });
    const victimOwn = await app.inject({ method: "GET", url: "/sign-in/sso" });
    const expected = ["no single sign-on attempt in this session", /did not pass the checks.*state/];
    for (const [i, cookie] of [setCookie(victimPage)!, setCookie(victimOwn)!].entries()) {
      const forced = await app.inject({ method: "GET", url: callbackPath, headers: { cookie } });
      expect(forced.statusCode).toBe(403);
      expect(lastRefusal()).toMatch(expected[i]!);
      expect((await workspace(setCookie(forced) ?? cookie)).statusCode).toBe(303);
    }
  });

  it("offers the button on the sign-in page, carrying where to go next", async () => {
    const page = await app.inject({ method: "GET", url: "/sign-in?next=%2Fworkspace" });
    expect(page.body).toMatch(
      /<a href="\/sign-in\/sso\?next=%2Fworkspace"[^>]*class="govuk-button govuk-button--secondary"[^>]*>\s*Sign in with Microsoft/,
    );
  });

  it("with preferred_username chosen, trusts it (Entra ID's user principal name) and not the email claim", async () => {
    const upnApp = await appWith({ RESOLVED_OIDC_EMAIL_CLAIM: "preferred_username" });
    try {
      const flow = await signInThroughProvider("upn", { on: upnApp });
      expect(flow.callback.statusCode).toBe(303);
      expect((await workspace(flow.after, upnApp)).body).toContain("Jane Armstrong");
      // In the default mode the same person's unverified email claim opens nothing.
      const strict = await signInThroughProvider("upn");
      expect(strict.callback.statusCode).toBe(403);
      expect(strict.reason).toMatch(/not say the email address is verified/);
    } finally {
      await upnApp.close();
    }
  });
});

describe("without single sign-on set up", () => {
  let plain: FastifyInstance;
  beforeAll(async () => {
    plain = await startTestApp(t.database, () => new Date());
  });
  afterAll(async () => {
    await plain?.close();
  });

  it("the sign-in page has no button and the routes answer 404", async () => {
    const page = await plain.inject({ method: "GET", url: "/sign-in" });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain("/sign-in/sso");
    expect((await plain.inject({ method: "GET", url: "/sign-in/sso" })).statusCode).toBe(404);
    expect(
      (await plain.inject({ method: "GET", url: "/sign-in/sso/callback?code=x&state=y" })).statusCode,
    ).toBe(404);
  });
});
