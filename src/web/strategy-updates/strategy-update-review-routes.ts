import { ValidationError } from "../../domain/errors.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  confirmStrategyUpdate,
  proposedStrategyUpdates,
  rejectStrategyUpdate,
} from "../../services/strategy-updates/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { setNotice, takeNotice } from "../shared/flash-notice.js";

/**
 * Officers confirm which Cabinet decision considered each quarterly update of their council's strategies:
 *
 *   GET  /workspace/strategy-updates                   the proposed links, latest meeting first, each with why
 *   POST /workspace/strategy-updates/:id/confirmation  "Yes, this is the update": the quarter's decision
 *   POST /workspace/strategy-updates/:id/rejection     "Not this strategy": removed, never proposed again
 *
 * Both posts go back to the list with a notification banner (post, redirect, get). The services audit them.
 */

const ACCESS = { access: ["officer"] as const };

function idOf(value: unknown): number {
  const text = typeof value === "string" ? value.trim() : "";
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new ValidationError(`id: "${text.slice(0, 40)}" is not a number`, "id");
  }
  return Number(text);
}

export const strategyUpdateReviewRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/strategy-updates", { config: ACCESS }, async (request, reply) => {
    const items = await proposedStrategyUpdates(deps.database.db, request.account!.councilId);
    const notice = takeNotice(request);
    reply.header("cache-control", "no-store");
    return reply.view("strategy-updates/strategy-update-review.njk", {
      pageTitle: "Quarterly updates to confirm",
      items,
      notice,
      csrfToken: reply.generateCsrf(),
    });
  });

  app.post<{ Params: { id: string } }>(
    "/workspace/strategy-updates/:id/confirmation",
    { config: ACCESS },
    async (request, reply) => {
      const result = await confirmStrategyUpdate(
        deps.database,
        idOf(request.params.id),
        actorFor(request.account!),
        deps.now(),
      );
      setNotice(request, `Decision ${result.decisionId} is confirmed as the ${result.period} update.`);
      return reply.redirect("/workspace/strategy-updates", 303);
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/strategy-updates/:id/rejection",
    { config: ACCESS },
    async (request, reply) => {
      const result = await rejectStrategyUpdate(
        deps.database,
        idOf(request.params.id),
        actorFor(request.account!),
        deps.now(),
      );
      setNotice(
        request,
        `Decision ${result.decisionId} will not be proposed as an update of that strategy again.`,
      );
      return reply.redirect("/workspace/strategy-updates", 303);
    },
  );
};
