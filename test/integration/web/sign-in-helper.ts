import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";

/**
 * Signing in to the site under test as a browser does: open the sign-in page (a session and its CSRF token),
 * post the form, keep the new session cookie, and read the CSRF token of a page shown to the signed-in account.
 */

export const TEST_PASSWORD = "plenty of words in this passphrase";

export interface BrowserSession {
  /** The session cookie, "name=value". */
  cookie: string;
  /** A CSRF token of that session, for forms. */
  csrf: string;
}

/** The session cookie a response leaves the browser with ("name=value"): the last one it sets, if any. */
export function setCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers["set-cookie"];
  const last = Array.isArray(header) ? header[header.length - 1] : header;
  return last?.split(";", 1)[0];
}

export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token in the page");
  return token;
}

/** Posts a form (urlencoded) as a browser would; `fields` may repeat a name with an array. */
export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string | string[]>,
  cookie?: string,
) {
  const payload = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) payload.append(name, v);
  }
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie && { cookie }) },
    payload: payload.toString(),
  });
}

/** A visitor's session with a CSRF token: what a browser has after opening the sign-in page. */
export async function openSignInPage(app: FastifyInstance): Promise<BrowserSession> {
  const page = await app.inject({ method: "GET", url: "/sign-in" });
  expect(page.statusCode).toBe(200);
  return { cookie: setCookie(page)!, csrf: csrfTokenIn(page.body) };
}

/** Posts the sign-in form; the response, with the cookie it sets. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<LightMyRequestResponse & { cookie?: string }> {
  const { cookie, csrf } = await openSignInPage(app);
  const response = await postForm(app, "/sign-in", { _csrf: csrf, email, password }, cookie);
  return Object.assign(response, { cookie: setCookie(response) });
}

/** Signed in as `email`: the session cookie and a CSRF token from the workspace page. */
export async function sessionFor(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
): Promise<BrowserSession> {
  const response = await signIn(app, email, password);
  expect(response.statusCode, email).toBe(303);
  const workspace = await app.inject({
    method: "GET",
    url: "/workspace",
    headers: { cookie: response.cookie! },
  });
  expect(workspace.statusCode, email).toBe(200);
  return { cookie: response.cookie!, csrf: csrfTokenIn(workspace.body) };
}

export type TestSession = BrowserSession;

export function getPage(app: FastifyInstance, url: string, session?: { cookie: string }) {
  return app.inject({ method: "GET", url, headers: session ? { cookie: session.cookie } : {} });
}

/** Signs in with the sign-in form (sessionFor, with the password given). */
export function signInAs(app: FastifyInstance, email: string, password: string): Promise<TestSession> {
  return sessionFor(app, email, password);
}
