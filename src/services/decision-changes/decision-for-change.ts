import type { LifecycleFacts } from "../../domain/decision-lifecycle.js";
import type { Executor } from "../../storage/database.js";
import type { CallInWindow } from "../call-in/call-in-window.js";
import type { Council } from "../councils/councils.js";
import {
  type DecisionRef,
  type LoadedRow,
  type StatusView,
  findDecisionRow,
  loadFactsFor,
} from "../decisions/decision-rows.js";
import { lifecycleFactsFor } from "../decisions/lifecycle-facts.js";

/** The lifecycle changes' common ground: the decision locked in the transaction, with its facts. */

export interface DecisionInTransaction {
  row: LoadedRow;
  council: Council;
  facts: LifecycleFacts;
  callIn: CallInWindow;
}

/**
 * Inside a transaction: the decision row locked (FOR UPDATE, so two changes to one decision run one after the
 * other), its council and lifecycle facts. ValidationError when the facts cannot be built.
 */
export async function loadDecisionForChange(trx: Executor, ref: DecisionRef): Promise<DecisionInTransaction> {
  const row = await findDecisionRow(trx, ref, true);
  const loaded = await loadFactsFor(trx, [row]);
  const council = loaded.councils.get(row.councilId) as Council;
  const { facts, callIn } = lifecycleFactsFor({
    decision: row,
    council,
    callInRequests: loaded.requests.get(row.id) ?? [],
    implementedAt: loaded.implementations.get(row.id) ?? null,
  });
  return { row, council, facts, callIn };
}

export function label(row: { id: number; recordId: string | null }): string {
  return row.recordId ? `decision ${row.id} (${row.recordId})` : `decision ${row.id}`;
}

export function now(): Date {
  return new Date();
}

export interface LifecycleChangeResult {
  id: number;
  recordId: string | null;
  /** The status now, after the change. */
  status: StatusView;
}
