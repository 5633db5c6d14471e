import { getCouncilOverview } from "../../services/councils/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { describeCallInRule } from "../shared/format.js";

const POUNDS = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  maximumFractionDigits: 0,
});

/** GET /council: the default council (RESOLVED_COUNCIL): its decision makers, call-in rule and open data. */
export const councilRoutes: RoutePlugin = async (app, deps) => {
  app.get("/council", async (_request, reply) => {
    const council = await getCouncilOverview(deps.database.db, deps.config.defaultCouncil, {
      defaultCouncil: deps.config.defaultCouncil,
    });
    return reply.view("council/council.njk", {
      pageTitle: council.name,
      council,
      ruleText: describeCallInRule(council.callInRule),
      threshold: council.keyDecisionThreshold === null ? null : POUNDS.format(council.keyDecisionThreshold),
    });
  });
};
