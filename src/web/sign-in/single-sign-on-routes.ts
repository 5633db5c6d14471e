import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../../config.js";
import { NotFoundError } from "../../domain/errors.js";
import {
  accountForVerifiedEmail,
  createOidcClient,
  type PendingSignIn,
  type SingleSignOnSettings,
} from "../../services/single-sign-on/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { safeNext, startSession } from "./sign-in-session.js";

/**
 * GET /sign-in/sso, GET /sign-in/sso/callback: signing in through the council's OpenID Connect provider
 * (RESOLVED_OIDC_*; without them both answer 404).
 *
 * The first sends the person to the provider, keeping the attempt's state, nonce and PKCE verifier in the
 * server-side session (never in the browser). The second checks what the provider sent back against them,
 * takes the email address the provider vouches for (services/single-sign-on/verified-email.ts), and signs in
 * the existing, enabled account with that address, exactly as a password does (sign-in-session.ts). Every
 * refusal, whatever its reason (an unknown address, a disabled account, an unverified address, a tampered or
 * stale callback), is the same page with the same status, so nobody can learn which addresses have accounts;
 * the reason goes to the log.
 */

declare module "fastify" {
  interface Session {
    /** A single sign-on attempt under way: what its callback is checked against. */
    singleSignOn?: PendingSignIn & { next?: string; startedAt: number };
  }
}

/** Time allowed at the provider: long enough for multi-factor authentication, short enough to be one attempt. */
const ATTEMPT_MAX_AGE_MS = 15 * 60_000;

/** The settings the service needs, when single sign-on is set up (src/config.ts checked them all-or-none). */
export function singleSignOnSettings(config: Config): SingleSignOnSettings | null {
  if (!config.oidcIssuer || !config.oidcClientId || !config.oidcClientSecret || !config.oidcRedirectUrl) {
    return null;
  }
  return {
    issuer: new URL(config.oidcIssuer),
    clientId: config.oidcClientId,
    clientSecret: config.oidcClientSecret,
    redirectUrl: new URL(config.oidcRedirectUrl),
    emailClaim: config.oidcEmailClaim,
  };
}

/** The sign-in page's "Sign in with ..." button, when single sign-on is set up. */
export function singleSignOnButton(
  config: Config,
  next: string | undefined,
): { label: string; href: string } | undefined {
  if (singleSignOnSettings(config) === null) return undefined;
  const query = next === undefined ? "" : `?${new URLSearchParams({ next }).toString()}`;
  return { label: config.oidcButtonLabel, href: `/sign-in/sso${query}` };
}

export const singleSignOnRoutes: RoutePlugin = async (app, deps) => {
  const settings = singleSignOnSettings(deps.config);
  const client = settings && createOidcClient(settings);
  const notSetUp = () => new NotFoundError("Single sign-on is not set up on this register");

  app.get<{ Querystring: { next?: string } }>(
    "/sign-in/sso",
    { config: { access: "public" } },
    async (request, reply) => {
      if (client === null) throw notSetUp();
      const next = typeof request.query.next === "string" ? request.query.next : undefined;
      if (request.session.accountId !== undefined) return reply.redirect(safeNext(next), 303);
      const { url, pending } = await client.start();
      // A new attempt replaces any earlier one in this session.
      request.session.singleSignOn = { ...pending, ...(next && { next }), startedAt: deps.now().getTime() };
      reply.header("cache-control", "no-store");
      return reply.redirect(url.href, 303);
    },
  );

  app.get("/sign-in/sso/callback", { config: { access: "public" } }, async (request, reply) => {
    if (client === null) throw notSetUp();
    reply.header("cache-control", "no-store");
    const attempt = request.session.singleSignOn;
    // One callback per attempt, whatever its outcome: a replayed or second callback finds nothing.
    if (attempt !== undefined) request.session.singleSignOn = undefined;
    if (attempt === undefined) return refuse(request, reply, "no single sign-on attempt in this session");
    if (deps.now().getTime() - attempt.startedAt > ATTEMPT_MAX_AGE_MS) {
      return refuse(request, reply, "the attempt is older than 15 minutes");
    }

    let outcome;
    try {
      const query = request.url.indexOf("?");
      outcome = await client.finish(query === -1 ? "" : request.url.slice(query + 1), attempt);
    } catch (error) {
      // A wrong state, a provider's error (the person cancelled), a bad ID token, a code already used.
      return refuse(request, reply, `the provider's response did not pass the checks (${describe(error)})`);
    }
    if ("refused" in outcome) return refuse(request, reply, outcome.refused);
    const found = await accountForVerifiedEmail(deps.database.db, outcome.email);
    if ("refused" in found) return refuse(request, reply, found.refused, { email: outcome.email });
    await startSession(request, found.account, "single-sign-on");
    return reply.redirect(safeNext(attempt.next), 303);
  });
};

/** An error and its causes in one line (openid-client's messages are general; their causes say which check). */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 4; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" <- ");
}

/** The one answer to every refused single sign-on, logged with its real reason. */
function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  reason: string,
  details: Record<string, unknown> = {},
): Promise<FastifyReply> {
  request.log.warn({ ...details, reason }, "single sign-on refused");
  reply.code(403);
  return reply.view("sign-in/single-sign-on-refused.njk", { pageTitle: "You could not be signed in" });
}
