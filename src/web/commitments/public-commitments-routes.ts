import { ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import {
  COMMITMENT_STATES,
  listCommitments,
  parseCommitmentState,
  type CommitmentListItem,
  type CommitmentState,
} from "../../services/commitments/index.js";
import type { RoutePlugin } from "../route-plugin.js";

/**
 * GET /commitments[?status=overdue|open|done|dropped]: every commitment on the register, what it promised, its
 * owner, due quarter, status (a word and a tag, never colour alone), latest progress and, if dropped, why.
 * Without a status: overdue first, then open, done and dropped, each earliest due first.
 */

/** Each state's list stops here: the page is for reading, the API (/api/v1/commitments) for everything. */
const SHOWN = 200;

export const publicCommitmentRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Querystring: { status?: unknown } }>("/commitments", async (request, reply) => {
    const today = ukDateOf(deps.now());
    const given = typeof request.query.status === "string" ? request.query.status.trim() : "";
    let status: CommitmentState | undefined;
    let error: ValidationError | undefined;
    try {
      status = given === "" ? undefined : parseCommitmentState(given);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      error = new ValidationError("Choose overdue, open, done or dropped", "status");
    }
    const states: readonly CommitmentState[] = status ? [status] : COMMITMENT_STATES.slice();
    const order: CommitmentState[] = ["overdue", "open", "done", "dropped"];
    const items: CommitmentListItem[] = [];
    let more = false;
    if (!error) {
      for (const state of order.filter((s) => states.includes(s))) {
        const found = await listCommitments(deps.database.db, { status: state, limit: SHOWN + 1 }, today);
        more ||= found.length > SHOWN;
        items.push(...found.slice(0, SHOWN));
      }
    }
    reply.code(error ? 400 : 200);
    return reply.view("commitments/commitments.njk", {
      pageTitle: status ? `${status[0]!.toUpperCase()}${status.slice(1)} commitments` : "Commitments",
      hasErrors: error !== undefined,
      error,
      status: status ?? "",
      items,
      more,
      apiLink: `/api/v1/commitments${status ? `?status=${status}` : ""}`,
    });
  });
};
