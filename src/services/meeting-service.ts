import { sql } from "kysely";
import type { CallInRule } from "../domain/call-in-rule.js";
import { NotFoundError, ValidationError } from "../domain/errors.js";
import type { IsoDate } from "../domain/iso-date.js";
import type { Executor } from "../storage/database.js";
import type { BodyKind, InterestCategory, MeetingStatus } from "../storage/schema.js";
import { DEFAULT_COUNCIL, getCouncil } from "./council-service.js";
import type { DecisionStatus } from "../domain/decision-status.js";
import { listDecisions, type DecisionSummary } from "./decision-service.js";
import { meetingItem, searchDecisions } from "./search-service.js";

/**
 * What the public pages need besides single decisions: meetings (with their agenda items and decisions),
 * decision-making bodies, the council's overview, the decisions whose call-in window is open, and the
 * declarations and dispensations recorded against a decision.
 *
 * Drafts are never public: every list here leaves them out (by their derived status, so a decision scheduled
 * for publication later stays hidden until then).
 */

/** Whether the public site may show a decision summary: never a draft. */
export function isPublicDecision(summary: Pick<DecisionSummary, "status" | "publicationState">): boolean {
  if (summary.publicationState === "draft") return false;
  return summary.status?.status !== "draft";
}

/** An id that cannot be in the table (not a positive 32-bit integer) names nothing: NotFoundError. */
function checkId(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new NotFoundError(`no ${what} ${String(value)}`);
  }
}

function checkPaging(limit: number | undefined, offset: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new ValidationError(`must be a whole number of at least 1 (got ${String(limit)})`, "limit");
  }
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) {
    throw new ValidationError(`must be a whole number of at least 0 (got ${String(offset)})`, "offset");
  }
}

// ---------------------------------------------------------------------------------------------------------
// Meetings

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

// ---------------------------------------------------------------------------------------------------------
// Bodies

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

// ---------------------------------------------------------------------------------------------------------
// The council

export interface CouncilOverview {
  slug: string;
  name: string;
  /** False before anything of the council has been imported: the default rule is shown. */
  inRegister: boolean;
  callInRule: CallInRule;
  minCallInSignatories: number;
  keyDecisionThreshold: number | null;
  bodies: BodySummary[];
  decisionCount: number;
  meetingCount: number;
  firstMeeting: IsoDate | null;
  lastMeeting: IsoDate | null;
}

/**
 * The council `slug` names, with its bodies and totals. The default council is shown with its default rule
 * before anything has been imported; any other unknown council is a NotFoundError.
 */
export async function getCouncilOverview(
  db: Executor,
  slug: string,
  options: { defaultCouncil: string },
): Promise<CouncilOverview> {
  const exists = await db.selectFrom("council").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!exists) {
    if (slug !== options.defaultCouncil) throw new NotFoundError(`no council "${slug}"`);
    const isStockton = slug === DEFAULT_COUNCIL.slug;
    return {
      slug,
      name: isStockton ? DEFAULT_COUNCIL.name : slug,
      inRegister: false,
      callInRule: DEFAULT_COUNCIL.callInRule,
      minCallInSignatories: DEFAULT_COUNCIL.minCallInSignatories,
      keyDecisionThreshold: isStockton ? DEFAULT_COUNCIL.keyDecisionThreshold : null,
      bodies: [],
      decisionCount: 0,
      meetingCount: 0,
      firstMeeting: null,
      lastMeeting: null,
    };
  }
  const council = await getCouncil(db, slug);
  const bodies = await listBodies(db, council.id);
  const decisions = await db
    .selectFrom("decision")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("councilId", "=", council.id)
    .where("status", "<>", "draft")
    .executeTakeFirstOrThrow();
  const meetings = await db
    .selectFrom("meeting")
    .innerJoin("body", "body.id", "meeting.bodyId")
    .select((eb) => [
      eb.fn.countAll<number>().as("count"),
      eb.fn.min("meeting.date").as("first"),
      eb.fn.max("meeting.date").as("last"),
    ])
    .where("body.councilId", "=", council.id)
    .where("meeting.status", "<>", "cancelled")
    .executeTakeFirstOrThrow();
  return {
    slug: council.slug,
    name: council.name,
    inRegister: true,
    callInRule: council.callInRule,
    minCallInSignatories: council.minCallInSignatories,
    keyDecisionThreshold: council.keyDecisionThreshold,
    bodies,
    decisionCount: Number(decisions.count),
    meetingCount: Number(meetings.count),
    firstMeeting: (meetings.first as IsoDate | null) ?? null,
    lastMeeting: (meetings.last as IsoDate | null) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Decisions for the home page

/** A decision whose call-in window is open, as the home page lists it. */
export interface OpenCallIn {
  id: number;
  recordId: string | null;
  title: string;
  body: string;
  meetingDate: IsoDate;
  status: { status: DecisionStatus; label: string };
  /** When call-in closes, ISO 8601 with the UK offset. */
  callInCutoff: string | null;
}

/**
 * Decisions whose call-in window is open at `at` (status "published"), the one closing soonest first. Read
 * through the search service's status timelines, so the cost does not grow with the size of the register.
 */
export async function openCallIns(db: Executor, at: Date, limit = 100): Promise<OpenCallIn[]> {
  const found = await searchDecisions(db, { status: "published", sort: "date", limit }, at, {
    snippets: false,
  });
  return found.items
    .filter((item) => item.status === "published")
    .map((item) => ({
      id: item.id,
      recordId: item.recordId,
      title: item.title,
      body: item.body,
      meetingDate: item.meetingDate,
      status: { status: "published" as const, label: item.statusLabel ?? "Call-in period open" },
      callInCutoff: item.callInCutoff,
    }))
    .sort(
      (a, b) =>
        (a.callInCutoff ? Date.parse(a.callInCutoff) : Infinity) -
          (b.callInCutoff ? Date.parse(b.callInCutoff) : Infinity) || b.id - a.id,
    );
}

/** The most recently published public decisions (publication date, then meeting date, newest first). */
export async function latestDecisions(db: Executor, at: Date, limit = 10): Promise<DecisionSummary[]> {
  checkPaging(limit, 0);
  const rows = await db
    .selectFrom("decision")
    .innerJoin("council", "council.id", "decision.councilId")
    .innerJoin("body", "body.id", "decision.bodyId")
    .select(["decision.id", "decision.meetingDate", "council.slug", "body.name"])
    .where("decision.status", "<>", "draft")
    .orderBy("decision.publishedOn", (ob) => ob.desc().nullsLast())
    .orderBy("decision.meetingDate", "desc")
    .orderBy("decision.id", "desc")
    .limit(limit + 10)
    .execute();
  const found = new Map<number, DecisionSummary>();
  // Grouped by council, body and meeting date so that each listDecisions call is narrow.
  const groups = new Map<string, { council: string; body: string; date: IsoDate }>();
  for (const row of rows) {
    groups.set(`${row.slug}\u0000${row.name}\u0000${row.meetingDate}`, {
      council: row.slug,
      body: row.name,
      date: row.meetingDate,
    });
  }
  for (const group of groups.values()) {
    const listed = await listDecisions(
      db,
      { council: group.council, body: group.body, from: group.date, to: group.date },
      at,
    );
    for (const summary of listed) found.set(summary.id, summary);
  }
  return rows
    .map((row) => found.get(row.id))
    .filter((summary): summary is DecisionSummary => summary !== undefined && isPublicDecision(summary))
    .slice(0, limit);
}

// ---------------------------------------------------------------------------------------------------------
// Declarations and dispensations

export interface DeclarationView {
  id: number;
  personName: string;
  category: InterestCategory;
  nature: string;
}

export interface DispensationView {
  id: number;
  personName: string;
  grantedBy: string;
  grantedOn: IsoDate | null;
  expiresOn: IsoDate | null;
  scope: string;
}

/** The declarations of interest and dispensations recorded against a decision (besides its sections 5-6). */
export async function decisionInterests(
  db: Executor,
  decisionId: number,
): Promise<{ declarations: DeclarationView[]; dispensations: DispensationView[] }> {
  const declarations = await db
    .selectFrom("declarationOfInterest")
    .select(["id", "personName", "category", "nature"])
    .where("decisionId", "=", decisionId)
    .orderBy("id")
    .execute();
  const dispensations = await db
    .selectFrom("dispensation")
    .select(["id", "personName", "grantedBy", "grantedOn", "expiresOn", "scope"])
    .where("decisionId", "=", decisionId)
    .orderBy("id")
    .execute();
  return { declarations, dispensations };
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
