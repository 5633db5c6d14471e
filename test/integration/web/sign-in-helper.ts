import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/**
 * Signing in to the test app as a browser does (tests inject requests): open /sign-in for a session and its
 * CSRF token, post the form, keep the new session cookie. Forms are then posted with the cookie and a token
 * read from a page.
 *
 *   const session = await signInAs(app, "jane@council.example", PASSWORD);
 *   const page = await getPage(app, "/workspace", session);
 *   await postForm(app, "/sign-out", { _csrf: csrfTokenIn(page.body) }, session.cookie);
 */

export interface TestSession {
  /** "resolved_session=..." for the cookie header. */
  cookie: string;
  /** A CSRF token of this session, from the workspace page. */
  csrf: string;
}

/** The session cookie a response leaves the browser with ("name=value"): the last one it sets, if any. */
export function setCookie(response: LightMyRequestResponse): string | undefined {
  const header = response.headers["set-cookie"];
  const last = Array.isArray(header) ? header[header.length - 1] : header;
  return last?.split(";", 1)[0];
}

/** The first form's CSRF token in a page. */
export function csrfTokenIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token in the page");
  return token;
}

export function postForm(
  app: FastifyInstance,
  url: string,
  fields: Record<string, string | string[]>,
  cookie?: string,
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of [value].flat()) body.append(name, item);
  }
  return app.inject({
    method: "POST",
    url,
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie && { cookie }) },
    payload: body.toString(),
  });
}

export function getPage(app: FastifyInstance, url: string, session?: { cookie: string }) {
  return app.inject({ method: "GET", url, headers: session ? { cookie: session.cookie } : {} });
}

/** Signs in with the sign-in form; throws when it does not succeed. */
export async function signInAs(app: FastifyInstance, email: string, password: string): Promise<TestSession> {
  const form = await getPage(app, "/sign-in");
  const visitor = setCookie(form);
  const response = await postForm(
    app,
    "/sign-in",
    { _csrf: csrfTokenIn(form.body), email, password },
    visitor,
  );
  const cookie = setCookie(response);
  if (response.statusCode !== 303 || !cookie) {
    throw new Error(`signing in as ${email} answered ${response.statusCode}`);
  }
  const workspace = await getPage(app, "/workspace", { cookie });
  if (workspace.statusCode !== 200) throw new Error(`the workspace answered ${workspace.statusCode}`);
  return { cookie, csrf: csrfTokenIn(workspace.body) };
}
