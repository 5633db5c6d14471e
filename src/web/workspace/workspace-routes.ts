import type { Role } from "../../domain/roles.js";
import type { RoutePlugin } from "../route-plugin.js";

/** What each role lets the holder do, as the workspace page tells them. */
export const ROLE_DESCRIPTIONS: Record<Role, { name: string; description: string }> = {
  officer: {
    name: "Democratic services officer",
    description: "records meetings, drafts decision records and corrects published ones",
  },
  "proper-officer": { name: "Proper Officer", description: "publishes decision records" },
  councillor: { name: "Councillor", description: "starts and signs call-in requests" },
  "scrutiny-chair": {
    name: "Scrutiny chair",
    description: "records the outcome of scrutiny and consents to urgent decisions",
  },
  admin: {
    name: "Administrator",
    description: "manages people, accounts and the council's settings",
  },
  "service-manager": {
    name: "Service manager",
    description: "enters the figures of the KPIs that name them",
  },
};

/** GET /workspace: the signed-in account's start page: who they are, what their roles let them do. */
export const workspaceRoutes: RoutePlugin = async (app) => {
  app.get("/workspace", { config: { access: "signed-in" } }, async (request, reply) => {
    const account = request.account!;
    reply.header("cache-control", "no-store");
    return reply.view("workspace/workspace.njk", {
      pageTitle: "Your workspace",
      account,
      roles: account.roles.map((role) => ROLE_DESCRIPTIONS[role]),
      csrfToken: reply.generateCsrf(),
    });
  });
};
