import type { RoutePlugin } from "../route-plugin.js";
import { councilSettingsRoutes } from "./council-settings-routes.js";
import { peopleRoutes } from "./people-routes.js";

/**
 * The admin's part of the workspace (every route declares access ["admin"]): people and their memberships
 * (/workspace/people...), and the council's settings (/workspace/council).
 */
export const adminRoutes: RoutePlugin = async (app, deps) => {
  await app.register(peopleRoutes, deps);
  await app.register(councilSettingsRoutes, deps);
};
