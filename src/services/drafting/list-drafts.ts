import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";

export interface DraftSummary {
  id: number;
  title: string;
  body: string;
  meetingId: number | null;
  meetingDate: IsoDate;
  recordId: string | null;
  urgent: boolean;
  /** Urgent drafts wait for the scrutiny chair's consent before they can be published. */
  awaitingUrgencyConsent: boolean;
  updatedAt: Date;
}

/** The council's drafts, most recently changed first (the workspace's list). */
export async function listDrafts(db: Executor, councilId: number): Promise<DraftSummary[]> {
  const rows = await db
    .selectFrom("decision")
    .innerJoin("body", "body.id", "decision.bodyId")
    .select([
      "decision.id",
      "decision.title",
      "body.name as body",
      "decision.meetingId",
      "decision.meetingDate",
      "decision.recordId",
      "decision.urgent",
      "decision.urgencyChairConsent",
      "decision.updatedAt",
    ])
    .where("decision.councilId", "=", councilId)
    .where("decision.status", "=", "draft")
    .orderBy("decision.updatedAt", "desc")
    .orderBy("decision.id", "desc")
    .execute();
  return rows.map(({ urgencyChairConsent, ...row }) => ({
    ...row,
    awaitingUrgencyConsent: row.urgent && urgencyChairConsent === null,
  }));
}
