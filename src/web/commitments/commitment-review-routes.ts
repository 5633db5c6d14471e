import type { FastifyRequest } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  COMMITMENT_STATES,
  confirmFulfilment,
  listCommitments,
  parseCommitmentState,
  type CommitmentState,
  rejectSuggestion,
  suggestFulfilments,
} from "../../services/commitments/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { setNotice, takeNotice } from "../shared/flash-notice.js";

/**
 * Officers review what fulfilled their council's commitments, in the workspace:
 *
 *   GET  /workspace/commitments[?status=]          the open commitments (overdue first), each with the later
 *                                                  decisions that may fulfil it, best first; or those of one
 *                                                  status (open, overdue, done, dropped); each links to its page
 *   POST /workspace/commitments/:id/fulfilment     "This fulfils it": the commitment is done (decisionId)
 *   POST /workspace/commitments/:id/rejections     "Not this one": never suggested for it again (decisionId)
 *
 * Both posts go back to the list with a notification banner (post, redirect, get). The services audit them.
 */

const ACCESS = { access: ["officer"] as const };
/** The page lists at most this many of each state: enough for a quarter's review, not the whole history. */
const SHOWN = 50;

/** A commitment's (or decision's) number from a path or form field; ValidationError naming `field` otherwise. */
export function commitmentIdOf(value: unknown, field: string): number {
  const text = typeof value === "string" ? value.trim() : "";
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new ValidationError(`${field}: "${text.slice(0, 40)}" is not a number`, field);
  }
  return Number(text);
}

export const commitmentReviewRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Querystring: { status?: string } }>(
    "/workspace/commitments",
    { config: ACCESS },
    async (request, reply) => {
      const councilId = request.account!.councilId;
      const today = ukDateOf(deps.now());
      const db = deps.database.db;
      const given = typeof request.query.status === "string" ? request.query.status.trim() : "";
      // No filter: what needs reviewing, overdue first; a status shows only those (done and dropped too).
      const status = given === "" ? undefined : parseCommitmentState(given);
      const states: CommitmentState[] = status ? [status] : ["overdue", "open"];
      const commitments = [];
      for (const state of states) {
        commitments.push(...(await listCommitments(db, { status: state, councilId, limit: SHOWN }, today)));
      }
      const items = [];
      for (const commitment of commitments) {
        const open = commitment.status === "open" || commitment.status === "overdue";
        items.push({
          ...commitment,
          suggestions: open ? await suggestFulfilments(db, commitment.id, 3) : [],
        });
      }
      const notice = takeNotice(request);
      reply.header("cache-control", "no-store");
      return reply.view("commitments/commitment-review.njk", {
        pageTitle: "Commitments to review",
        items,
        status: status ?? "",
        filters: [
          { value: "", text: "To review (overdue and open)" },
          ...COMMITMENT_STATES.map((s) => ({ value: s, text: s[0]!.toUpperCase() + s.slice(1) })),
        ],
        notice,
        csrfToken: reply.generateCsrf(),
      });
    },
  );

  for (const [path, verdict] of [
    ["fulfilment", "confirmed"],
    ["rejections", "rejected"],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/workspace/commitments/:id/${path}`,
      { config: ACCESS },
      async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
        const commitmentId = commitmentIdOf(request.params.id, "id");
        const fields = (request.body ?? {}) as Record<string, unknown>;
        const decisionId = commitmentIdOf(fields.decisionId, "decisionId");
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
        // From a commitment's own page, back to it; from the list, back to the list.
        const back =
          fields.back === "commitment" ? `/workspace/commitments/${commitmentId}` : "/workspace/commitments";
        return reply.redirect(back, 303);
      },
    );
  }
};
