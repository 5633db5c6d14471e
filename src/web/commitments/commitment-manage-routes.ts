import type { FastifyReply, FastifyRequest } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  dropCommitment,
  getCommitment,
  recordProgress,
  reopenCommitment,
  suggestFulfilments,
  updateCommitment,
} from "../../services/commitments/index.js";
import { field, formBody, formErrors, redirectWithNotice, type FormErrors } from "../admin/admin-forms.js";
import type { RoutePlugin } from "../route-plugin.js";
import { takeNotice } from "../shared/flash-notice.js";
import { commitmentIdOf } from "./commitment-review-routes.js";

/**
 * One commitment in the workspace, for officers of its council:
 *
 *   GET  /workspace/commitments/:id            its source, due quarter, owner, status, progress history, the
 *                                              later decisions that may fulfil it (confirm or reject, as on the
 *                                              list), and forms for each change below
 *   POST /workspace/commitments/:id            owner and due quarter
 *   POST /workspace/commitments/:id/progress   a dated progress note
 *   POST /workspace/commitments/:id/drop       drop it, with a reason (shown publicly)
 *   POST /workspace/commitments/:id/reopen     open a dropped or done one again
 *
 * Post, redirect, get with a banner; a mistake shows the page again with an error summary (400). The services
 * check the council and audit each change.
 */

const ACCESS = { config: { access: ["officer"] as const } };

type Values = Record<"owner" | "due" | "note" | "reason", string>;

export const commitmentManageRoutes: RoutePlugin = async (app, deps) => {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    values: Partial<Values> = {},
    errors?: FormErrors,
  ) {
    const db = deps.database.db;
    const commitment = await getCommitment(db, id, ukDateOf(deps.now()), request.account!.councilId);
    const open = commitment.status === "open" || commitment.status === "overdue";
    const suggestions = open ? await suggestFulfilments(db, commitment.id, 5) : [];
    reply.header("cache-control", "no-store").code(errors ? 400 : 200);
    return reply.view("commitments/commitment.njk", {
      pageTitle: `Commitment ${commitment.id}`,
      hasErrors: errors !== undefined,
      c: commitment,
      open,
      suggestions,
      values: {
        owner: values.owner ?? commitment.owner ?? "",
        due: values.due ?? commitment.due,
        note: values.note ?? "",
        reason: values.reason ?? "",
      },
      errors,
      fieldErrors: errors?.byField ?? {},
      notice: takeNotice(request),
      csrfToken: reply.generateCsrf(),
    });
  }

  app.get<{ Params: { id: string } }>("/workspace/commitments/:id", ACCESS, async (request, reply) =>
    page(request, reply, commitmentIdOf(request.params.id, "id")),
  );

  /** Runs a change; a ValidationError shows the page again with the typed values and an error summary. */
  async function change(
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    run: (id: number, values: Values) => Promise<string>,
  ) {
    const id = commitmentIdOf(request.params.id, "id");
    const body = formBody(request);
    const values: Values = {
      owner: field(body, "owner"),
      due: field(body, "due"),
      note: field(body, "note"),
      reason: field(body, "reason"),
    };
    try {
      const notice = await run(id, values);
      return redirectWithNotice(request, reply, `/workspace/commitments/${id}`, notice);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // "due: ..." from the service reads, on the form, as a sentence at its field.
      const text = error.message.replace(/^\w+: /, "");
      const problem = { field: error.field ?? "note", message: text[0]!.toUpperCase() + text.slice(1) };
      return page(request, reply, id, values, formErrors([problem]));
    }
  }

  app.post<{ Params: { id: string } }>("/workspace/commitments/:id", ACCESS, async (request, reply) =>
    change(request, reply, async (id, values) => {
      const result = await updateCommitment(
        deps.database,
        id,
        { owner: values.owner, due: values.due },
        actorFor(request.account!),
      );
      return result.changed ? "The owner and due quarter have been saved." : "Nothing was changed.";
    }),
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/commitments/:id/progress",
    ACCESS,
    async (request, reply) =>
      change(request, reply, async (id, values) => {
        await recordProgress(deps.database, id, values.note, actorFor(request.account!), deps.now());
        return "The progress note has been added.";
      }),
  );

  app.post<{ Params: { id: string } }>("/workspace/commitments/:id/drop", ACCESS, async (request, reply) =>
    change(request, reply, async (id, values) => {
      await dropCommitment(deps.database, id, values.reason, actorFor(request.account!));
      return "The commitment has been dropped.";
    }),
  );

  app.post<{ Params: { id: string } }>("/workspace/commitments/:id/reopen", ACCESS, async (request, reply) =>
    change(request, reply, async (id) => {
      await reopenCommitment(deps.database, id, actorFor(request.account!));
      return "The commitment is open again.";
    }),
  );
};
