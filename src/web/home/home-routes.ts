import { ukDateOf } from "../../domain/uk-time.js";
import { listCommitments } from "../../services/commitments/index.js";
import { upcomingMeetings } from "../../services/meetings/index.js";
import { latestDecisions, openCallIns } from "../../services/register/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { withCallIn } from "../shared/format.js";

/**
 * GET /: decisions whose call-in window is open now (each with its cutoff and the time left), the latest
 * published decisions, the meetings coming up, and the commitments overdue (the earliest due first).
 */
const OVERDUE_SHOWN = 5;

export const homeRoutes: RoutePlugin = async (app, deps) => {
  app.get("/", async (_request, reply) => {
    const at = deps.now();
    const db = deps.database.db;
    const [open, latest, upcoming, overdue] = [
      await openCallIns(db, at),
      await latestDecisions(db, at, 8),
      await upcomingMeetings(db, ukDateOf(at), 5),
      await listCommitments(db, { status: "overdue", limit: OVERDUE_SHOWN + 1 }, ukDateOf(at)),
    ];
    return reply.view("home/home.njk", {
      at,
      openCallIns: open.map((decision) => withCallIn(decision, at)),
      latest: latest.map((decision) => withCallIn(decision, at)),
      upcoming,
      overdueCommitments: overdue.slice(0, OVERDUE_SHOWN),
      moreOverdue: overdue.length > OVERDUE_SHOWN,
    });
  });
};
