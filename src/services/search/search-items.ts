import { sql } from "kysely";
import type { DecisionRecord, Outcome } from "../../domain/decision-record.js";
import { DECISION_STATUS_TEXT, isDecisionStatus, type DecisionStatus } from "../../domain/decision-status.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { toUkIsoString, ukDateOf } from "../../domain/uk-time.js";
import type { Executor } from "../../storage/database.js";
import { refreshStatusTimelines } from "../decisions/status-timeline.js";
import { DATE_ORDER, RANK, TSQUERY } from "./search-filters.js";
import type { SearchOptions } from "./search-query.js";
import { highlight, openingExcerpt, plainParts, type Excerpt, type TextPart } from "./search-snippets.js";
import type { TextQuery } from "./search-text.js";

/** A search's results as the caller gets them: one SearchItem a decision, loaded for one page at a time. */

export interface SearchItem {
  id: number;
  recordId: string | null;
  title: string;
  /** The title in parts, with the words that match marked (with q and snippets; else the title, unmarked). */
  titleParts: TextPart[];
  body: string;
  bodyId: number;
  council: { slug: string; name: string };
  meetingId: number | null;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  /** The status at `at` (null when the decision's facts contradict each other: see statusProblem). */
  status: DecisionStatus | null;
  /** "Call-in period open". */
  statusLabel: string | null;
  statusSince: Date | null;
  /** When the status changes by itself (a call-in cutoff), if it does. */
  statusUntil: Date | null;
  statusProblem: string | null;
  subjectToCallIn: boolean | null;
  keyDecision: boolean;
  /** The instant call-in closes, ISO 8601 with the UK offset; null when not subject to call-in. */
  callInCutoff: string | null;
  outcomes: Outcome[];
  /** An excerpt with the matches marked (with q), or the start of the decision (without). */
  excerpt: Excerpt;
  /** The relevance (see search-decisions.ts); null without q. */
  rank: number | null;
  currentVersion: number;
  /** When the current version was added. */
  updatedAt: Date;
  /** Whether the current version has its original document (/decisions/:id/original). */
  hasOriginal: boolean;
  /** With `records: true`: the current version's record. */
  record?: DecisionRecord;
}

interface ItemRow {
  id: number;
  recordId: string | null;
  title: string;
  meetingId: number | null;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  keyDecision: boolean;
  outcomes: Outcome[];
  currentVersion: number;
  bodyId: number;
  bodyName: string;
  councilSlug: string;
  councilName: string;
  status: DecisionStatus | null;
  statusSince: Date | null;
  statusUntil: Date | null;
  subjectToCallIn: boolean | null;
  callInCutoff: Date | null;
  problem: string | null;
  updatedAt: Date;
  hasOriginal: boolean;
  record?: DecisionRecord;
  rank?: number | null;
  recordText?: string;
  reasonsText?: string;
}

/** The decisions `ids` as search items, in that order, with their status at `at`. */
export async function loadItems(
  db: Executor,
  ids: readonly number[],
  text: TextQuery | null,
  at: Date,
  options: SearchOptions,
): Promise<SearchItem[]> {
  if (ids.length === 0) return [];
  const snippets = options.snippets !== false && text !== null;
  const textColumns = text ? sql`, ${RANK}::float8 as rank` : sql``;
  const from = text ? sql`decision d cross join (select ${TSQUERY(text.q)} as q) tq` : sql`decision d`;
  const { rows } = await sql<ItemRow>`
    select d.id, d.record_id, d.title, d.meeting_id, d.meeting_date, d.published_on, d.key_decision, d.outcomes,
      d.current_version, b.id as body_id, b.name as body_name, c.slug as council_slug, c.name as council_name,
      s.status, nullif(s.from_at, '-infinity'::timestamptz) as status_since,
      nullif(s.until_at, 'infinity'::timestamptz) as status_until,
      s.subject_to_call_in, s.call_in_cutoff, s.problem, v.created_at as updated_at,
      v.source_document_id is not null as has_original
      ${options.records ? sql`, v.record` : sql``}
      ${snippets ? sql`, d.record as record_text, d.reasons as reasons_text` : sql``}
      ${textColumns}
    from ${from}
    join body b on b.id = d.body_id
    join council c on c.id = d.council_id
    join decision_version v on v.decision_id = d.id and v.version = d.current_version
    left join derived.decision_status_period s
      on s.decision_id = d.id and s.from_at <= ${at}::timestamptz and s.until_at > ${at}::timestamptz
    where d.id = any(${[...ids]}::int[])`.execute(db);
  const highlights = snippets ? await highlight(db, rows, text) : null;
  const byId = new Map(rows.map((row, index) => [row.id, { row, highlights: highlights?.[index] }]));
  const items: SearchItem[] = [];
  for (const id of ids) {
    const found = byId.get(id);
    if (!found) continue;
    const { row } = found;
    const status = row.status && isDecisionStatus(row.status) ? row.status : null;
    const item: SearchItem = {
      id: row.id,
      recordId: row.recordId,
      title: row.title,
      titleParts: found.highlights?.title ?? plainParts(row.title),
      body: row.bodyName,
      bodyId: row.bodyId,
      council: { slug: row.councilSlug, name: row.councilName },
      meetingId: row.meetingId,
      meetingDate: row.meetingDate,
      publishedOn: row.publishedOn,
      status,
      statusLabel: status ? DECISION_STATUS_TEXT[status].label : null,
      statusSince: toDate(row.statusSince),
      statusUntil: toDate(row.statusUntil),
      statusProblem: row.problem,
      subjectToCallIn: row.subjectToCallIn,
      keyDecision: row.keyDecision,
      callInCutoff: row.callInCutoff ? toUkIsoString(toDate(row.callInCutoff) as Date) : null,
      outcomes: row.outcomes,
      excerpt: found.highlights?.excerpt ?? openingExcerpt(row.outcomes),
      rank: text ? Number(row.rank) : null,
      currentVersion: row.currentVersion,
      updatedAt: toDate(row.updatedAt) as Date,
      hasOriginal: row.hasOriginal,
    };
    if (options.records && row.record) item.record = row.record;
    items.push(item);
  }
  return items;
}

function toDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The public decisions among `ids`, as search items in the register's date order (no snippets). */
export async function decisionItemsByIds(
  db: Executor,
  ids: readonly number[],
  at: Date,
): Promise<SearchItem[]> {
  if (ids.length === 0) return [];
  await refreshStatusTimelines(db);
  const { rows } = await sql<{ id: number }>`
    select d.id from decision d
    where d.id = any(${[...ids]}::int[]) and d.status <> 'draft' and d.published_on <= ${ukDateOf(at)}::date
    order by ${DATE_ORDER}`.execute(db);
  return loadItems(
    db,
    rows.map((row) => row.id),
    null,
    at,
    {},
  );
}
