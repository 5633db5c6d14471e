import type { FastifyReply, FastifyRequest } from "fastify";
import { AuthenticationError, ConflictError, DocumentError, ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { parseSingleDecision } from "../../import/parse-document.js";
import { actorFor } from "../../services/accounts/index.js";
import { createDraft, createDraftFromRecord, listDrafts } from "../../services/drafting/index.js";
import { listAgendaItems, listMeetings } from "../../services/meetings/index.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { formatIsoDate } from "../server/view-environment.js";
import {
  addServiceError,
  type DateParts,
  dateParts,
  field,
  type FormBody,
  FormErrors,
  inputId,
  noStore,
  readDate,
  redirectWithFlash,
  takeFlash,
} from "./form-helpers.js";

/**
 * GET /workspace/drafts            the council's drafts, newest change first, urgent ones awaiting consent tagged
 * GET /workspace/drafts/new        start a draft: its title, and a meeting or (a decision by an executive member
 *                                  or an officer) the decision maker and the date; or upload a document
 * POST /workspace/drafts/new       → 303 to the draft's task list
 * POST /workspace/drafts/upload    multipart: a document (txt, PDF, DOCX, HTML) read by the importer prefills a
 *                                  new draft → 303 to its task list; unreadable: 400 with the error summary
 */

export const DRAFT_READERS = ["officer", "proper-officer", "scrutiny-chair"] as const;
const DRAFTERS = ["officer"] as const;
/** What an upload posts, read by drafting-routes.ts's multipart handler. */
export interface UploadedFile {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}
export const UPLOAD_LIMIT_BYTES = 20 * 2 ** 20;
const NO_OUTCOME_YET = [{ kind: "RESOLVED", text: "", items: [] }];

/** The meeting select's value for a decision by an executive member or an officer. */
const NO_MEETING = "none";

interface NewDraftValues {
  title: string;
  meetingId: string;
  /** The agenda item, when the draft was started from the meeting's agenda. */
  agendaItemId: string;
  body: string;
  date: DateParts;
}

const EMPTY: NewDraftValues = {
  title: "",
  meetingId: "",
  agendaItemId: "",
  body: "",
  date: { day: "", month: "", year: "" },
};

export const draftListRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/drafts", { config: { access: DRAFT_READERS } }, async (request, reply) => {
    const account = request.account!;
    const drafts = await listDrafts(deps.database.db, account.councilId);
    return noStore(reply).view("drafting/drafts.njk", {
      pageTitle: "Draft decision records",
      flash: takeFlash(request),
      drafts,
      canDraft: account.roles.includes("officer"),
      canConsent: account.roles.includes("scrutiny-chair"),
    });
  });

  app.get<{ Querystring: { meeting?: string; item?: string } }>(
    "/workspace/drafts/new",
    { config: { access: DRAFTERS } },
    async (request, reply) => {
      const meeting = typeof request.query.meeting === "string" ? request.query.meeting : "";
      const item = typeof request.query.item === "string" ? request.query.item : "";
      let values = EMPTY;
      if (/^\d{1,9}$/.test(meeting)) {
        // Started from the meeting's agenda: the item's title is the draft's to begin with.
        const agenda = /^\d{1,9}$/.test(item) ? await listAgendaItems(deps.database.db, Number(meeting)) : [];
        const chosen = agenda.find((entry) => entry.id === Number(item));
        values = {
          ...EMPTY,
          meetingId: meeting,
          agendaItemId: chosen ? String(chosen.id) : "",
          title: chosen?.title ?? "",
        };
      }
      return showNewDraft(request, reply, deps, values, new FormErrors());
    },
  );

  app.post("/workspace/drafts/new", { config: { access: DRAFTERS } }, async (request, reply) => {
    const body = request.body as FormBody | undefined;
    const values: NewDraftValues = {
      title: field(body, "title").trim(),
      meetingId: field(body, "meetingId"),
      agendaItemId: field(body, "agendaItemId"),
      body: field(body, "body").trim(),
      date: dateParts(body, "decisionDate"),
    };
    const errors = new FormErrors();
    if (values.title === "") errors.add("title", "Enter the title of the item or report");
    let where: { meetingId: number } | { body: string; meetingDate: string } | null = null;
    if (/^\d{1,9}$/.test(values.meetingId)) {
      where = { meetingId: Number(values.meetingId) };
    } else if (values.meetingId === NO_MEETING) {
      if (values.body === "") errors.add("body", "Enter the decision maker: the executive member or officer");
      const date = readDate(errors, values.date, "decisionDate", "the date of the decision");
      if (values.body !== "" && date !== null) where = { body: values.body, meetingDate: date };
    } else {
      errors.add("meetingId", "Select the meeting, or that the decision was not made at a meeting");
    }
    if (!errors.any && where !== null) {
      try {
        const draft = await createDraft(
          deps.database,
          {
            ...where,
            ...("meetingId" in where &&
              /^\d{1,9}$/.test(values.agendaItemId) && { agendaItemId: Number(values.agendaItemId) }),
            title: values.title,
            outcomes: NO_OUTCOME_YET,
          },
          actorFor(request.account!),
        );
        return redirectWithFlash(request, reply, `/workspace/drafts/${draft.id}`, "Draft created");
      } catch (error) {
        const idFor = (f: string) => (f === "meetingDate" ? "decisionDate-day" : inputId(f));
        if (!addServiceError(errors, error, idFor, "title")) throw error;
      }
    }
    reply.code(400);
    return showNewDraft(request, reply, deps, values, errors);
  });

  app.post(
    "/workspace/drafts/upload",
    {
      config: { access: DRAFTERS },
      // The upload is read before the roles are checked (preHandler, after the body): nobody signed in gets
      // that far; a signed-in account without the role is refused after it.
      onRequest: async (request) => {
        if (request.session.accountId === undefined) throw new AuthenticationError("Sign in first.");
      },
    },
    async (request, reply) => {
      const upload = (request.body as FormBody | undefined)?.document as UploadedFile | undefined;
      const errors = new FormErrors();
      let status = 400;
      if (
        !upload ||
        typeof upload !== "object" ||
        !Buffer.isBuffer(upload.bytes) ||
        upload.bytes.length === 0
      ) {
        errors.add("document", "Select a document to upload");
      } else if (upload.truncated) {
        errors.add("document", `The document must be smaller than ${UPLOAD_LIMIT_BYTES / 2 ** 20} MB`);
        status = 413;
      } else {
        try {
          const { record } = await parseSingleDecision(
            new Uint8Array(upload.bytes),
            upload.fileName || "upload",
          );
          const draft = await createDraftFromRecord(deps.database, record, actorFor(request.account!));
          const under =
            draft.meetingId === null
              ? `as a decision of ${record.body} on ${formatIsoDate(record.meetingDate)}`
              : `under the ${record.body} meeting of ${formatIsoDate(record.meetingDate)}`;
          return redirectWithFlash(
            request,
            reply,
            `/workspace/drafts/${draft.id}`,
            `Draft created from ${upload.fileName}, ${under}: check every section`,
          );
        } catch (error) {
          if (error instanceof DocumentError || error instanceof ValidationError) {
            errors.add("document", `The document could not be read as a decision record: ${error.message}`);
          } else if (error instanceof ConflictError) {
            errors.add("document", error.message.replace(/^recordId: /, "The document's record number: "));
            status = 409;
          } else {
            throw error;
          }
        }
      }
      reply.code(status);
      return showNewDraft(request, reply, deps, EMPTY, errors);
    },
  );
};

async function showNewDraft(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  values: NewDraftValues,
  errors: FormErrors,
): Promise<FastifyReply> {
  const today = ukDateOf(deps.now());
  const { items } = await listMeetings(deps.database.db, {
    councilId: request.account!.councilId,
    excludeCancelled: true,
    order: "desc",
    limit: 100,
  });
  return noStore(reply).view("drafting/draft-new.njk", {
    pageTitle: "Start a new draft",
    csrfToken: reply.generateCsrf(),
    meetings: [
      { value: "", text: "Choose a meeting" },
      ...items.map((m) => ({
        value: String(m.id),
        text: `${m.body.name}, ${formatIsoDate(m.date)}${m.date > today ? " (upcoming)" : ""}`,
      })),
      { value: NO_MEETING, text: "Not at a meeting: a decision by an executive member or an officer" },
    ],
    values,
    uploadLimitMb: UPLOAD_LIMIT_BYTES / 2 ** 20,
    ...errors.view(),
  });
}
