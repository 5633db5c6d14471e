import type { FastifyInstance } from "fastify";
import type { Role } from "../../domain/roles.js";
import type { RoutePlugin } from "../route-plugin.js";

/**
 * Who may use a route, declared by every route (`config: { access }`); the server refuses to start when a
 * route declares nothing (see auth-plugin.ts):
 *
 * - "public": anyone, no account needed (the register, the API's reading, sign-in itself);
 * - "signed-in": any account, whatever its roles (its own workspace page, signing out);
 * - a list of roles: an account holding at least one of them.
 */
export type Access = "public" | "signed-in" | readonly Role[];

declare module "fastify" {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** Whether an account with `roles` (null: nobody signed in) may use a route declared `access`. */
export function allows(access: Access, roles: readonly Role[] | null): boolean {
  if (access === "public") return true;
  if (roles === null) return false;
  if (access === "signed-in") return true;
  return access.some((role) => roles.includes(role));
}

/** Declares `access` on every route added in `scope` (and scopes inside it) that declares nothing itself. */
export function declareAccess(scope: FastifyInstance, access: Access): void {
  scope.addHook("onRoute", (route) => {
    if (route.config?.access === undefined) route.config = { ...route.config, access };
  });
}

/**
 * A feature whose routes are all public unless one says otherwise: the public register's pages, feeds and
 * API.
 */
export function publicFeature(plugin: RoutePlugin): RoutePlugin {
  return async (app, deps) => {
    declareAccess(app, "public");
    await app.register(plugin, deps);
  };
}
