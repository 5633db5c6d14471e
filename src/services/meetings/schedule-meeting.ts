import { parseIsoDateInput } from "../../domain/date-input.js";
import { ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { pathOfNul } from "../../domain/nul-text.js";
import type { Database } from "../../storage/database.js";
import { MEETING_STATUSES, type MeetingStatus } from "../../storage/schema.js";
import type { Actor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";
import { findBody } from "../councils/bodies.js";

export interface NewMeeting {
  /** The body's name, as the council calls it: "Cabinet". */
  body: string;
  date: IsoDate;
  location?: string | null;
  /** Default: scheduled when the date is after today, held otherwise. */
  status?: MeetingStatus;
}

export interface ScheduledMeeting {
  id: number;
  bodyId: number;
  body: string;
  date: IsoDate;
  status: MeetingStatus;
  location: string | null;
}

/**
 * Records a meeting of one of the council's bodies (democratic services, before or after it is held), so that
 * decisions can be drafted under it. ValidationError naming the field for an unknown body, a date that is not
 * one, or a meeting of that body already recorded that day.
 */
export async function scheduleMeeting(
  database: Database,
  input: NewMeeting,
  actor: Actor,
  today: IsoDate,
): Promise<ScheduledMeeting> {
  const nul = pathOfNul(input);
  if (nul !== null) throw new ValidationError(`${nul}: must not contain the NUL character`, nul);
  const bodyName = typeof input.body === "string" ? input.body.trim() : "";
  if (bodyName === "") throw new ValidationError("body: name the body that meets, e.g. Cabinet", "body");
  const date = parseIsoDateInput(String(input.date ?? ""), "date");
  const status = input.status ?? (date > today ? "scheduled" : "held");
  if (!(MEETING_STATUSES as readonly string[]).includes(status)) {
    throw new ValidationError(`status: must be one of ${MEETING_STATUSES.join(", ")}`, "status");
  }
  const location =
    typeof input.location === "string" && input.location.trim() !== "" ? input.location.trim() : null;
  return database.transaction(async (trx) => {
    const body = await findBody(trx, actor.councilId, bodyName);
    if (!body) {
      const known = await trx
        .selectFrom("body")
        .select("name")
        .where("councilId", "=", actor.councilId)
        .orderBy("name")
        .execute();
      throw new ValidationError(
        `body: the council has no body called "${bodyName}"` +
          (known.length > 0 ? ` (it has: ${known.map((b) => b.name).join(", ")})` : ""),
        "body",
      );
    }
    const existing = await trx
      .selectFrom("meeting")
      .select("id")
      .where("bodyId", "=", body.id)
      .where("date", "=", date)
      .where("status", "<>", "cancelled")
      .executeTakeFirst();
    if (existing) {
      throw new ValidationError(
        `date: ${bodyName} already has a meeting on ${date} (meeting ${existing.id})`,
        "date",
      );
    }
    const row = await trx
      .insertInto("meeting")
      .values({ bodyId: body.id, date, status, location })
      .returning(["id", "bodyId", "date", "status", "location"])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor: actor.label,
      action: "meeting.created",
      entity: "meeting",
      entityId: row.id,
      councilId: actor.councilId,
      details: { bodyId: body.id, body: bodyName, date, status, location },
    });
    return { ...row, body: bodyName };
  });
}
