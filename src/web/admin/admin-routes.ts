import type { RoutePlugin } from "../route-plugin.js";
import { accountsRoutes } from "./accounts-routes.js";
import { councilSettingsRoutes } from "./council-settings-routes.js";
import { peopleRoutes } from "./people-routes.js";

/**
 * The admin's part of the workspace (every route declares access ["admin"]): people and their memberships
 * (/workspace/people...), accounts and their roles and API tokens (/workspace/accounts...), and the council's
 * settings (/workspace/council).
 */
export const adminRoutes: RoutePlugin = async (app, deps) => {
  await app.register(peopleRoutes, deps);
  await app.register(accountsRoutes, deps);
  await app.register(councilSettingsRoutes, deps);
};
