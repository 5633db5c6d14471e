import type { FastifyReply, FastifyRequest } from "fastify";
import { ConflictError, NotFoundError } from "../../domain/errors.js";
import { INTEREST_CATEGORIES } from "../../domain/interest-category.js";
import { actorFor } from "../../services/accounts/index.js";
import { type DraftView, getDraft, updateDraft } from "../../services/drafting/index.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { DRAFT_SECTIONS, type DraftSection, EXEMPT_PARAGRAPHS, type TaskStatus } from "./draft-sections.js";
import {
  addServiceError,
  type FormBody,
  FormErrors,
  noStore,
  redirectWithFlash,
  routeId,
  takeFlash,
} from "./form-helpers.js";
import { OUTCOME_KINDS } from "./record-fields.js";

/**
 * GET /workspace/drafts/:id               the draft's task list: each section Completed or Incomplete
 * GET /workspace/drafts/:id/<section>     one section's form, prefilled (draft-sections.ts lists them)
 * POST /workspace/drafts/:id/<section>    → 303 to the task list, or 400 with the error summary
 *
 * Officers draft. A published decision's draft pages send the reader to its public page (GET) or answer 409
 * (POST): a published record changes only by a correction.
 */

const DRAFTERS = ["officer"] as const;

const STATUS_TAGS: Record<TaskStatus, { text: string; classes?: string } | null> = {
  completed: null,
  incomplete: { text: "Incomplete", classes: "govuk-tag--blue" },
  "awaiting-consent": { text: "Awaiting consent", classes: "govuk-tag--orange" },
};

const CATEGORY_NAMES: Record<(typeof INTEREST_CATEGORIES)[number], string> = {
  "disclosable-pecuniary": "Disclosable pecuniary interest",
  "other-registrable": "Other registrable interest",
  "non-registrable": "Non-registrable interest",
  personal: "Personal interest",
  prejudicial: "Prejudicial interest",
  other: "Other interest",
};

/** The draft `:id` of the account's council; NotFoundError for anything else. */
export async function draftFor(
  request: FastifyRequest<{ Params: { id: string } }>,
  deps: RouteDeps,
): Promise<DraftView> {
  const id = routeId(request.params.id);
  if (id === undefined) throw new NotFoundError(`no draft ${request.params.id}`);
  return getDraft(deps.database.db, request.account!.councilId, id);
}

export const draftSectionRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Params: { id: string } }>(
    "/workspace/drafts/:id",
    { config: { access: DRAFTERS } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") return reply.redirect(`/decisions/${draft.id}`, 303);
      const account = request.account!;
      const tasks = DRAFT_SECTIONS.map((section) => {
        const status = section.status(draft);
        const tag = STATUS_TAGS[status];
        return {
          title: { text: section.number ? `${section.number}. ${section.title}` : section.title },
          href: `/workspace/drafts/${draft.id}/${section.slug}`,
          status: tag ? { tag } : { text: "Completed" },
        };
      });
      return noStore(reply).view("drafting/draft.njk", {
        pageTitle: draft.record.title,
        flash: takeFlash(request),
        draft,
        proformaTasks: tasks.slice(0, 6),
        otherTasks: tasks.slice(6),
        incomplete: tasks.filter((t) => t.status.tag).length,
        canPublish: account.roles.includes("proper-officer"),
      });
    },
  );

  for (const section of DRAFT_SECTIONS) {
    const url = `/workspace/drafts/:id/${section.slug}`;
    app.get<{ Params: { id: string } }>(url, { config: { access: DRAFTERS } }, async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") return reply.redirect(`/decisions/${draft.id}`, 303);
      return showSection(reply, section, draft, section.values(draft), new FormErrors());
    });

    app.post<{ Params: { id: string } }>(url, { config: { access: DRAFTERS } }, async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") {
        throw new ConflictError(
          "This decision has been published: correct it instead (a new version with a reason).",
        );
      }
      const errors = new FormErrors();
      const form = section.read(request.body as FormBody | undefined, draft, errors);
      if (!errors.any) {
        try {
          await updateDraft(deps.database, draft.id, form.change, actorFor(request.account!));
          return redirectWithFlash(
            request,
            reply,
            `/workspace/drafts/${draft.id}`,
            `${section.title}: saved`,
          );
        } catch (error) {
          if (!addServiceError(errors, error, form.idFor)) throw error;
        }
      }
      reply.code(400);
      return showSection(reply, section, draft, form.values, errors);
    });
  }
};

function showSection(
  reply: FastifyReply,
  section: DraftSection,
  draft: DraftView,
  values: Record<string, unknown>,
  errors: FormErrors,
): Promise<FastifyReply> {
  return noStore(reply).view(section.template, {
    pageTitle: `${section.title} – ${draft.record.title}`,
    csrfToken: reply.generateCsrf(),
    section,
    draft,
    values,
    members: draft.members.map((m) => ({ value: String(m.personId), text: m.name })),
    categories: INTEREST_CATEGORIES.map((c) => ({ value: c, text: CATEGORY_NAMES[c] })),
    outcomeKinds: OUTCOME_KINDS,
    exemptParagraphs: EXEMPT_PARAGRAPHS,
    ...errors.view(),
  });
}
