import { sql } from "kysely";
import { NotFoundError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { BodyKind } from "../../storage/schema.js";
import { checkId, checkPaging } from "../argument-checks.js";
import { appendAudit } from "../audit/audit-log.js";
import { isPublicDecision } from "../decisions/list-decisions.js";
import { type DecisionSummary, listDecisions } from "../decisions/list-decisions.js";
import { type MeetingSummary, listMeetings } from "../meetings/meetings.js";
import type { Council } from "./councils.js";

/** Decision makers: the council's bodies (Cabinet, committees), executive members and officers who decide. */

export interface BodySummary {
  id: number;
  name: string;
  kind: BodyKind;
  scrutiny: boolean;
  meetingCount: number;
  decisionCount: number;
  /** The latest meeting's date, if any. */
  lastMeeting: IsoDate | null;
}

/** The council's bodies, by name, with how many meetings and public decisions each has. */
export async function listBodies(db: Executor, councilId: number): Promise<BodySummary[]> {
  const rows = await db
    .selectFrom("body")
    .select((eb) => [
      "body.id",
      "body.name",
      "body.kind",
      "body.scrutiny",
      eb
        .selectFrom("meeting")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("meeting.bodyId", "=", "body.id")
        .as("meetingCount"),
      eb
        .selectFrom("meeting")
        .select((inner) => inner.fn.max("meeting.date").as("d"))
        .whereRef("meeting.bodyId", "=", "body.id")
        .where("meeting.status", "<>", "cancelled")
        .as("lastMeeting"),
      eb
        .selectFrom("decision")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("decision.bodyId", "=", "body.id")
        .where("decision.status", "<>", "draft")
        .as("decisionCount"),
    ])
    .where("body.councilId", "=", councilId)
    .orderBy("body.name")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    scrutiny: row.scrutiny,
    meetingCount: Number(row.meetingCount ?? 0),
    decisionCount: Number(row.decisionCount ?? 0),
    lastMeeting: (row.lastMeeting as IsoDate | null) ?? null,
  }));
}

export interface BodyDetail {
  id: number;
  name: string;
  kind: BodyKind;
  scrutiny: boolean;
  council: { slug: string; name: string };
  meetings: MeetingSummary[];
  /** The latest public decisions, newest first (at most `decisionLimit`). */
  decisions: DecisionSummary[];
  /** How many public decisions the body has in all. */
  decisionCount: number;
}

/** A body with its council, every meeting (newest first) and its latest public decisions. */
export async function getBody(
  db: Executor,
  id: number,
  at: Date,
  options: { decisionLimit?: number } = {},
): Promise<BodyDetail> {
  checkId(id, "body");
  const limit = options.decisionLimit ?? 10;
  checkPaging(limit, 0);
  const row = await db
    .selectFrom("body")
    .innerJoin("council", "council.id", "body.councilId")
    .select([
      "body.id",
      "body.name",
      "body.kind",
      "body.scrutiny",
      "council.slug as councilSlug",
      "council.name as councilName",
    ])
    .where("body.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no body ${id}`);
  const { items: meetings } = await listMeetings(db, { bodyId: id });
  const counted = await db
    .selectFrom("decision")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("bodyId", "=", id)
    .where("status", "<>", "draft")
    .executeTakeFirstOrThrow();
  // A few more than asked for, in case drafts are among the newest.
  const listed = await listDecisions(db, { council: row.councilSlug, body: row.name, limit: limit + 10 }, at);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    scrutiny: row.scrutiny,
    council: { slug: row.councilSlug, name: row.councilName },
    meetings,
    decisions: listed.filter(isPublicDecision).slice(0, limit),
    decisionCount: Number(counted.count),
  };
}

/** The names of the bodies that have made public decisions, for a filter (with the council when several). */
export async function listDecisionBodies(
  db: Executor,
): Promise<Array<{ id: number; name: string; council: { slug: string; name: string } }>> {
  const rows = await db
    .selectFrom("body")
    .innerJoin("council", "council.id", "body.councilId")
    .select(["body.id", "body.name", "council.slug", "council.name as councilName"])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("decision")
          .select(sql`1`.as("one"))
          .whereRef("decision.bodyId", "=", "body.id")
          .where("decision.status", "<>", "draft"),
      ),
    )
    .orderBy("body.name")
    .orderBy("council.name")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    council: { slug: row.slug, name: row.councilName },
  }));
}

export interface BodyRef {
  id: number;
}

export async function findBody(trx: Executor, councilId: number, name: string): Promise<BodyRef | undefined> {
  return trx
    .selectFrom("body")
    .select("id")
    .where("councilId", "=", councilId)
    .where("name", "=", name)
    .executeTakeFirst();
}

/** Executive decisions are made by the executive, one of its members, or an officer. */
export function bodyKindFor(name: string): BodyKind {
  if (/^(?:the\s+)?(?:cabinet|executive)(?:\s+(?:meeting|committee))?$/i.test(name.trim()))
    return "executive";
  if (/\b(?:cabinet|executive|portfolio)\s+member\b|^(?:the\s+)?(?:leader|mayor)\b/i.test(name)) {
    return "individual-member";
  }
  if (/\b(?:officer|director|head of|chief executive|manager)\b/i.test(name)) return "officer";
  return "executive";
}

export async function createBody(
  trx: Executor,
  council: Pick<Council, "id">,
  name: string,
  actor: string,
): Promise<BodyRef> {
  const kind = bodyKindFor(name);
  const row = await trx
    .insertInto("body")
    .values({ councilId: council.id, name, kind })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    actor,
    action: "body.created",
    entity: "body",
    entityId: row.id,
    councilId: council.id,
    details: { name, kind, via: "import" },
  });
  return row;
}
