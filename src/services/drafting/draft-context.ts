import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { signatoryKey } from "../../domain/call-in-request.js";
import type { Executor } from "../../storage/database.js";
import { bodyMembersOn as membersOn } from "../people/memberships.js";
import type { DecisionRow, PersonRole } from "../../storage/schema.js";

/** What drafting reads around a draft: its meeting, the body's members on a date, the draft row locked. */

export interface MeetingForDraft {
  id: number;
  bodyId: number;
  bodyName: string;
  date: IsoDate;
}

/** The meeting, which must be one of the council's; NotFoundError naming the field otherwise. */
export async function meetingForDraft(
  db: Executor,
  councilId: number,
  meetingId: number,
): Promise<MeetingForDraft> {
  const row = await db
    .selectFrom("meeting")
    .innerJoin("body", "body.id", "meeting.bodyId")
    .select(["meeting.id", "meeting.bodyId", "body.name as bodyName", "meeting.date", "meeting.status"])
    .where("meeting.id", "=", meetingId)
    .where("body.councilId", "=", councilId)
    .executeTakeFirst();
  if (!row) throw new ValidationError(`meetingId: there is no meeting ${meetingId}`, "meetingId");
  if (row.status === "cancelled") {
    throw new ValidationError(`meetingId: meeting ${meetingId} was cancelled`, "meetingId");
  }
  return { id: row.id, bodyId: row.bodyId, bodyName: row.bodyName, date: row.date };
}

export interface MemberOnDate {
  personId: number;
  name: string;
  role: PersonRole;
  membershipRole: string;
}

/** The body's members on `date` (people/memberships.ts), as drafting needs them. */
export async function bodyMembersOn(db: Executor, bodyId: number, date: IsoDate): Promise<MemberOnDate[]> {
  return (await membersOn(db, bodyId, date)).map((member) => ({
    personId: member.personId,
    name: member.name,
    role: member.personRole,
    membershipRole: member.role,
  }));
}

/**
 * Links the decision's declarations to the people they name: a declaration whose name is one of the body's
 * members on the date (Cllr, case and spacing aside) gets that person.
 */
export async function linkDeclarationsToMembers(
  db: Executor,
  decisionId: number,
  members: readonly MemberOnDate[],
): Promise<void> {
  const rows = await db
    .selectFrom("declarationOfInterest")
    .select(["id", "personName"])
    .where("decisionId", "=", decisionId)
    .execute();
  for (const row of rows) {
    const member = members.find((m) => signatoryKey(m.name) === signatoryKey(row.personName));
    if (member) {
      await db
        .updateTable("declarationOfInterest")
        .set({ personId: member.personId })
        .where("id", "=", row.id)
        .execute();
    }
  }
}

/** The draft, locked for the change; ConflictError once it is published (a correction is the way then). */
export async function lockDraft(db: Executor, councilId: number, id: number): Promise<DecisionRow> {
  const row = await db
    .selectFrom("decision")
    .selectAll()
    .where("id", "=", id)
    .where("councilId", "=", councilId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`there is no decision ${id}`);
  if (row.status !== "draft") {
    throw new ConflictError(
      `decision ${id} is ${row.status}: a published record changes only by a correction (a new version with a reason)`,
    );
  }
  return row;
}

/**
 * The agenda item a draft is filed under: one of its meeting's items. ValidationError naming agendaItemId
 * otherwise (a decision with no meeting has no agenda).
 */
export async function agendaItemOfMeeting(
  db: Executor,
  agendaItemId: number,
  meetingId: number | null,
): Promise<{ id: number; meetingId: number }> {
  const item = await db
    .selectFrom("agendaItem")
    .select(["id", "meetingId"])
    .where("id", "=", agendaItemId)
    .executeTakeFirst();
  if (!item || (meetingId !== null && item.meetingId !== meetingId)) {
    throw new ValidationError(
      meetingId === null
        ? `agendaItemId: there is no agenda item ${agendaItemId}`
        : `agendaItemId: item ${agendaItemId} is not on the agenda of meeting ${meetingId}`,
      "agendaItemId",
    );
  }
  return item;
}
