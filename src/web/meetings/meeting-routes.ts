import { NotFoundError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { getMeeting, listMeetings, upcomingMeetings } from "../../services/meetings/index.js";
import type { FastifyReply } from "fastify";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { NONCE_PLACEHOLDER } from "../shared/page-cache.js";
import { registerResponses } from "../shared/register-responses.js";
import { formatIsoDate } from "../server/view-environment.js";
import { positiveInteger } from "../shared/format.js";
import { webAddress, withCallIn } from "../shared/format.js";
import { paginationFor } from "../shared/pagination.js";

const PAGE_SIZE = 50;
const MEETINGS_CACHE_BYTES = 2 * 2 ** 20;

/**
 * GET /meetings       every meeting, newest first (50 a page, ?page=N), with the upcoming ones first
 * GET /meetings/:id   one meeting: its agenda items and every decision made at it
 */
export const meetingRoutes: RoutePlugin = async (app, deps) => {
  // The list changes only with the register, and at midnight (what is upcoming): kept in memory like a search
  // (register-responses.ts). A meeting's own page shows the time left to call in, and is not.
  const serve = registerResponses(deps, { maxBytes: MEETINGS_CACHE_BYTES });
  app.get<{ Querystring: Record<string, unknown> }>("/meetings", async (request, reply) => {
    const page = positiveInteger(request.query.page, "page", "The page number") ?? 1;
    return serve(request, reply, `meetings ${page}`, async (at) => ({
      body: await meetingsPage(deps, reply, page, at),
      contentType: "text/html; charset=utf-8",
      changesAt: null,
    }));
  });

  app.get<{ Params: { id: string } }>("/meetings/:id", async (request, reply) => {
    const id = request.params.id;
    if (!/^\d{1,9}$/.test(id)) throw new NotFoundError(`no meeting "${id}"`);
    const at = deps.now();
    const meeting = await getMeeting(deps.database.db, Number(id), at);
    return reply.view("meetings/meeting.njk", {
      pageTitle: `${meeting.body.name} meeting, ${formatIsoDate(meeting.date)}`,
      at,
      meeting: { ...meeting, sourceUrl: webAddress(meeting.sourceUrl) },
      decisions: meeting.decisions.map((d) => withCallIn(d, at)),
      agendaItems: meeting.agendaItems.map((item) => ({
        ...item,
        decisions: item.decisions.map((d) => withCallIn(d, at)),
      })),
      otherDecisions: meeting.otherDecisions.map((d) => withCallIn(d, at)),
    });
  });
};

/** A page of the meetings list at `at`, rendered with NONCE_PLACEHOLDER as its nonce. */
async function meetingsPage(deps: RouteDeps, reply: FastifyReply, page: number, at: Date): Promise<string> {
  const db = deps.database.db;
  const { total, items } = await listMeetings(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (page > pages) throw new NotFoundError(`there is no page ${page} of meetings (there are ${pages})`);
  const upcoming = page === 1 ? await upcomingMeetings(db, ukDateOf(at), 10) : [];
  return reply.renderView("meetings/meetings.njk", {
    cspNonce: NONCE_PLACEHOLDER,
    pageTitle: page > 1 ? `Meetings (page ${page} of ${pages})` : "Meetings",
    total,
    meetings: items,
    upcoming,
    pagination: paginationFor("/meetings", new URLSearchParams(), page, pages),
  });
}
