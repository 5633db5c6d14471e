import type { Executor } from "../../storage/database.js";
import { evaluate, loadFactsFor, selectDecisions } from "../decisions/decision-rows.js";
import { type CallInRequestView, loadCallInRequests } from "./call-in-request-views.js";

export interface OpenCallInRequest {
  decisionId: number;
  title: string;
  recordId: string | null;
  /** When the call-in window closes; null when it cannot be worked out. */
  cutoff: Date | null;
  request: CallInRequestView;
  /** "gathering": still short of signatures; "called-in": valid, awaiting scrutiny's outcome. */
  stage: "gathering" | "called-in";
}

/**
 * For officers and the scrutiny chair: call-in requests still gathering signatures before their cutoff, and
 * decisions called in whose scrutiny outcome is not yet recorded; soonest cutoff first.
 */
export async function listOpenCallIns(
  db: Executor,
  councilId: number,
  at: Date,
): Promise<OpenCallInRequest[]> {
  const ids = await db
    .selectFrom("callInRequest")
    .innerJoin("decision", "decision.id", "callInRequest.decisionId")
    .select("decision.id")
    .distinct()
    .where("decision.councilId", "=", councilId)
    .where("callInRequest.withdrawnAt", "is", null)
    .where((eb) =>
      eb.or([
        eb("callInRequest.valid", "is", null),
        eb.and([eb("callInRequest.valid", "=", true), eb("decision.scrutinyOutcome", "is", null)]),
      ]),
    )
    .execute();
  if (ids.length === 0) return [];
  const rows = await selectDecisions(db)
    .where(
      "decision.id",
      "in",
      ids.map((r) => r.id),
    )
    .execute();
  const loaded = await loadFactsFor(db, rows);
  const open: OpenCallInRequest[] = [];
  for (const row of rows) {
    const cutoff = evaluate(row, loaded, at).facts?.callInCutoff ?? null;
    for (const request of await loadCallInRequests(db, row.id)) {
      if (request.withdrawnAt !== null) continue;
      const gathering = request.valid === null && (cutoff === null || at.getTime() < cutoff.getTime());
      const calledIn = request.valid === true && row.scrutinyOutcome === null;
      if (!gathering && !calledIn) continue;
      open.push({
        decisionId: row.id,
        title: row.title,
        recordId: row.recordId,
        cutoff,
        request,
        stage: gathering ? "gathering" : "called-in",
      });
    }
  }
  return open.sort((a, b) => (a.cutoff?.getTime() ?? Infinity) - (b.cutoff?.getTime() ?? Infinity));
}
