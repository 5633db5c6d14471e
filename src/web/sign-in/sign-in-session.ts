import type { FastifyRequest } from "fastify";
import type { Account } from "../../services/accounts/index.js";

/** What both ways of signing in share: where to go afterwards, and how a session starts. */

/**
 * Only a path on this site: never another site ("//evil.example", "https://..."). Read as a browser reads a
 * Location (it drops tabs and line breaks and takes "\\" for "/", so "/\t/evil.example" is another site), and
 * given back in that form, encoded.
 */
export function safeNext(next: string | undefined): string {
  if (next === undefined || !next.startsWith("/")) return "/workspace";
  const base = "http://resolved.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return "/workspace";
  }
  if (url.origin !== base) return "/workspace";
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Signs `account` in on this request's session: a new session id first, so that an id planted before (session
 * fixation) is worth nothing, and anything the old session held (a single sign-on attempt, a CSRF secret)
 * goes with it.
 */
export async function startSession(
  request: FastifyRequest,
  account: Account,
  method: "password" | "single-sign-on",
): Promise<void> {
  await request.session.regenerate();
  request.session.accountId = account.id;
  await request.session.save();
  request.log.info({ accountId: account.id, method }, "signed in");
}
