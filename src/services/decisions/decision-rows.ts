import { type DerivedStatus, type LifecycleFacts, deriveStatus } from "../../domain/decision-lifecycle.js";
import { DECISION_STATUS_TEXT } from "../../domain/decision-status.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { BodyKind } from "../../storage/schema.js";
import type { CallInWindow, DecisionFactsRow } from "../call-in/call-in-window.js";
import { type Council, getCouncil } from "../councils/councils.js";
import { type StoredCallInRequestFact, lifecycleFactsFor } from "./lifecycle-facts.js";

/** Loading decision rows with what their status depends on, and evaluating it at an instant. */

/** A decision is named by its numeric id or by the council's record id ("D080067", "CAB/41/25"). */
export type DecisionRef = number | string;

export interface StatusView extends DerivedStatus {
  /** "Call-in period open". */
  label: string;
  description: string;
}

export function statusView(derived: DerivedStatus): StatusView {
  const text = DECISION_STATUS_TEXT[derived.status];
  return { ...derived, label: text.label, description: text.description };
}

export interface LoadedRow extends DecisionFactsRow {
  id: number;
  councilId: number;
  bodyId: number;
  meetingId: number | null;
  agendaItemId: number | null;
  recordId: string | null;
  documentType: string;
  meetingDate: IsoDate;
  title: string;
  keyDecision: boolean;
  exemptParagraph: number | null;
  notSubjectToCallIn: boolean;
  implementedAt: Date | null;
  currentVersion: number;
  createdAt: Date;
  updatedAt: Date;
  councilSlug: string;
  councilName: string;
  bodyName: string;
  bodyKind: BodyKind;
}

export function selectDecisions(db: Executor) {
  return db
    .selectFrom("decision")
    .innerJoin("council", "council.id", "decision.councilId")
    .innerJoin("body", "body.id", "decision.bodyId")
    .select([
      "decision.id",
      "decision.councilId",
      "decision.bodyId",
      "decision.meetingId",
      "decision.agendaItemId",
      "decision.recordId",
      "decision.documentType",
      "decision.meetingDate",
      "decision.title",
      "decision.outcomes",
      "decision.callInText",
      "decision.callInDeadline",
      "decision.publishedOn",
      "decision.status",
      "decision.keyDecision",
      "decision.exemptParagraph",
      "decision.urgent",
      "decision.urgencyReason",
      "decision.urgencyChairConsent",
      "decision.notSubjectToCallIn",
      "decision.scrutinyOutcome",
      "decision.scrutinyOutcomeOn",
      "decision.implementedAt",
      "decision.currentVersion",
      "decision.createdAt",
      "decision.updatedAt",
      "council.slug as councilSlug",
      "council.name as councilName",
      "body.name as bodyName",
      "body.kind as bodyKind",
    ]);
}

export interface LoadedFacts {
  requests: Map<number, StoredCallInRequestFact[]>;
  implementations: Map<number, Date>;
  councils: Map<number, Council>;
}

export async function loadFactsFor(db: Executor, rows: ReadonlyArray<LoadedRow>): Promise<LoadedFacts> {
  const ids = rows.map((row) => row.id);
  const requests = new Map<number, StoredCallInRequestFact[]>();
  const implementations = new Map<number, Date>();
  const councils = new Map<number, Council>();
  if (ids.length === 0) return { requests, implementations, councils };
  const requestRows = await db
    .selectFrom("callInRequest")
    .select(["decisionId", "receivedAt", "valid", "withdrawnAt"])
    .where("decisionId", "in", ids)
    .execute();
  for (const row of requestRows) {
    const list = requests.get(row.decisionId) ?? [];
    list.push({ receivedAt: row.receivedAt, valid: row.valid, withdrawnAt: row.withdrawnAt });
    requests.set(row.decisionId, list);
  }
  for (const row of rows) if (row.implementedAt) implementations.set(row.id, row.implementedAt);
  for (const slug of new Set(rows.map((row) => row.councilSlug))) {
    const council = await getCouncil(db, slug);
    councils.set(council.id, council);
  }
  return { requests, implementations, councils };
}

export interface Evaluated {
  facts: LifecycleFacts | null;
  callIn: CallInWindow | null;
  status: StatusView | null;
  /** Why the status could not be derived (facts that contradict each other, a deadline out of range). */
  statusProblem: string | null;
}

export function evaluate(row: LoadedRow, loaded: LoadedFacts, at: Date): Evaluated {
  const council = loaded.councils.get(row.councilId) as Council;
  try {
    const { facts, callIn } = lifecycleFactsFor({
      decision: row,
      council,
      callInRequests: loaded.requests.get(row.id) ?? [],
      implementedAt: loaded.implementations.get(row.id) ?? null,
    });
    try {
      return { facts, callIn, status: statusView(deriveStatus(facts, at)), statusProblem: null };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return { facts, callIn, status: null, statusProblem: error.message };
    }
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { facts: null, callIn: null, status: null, statusProblem: error.message };
  }
}

/** The decision row `ref` names; NotFoundError (saying how to find one) when there is none. */
export async function findDecisionRow(db: Executor, ref: DecisionRef, lock = false): Promise<LoadedRow> {
  const text = String(ref).trim();
  if (text === "") throw new ValidationError("the decision id must not be empty", "id");
  const query = lock ? selectDecisions(db).forUpdate("decision") : selectDecisions(db);
  if (/^\d+$/.test(text) && Number(text) <= 2_147_483_647) {
    const row = await query.where("decision.id", "=", Number(text)).executeTakeFirst();
    if (row) return row;
  }
  let rows = await query.where("decision.recordId", "=", text).execute();
  if (rows.length === 0) {
    rows = await query
      .where((eb) => eb(eb.fn("upper", ["decision.recordId"]), "=", text.toUpperCase()))
      .execute();
  }
  if (rows.length === 1) return rows[0] as LoadedRow;
  if (rows.length > 1) {
    const which = rows.map((row) => `${row.id} (${row.councilSlug})`).join(", ");
    throw new ValidationError(
      `record id "${text}" is used by several councils' decisions: ${which}; give the numeric id`,
      "id",
    );
  }
  throw new NotFoundError(
    `no decision "${text}": give a decision's number or its record id (e.g. D080067); ` +
      "`resolved decisions list` shows them",
  );
}

/** The decision `ref` names (id or record id), for commands that need only to know which one it is. */
export async function findDecision(
  db: Executor,
  ref: DecisionRef,
): Promise<{ id: number; recordId: string | null; title: string; council: { slug: string; name: string } }> {
  const row = await findDecisionRow(db, ref);
  return {
    id: row.id,
    recordId: row.recordId,
    title: row.title,
    council: { slug: row.councilSlug, name: row.councilName },
  };
}
