import { z } from "zod";
import { verifyPassword } from "../../services/accounts/index.js";
import {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  accountKey,
  addressKey,
  blockedUntil,
  clearFailures,
  recordFailure,
} from "../../services/sessions/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { safeNext, startSession } from "./sign-in-session.js";
import { singleSignOnButton } from "./single-sign-on-routes.js";

/**
 * GET /sign-in, POST /sign-in, POST /sign-out.
 *
 * One message for every failed sign-in (no telling whether the email is known); failures are limited per
 * account and per address (services/sessions), a blocked attempt is refused before the password is checked
 * and says when to try again; a successful sign-in gets a new session id (no session fixation) and goes back
 * to the page that asked for it, if that was one of ours. With single sign-on set up, the page also offers it
 * (single-sign-on-routes.ts).
 */

const FAILED = "Enter a correct email address and password";

const signInForm = z.object({
  email: z.string().trim().max(320).default(""),
  password: z.string().max(1024).default(""),
  next: z.string().max(2000).optional(),
});

export const signInRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Querystring: { next?: string } }>(
    "/sign-in",
    { config: { access: "public" } },
    async (request, reply) => {
      // Already signed in: on to where they were going (the workspace checks the account is still usable).
      if (request.session.accountId !== undefined) return reply.redirect(safeNext(request.query.next), 303);
      const next = typeof request.query.next === "string" ? request.query.next : undefined;
      reply.header("cache-control", "no-store");
      return reply.view("sign-in/sign-in.njk", {
        pageTitle: "Sign in",
        csrfToken: reply.generateCsrf(),
        next,
        singleSignOn: singleSignOnButton(deps.config, next),
      });
    },
  );

  app.post("/sign-in", { config: { access: "public" } }, async (request, reply) => {
    const form = signInForm.parse(request.body ?? {});
    const now = deps.now();
    const errors: { text: string; href: string }[] = [];
    if (form.email === "") errors.push({ text: "Enter your email address", href: "#email" });
    // No email address has a control character, and PostgreSQL text cannot hold NUL: refused before any lookup.
    // eslint-disable-next-line no-control-regex
    else if (/[\u0000-\u001f\u007f]/.test(form.email)) errors.push({ text: FAILED, href: "#email" });
    if (form.password === "") errors.push({ text: "Enter your password", href: "#password" });
    const show = (status: number, list: { text: string; href: string }[]) => {
      reply.code(status).header("cache-control", "no-store");
      return reply.view("sign-in/sign-in.njk", {
        pageTitle: "Sign in",
        hasErrors: true,
        errors: list,
        email: form.email,
        next: form.next,
        csrfToken: reply.generateCsrf(),
        singleSignOn: singleSignOnButton(deps.config, form.next),
      });
    };
    if (errors.length > 0) return show(400, errors);

    const db = deps.database.db;
    const keys = [
      { key: accountKey(form.email), rule: ACCOUNT_RULE },
      { key: addressKey(request.ip), rule: ADDRESS_RULE },
    ];
    for (const { key, rule } of keys) {
      const until = await blockedUntil(db, key, rule, now);
      if (until !== null) {
        const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
        reply.header("retry-after", String(Math.ceil((until.getTime() - now.getTime()) / 1000)));
        return show(429, [
          {
            text: `Too many failed attempts to sign in. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
            href: "#email",
          },
        ]);
      }
    }

    const account = await verifyPassword(db, form.email, form.password);
    if (account === null) {
      for (const { key, rule } of keys) await recordFailure(db, key, rule, now);
      return show(401, [{ text: FAILED, href: "#email" }]);
    }
    await clearFailures(db, accountKey(form.email));
    await startSession(request, account, "password");
    return reply.redirect(safeNext(form.next), 303);
  });

  app.post("/sign-out", { config: { access: "public" } }, async (request, reply) => {
    if (request.session.accountId !== undefined) await request.session.destroy();
    return reply.redirect("/", 303);
  });
};
