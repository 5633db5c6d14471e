import { ukDateOf } from "../../domain/uk-time.js";
import { upcomingMeetings } from "../../services/meetings/index.js";
import { latestDecisions, openCallIns } from "../../services/register/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { withCallIn } from "../shared/format.js";

/**
 * GET /: decisions whose call-in window is open now (each with its cutoff and the time left), the latest
 * published decisions, and the meetings coming up.
 */
export const homeRoutes: RoutePlugin = async (app, deps) => {
  app.get("/", async (_request, reply) => {
    const at = deps.now();
    const db = deps.database.db;
    const [open, latest, upcoming] = [
      await openCallIns(db, at),
      await latestDecisions(db, at, 8),
      await upcomingMeetings(db, ukDateOf(at), 5),
    ];
    return reply.view("home/home.njk", {
      at,
      openCallIns: open.map((decision) => withCallIn(decision, at)),
      latest: latest.map((decision) => withCallIn(decision, at)),
      upcoming,
    });
  });
};
