import { createHash } from "node:crypto";
import { sql, type RawBuilder } from "kysely";
import { ValidationError } from "../../domain/errors.js";
import { isValidIsoDate, type IsoDate } from "../../domain/iso-date.js";
import { ukDateOf } from "../../domain/uk-time.js";
import type { Executor } from "../../storage/database.js";
import {
  badCursor,
  decisionItemsByIds,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type SearchItem,
} from "../search/index.js";

/**
 * Meetings as the API lists them: a page at a time with a cursor, and one meeting with its public decisions
 * (as search items, like the API's decision lists).
 */

export interface MeetingFilters {
  /** The body's name (case does not matter). */
  body?: string;
  from?: IsoDate;
  to?: IsoDate;
  /** From a previous page's nextCursor. */
  cursor?: string;
  limit?: number;
}

export interface MeetingItem {
  id: number;
  date: IsoDate;
  status: "scheduled" | "held" | "postponed" | "cancelled";
  location: string | null;
  sourceUrl: string | null;
  body: { id: number; name: string; kind: "executive" | "committee" | "individual-member" | "officer" };
  council: { slug: string; name: string };
  /** Public decisions filed under the meeting. */
  decisionCount: number;
}

/** A meeting's row with its body and council, as the meeting queries select it. */
export interface MeetingRow {
  id: number;
  date: IsoDate;
  status: MeetingItem["status"];
  location: string | null;
  sourceUrl: string | null;
  bodyId: number;
  bodyName: string;
  bodyKind: MeetingItem["body"]["kind"];
  councilSlug: string;
  councilName: string;
  decisionCount: number;
}

export function meetingItem(row: MeetingRow): MeetingItem {
  return {
    id: row.id,
    date: row.date,
    status: row.status,
    location: row.location,
    sourceUrl: row.sourceUrl,
    body: { id: row.bodyId, name: row.bodyName, kind: row.bodyKind },
    council: { slug: row.councilSlug, name: row.councilName },
    decisionCount: Number(row.decisionCount),
  };
}

function selectMeetings(today: IsoDate) {
  return sql`
    select m.id, m.date, m.status, m.location, m.source_url, b.id as body_id, b.name as body_name,
      b.kind as body_kind, c.slug as council_slug, c.name as council_name,
      (select count(*)::int from decision d
        where d.meeting_id = m.id and d.status <> 'draft' and d.published_on <= ${today}::date) as decision_count
    from meeting m join body b on b.id = m.body_id join council c on c.id = b.council_id`;
}

/** Meetings, newest first (date, then id), a page at a time with a cursor. */
export async function listMeetingsPage(
  db: Executor,
  filters: MeetingFilters,
  at: Date,
): Promise<{ total: number; items: MeetingItem[]; nextCursor: string | null }> {
  const limit = filters.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError(`limit: use a whole number from 1 to ${MAX_PAGE_SIZE}`, "limit");
  }
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filters.body !== undefined) conditions.push(sql`lower(b.name) = lower(${filters.body}::text)`);
  if (filters.from !== undefined) conditions.push(sql`m.date >= ${filters.from}::date`);
  if (filters.to !== undefined) conditions.push(sql`m.date <= ${filters.to}::date`);
  const where = sql.join(conditions, sql` and `);
  const identity = JSON.stringify([filters.body?.toLowerCase() ?? "", filters.from ?? "", filters.to ?? ""]);
  const hash = createHash("sha256").update(identity).digest("base64url").slice(0, 12);
  let after = sql``;
  if (filters.cursor !== undefined) {
    let key: unknown;
    try {
      key = JSON.parse(Buffer.from(filters.cursor, "base64url").toString("utf8"));
    } catch {
      throw badCursor("is not one this service gave");
    }
    const k = key as { h?: unknown; d?: unknown; i?: unknown };
    if (typeof k?.d !== "string" || !isValidIsoDate(k.d) || !Number.isInteger(k.i)) {
      throw badCursor("is not one this service gave");
    }
    if (k.h !== hash) throw badCursor("belongs to a different list (the filters have changed)");
    after = sql` and (m.date, m.id) < (${k.d}::date, ${k.i as number}::int)`;
  }
  const { rows } = await sql<MeetingRow>`
    ${selectMeetings(ukDateOf(at))}
    where ${where}${after}
    order by m.date desc, m.id desc
    limit ${limit + 1}`.execute(db);
  const counted = await sql<{ n: number }>`
    select count(*)::int as n from meeting m join body b on b.id = m.body_id where ${where}`.execute(db);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ h: hash, d: last.date, i: last.id })).toString("base64url")
      : null;
  return { total: Number(counted.rows[0]?.n ?? 0), items: page.map(meetingItem), nextCursor };
}

/** One meeting with its public decisions; NotFoundError when there is no such meeting. */
export async function getMeetingWithDecisions(
  db: Executor,
  id: number,
  at: Date,
): Promise<(MeetingItem & { decisions: SearchItem[] }) | null> {
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const { rows } = await sql<MeetingRow>`${selectMeetings(ukDateOf(at))} where m.id = ${id}::int`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const decisionIds = await sql<{
    id: number;
  }>`select id from decision where meeting_id = ${id}::int`.execute(db);
  const decisions = await decisionItemsByIds(
    db,
    decisionIds.rows.map((r) => r.id),
    at,
  );
  return { ...meetingItem(row), decisions };
}
