import type { FastifyReply } from "fastify";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import { listBodies } from "../../services/councils/index.js";
import { listMeetings, scheduleMeeting } from "../../services/meetings/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { formatIsoDate } from "../server/view-environment.js";
import {
  addServiceError,
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
 * GET /workspace/meetings       the council's meetings: upcoming (soonest first) and recent
 * GET /workspace/meetings/new   record a meeting: the body, the date, where
 * POST /workspace/meetings/new  → 303 to the list with a notification, or 400 with the error summary
 *
 * Officers and Proper Officers record meetings, so that decisions can be drafted under them.
 */

const ACCESS = ["officer", "proper-officer"] as const;
const RECENT = 20;

export const meetingFormRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/meetings", { config: { access: ACCESS } }, async (request, reply) => {
    const councilId = request.account!.councilId;
    const today = ukDateOf(deps.now());
    const db = deps.database.db;
    const upcoming = await listMeetings(db, { councilId, from: today, order: "asc", limit: 50 });
    const recent = await listMeetings(db, { councilId, to: today, order: "desc", limit: RECENT + 1 });
    return noStore(reply).view("drafting/meetings.njk", {
      pageTitle: "Meetings",
      flash: takeFlash(request),
      upcoming: upcoming.items,
      recent: recent.items.filter((m) => m.date < today).slice(0, RECENT),
      canDraft: request.account!.roles.includes("officer"),
    });
  });

  const showForm = async (
    reply: FastifyReply,
    councilId: number,
    values: { body: string; date: ReturnType<typeof dateParts>; location: string },
    errors = new FormErrors(),
  ) => {
    const bodies = await listBodies(deps.database.db, councilId);
    return noStore(reply).view("drafting/meeting-new.njk", {
      pageTitle: "Record a meeting",
      csrfToken: reply.generateCsrf(),
      bodies: bodies.map((b) => ({ value: b.name, text: b.name })),
      values,
      ...errors.view(),
    });
  };

  app.get("/workspace/meetings/new", { config: { access: ACCESS } }, async (request, reply) =>
    showForm(reply, request.account!.councilId, {
      body: "",
      date: { day: "", month: "", year: "" },
      location: "",
    }),
  );

  app.post("/workspace/meetings/new", { config: { access: ACCESS } }, async (request, reply) => {
    const body = request.body as FormBody | undefined;
    const errors = new FormErrors();
    const values = {
      body: field(body, "body").trim(),
      date: dateParts(body, "date"),
      location: field(body, "location"),
    };
    if (values.body === "") errors.add("body", "Select the body that meets");
    const date = readDate(errors, values.date, "date", "the date of the meeting");
    if (!errors.any && date !== null) {
      try {
        const actor = actorFor(request.account!);
        const meeting = await scheduleMeeting(
          deps.database,
          { body: values.body, date, location: values.location },
          actor,
          ukDateOf(deps.now()),
        );
        return redirectWithFlash(
          request,
          reply,
          "/workspace/meetings",
          `${meeting.body} meeting on ${formatIsoDate(meeting.date)} recorded`,
        );
      } catch (error) {
        if (!addServiceError(errors, error, (f) => inputId(f, ["date"]))) throw error;
      }
    }
    reply.code(400);
    return showForm(reply, request.account!.councilId, values, errors);
  });
};
