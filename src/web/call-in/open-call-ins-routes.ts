import { listOpenCallIns } from "../../services/call-in/index.js";
import { getCouncilById } from "../../services/councils/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { callInClose, formatTimeLeft } from "../shared/format.js";
import { takeNotice } from "./workspace-notice.js";

/**
 * GET /workspace/call-ins: for officers, the Proper Officer and the scrutiny chair, the council's call-in
 * requests still gathering signatures (with how long is left before call-in closes) and the decisions called
 * in whose scrutiny outcome is not yet recorded.
 */
export const openCallInsRoutes: RoutePlugin = async (app, deps) => {
  app.get(
    "/workspace/call-ins",
    { config: { access: ["officer", "proper-officer", "scrutiny-chair"] } },
    async (request, reply) => {
      const account = request.account!;
      const at = deps.now();
      const council = await getCouncilById(deps.database.db, account.councilId);
      const open = await listOpenCallIns(deps.database.db, account.councilId, at);
      const shown = open.map((item) => ({
        ...item,
        closes: item.cutoff ? callInClose(item.cutoff.toISOString()) : "",
        timeLeft: item.cutoff ? formatTimeLeft(at, item.cutoff) : "",
        startedBy: item.request.signatures[0]?.name ?? "",
        signatureCount: item.request.signatures.length,
      }));
      reply.header("cache-control", "no-store");
      return reply.view("call-in/open-call-ins.njk", {
        pageTitle: "Open call-in requests",
        notice: takeNotice(request),
        at,
        gathering: shown.filter((item) => item.stage === "gathering"),
        calledIn: shown.filter((item) => item.stage === "called-in"),
        minSignatories: council.minCallInSignatories,
        canRecordOutcome: account.roles.includes("scrutiny-chair"),
      });
    },
  );
};
