import type { DecisionStatus } from "../../domain/decision-status.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import { checkPaging } from "../argument-checks.js";
import { searchDecisions } from "../search/index.js";
import { isPublicDecision, listDecisions, type DecisionSummary } from "../decisions/list-decisions.js";

/** What the home page highlights: decisions whose call-in window is open, and the latest published. */

/** A decision whose call-in window is open, as the home page lists it. */
export interface OpenCallIn {
  id: number;
  recordId: string | null;
  title: string;
  body: string;
  meetingDate: IsoDate;
  status: { status: DecisionStatus; label: string };
  /** When call-in closes, ISO 8601 with the UK offset. */
  callInCutoff: string | null;
}

/**
 * Decisions whose call-in window is open at `at` (status "published"), the one closing soonest first. Read
 * through the search service's status timelines, so the cost does not grow with the size of the register.
 */
export async function openCallIns(db: Executor, at: Date, limit = 100): Promise<OpenCallIn[]> {
  const found = await searchDecisions(db, { status: "published", sort: "date", limit }, at, {
    snippets: false,
  });
  return found.items
    .filter((item) => item.status === "published")
    .map((item) => ({
      id: item.id,
      recordId: item.recordId,
      title: item.title,
      body: item.body,
      meetingDate: item.meetingDate,
      status: { status: "published" as const, label: item.statusLabel ?? "Call-in period open" },
      callInCutoff: item.callInCutoff,
    }))
    .sort(
      (a, b) =>
        (a.callInCutoff ? Date.parse(a.callInCutoff) : Infinity) -
          (b.callInCutoff ? Date.parse(b.callInCutoff) : Infinity) || b.id - a.id,
    );
}

/** The most recently published public decisions (publication date, then meeting date, newest first). */
export async function latestDecisions(db: Executor, at: Date, limit = 10): Promise<DecisionSummary[]> {
  checkPaging(limit, 0);
  const rows = await db
    .selectFrom("decision")
    .innerJoin("council", "council.id", "decision.councilId")
    .innerJoin("body", "body.id", "decision.bodyId")
    .select(["decision.id", "decision.meetingDate", "council.slug", "body.name"])
    .where("decision.status", "<>", "draft")
    .orderBy("decision.publishedOn", (ob) => ob.desc().nullsLast())
    .orderBy("decision.meetingDate", "desc")
    .orderBy("decision.id", "desc")
    .limit(limit + 10)
    .execute();
  const found = new Map<number, DecisionSummary>();
  // Grouped by council, body and meeting date so that each listDecisions call is narrow.
  const groups = new Map<string, { council: string; body: string; date: IsoDate }>();
  for (const row of rows) {
    groups.set(`${row.slug}\u0000${row.name}\u0000${row.meetingDate}`, {
      council: row.slug,
      body: row.name,
      date: row.meetingDate,
    });
  }
  for (const group of groups.values()) {
    const listed = await listDecisions(
      db,
      { council: group.council, body: group.body, from: group.date, to: group.date },
      at,
    );
    for (const summary of listed) found.set(summary.id, summary);
  }
  return rows
    .map((row) => found.get(row.id))
    .filter((summary): summary is DecisionSummary => summary !== undefined && isPublicDecision(summary))
    .slice(0, limit);
}
