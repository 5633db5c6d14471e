import { DECISION_STATUSES, type DecisionStatus, isDecisionStatus } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import { type IsoDate, isValidIsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { DecisionStatus as PublicationState } from "../../storage/schema.js";
import { assertAt, checkCount } from "../argument-checks.js";
import { findCouncil } from "../councils/find-council.js";
import {
  type Evaluated,
  type LoadedRow,
  type StatusView,
  evaluate,
  loadFactsFor,
  selectDecisions,
} from "./decision-rows.js";

export interface DecisionFilters {
  /** A council slug, prefix or name (see findCouncil). */
  council?: string;
  /** The decision maker's name, e.g. "Cabinet" (case does not matter). */
  body?: string;
  /** Decisions made (meeting date) on or after this date. */
  from?: IsoDate;
  /** Decisions made (meeting date) on or before this date. */
  to?: IsoDate;
  /** Only decisions in this status at the instant asked about. */
  status?: DecisionStatus;
  limit?: number;
  offset?: number;
}

export interface DecisionSummary {
  id: number;
  recordId: string | null;
  council: { slug: string; name: string };
  body: string;
  title: string;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  publicationState: PublicationState;
  /** The governing call-in deadline and cutoff; null when not subject to call-in. */
  callInDeadline: IsoDate | null;
  callInCutoff: string | null;
  subjectToCallIn: boolean | null;
  currentVersion: number;
  /** The status at the instant asked about; null (with statusProblem) when it cannot be derived. */
  status: StatusView | null;
  statusProblem: string | null;
}

/**
 * Decisions, newest first (meeting date, then publication, then id), each with its status at `at`. Filters
 * combine; `status` is derived, so with it the other filters run in SQL and the status one afterwards.
 */
export async function listDecisions(
  db: Executor,
  filters: DecisionFilters,
  at: Date,
): Promise<DecisionSummary[]> {
  assertAt(at);
  for (const [field, value] of [
    ["from", filters.from],
    ["to", filters.to],
  ] as const) {
    if (value !== undefined && !isValidIsoDate(value)) {
      throw new ValidationError(`"${value}" is not a date (expected YYYY-MM-DD, e.g. 2017-11-20)`, field);
    }
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    throw new ValidationError(`the period ends (${filters.to}) before it begins (${filters.from})`, "to");
  }
  if (filters.status !== undefined && !isDecisionStatus(filters.status)) {
    throw new ValidationError(
      `"${String(filters.status)}" is not a status; expected one of ${DECISION_STATUSES.join(", ")}`,
      "status",
    );
  }
  checkCount(filters.limit, "limit", 1);
  checkCount(filters.offset, "offset", 0);

  let query = selectDecisions(db)
    .orderBy("decision.meetingDate", "desc")
    .orderBy("decision.publishedOn", (ob) => ob.desc().nullsLast())
    .orderBy("decision.id", "desc");
  if (filters.council !== undefined) {
    const council = await findCouncil(db, filters.council);
    query = query.where("decision.councilId", "=", council.id);
  }
  if (filters.body !== undefined) {
    const body = filters.body.trim().toLowerCase();
    query = query.where((eb) => eb(eb.fn("lower", ["body.name"]), "=", body));
  }
  if (filters.from !== undefined) query = query.where("decision.meetingDate", ">=", filters.from);
  if (filters.to !== undefined) query = query.where("decision.meetingDate", "<=", filters.to);
  if (filters.status === undefined) {
    if (filters.limit !== undefined) query = query.limit(filters.limit);
    if (filters.offset) query = query.offset(filters.offset);
  }
  const rows = await query.execute();
  const loaded = await loadFactsFor(db, rows);
  let summaries = rows.map((row) => summarise(row, evaluate(row, loaded, at)));
  if (filters.status !== undefined) {
    summaries = summaries.filter((summary) => summary.status?.status === filters.status);
    const offset = filters.offset ?? 0;
    summaries = summaries.slice(offset, filters.limit === undefined ? undefined : offset + filters.limit);
  }
  return summaries;
}

function summarise(row: LoadedRow, evaluated: Evaluated): DecisionSummary {
  return {
    id: row.id,
    recordId: row.recordId,
    council: { slug: row.councilSlug, name: row.councilName },
    body: row.bodyName,
    title: row.title,
    meetingDate: row.meetingDate,
    publishedOn: row.publishedOn,
    publicationState: row.status,
    callInDeadline: evaluated.callIn?.deadline ?? null,
    callInCutoff: evaluated.callIn?.cutoff ?? null,
    subjectToCallIn: evaluated.callIn?.subjectToCallIn ?? null,
    currentVersion: row.currentVersion,
    status: evaluated.status,
    statusProblem: evaluated.statusProblem,
  };
}

/** Whether the public site may show a decision summary: never a draft. */
export function isPublicDecision(summary: Pick<DecisionSummary, "status" | "publicationState">): boolean {
  if (summary.publicationState === "draft") return false;
  return summary.status?.status !== "draft";
}
