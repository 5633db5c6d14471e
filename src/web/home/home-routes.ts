import { ukDateOf } from "../../domain/uk-time.js";
import { listCommitments } from "../../services/commitments/index.js";
import { upcomingMeetings } from "../../services/meetings/index.js";
import { latestDecisions, openCallIns } from "../../services/register/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { withCallIn } from "../shared/format.js";
import { NONCE_PLACEHOLDER } from "../shared/page-cache.js";
import { registerResponses } from "../shared/register-responses.js";

/**
 * GET /: decisions whose call-in window is open now (each with its cutoff and the time left), the latest
 * published decisions, the meetings coming up, and the commitments overdue (the earliest due first).
 */
const OVERDUE_SHOWN = 5;
const MINUTE_MS = 60_000;

export const homeRoutes: RoutePlugin = async (app, deps) => {
  // The page most visitors arrive at, and the dearest to make (four queries over the whole register): kept in
  // memory (register-responses.ts) until the register changes or the minute ends. What it says changes by
  // itself only at a call-in cutoff, always on a minute (midnight, 4pm, noon), and it shows time left in
  // minutes at the finest.
  const serve = registerResponses(deps, { maxBytes: 2 ** 20 });
  app.get("/", async (request, reply) =>
    serve(request, reply, "/", async (at) => {
      const db = deps.database.db;
      const [open, latest, upcoming, overdue] = [
        await openCallIns(db, at),
        await latestDecisions(db, at, 8),
        await upcomingMeetings(db, ukDateOf(at), 5),
        await listCommitments(db, { status: "overdue", limit: OVERDUE_SHOWN + 1 }, ukDateOf(at)),
      ];
      const html = await reply.renderView("home/home.njk", {
        cspNonce: NONCE_PLACEHOLDER,
        at,
        openCallIns: open.map((decision) => withCallIn(decision, at)),
        latest: latest.map((decision) => withCallIn(decision, at)),
        upcoming,
        overdueCommitments: overdue.slice(0, OVERDUE_SHOWN),
        moreOverdue: overdue.length > OVERDUE_SHOWN,
      });
      const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
      return { body: html, contentType: "text/html; charset=utf-8", changesAt: new Date(minute + MINUTE_MS) };
    }),
  );
};
