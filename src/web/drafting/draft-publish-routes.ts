import type { FastifyReply } from "fastify";
import type { IsoDate } from "../../domain/iso-date.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  consentToUrgency,
  discardDraft,
  type DraftView,
  publishDecision,
} from "../../services/drafting/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { draftFor } from "./draft-section-routes.js";
import {
  addServiceError,
  type DateParts,
  dateParts,
  field,
  type FormBody,
  FormErrors,
  inputId,
  noStore,
  partsOf,
  readDate,
  redirectWithFlash,
  takeFlash,
} from "./form-helpers.js";
import { proformaView } from "../shared/proforma-view.js";
import { projectCallIn, recordAsPublished } from "./proforma-view.js";
import { DRAFT_READERS } from "./draft-list-routes.js";

/**
 * GET /workspace/drafts/:id/preview           the record as it will be published today, marked as a draft
 * GET|POST /workspace/drafts/:id/publish      Proper Officer: the date (today by default), the call-in deadline it
 *                                             gives; publishing → 303 to the public page /decisions/:id
 * GET|POST /workspace/drafts/:id/urgency-consent   the scrutiny chair consents to an urgent draft
 * GET|POST /workspace/drafts/:id/discard      officers: confirm, then the draft is gone
 *
 * Once published, these pages send the reader to the public page (GET) or answer 409 (POST, from the services).
 */

export const draftPublishRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Params: { id: string } }>(
    "/workspace/drafts/:id/preview",
    { config: { access: DRAFT_READERS } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") return reply.redirect(`/decisions/${draft.id}`, 303);
      const roles = request.account!.roles;
      const today = ukDateOf(deps.now());
      const callIn = await projectCallIn(deps.database.db, request.account!.councilId, draft, today);
      const record = recordAsPublished(draft.record, today, callIn, null);
      return noStore(reply).view("drafting/preview.njk", {
        pageTitle: `Preview: ${draft.record.title}`,
        flash: takeFlash(request),
        draft,
        record,
        sections: proformaView(record),
        callIn,
        canEdit: roles.includes("officer"),
        canPublish: roles.includes("proper-officer"),
        canConsent: roles.includes("scrutiny-chair"),
      });
    },
  );

  const showPublish = async (
    reply: FastifyReply,
    draft: DraftView,
    signedBy: string,
    councilId: number,
    parts: DateParts,
    callInDate: IsoDate | null,
    errors: FormErrors,
  ) => {
    const callIn =
      callInDate === null ? null : await projectCallIn(deps.database.db, councilId, draft, callInDate);
    const today = partsOf(ukDateOf(deps.now()));
    return noStore(reply).view("drafting/publish.njk", {
      pageTitle: `Publish: ${draft.record.title}`,
      csrfToken: reply.generateCsrf(),
      draft,
      signedBy,
      awaitingConsent: draft.urgent && draft.urgencyChairConsent === null,
      values: { publishedOn: parts },
      todayHint: `${today.day} ${today.month} ${today.year}`,
      callIn,
      callInDate,
      ...errors.view(),
    });
  };

  app.get<{ Params: { id: string } }>(
    "/workspace/drafts/:id/publish",
    { config: { access: ["proper-officer"] } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") return reply.redirect(`/decisions/${draft.id}`, 303);
      const today = ukDateOf(deps.now());
      const account = request.account!;
      return showPublish(
        reply,
        draft,
        account.name,
        account.councilId,
        partsOf(today),
        today,
        new FormErrors(),
      );
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/drafts/:id/publish",
    { config: { access: ["proper-officer"] } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      const account = request.account!;
      const body = request.body as FormBody | undefined;
      const errors = new FormErrors();
      const parts = dateParts(body, "publishedOn");
      const publishedOn = readDate(errors, parts, "publishedOn", "the date of publication");
      if (!errors.any && publishedOn !== null && field(body, "action") !== "check") {
        try {
          await publishDecision(deps.database, draft.id, { publishedOn, now: deps.now() }, actorFor(account));
          return reply.redirect(`/decisions/${draft.id}`, 303);
        } catch (error) {
          if (!addServiceError(errors, error, (f) => inputId(f, ["publishedOn"]), "publishedOn-day"))
            throw error;
        }
      }
      if (errors.any) reply.code(400);
      const callInDate = errors.any ? null : publishedOn;
      return showPublish(reply, draft, account.name, account.councilId, parts, callInDate, errors);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/workspace/drafts/:id/urgency-consent",
    { config: { access: ["scrutiny-chair"] } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") return reply.redirect(`/decisions/${draft.id}`, 303);
      return noStore(reply).view("drafting/urgency-consent.njk", {
        pageTitle: `Consent to urgency: ${draft.record.title}`,
        csrfToken: reply.generateCsrf(),
        draft,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/drafts/:id/urgency-consent",
    { config: { access: ["scrutiny-chair"] } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      await consentToUrgency(deps.database, draft.id, actorFor(request.account!));
      return redirectWithFlash(
        request,
        reply,
        "/workspace/drafts",
        `You consented to the urgency of “${draft.record.title}”`,
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    "/workspace/drafts/:id/discard",
    { config: { access: ["officer"] } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      if (draft.status !== "draft") return reply.redirect(`/decisions/${draft.id}`, 303);
      return noStore(reply).view("drafting/discard.njk", {
        pageTitle: `Discard: ${draft.record.title}`,
        csrfToken: reply.generateCsrf(),
        draft,
      });
    },
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/drafts/:id/discard",
    { config: { access: ["officer"] } },
    async (request, reply) => {
      const draft = await draftFor(request, deps);
      await discardDraft(deps.database, draft.id, actorFor(request.account!));
      return redirectWithFlash(
        request,
        reply,
        "/workspace/drafts",
        `Draft “${draft.record.title}” discarded`,
      );
    },
  );
};
