import type { FastifyReply, FastifyRequest } from "fastify";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import { ROLES } from "../../domain/roles.js";
import {
  createAccount,
  disableAccount,
  enableAccount,
  getAccountById,
  lastTokenUseByAccount,
  listAccounts,
  listApiTokens,
  newAccountProblems,
  revokeApiToken,
  setAccountRoles,
  signOutEverywhere,
  type Account,
  type AccountGuard,
} from "../../services/accounts/index.js";
import type { FieldProblem } from "../../services/people/index.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { ROLE_DESCRIPTIONS } from "../workspace/workspace-routes.js";
import {
  accountActor,
  field,
  formBody,
  formErrors,
  problemsOf,
  redirectWithNotice,
  takeNotice,
  type FormBody,
  type FormErrors,
} from "./admin-forms.js";

/**
 * The admin's pages for the accounts of their own council, each change audited by the services:
 *
 *   GET  /workspace/accounts                                   every account: roles, how it signs in, disabled
 *   GET  /workspace/accounts/new, POST /workspace/accounts     add one (single sign-on only, or a first password)
 *   GET  /workspace/accounts/:id                               the account, its roles and its API tokens
 *   POST /workspace/accounts/:id/roles                         change its roles
 *   GET  /workspace/accounts/:id/disable, POST (the same)      confirm, then disable: sessions end, tokens stop
 *   POST /workspace/accounts/:id/enable                        let it sign in again
 *   POST /workspace/accounts/:id/sign-out-everywhere           end its sessions
 *   POST /workspace/accounts/:id/tokens/:tokenId/revoke        revoke one of its API tokens
 *
 * As on the people pages: a post that succeeds redirects (303) to a page that shows what was done in a banner;
 * one that does not is answered 400 with the form again and an error summary linking to each field. An admin
 * cannot disable their own account or take away their own admin role (the services refuse), so the council is
 * never left without an admin. Passwords typed are never shown again, even on a form with an error.
 */

const ADMIN = { access: ["admin"] } as const;

/** Role checkboxes as the forms show them, in the order of ROLES. */
const ROLE_ITEMS = ROLES.map((role) => ({
  value: role,
  name: ROLE_DESCRIPTIONS[role].name,
  description: ROLE_DESCRIPTIONS[role].description,
}));

type SignIn = "single-sign-on" | "password";

interface NewAccountValues {
  email: string;
  name: string;
  roles: string[];
  ward: string;
  party: string;
  portfolio: string;
  jobTitle: string;
  signIn: string;
}

interface AccountPageState {
  roles?: string[];
  rolesErrors?: FormErrors;
}

export const accountsRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/accounts", { config: ADMIN }, async (request, reply) => {
    const councilId = request.account!.councilId;
    const accounts = await listAccounts(deps.database.db, { councilId });
    const lastUse = await lastTokenUseByAccount(deps.database.db, councilId);
    noStore(reply);
    return reply.view("admin/accounts.njk", {
      pageTitle: "Accounts",
      notice: takeNotice(request),
      accounts: accounts.map((a) => ({
        ...a,
        roleNames: a.roles.map((role) => ROLE_DESCRIPTIONS[role].name),
        lastTokenUse: lastUse.get(a.id) ?? null,
      })),
    });
  });

  app.get("/workspace/accounts/new", { config: ADMIN }, async (_request, reply) => {
    noStore(reply);
    return reply.view("admin/account-new.njk", newAccountView(reply, { roles: [], signIn: "" }));
  });

  app.post("/workspace/accounts", { config: ADMIN }, async (request, reply) => {
    const body = formBody(request);
    const values = newAccountValues(body);
    const signIn = values.signIn as SignIn | "";
    const input = {
      email: values.email,
      name: values.name,
      roles: values.roles,
      ward: values.ward,
      party: values.party,
      portfolio: values.portfolio,
      jobTitle: values.jobTitle,
      password: signIn === "password" ? field(body, "password") : null,
    };
    // Every problem at once: those of the details (the service's own checks), and how they will sign in.
    const problems: FieldProblem[] = newAccountProblems(input).map(asProblem);
    if (signIn !== "password" && signIn !== "single-sign-on") {
      problems.push({ field: "sign-in", message: "Choose how they will sign in" });
    }
    if (problems.length === 0) {
      try {
        const account = await createAccount(deps.database, {
          ...input,
          councilId: request.account!.councilId,
          actor: accountActor(request),
        });
        return redirectWithNotice(
          request,
          reply,
          `/workspace/accounts/${account.id}`,
          `An account for ${account.name} has been added`,
        );
      } catch (error) {
        if (error instanceof ConflictError) problems.push({ field: "email", message: error.message });
        else {
          const refused = problemsOf(error);
          if (!refused) throw error;
          problems.push(...refused);
        }
      }
    }
    noStore(reply).code(400);
    return reply.view(
      "admin/account-new.njk",
      newAccountView(reply, values, formErrors(problems, { role: "roles", "sign-in": "sign-in" })),
    );
  });

  app.get<{ Params: { id: string } }>(
    "/workspace/accounts/:id",
    { config: ADMIN },
    async (request, reply) => {
      return accountPage(request, reply, deps, accountId(request.params.id), {});
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/accounts/:id/roles",
    { config: ADMIN },
    async (request, reply) => {
      const id = accountId(request.params.id);
      const roles = listField(formBody(request), "roles");
      try {
        const { account, changed } = await setAccountRoles(
          deps.database,
          id,
          roles,
          accountActor(request),
          guardOf(request),
        );
        const notice = changed ? `${account.name}'s roles have been saved` : "Nothing was changed";
        return redirectWithNotice(request, reply, `/workspace/accounts/${id}`, notice);
      } catch (error) {
        const problems = problemsOf(error);
        if (!problems) throw error;
        const rolesErrors = formErrors(problems, { role: "roles" });
        return accountPage(request, reply, deps, id, { roles, rolesErrors }, 400);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    "/workspace/accounts/:id/disable",
    { config: ADMIN },
    async (request, reply) => {
      const account = await getAccountById(deps.database.db, accountId(request.params.id), guardOf(request));
      if (account.disabledAt !== null) return reply.redirect(`/workspace/accounts/${account.id}`, 303);
      return disablePage(request, reply, account);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/accounts/:id/disable",
    { config: ADMIN },
    async (request, reply) => {
      const guard = guardOf(request);
      const account = await getAccountById(deps.database.db, accountId(request.params.id), guard);
      try {
        await disableAccount(deps.database, account.email, accountActor(request), guard);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return disablePage(request, reply, account, error.message);
      }
      return redirectWithNotice(
        request,
        reply,
        `/workspace/accounts/${account.id}`,
        `${account.name}'s account has been disabled: they have been signed out and their API tokens no longer work`,
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/accounts/:id/enable",
    { config: ADMIN },
    async (request, reply) => {
      const id = accountId(request.params.id);
      const { account, changed } = await enableAccount(
        deps.database,
        id,
        accountActor(request),
        guardOf(request),
      );
      const notice = changed
        ? `${account.name}'s account has been enabled: they can sign in again`
        : "Nothing was changed";
      return redirectWithNotice(request, reply, `/workspace/accounts/${id}`, notice);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/accounts/:id/sign-out-everywhere",
    { config: ADMIN },
    async (request, reply) => {
      const id = accountId(request.params.id);
      const guard = guardOf(request);
      const account = await getAccountById(deps.database.db, id, guard);
      await signOutEverywhere(deps.database, id, accountActor(request), guard);
      if (id === request.account!.id) {
        // Their own sessions, this one included: saving a banner in it would bring it back.
        await request.session.destroy();
        return reply.redirect("/sign-in", 303);
      }
      return redirectWithNotice(
        request,
        reply,
        `/workspace/accounts/${id}`,
        `${account.name} has been signed out everywhere`,
      );
    },
  );

  app.post<{ Params: { id: string; tokenId: string } }>(
    "/workspace/accounts/:id/tokens/:tokenId/revoke",
    { config: ADMIN },
    async (request, reply) => {
      const id = accountId(request.params.id);
      if (!/^\d{1,9}$/.test(request.params.tokenId)) throw new NotFoundError("No such token");
      const token = await revokeApiToken(
        deps.database,
        Number(request.params.tokenId),
        accountActor(request),
        {
          accountId: id,
          councilId: request.account!.councilId,
        },
      );
      const label = token.label === "" ? `Token ${token.id}` : `The token "${token.label}"`;
      return redirectWithNotice(
        request,
        reply,
        `/workspace/accounts/${id}`,
        `${label} has been revoked: it no longer works`,
      );
    },
  );
};

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header("cache-control", "no-store");
}

function accountId(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new NotFoundError(`No account "${text}"`);
  return Number(text);
}

/** The admin's own council, and the admin themselves (who may not lock themselves out). */
function guardOf(request: FastifyRequest): AccountGuard {
  return { councilId: request.account!.councilId, actingAccountId: request.account!.id };
}

/** Every value of a field that may come several times (checkboxes). */
function listField(body: FormBody, name: string): string[] {
  const value = body[name];
  return [value ?? []].flat().filter((v): v is string => typeof v === "string" && v !== "");
}

function asProblem(error: ValidationError): FieldProblem {
  return { field: error.field ?? "", message: error.message };
}

function newAccountValues(body: FormBody): NewAccountValues {
  return {
    email: field(body, "email"),
    name: field(body, "name"),
    roles: listField(body, "roles"),
    ward: field(body, "ward"),
    party: field(body, "party"),
    portfolio: field(body, "portfolio"),
    jobTitle: field(body, "job-title"),
    signIn: field(body, "sign-in"),
  };
}

function roleItems(checked: readonly string[]) {
  return ROLE_ITEMS.map((item) => ({ ...item, checked: checked.includes(item.value) }));
}

function newAccountView(reply: FastifyReply, values: Partial<NewAccountValues>, errors?: FormErrors) {
  return {
    pageTitle: "Add an account",
    hasErrors: errors !== undefined,
    errors,
    values,
    roleItems: roleItems(values.roles ?? []),
    csrfToken: reply.generateCsrf(),
  };
}

/** The account's page: what it is, its roles (a form), its API tokens, and signing it out or disabling it. */
async function accountPage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  id: number,
  state: AccountPageState,
  status = 200,
) {
  const account = await getAccountById(deps.database.db, id, guardOf(request));
  const tokens = await listApiTokens(deps.database.db, account.email);
  const self = account.id === request.account!.id;
  noStore(reply).code(status);
  return reply.view("admin/account.njk", {
    pageTitle: account.name,
    hasErrors: state.rolesErrors !== undefined,
    errorList: state.rolesErrors?.list ?? [],
    notice: status === 200 ? takeNotice(request) : undefined,
    account,
    self,
    roleItems: roleItems(state.roles ?? account.roles),
    rolesError: state.rolesErrors?.byField.role,
    tokens,
    csrfToken: reply.generateCsrf(),
  });
}

/** "Are you sure?" before disabling; again, with the refusal, when the admin tried to disable themselves. */
function disablePage(request: FastifyRequest, reply: FastifyReply, account: Account, refusal?: string) {
  const self = account.id === request.account!.id;
  noStore(reply).code(refusal === undefined ? 200 : 400);
  return reply.view("admin/account-disable.njk", {
    pageTitle: `Disable ${account.name}'s account`,
    hasErrors: refusal !== undefined,
    errorList: refusal === undefined ? [] : [{ text: refusal, href: "#account" }],
    account,
    self,
    csrfToken: reply.generateCsrf(),
  });
}
