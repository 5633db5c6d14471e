import type { FastifyReply } from "fastify";
import { ConflictError, ValidationError } from "../../domain/errors.js";
import { actorFor } from "../../services/accounts/index.js";
import { addDecisionVersion } from "../../services/decision-changes/index.js";
import type { DraftView } from "../../services/drafting/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { draftFor } from "./draft-section-routes.js";
import { addServiceError, field, type FormBody, FormErrors, inputId, noStore } from "./form-helpers.js";
import { OUTCOME_KINDS, outcomeInputId, outcomeRows, readOutcomes } from "./record-fields.js";

/**
 * GET /workspace/decisions/:id/correct    a published record's sections, prefilled from the current version
 * POST /workspace/decisions/:id/correct   with the reason for the correction → a new version (addDecisionVersion,
 *                                         audited) → 303 to the public page, which shows the new version
 *
 * Officers correct. A draft is changed on its own pages instead: GET sends the reader there, POST is 409.
 */

const CORRECTORS = ["officer"] as const;
const TEXT_FIELDS = ["record", "reasons", "alternatives", "conflictsOfInterest", "dispensations"] as const;

interface CorrectionValues {
  title: string;
  record: string;
  outcomes: ReturnType<typeof outcomeRows>;
  reasons: string;
  alternatives: string;
  conflictsOfInterest: string;
  dispensations: string;
  reason: string;
}

export const correctionRoutes: RoutePlugin = async (app, deps) => {
  const show = (reply: FastifyReply, draft: DraftView, values: CorrectionValues, errors: FormErrors) =>
    noStore(reply).view("drafting/correct.njk", {
      pageTitle: `Correct: ${draft.record.title}`,
      csrfToken: reply.generateCsrf(),
      draft,
      values,
      outcomeKinds: OUTCOME_KINDS,
      ...errors.view(),
    });

  app.get<{ Params: { id: string } }>(
    "/workspace/decisions/:id/correct",
    { config: { access: CORRECTORS } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status === "draft") return reply.redirect(`/workspace/drafts/${draft.id}`, 303);
      const r = draft.record;
      return show(
        reply,
        draft,
        {
          title: r.title,
          record: r.record,
          outcomes: outcomeRows(r.outcomes),
          reasons: r.reasons,
          alternatives: r.alternatives,
          conflictsOfInterest: r.conflictsOfInterest,
          dispensations: r.dispensations,
          reason: "",
        },
        new FormErrors(),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/decisions/:id/correct",
    { config: { access: CORRECTORS } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status === "draft") {
        throw new ConflictError(
          "This decision is a draft: change it on its draft pages, not by a correction.",
        );
      }
      const body = request.body as FormBody | undefined;
      const errors = new FormErrors();
      const title = field(body, "title").trim();
      const reason = field(body, "reason").trim();
      if (title === "") errors.add("title", "Enter the title of the item or report");
      const { outcomes, rows, rowOf } = readOutcomes(body, errors);
      const texts = Object.fromEntries(TEXT_FIELDS.map((name) => [name, field(body, name)])) as Record<
        (typeof TEXT_FIELDS)[number],
        string
      >;
      if (reason === "") errors.add("reason", "Enter the reason for the correction");
      const values: CorrectionValues = { title, outcomes: rows, reason, ...texts };
      if (!errors.any) {
        const record = { ...draft.record, title, outcomes, outcome: outcomes[0]!, ...texts };
        try {
          await deps.database.transaction((trx) =>
            addDecisionVersion(trx, draft.id, record, { reason, actor: actorFor(request.account!).label }),
          );
          return reply.redirect(`/decisions/${draft.id}#versions`, 303);
        } catch (error) {
          const idFor = (f: string) =>
            error instanceof ValidationError && /^nothing changed/i.test(error.message)
              ? "title"
              : (outcomeInputId(f, rowOf) ?? inputId(f));
          if (!addServiceError(errors, error, idFor, "title")) throw error;
        }
      }
      reply.code(400);
      return show(reply, draft, values, errors);
    },
  );
};
