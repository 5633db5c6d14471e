import { type Kysely, sql } from "kysely";
import { type DerivedStatus, type LifecycleFacts, deriveStatus } from "../../domain/decision-lifecycle.js";
import type { DecisionStatus } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import type { Executor } from "../../storage/database.js";
import type { DatabaseSchema } from "../../storage/schema.js";
import { type Council, getCouncil } from "../councils/councils.js";
import type { DecisionFactsRow } from "../call-in/call-in-window.js";
import { type StoredCallInRequestFact, lifecycleFactsFor } from "./lifecycle-facts.js";

/**
 * Every decision's status timeline, kept in derived.decision_status_period so that searches can filter and sort
 * by status in SQL (see the migration 2026-11-22T1300-decision-search).
 *
 * The timeline is derived by the same code as every other view of a decision: lifecycle-facts.ts's
 * `lifecycleFactsFor` (which deadline governs, the exemption, the requests, scrutiny, implementation) and the
 * domain's `deriveStatus`, asked at the start of the timeline and then at each `until` in turn. Nothing here
 * decides a status.
 *
 * Triggers mark a decision in derived.decision_dirty whenever something its timeline depends on is written (the
 * decision row, its call-in requests, its council's rule or closure days). `refreshStatusTimelines` derives the
 * marked decisions again; searches call it first, so they never read a stale timeline. The draft period before
 * publication is not stored: searches show only decisions published by then (publication state not draft and
 * published_on on or before today in the UK, which is exactly when the derived status stops being draft).
 */

export interface StatusPeriod {
  /** Null when the decision's recorded facts contradict each other (see `problem`). */
  status: DecisionStatus | null;
  /** Null: from the beginning of time. */
  from: Date | null;
  /** Null: for ever. */
  until: Date | null;
}

export interface DecisionTimeline {
  decisionId: number;
  periods: StatusPeriod[];
  subjectToCallIn: boolean | null;
  callInCutoff: Date | null;
  problem: string | null;
}

/** The row facts the timeline depends on: the lifecycle's, and which decision and council they are of. */
interface TimelineRow extends DecisionFactsRow {
  id: number;
  councilId: number;
  implementedAt: Date | null;
}

const MAX_PERIODS = 12;

/**
 * The periods of a decision's status after publication (the draft before it is left out), derived by asking
 * `deriveStatus` at the start and then at each `until`.
 */
export function timelineFromFacts(facts: LifecycleFacts): StatusPeriod[] {
  const periods: StatusPeriod[] = [];
  let at: Date | null = facts.publishedAt;
  while (at !== null && periods.length < MAX_PERIODS) {
    const derived: DerivedStatus = deriveStatus(facts, at);
    if (derived.status !== "draft") {
      periods.push({ status: derived.status, from: derived.since, until: derived.until });
    }
    if (derived.until === null || derived.until.getTime() <= at.getTime()) break;
    at = derived.until;
  }
  return periods;
}

/** The timeline of one decision from its row, council and call-in requests. */
export function deriveTimeline(
  row: TimelineRow,
  council: Pick<Council, "callInRule">,
  requests: ReadonlyArray<StoredCallInRequestFact>,
): DecisionTimeline {
  try {
    const { facts, callIn } = lifecycleFactsFor({
      decision: row,
      council,
      callInRequests: requests,
      implementedAt: row.implementedAt,
    });
    try {
      return {
        decisionId: row.id,
        periods: timelineFromFacts(facts),
        subjectToCallIn: callIn.subjectToCallIn,
        callInCutoff: facts.callInCutoff,
        problem: null,
      };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return {
        decisionId: row.id,
        periods: [{ status: null, from: null, until: null }],
        subjectToCallIn: callIn.subjectToCallIn,
        callInCutoff: facts.callInCutoff,
        problem: error.message,
      };
    }
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return {
      decisionId: row.id,
      periods: [{ status: null, from: null, until: null }],
      subjectToCallIn: null,
      callInCutoff: null,
      problem: error.message,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Refreshing

/** How many marks one round takes; a refresh runs rounds until none are left. */
const BATCH = 1000;
const LOCK_KEY = sql`hashtext('resolved.derived.decision_status_period')`;

const running = new WeakMap<object, Promise<number>>();

/**
 * Derives again every decision marked as changed; returns how many decisions were derived. Concurrent calls
 * share one run in this process, and processes take turns (an advisory lock), so a search never sees a
 * half-written timeline. Cheap when nothing is marked (one indexed query).
 */
export async function refreshStatusTimelines(db: Executor): Promise<number> {
  const pending = await sql<{ one: number }>`select 1 as one from derived.decision_dirty limit 1`.execute(db);
  if (pending.rows.length === 0) return 0;
  const key = db as object;
  const current = running.get(key);
  if (current) return current;
  const run = refreshAll(db).finally(() => running.delete(key));
  running.set(key, run);
  return run;
}

async function refreshAll(db: Executor): Promise<number> {
  let total = 0;
  for (;;) {
    const done = db.isTransaction
      ? await refreshBatch(db)
      : await (db as Kysely<DatabaseSchema>).transaction().execute((trx) => refreshBatch(trx));
    total += done;
    if (done === 0) return total;
  }
}

/** One round: lock, read marks, derive those decisions, replace their periods, drop the marks read. */
async function refreshBatch(trx: Executor): Promise<number> {
  await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
  const marks = await sql<{ id: string | number; decisionId: number }>`
    select id, decision_id from derived.decision_dirty order by id limit ${BATCH}`.execute(trx);
  if (marks.rows.length === 0) return 0;
  const markIds = marks.rows.map((row) => String(row.id));
  const ids = [...new Set(marks.rows.map((row) => row.decisionId))];

  const rows = await trx
    .selectFrom("decision")
    .select([
      "id",
      "councilId",
      "status",
      "publishedOn",
      "callInDeadline",
      "callInText",
      sql<string[]>`jsonb_path_query_array(outcomes, '$[*].kind')`.as("outcomeKinds"),
      "urgent",
      "urgencyReason",
      "urgencyChairConsent",
      "notSubjectToCallIn",
      "scrutinyOutcome",
      "scrutinyOutcomeOn",
      "implementedAt",
    ])
    .where("id", "in", ids)
    .execute();
  const requests = new Map<number, StoredCallInRequestFact[]>();
  if (rows.length > 0) {
    const requestRows = await trx
      .selectFrom("callInRequest")
      .select(["decisionId", "receivedAt", "valid", "withdrawnAt"])
      .where(
        "decisionId",
        "in",
        rows.map((row) => row.id),
      )
      .execute();
    for (const row of requestRows) {
      const list = requests.get(row.decisionId) ?? [];
      list.push({ receivedAt: row.receivedAt, valid: row.valid, withdrawnAt: row.withdrawnAt });
      requests.set(row.decisionId, list);
    }
  }
  const councils = new Map<number, Council>();
  const councilIds = [...new Set(rows.map((row) => row.councilId))];
  if (councilIds.length > 0) {
    const slugs = await trx
      .selectFrom("council")
      .select(["id", "slug"])
      .where("id", "in", councilIds)
      .execute();
    for (const { id, slug } of slugs) councils.set(id, await getCouncil(trx, slug));
  }

  // Decisions published together share their call-in arithmetic, the costly part: derive each distinct set of
  // facts once.
  const memo = new Map<string, DecisionTimeline>();
  const timelines = rows.map(({ outcomeKinds, ...rest }) => {
    const row: TimelineRow = { ...rest, outcomes: outcomeKinds.map((kind) => ({ kind })) };
    const rowRequests = requests.get(row.id) ?? [];
    const { id: _id, ...facts } = row;
    const key = JSON.stringify([facts, rowRequests]);
    const known = memo.get(key);
    if (known) return { ...known, decisionId: row.id };
    const derived = deriveTimeline(row, councils.get(row.councilId) as Council, rowRequests);
    memo.set(key, derived);
    return derived;
  });

  await sql`delete from derived.decision_status_period where decision_id = any(${ids}::int[])`.execute(trx);
  // One row per period, sent as one array per column (a few parameters, however many rows).
  const rowsOut = timelines.flatMap((timeline) =>
    timeline.periods.map((period, seq) => ({ timeline, period, seq })),
  );
  const instant = (value: Date | null, open: string) => (value === null ? open : value.toISOString());
  if (rowsOut.length > 0) {
    await sql`
      insert into derived.decision_status_period
        (decision_id, seq, status, from_at, until_at, subject_to_call_in, call_in_cutoff, problem)
      select * from unnest(
        ${rowsOut.map((r) => r.timeline.decisionId)}::int[],
        ${rowsOut.map((r) => r.seq)}::smallint[],
        ${rowsOut.map((r) => r.period.status)}::text[],
        ${rowsOut.map((r) => instant(r.period.from, "-infinity"))}::timestamptz[],
        ${rowsOut.map((r) => instant(r.period.until, "infinity"))}::timestamptz[],
        ${rowsOut.map((r) => r.timeline.subjectToCallIn)}::boolean[],
        ${rowsOut.map((r) => r.timeline.callInCutoff?.toISOString() ?? null)}::timestamptz[],
        ${rowsOut.map((r) => r.timeline.problem)}::text[]
      )`.execute(trx);
  }
  await sql`delete from derived.decision_dirty where id = any(${markIds}::bigint[])`.execute(trx);
  return ids.length;
}
