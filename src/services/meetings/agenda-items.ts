import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { pathOfNul } from "../../domain/nul-text.js";
import type { Database, Executor } from "../../storage/database.js";
import type { Actor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";

export interface NewAgendaItem {
  /** As printed on the agenda: "5", "CAB/41/25"; optional. */
  number?: string | null;
  title: string;
  /** Schedule 12A paragraph (1-7) when the item is considered in private. */
  exemptParagraph?: number | null;
}

export interface AgendaItem {
  id: number;
  meetingId: number;
  position: number;
  number: string | null;
  title: string;
  exemptParagraph: number | null;
}

/**
 * Adds an item to the end of a meeting's agenda (democratic services, from the published agenda), so that the
 * decision on it can be drafted under it. ValidationError naming the field for what cannot be stored; the
 * meeting must be one of the actor's council's.
 */
export async function addAgendaItem(
  database: Database,
  meetingId: number,
  input: NewAgendaItem,
  actor: Actor,
): Promise<AgendaItem> {
  const nul = pathOfNul(input);
  if (nul !== null) throw new ValidationError(`${nul}: must not contain the NUL character`, nul);
  const title = typeof input.title === "string" ? input.title.trim() : "";
  if (title === "") throw new ValidationError("title: enter the item's title, as on the agenda", "title");
  if (title.length > 1_000)
    throw new ValidationError("title: is too long (1,000 characters at most)", "title");
  const number = typeof input.number === "string" && input.number.trim() !== "" ? input.number.trim() : null;
  if (number !== null && number.length > 20) {
    throw new ValidationError("number: is too long (20 characters at most), e.g. 5 or CAB/41/25", "number");
  }
  const exempt = input.exemptParagraph ?? null;
  if (exempt !== null && !(Number.isInteger(exempt) && exempt >= 1 && exempt <= 7)) {
    throw new ValidationError(
      "exemptParagraph: must be a paragraph of Schedule 12A, 1 to 7",
      "exemptParagraph",
    );
  }
  return database.transaction(async (trx) => {
    await meetingOfCouncil(trx, meetingId, actor.councilId, true);
    const last = await trx
      .selectFrom("agendaItem")
      .select((eb) => eb.fn.max("position").as("position"))
      .where("meetingId", "=", meetingId)
      .executeTakeFirst();
    const position = Number(last?.position ?? 0) + 1;
    const item = await trx
      .insertInto("agendaItem")
      .values({ meetingId, position, number, title, exemptParagraph: exempt })
      .returning(["id", "meetingId", "position", "number", "title", "exemptParagraph"])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor: actor.label,
      action: "agenda-item.added",
      entity: "meeting",
      entityId: meetingId,
      councilId: actor.councilId,
      details: { agendaItemId: item.id, position, number, title, exemptParagraph: exempt },
    });
    return item;
  });
}

/** A meeting's agenda, in order. */
export async function listAgendaItems(db: Executor, meetingId: number): Promise<AgendaItem[]> {
  return db
    .selectFrom("agendaItem")
    .select(["id", "meetingId", "position", "number", "title", "exemptParagraph"])
    .where("meetingId", "=", meetingId)
    .orderBy("position")
    .execute();
}

/** The meeting, if it is one of the council's; NotFoundError otherwise. */
export async function meetingOfCouncil(
  db: Executor,
  meetingId: number,
  councilId: number,
  lock = false,
): Promise<{ id: number; bodyId: number; date: string; status: string }> {
  let query = db
    .selectFrom("meeting")
    .innerJoin("body", "body.id", "meeting.bodyId")
    .select(["meeting.id", "meeting.bodyId", "meeting.date", "meeting.status"])
    .where("meeting.id", "=", meetingId)
    .where("body.councilId", "=", councilId);
  if (lock) query = query.forUpdate("meeting");
  const meeting = await query.executeTakeFirst();
  if (!meeting) throw new NotFoundError(`there is no meeting ${meetingId}`);
  return meeting;
}
