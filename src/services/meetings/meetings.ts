import { NotFoundError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { BodyKind, MeetingStatus } from "../../storage/schema.js";
import { checkId, checkPaging } from "../argument-checks.js";
import { appendAuditEntries } from "../audit/audit-log.js";
import type { Council } from "../councils/councils.js";
import { isPublicDecision } from "../decisions/list-decisions.js";
import { type DecisionSummary, listDecisions } from "../decisions/list-decisions.js";
import { meetingItem } from "./meeting-pages.js";

/**
 * Meetings of the council's bodies: listed and shown with their agenda items and public decisions (drafts are
 * never public), and found or created when a record is imported.
 */

export interface MeetingSummary {
  id: number;
  date: IsoDate;
  status: MeetingStatus;
  location: string | null;
  body: { id: number; name: string; kind: BodyKind };
  council: { slug: string; name: string };
  /** Public (not draft) decisions filed under the meeting. */
  decisionCount: number;
}

export interface MeetingFilters {
  /** Only this council's meetings. */
  councilId?: number;
  /** Only this body's meetings. */
  bodyId?: number;
  /** Meetings on or after this date. */
  from?: IsoDate;
  /** Meetings on or before this date. */
  to?: IsoDate;
  /** Leave out cancelled meetings. */
  excludeCancelled?: boolean;
  /** "desc" (newest first, the default) or "asc" (soonest first, for upcoming meetings). */
  order?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

function selectMeetings(db: Executor) {
  return db
    .selectFrom("meeting")
    .innerJoin("body", "body.id", "meeting.bodyId")
    .innerJoin("council", "council.id", "body.councilId");
}

function applyMeetingFilters<Q extends ReturnType<typeof selectMeetings>>(
  query: Q,
  filters: MeetingFilters,
): Q {
  let q = query;
  if (filters.councilId !== undefined) q = q.where("body.councilId", "=", filters.councilId) as Q;
  if (filters.bodyId !== undefined) q = q.where("meeting.bodyId", "=", filters.bodyId) as Q;
  if (filters.from !== undefined) q = q.where("meeting.date", ">=", filters.from) as Q;
  if (filters.to !== undefined) q = q.where("meeting.date", "<=", filters.to) as Q;
  if (filters.excludeCancelled) q = q.where("meeting.status", "<>", "cancelled") as Q;
  return q;
}

/** Meetings with their body, council and number of public decisions; `total` counts every match. */
export async function listMeetings(
  db: Executor,
  filters: MeetingFilters = {},
): Promise<{ total: number; items: MeetingSummary[] }> {
  checkPaging(filters.limit, filters.offset);
  const order = filters.order ?? "desc";
  const counted = await applyMeetingFilters(selectMeetings(db), filters)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  let query = applyMeetingFilters(selectMeetings(db), filters)
    .select((eb) => [
      "meeting.id",
      "meeting.date",
      "meeting.status",
      "meeting.location",
      "body.id as bodyId",
      "body.name as bodyName",
      "body.kind as bodyKind",
      "council.slug as councilSlug",
      "council.name as councilName",
      eb
        .selectFrom("decision")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("decision.meetingId", "=", "meeting.id")
        .where("decision.status", "<>", "draft")
        .as("decisionCount"),
    ])
    .orderBy("meeting.date", order)
    .orderBy("body.name")
    .orderBy("meeting.id", order);
  if (filters.limit !== undefined) query = query.limit(filters.limit);
  if (filters.offset) query = query.offset(filters.offset);
  const rows = await query.execute();
  return {
    total: Number(counted.count),
    items: rows.map((row) => ({
      id: row.id,
      date: row.date,
      status: row.status,
      location: row.location,
      body: { id: row.bodyId, name: row.bodyName, kind: row.bodyKind },
      council: { slug: row.councilSlug, name: row.councilName },
      decisionCount: Number(row.decisionCount ?? 0),
    })),
  };
}

/** Meetings on or after `today` (UK date) that are not cancelled, soonest first. */
export async function upcomingMeetings(db: Executor, today: IsoDate, limit = 5): Promise<MeetingSummary[]> {
  const { items } = await listMeetings(db, { from: today, excludeCancelled: true, order: "asc", limit });
  return items;
}

export interface AgendaItemView {
  id: number;
  position: number;
  number: string | null;
  title: string;
  exemptParagraph: number | null;
  decisions: DecisionSummary[];
}

export interface MeetingDetail extends MeetingSummary {
  sourceUrl: string | null;
  agendaItems: AgendaItemView[];
  /** Every public decision of the meeting, in the register's order (newest publication first, then id). */
  decisions: DecisionSummary[];
  /** Decisions not filed under an agenda item. */
  otherDecisions: DecisionSummary[];
}

/** Public decisions among `ids`, with their status at `at` (one listDecisions per meeting date). */
async function decisionSummaries(
  db: Executor,
  rows: ReadonlyArray<{ id: number; meetingDate: IsoDate }>,
  filters: { council: string; body: string },
  at: Date,
): Promise<DecisionSummary[]> {
  const wanted = new Set(rows.map((row) => row.id));
  const dates = [...new Set(rows.map((row) => row.meetingDate))].sort().reverse();
  const found: DecisionSummary[] = [];
  for (const date of dates) {
    const listed = await listDecisions(db, { ...filters, from: date, to: date }, at);
    found.push(...listed.filter((summary) => wanted.has(summary.id)));
  }
  return found.filter(isPublicDecision);
}

/** A meeting with its body, council, agenda items and public decisions (status at `at`). */
export async function getMeeting(db: Executor, id: number, at: Date): Promise<MeetingDetail> {
  checkId(id, "meeting");
  const row = await selectMeetings(db)
    .select([
      "meeting.id",
      "meeting.date",
      "meeting.status",
      "meeting.location",
      "meeting.sourceUrl",
      "body.id as bodyId",
      "body.name as bodyName",
      "body.kind as bodyKind",
      "council.slug as councilSlug",
      "council.name as councilName",
    ])
    .where("meeting.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no meeting ${id}`);
  const decisionRows = await db
    .selectFrom("decision")
    .select(["id", "meetingDate", "agendaItemId"])
    .where("meetingId", "=", id)
    .where("status", "<>", "draft")
    .execute();
  const decisions = await decisionSummaries(
    db,
    decisionRows,
    { council: row.councilSlug, body: row.bodyName },
    at,
  );
  const itemOf = new Map(decisionRows.map((d) => [d.id, d.agendaItemId]));
  const itemRows = await db
    .selectFrom("agendaItem")
    .select(["id", "position", "number", "title", "exemptParagraph"])
    .where("meetingId", "=", id)
    .orderBy("position")
    .execute();
  const agendaItems: AgendaItemView[] = itemRows.map((item) => ({
    ...item,
    decisions: decisions.filter((d) => itemOf.get(d.id) === item.id),
  }));
  const filed = new Set(agendaItems.flatMap((item) => item.decisions.map((d) => d.id)));
  return {
    ...meetingItem({ ...row, decisionCount: decisions.length }),
    agendaItems,
    decisions,
    otherDecisions: decisions.filter((d) => !filed.has(d.id)),
  };
}

export async function findOrCreateMeeting(
  trx: Executor,
  council: Pick<Council, "id">,
  bodyId: number,
  date: IsoDate,
  actor: string,
): Promise<{ id: number }> {
  const existing = (await findMeetings(trx, bodyId, [date])).get(date);
  if (existing) return existing;
  return (await createMeetings(trx, council, bodyId, [date], actor)).get(date)!;
}

/** The meeting a record of `bodyId` on each date is filed under: the first one held that day, not cancelled. */
export async function findMeetings(
  trx: Executor,
  bodyId: number,
  dates: readonly IsoDate[],
): Promise<Map<IsoDate, { id: number }>> {
  const found = new Map<IsoDate, { id: number }>();
  if (dates.length === 0) return found;
  const rows = await trx
    .selectFrom("meeting")
    .select(["id", "date"])
    .where("bodyId", "=", bodyId)
    .where("date", "in", [...new Set(dates)])
    .where("status", "<>", "cancelled")
    .orderBy("id")
    .execute();
  for (const row of rows) if (!found.has(row.date)) found.set(row.date, { id: row.id });
  return found;
}

/** Creates a held meeting of `bodyId` on each (distinct) date, each audited, in the order given. */
export async function createMeetings(
  trx: Executor,
  council: Pick<Council, "id">,
  bodyId: number,
  dates: readonly IsoDate[],
  actor: string,
): Promise<Map<IsoDate, { id: number }>> {
  const created = new Map<IsoDate, { id: number }>();
  const distinct = [...new Set(dates)];
  if (distinct.length === 0) return created;
  const rows = await trx
    .insertInto("meeting")
    .values(distinct.map((date) => ({ bodyId, date, status: "held" as const })))
    .returning(["id", "date"])
    .execute();
  for (const row of rows) created.set(row.date, { id: row.id });
  await appendAuditEntries(
    trx,
    distinct.map((date) => ({
      actor,
      action: "meeting.created",
      entity: "meeting",
      entityId: created.get(date)!.id,
      councilId: council.id,
      details: { bodyId, date, status: "held", via: "import" },
    })),
  );
  return created;
}
