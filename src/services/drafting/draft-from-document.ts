import type { DecisionRecord } from "../../domain/decision-record.js";
import type { Database } from "../../storage/database.js";
import type { Actor } from "../accounts/account-actor.js";
import { findBody } from "../councils/bodies.js";
import { findMeetings } from "../meetings/meetings.js";
import { type DraftResult, createDraft } from "./drafts.js";

/**
 * A draft prefilled from a council's document read by the importer (parseDocument): the record's sections
 * become the draft's, under the meeting of that body on that date when the register has one, or else as a
 * decision of that decision maker on that date. The publication date, call-in line and signature are left to
 * publication, whatever the document printed.
 */
export async function createDraftFromRecord(
  database: Database,
  record: DecisionRecord,
  actor: Actor,
): Promise<DraftResult & { meetingId: number | null }> {
  const body = await findBody(database.db, actor.councilId, record.body);
  const meeting = body
    ? (await findMeetings(database.db, body.id, [record.meetingDate])).get(record.meetingDate)
    : undefined;
  const draft = await createDraft(
    database,
    {
      ...(meeting ? { meetingId: meeting.id } : { body: record.body, meetingDate: record.meetingDate }),
      documentType: record.documentType,
      recordId: record.recordId,
      title: record.title,
      record: record.record,
      outcomes: record.outcomes,
      reasons: record.reasons,
      alternatives: record.alternatives,
      conflictsOfInterest: record.conflictsOfInterest,
      dispensations: record.dispensations,
    },
    actor,
  );
  return { ...draft, meetingId: meeting?.id ?? null };
}
