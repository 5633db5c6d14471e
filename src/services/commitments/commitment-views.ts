import {
  formatQuarter,
  quarterMonths,
  quarterOf,
  type FinancialQuarter,
} from "../../domain/financial-period.js";
import { sql } from "kysely";
import type { IsoDate } from "../../domain/iso-date.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Executor } from "../../storage/database.js";
import type { CommitmentConfidence, CommitmentStatus } from "../../storage/schema.js";

/**
 * Commitments as people read them: the stored status (open, done, dropped), with "overdue" derived for an open
 * commitment whose due quarter has ended (never stored: it changes with the calendar, not with any write).
 * Only commitments of published decisions are shown, and only published decisions as their fulfilment.
 */

export const COMMITMENT_STATES = ["open", "overdue", "done", "dropped"] as const;
export type CommitmentState = (typeof COMMITMENT_STATES)[number];

export interface CommitmentView {
  id: number;
  decisionId: number;
  position: number;
  text: string;
  /** "2017-18 Q3". */
  due: string;
  dueQuarter: FinancialQuarter;
  /** "October to December 2017". */
  dueMonths: string;
  /** The words the due quarter was worked out from. */
  duePhrase: string;
  confidence: CommitmentConfidence;
  owner: string | null;
  status: CommitmentState;
  /** The progress notes, oldest first (who recorded each is in the audit log, not shown here). */
  progress: ProgressNote[];
  /** Why it was dropped (dropped only). */
  droppedReason: string | null;
  fulfilledBy: { id: number; title: string; meetingDate: IsoDate } | null;
  confirmedAt: Date | null;
}

export interface ProgressNote {
  note: string;
  recordedAt: Date;
}

export interface CommitmentListItem extends CommitmentView {
  decision: { id: number; title: string; meetingDate: IsoDate; councilId: number };
}

/** A quarter as one number, for comparing in SQL and here: 2017-18 Q3 → 2017 * 4 + 2. */
export const quarterIndex = (q: FinancialQuarter) => q.startYear * 4 + q.quarter - 1;

/** The state shown: an open commitment whose quarter is before today's is overdue. */
export function commitmentState(
  status: CommitmentStatus,
  due: FinancialQuarter,
  today: IsoDate,
): CommitmentState {
  if (status !== "open") return status;
  return quarterIndex(due) < quarterIndex(quarterOf(today)) ? "overdue" : "open";
}

export function parseCommitmentState(value: unknown, field = "status"): CommitmentState {
  if (typeof value === "string" && (COMMITMENT_STATES as readonly string[]).includes(value)) {
    return value as CommitmentState;
  }
  throw new ValidationError(`${field}: must be one of ${COMMITMENT_STATES.join(", ")}`, field);
}

function baseQuery(db: Executor) {
  return db
    .selectFrom("commitment")
    .innerJoin("decision as source", "source.id", "commitment.decisionId")
    .leftJoin("decision as fulfiller", (join) =>
      join.onRef("fulfiller.id", "=", "commitment.fulfilledBy").on("fulfiller.status", "=", "published"),
    )
    .where("source.status", "=", "published")
    .select([
      "commitment.id",
      "commitment.decisionId",
      "commitment.position",
      "commitment.text",
      "commitment.dueStartYear",
      "commitment.dueQuarter",
      "commitment.duePhrase",
      "commitment.confidence",
      "commitment.owner",
      "commitment.status",
      "commitment.droppedReason",
      "commitment.confirmedAt",
      "fulfiller.id as fulfillerId",
      "fulfiller.title as fulfillerTitle",
      "fulfiller.meetingDate as fulfillerMeetingDate",
      "source.title as sourceTitle",
      "source.meetingDate as sourceMeetingDate",
      "source.councilId as sourceCouncilId",
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>["execute"]>>[number];

function viewOf(row: Row, today: IsoDate, notes: Map<number, ProgressNote[]>): CommitmentListItem {
  const dueQuarter = {
    startYear: row.dueStartYear,
    quarter: row.dueQuarter as FinancialQuarter["quarter"],
  };
  return {
    id: row.id,
    decisionId: row.decisionId,
    position: row.position,
    text: row.text,
    due: formatQuarter(dueQuarter),
    dueQuarter,
    dueMonths: quarterMonths(dueQuarter),
    duePhrase: row.duePhrase,
    confidence: row.confidence,
    owner: row.owner,
    status: commitmentState(row.status, dueQuarter, today),
    progress: notes.get(row.id) ?? [],
    droppedReason: row.droppedReason,
    fulfilledBy:
      row.fulfillerId === null
        ? null
        : { id: row.fulfillerId, title: row.fulfillerTitle!, meetingDate: row.fulfillerMeetingDate! },
    confirmedAt: row.confirmedAt,
    decision: {
      id: row.decisionId,
      title: row.sourceTitle,
      meetingDate: row.sourceMeetingDate,
      councilId: row.sourceCouncilId,
    },
  };
}

/** The progress notes of these commitments, oldest first, by commitment. */
async function progressNotes(db: Executor, ids: readonly number[]): Promise<Map<number, ProgressNote[]>> {
  const notes = new Map<number, ProgressNote[]>();
  if (ids.length === 0) return notes;
  const rows = await db
    .selectFrom("commitmentProgress")
    .select(["commitmentId", "note", "recordedAt"])
    .where("commitmentId", "in", ids)
    .orderBy("recordedAt")
    .orderBy("id")
    .execute();
  for (const row of rows) {
    const list = notes.get(row.commitmentId) ?? [];
    list.push({ note: row.note, recordedAt: row.recordedAt });
    notes.set(row.commitmentId, list);
  }
  return notes;
}

/** One commitment of a published decision, of `councilId` when given; NotFoundError otherwise. */
export async function getCommitment(
  db: Executor,
  commitmentId: number,
  today: IsoDate,
  councilId?: number,
): Promise<CommitmentListItem> {
  let query = baseQuery(db).where("commitment.id", "=", commitmentId);
  if (councilId !== undefined) query = query.where("source.councilId", "=", councilId);
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError(`no commitment ${commitmentId}`);
  return viewOf(row, today, await progressNotes(db, [row.id]));
}

/** A published decision's commitments, in the record's order (none for a draft or an unknown id). */
export async function decisionCommitments(
  db: Executor,
  decisionId: number,
  today: IsoDate,
): Promise<CommitmentView[]> {
  const rows = await baseQuery(db)
    .where("commitment.decisionId", "=", decisionId)
    .orderBy("commitment.position")
    .orderBy("commitment.id")
    .execute();
  const notes = await progressNotes(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => viewOf(row, today, notes));
}

export interface CommitmentFilters {
  status?: CommitmentState;
  councilId?: number;
  /** Only those a decision fulfilled. */
  fulfilledBy?: number;
  /**
   * Only those of a strategy: made by the decision that agreed it or by one of its quarterly updates (proposed
   * or confirmed: services/strategy-updates).
   */
  strategyId?: number;
  /** At most this many, earliest due first (default 100, at most 500). */
  limit?: number;
}

/** Commitments across the register, earliest due first: e.g. every overdue one. */
export async function listCommitments(
  db: Executor,
  filters: CommitmentFilters,
  today: IsoDate,
): Promise<CommitmentListItem[]> {
  const limit = filters.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ValidationError("limit: must be a whole number from 1 to 500", "limit");
  }
  const todayIndex = quarterIndex(quarterOf(today));
  let query = baseQuery(db);
  if (filters.councilId !== undefined) query = query.where("source.councilId", "=", filters.councilId);
  if (filters.fulfilledBy !== undefined)
    query = query.where("commitment.fulfilledBy", "=", filters.fulfilledBy);
  const strategyId = filters.strategyId;
  if (strategyId !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb(
          "source.id",
          "in",
          eb.selectFrom("strategy").select("agreedByDecisionId").where("id", "=", strategyId),
        ),
        eb(
          "source.id",
          "in",
          eb.selectFrom("strategyUpdate").select("decisionId").where("strategyId", "=", strategyId),
        ),
      ]),
    );
  }
  const dueIndex = sql<number>`${sql.ref("commitment.dueStartYear")} * 4 + ${sql.ref("commitment.dueQuarter")} - 1`;
  switch (filters.status) {
    case undefined:
      break;
    case "overdue":
      query = query.where("commitment.status", "=", "open").where(dueIndex, "<", todayIndex);
      break;
    case "open":
      query = query.where("commitment.status", "=", "open").where(dueIndex, ">=", todayIndex);
      break;
    default:
      query = query.where("commitment.status", "=", filters.status);
  }
  const rows = await query
    .orderBy("commitment.dueStartYear")
    .orderBy("commitment.dueQuarter")
    .orderBy("commitment.decisionId")
    .orderBy("commitment.position")
    .limit(limit)
    .execute();
  const notes = await progressNotes(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => viewOf(row, today, notes));
}
