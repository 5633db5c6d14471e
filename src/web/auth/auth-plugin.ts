import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import fastifySession from "@fastify/session";
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import { AuthenticationError, PermissionError } from "../../domain/errors.js";
import { findAccountById, findAccountByToken, type Account } from "../../services/accounts/index.js";
import { deleteSession, loadSession, saveSession, serverSecret } from "../../services/sessions/index.js";
import type { JsonObject } from "../../storage/schema.js";
import { isApiRequest } from "../errors/error-pages.js";
import type { RouteDeps } from "../route-plugin.js";
import { allows, type Access } from "./access.js";

/**
 * Who is asking, and whether they may: sessions for people signed in to the website, bearer tokens for
 * programs using the API, CSRF tokens on every form, and each route's declared access enforced.
 *
 * - Sessions live in the database (services/sessions), so several server processes share them and ending one
 *   takes effect at once. The cookie is HttpOnly, SameSite=Lax, Secure when the request came over HTTPS (with
 *   RESOLVED_TRUST_PROXY behind a proxy), signed; a new session id is issued at sign-in.
 * - Under /api/, only `Authorization: Bearer <token>` identifies a caller (no cookies, so no CSRF there).
 * - A page that needs an account sends the signed-out visitor to /sign-in (and back afterwards); the API
 *   answers 401. A signed-in account without the role gets 403.
 * - Every form post outside /api/ needs the session's CSRF token (`_csrf`), checked before the handler.
 */

/** A route and who may use it, as declared. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route with its declared access (for the route × role tests and for reviewing them). */
    declaredRoutes(): DeclaredRoute[];
  }
  interface FastifyRequest {
    /**
     * The signed-in account (a session, or an API token under /api/), or null; looked up only for routes that
     * are not public.
     */
    account: Account | null;
  }
}

declare module "fastify" {
  interface Session {
    /** The account signed in with this session; absent before sign-in. */
    accountId?: number;
  }
}

export const SESSION_COOKIE = "resolved_session";
/** A session lasts a working day from sign-in; signing in again starts a new one. */
const SESSION_MAX_AGE_MS = 12 * 60 * 60_000;
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function registerAuth(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const secret = deps.config.sessionSecret ?? (await serverSecret(deps.database.db, "session-cookie"));
  await app.register(fastifyFormbody);
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret,
    cookieName: SESSION_COOKIE,
    saveUninitialized: false,
    // A session lasts a working day from sign-in, not from the last click: nothing to write back on every
    // request (the plugin's default would save the session, one database write, on each response).
    rolling: false,
    cookie: { httpOnly: true, sameSite: "lax", secure: "auto", path: "/", maxAge: SESSION_MAX_AGE_MS },
    store: {
      get(sid, callback) {
        loadSession(deps.database.db, sid, deps.now())
          .then((stored) => callback(null, stored?.data as never))
          .catch((error: Error) => callback(error));
      },
      set(sid, session, callback) {
        const data = JSON.parse(JSON.stringify(session)) as JsonObject;
        const expires = session.cookie.expires ?? new Date(deps.now().getTime() + SESSION_MAX_AGE_MS);
        saveSession(deps.database.db, sid, {
          data,
          expiresAt: new Date(expires),
          accountId: session.accountId ?? null,
        })
          .then(() => callback())
          .catch((error: Error) => callback(error));
      },
      destroy(sid, callback) {
        deleteSession(deps.database.db, sid)
          .then(() => callback())
          .catch((error: Error) => callback(error));
      },
    },
  });
  await app.register(fastifyCsrf, { sessionPlugin: "@fastify/session" });

  // Every route must say who may use it: a route that says nothing is a mistake, found at start.
  const routes: RouteOptions[] = [];
  app.addHook("onRoute", (route) => {
    routes.push(route);
  });
  app.decorate("declaredRoutes", () =>
    routes.flatMap((route) =>
      [route.method]
        .flat()
        .map((method) => ({ method, url: route.url, access: route.config?.access as Access })),
    ),
  );
  app.addHook("onReady", async () => {
    const undeclared = routes.filter((route) => route.config?.access === undefined);
    if (undeclared.length > 0) {
      const list = undeclared.map((r) => `${String(r.method)} ${r.url}`).join(", ");
      throw new Error(`routes without a declared access (config.access): ${list}`);
    }
  });

  app.decorateRequest("account", null);
  app.addHook("preHandler", async (request, reply) => {
    const access: Access | undefined = request.routeOptions.config.access;
    // Unknown URLs (the not-found handler) have no route options: nothing to guard. Public pages are the same
    // for everyone (and cached so), so who is signed in is not looked up for them; a token sent to the API is
    // still checked, so a revoked one is refused wherever it is used.
    if (access === undefined) return;
    const apiToken = isApiRequest(request) && request.headers.authorization !== undefined;
    if (access === "public" && !apiToken) return;
    request.account = await accountOf(request, deps);
    if (!allows(access, request.account?.roles ?? null)) {
      if (request.account !== null) {
        throw new PermissionError("Your account does not have the role this page needs.");
      }
      if (isApiRequest(request)) {
        throw new AuthenticationError("Send an API token: Authorization: Bearer <token>.");
      }
      if (request.method === "GET" || request.method === "HEAD") {
        return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      }
      throw new AuthenticationError("Sign in first.");
    }
  });
  // What an account sees is for it alone: nothing from a route that needs one is kept by any cache, whatever the
  // answer (a page, a redirect, an error).
  app.addHook("onSend", async (request, reply, payload) => {
    const access: Access | undefined = request.routeOptions.config.access;
    if (access !== undefined && access !== "public") reply.header("cache-control", "no-store");
    return payload;
  });
  // Form posts need the session's CSRF token; a wrong or missing one is answered 403 by the plugin.
  app.addHook("preHandler", (request, reply, done) => {
    if (UNSAFE_METHODS.has(request.method) && !isApiRequest(request)) {
      app.csrfProtection(request, reply, done);
      return;
    }
    done();
  });
}

async function accountOf(request: FastifyRequest, deps: RouteDeps): Promise<Account | null> {
  if (isApiRequest(request)) {
    const header = request.headers.authorization;
    if (typeof header !== "string") return null;
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new AuthenticationError("The Authorization header must be: Bearer <token>.");
    const account = await findAccountByToken(deps.database.db, match[1]!);
    if (account === null) throw new AuthenticationError("The API token is not known, or was revoked.");
    return account;
  }
  const accountId = request.session.accountId;
  if (accountId === undefined) return null;
  const account = await findAccountById(deps.database.db, accountId);
  if (account === null || account.disabledAt !== null) {
    // Disabled or removed since signing in: the session ends now.
    await request.session.destroy();
    return null;
  }
  return account;
}
