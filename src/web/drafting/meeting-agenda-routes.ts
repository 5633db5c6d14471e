import type { FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../domain/errors.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  addAgendaItem,
  getMeeting,
  listAgendaItems,
  meetingOfCouncil,
} from "../../services/meetings/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import {
  addServiceError,
  field,
  type FormBody,
  FormErrors,
  inputId,
  noStore,
  redirectWithFlash,
  takeFlash,
} from "./form-helpers.js";

/**
 * GET  /workspace/meetings/:id          a meeting's agenda for officers, each item with "Draft the decision"
 * POST /workspace/meetings/:id/agenda   add an item to the end of the agenda → 303 back, or 400 with the summary
 */

const ACCESS = ["officer", "proper-officer"] as const;

interface ItemValues {
  number: string;
  title: string;
  exemptParagraph: string;
}

export const meetingAgendaRoutes: RoutePlugin = async (app, deps) => {
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    meetingId: number,
    values: ItemValues,
    errors: FormErrors,
    flash: string | null | undefined,
  ) => {
    // Another council's meeting is not found.
    await meetingOfCouncil(deps.database.db, meetingId, request.account!.councilId);
    const meeting = await getMeeting(deps.database.db, meetingId, deps.now());
    return noStore(reply).view("drafting/meeting.njk", {
      pageTitle: `${meeting.body.name}, agenda`,
      csrfToken: reply.generateCsrf(),
      flash,
      meeting,
      items: await listAgendaItems(deps.database.db, meetingId),
      canDraft: request.account!.roles.includes("officer"),
      values,
      exemptParagraphs: [{ value: "", text: "No: considered in public" }].concat(
        [1, 2, 3, 4, 5, 6, 7].map((n) => ({ value: String(n), text: `Paragraph ${n}` })),
      ),
      ...errors.view(),
    });
  };

  app.get<{ Params: { id: string } }>(
    "/workspace/meetings/:id",
    { config: { access: ACCESS } },
    async (request, reply) =>
      show(request, reply, meetingIdOf(request.params.id), EMPTY, new FormErrors(), takeFlash(request)),
  );

  app.post<{ Params: { id: string } }>(
    "/workspace/meetings/:id/agenda",
    { config: { access: ACCESS } },
    async (request, reply) => {
      const meetingId = meetingIdOf(request.params.id);
      const body = request.body as FormBody | undefined;
      const values: ItemValues = {
        number: field(body, "number").trim(),
        title: field(body, "title").trim(),
        exemptParagraph: field(body, "exemptParagraph"),
      };
      const errors = new FormErrors();
      if (values.title === "") errors.add("title", "Enter the item's title, as on the agenda");
      const exempt = /^[1-7]$/.test(values.exemptParagraph) ? Number(values.exemptParagraph) : null;
      if (values.exemptParagraph !== "" && exempt === null) {
        errors.add("exemptParagraph", "Select a paragraph of Schedule 12A, or that the item is public");
      }
      if (!errors.any) {
        try {
          await addAgendaItem(
            deps.database,
            meetingId,
            { number: values.number, title: values.title, exemptParagraph: exempt },
            actorFor(request.account!),
          );
          return redirectWithFlash(request, reply, `/workspace/meetings/${meetingId}`, "Agenda item added");
        } catch (error) {
          if (!addServiceError(errors, error, (f) => inputId(f), "title")) throw error;
        }
      }
      reply.code(400);
      return show(request, reply, meetingId, values, errors, null);
    },
  );
};

const EMPTY: ItemValues = { number: "", title: "", exemptParagraph: "" };

function meetingIdOf(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw new NotFoundError(`no meeting ${value.slice(0, 40)}`);
  return Number(value);
}
