import type { DecisionRecord } from "../../domain/decision-record.js";
import { NotFoundError } from "../../domain/errors.js";
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

export interface DraftDetail {
  id: number;
  meetingId: number | null;
  keyDecision: boolean;
  exemptParagraph: number | null;
  urgency: { reason: string; consent: string | null } | null;
  record: DecisionRecord;
  updatedAt: Date;
}

/** One of the council's drafts; NotFoundError when there is no such draft (or it has been published). */
export async function getDraft(db: Executor, councilId: number, id: number): Promise<DraftDetail> {
  const row = await db
    .selectFrom("decision")
    .innerJoin("decisionVersion", (join) =>
      join
        .onRef("decisionVersion.decisionId", "=", "decision.id")
        .onRef("decisionVersion.version", "=", "decision.currentVersion"),
    )
    .select([
      "decision.id",
      "decision.meetingId",
      "decision.keyDecision",
      "decision.exemptParagraph",
      "decision.urgent",
      "decision.urgencyReason",
      "decision.urgencyChairConsent",
      "decision.updatedAt",
      "decisionVersion.record",
    ])
    .where("decision.id", "=", id)
    .where("decision.councilId", "=", councilId)
    .where("decision.status", "=", "draft")
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`there is no draft ${id}`);
  return {
    id: row.id,
    meetingId: row.meetingId,
    keyDecision: row.keyDecision,
    exemptParagraph: row.exemptParagraph,
    urgency:
      row.urgent && row.urgencyReason !== null
        ? { reason: row.urgencyReason, consent: row.urgencyChairConsent }
        : null,
    record: row.record,
    updatedAt: row.updatedAt,
  };
}
