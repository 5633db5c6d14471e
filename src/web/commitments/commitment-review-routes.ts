import type { FastifyRequest } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  confirmFulfilment,
  listCommitments,
  rejectSuggestion,
  suggestFulfilments,
} from "../../services/commitments/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { setNotice, takeNotice } from "../shared/flash-notice.js";

/**
 * Officers review what fulfilled their council's commitments, in the workspace:
 *
 *   GET  /workspace/commitments                    the open commitments (overdue first), each with the later
 *                                                  decisions that may fulfil it, best first
 *   POST /workspace/commitments/:id/fulfilment     "This fulfils it": the commitment is done (decisionId)
 *   POST /workspace/commitments/:id/rejections     "Not this one": never suggested for it again (decisionId)
 *
 * Both posts go back to the list with a notification banner (post, redirect, get). The services audit them.
 */

const ACCESS = { access: ["officer"] as const };
/** The page lists at most this many of each state: enough for a quarter's review, not the whole history. */
const SHOWN = 50;

function idOf(value: unknown, field: string): number {
  const text = typeof value === "string" ? value.trim() : "";
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new ValidationError(`${field}: "${text.slice(0, 40)}" is not a number`, field);
  }
  return Number(text);
}

export const commitmentReviewRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/commitments", { config: ACCESS }, async (request, reply) => {
    const councilId = request.account!.councilId;
    const today = ukDateOf(deps.now());
    const db = deps.database.db;
    const commitments = [
      ...(await listCommitments(db, { status: "overdue", councilId, limit: SHOWN }, today)),
      ...(await listCommitments(db, { status: "open", councilId, limit: SHOWN }, today)),
    ];
    const items = [];
    for (const commitment of commitments) {
      items.push({ ...commitment, suggestions: await suggestFulfilments(db, commitment.id, 3) });
    }
    const notice = takeNotice(request);
    reply.header("cache-control", "no-store");
    return reply.view("commitments/commitment-review.njk", {
      pageTitle: "Commitments to review",
      items,
      notice,
      csrfToken: reply.generateCsrf(),
    });
  });

  for (const [path, verdict] of [
    ["fulfilment", "confirmed"],
    ["rejections", "rejected"],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/workspace/commitments/:id/${path}`,
      { config: ACCESS },
      async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
        const commitmentId = idOf(request.params.id, "id");
        const fields = (request.body ?? {}) as Record<string, unknown>;
        const decisionId = idOf(fields.decisionId, "decisionId");
        const actor = actorFor(request.account!);
        if (verdict === "confirmed") {
          await confirmFulfilment(deps.database, commitmentId, decisionId, actor, deps.now());
          setNotice(request, `Commitment ${commitmentId} is done: decision ${decisionId} fulfilled it.`);
        } else {
          await rejectSuggestion(deps.database, commitmentId, decisionId, actor, deps.now());
          setNotice(
            request,
            `Decision ${decisionId} will not be suggested for commitment ${commitmentId} again.`,
          );
        }
        return reply.redirect("/workspace/commitments", 303);
      },
    );
  }
};
