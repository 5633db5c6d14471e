import type { RoutePlugin } from "../route-plugin.js";
import { callInPageRoutes } from "./call-in-page-routes.js";
import { openCallInsRoutes } from "./open-call-ins-routes.js";
import { scrutinyOutcomeRoutes } from "./scrutiny-outcome-routes.js";

/**
 * Call-in online, in the workspace: councillors start and sign requests (/workspace/decisions/:id/call-in),
 * officers and the scrutiny chair see the open ones (/workspace/call-ins), the scrutiny chair records the
 * outcome (/workspace/decisions/:id/scrutiny-outcome). Each route declares its roles.
 */
export const callInRoutes: RoutePlugin = async (app, deps) => {
  await app.register(callInPageRoutes, deps);
  await app.register(openCallInsRoutes, deps);
  await app.register(scrutinyOutcomeRoutes, deps);
};
