import type { DecisionStatus } from "../../../domain/decision-status.js";
import { ukDateOf } from "../../../domain/uk-time.js";
import { upcomingMeetings } from "../../../services/meetings/index.js";
import { latestDecisions, openCallIns } from "../../../services/register/index.js";
import type { RoutePlugin } from "../index.js";
import { callInClose, formatTimeLeft, statusTag } from "./format.js";

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
    return reply.view("pages/home.njk", {
      at,
      openCallIns: open.map((decision) => withCallIn(decision, at)),
      latest: latest.map((decision) => withCallIn(decision, at)),
      upcoming,
    });
  });
};

/** A summary with what the decision lists show: its tag, and when call-in closes and how long is left. */
export function withCallIn<
  D extends { status: { status: DecisionStatus; label: string } | null; callInCutoff: string | null },
>(decision: D, at: Date) {
  return {
    ...decision,
    tag: statusTag(decision.status),
    closes: callInClose(decision.callInCutoff),
    timeLeft: decision.callInCutoff ? formatTimeLeft(at, decision.callInCutoff) : "",
  };
}
