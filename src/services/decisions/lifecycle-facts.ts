import type {
  CallInRequestFact,
  LifecycleFacts,
  ScrutinyFact,
  ScrutinyOutcome,
} from "../../domain/decision-lifecycle.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { startOfUkDay } from "../../domain/uk-time.js";
import type { ScrutinyOutcome as StoredScrutinyOutcome } from "../../storage/schema.js";
import {
  type CallInWindow,
  type DecisionFactsRow,
  callInWindowFor,
  exemptionFor,
} from "../call-in/call-in-window.js";
import type { Council } from "../councils/councils.js";

/**
 * The lifecycle facts of a decision, gathered from its rows: what its status at any instant is derived from.
 *
 * The status is never stored: it is derived (domain `deriveStatus`) from the facts recorded for the decision,
 * which this module gathers from the rows (`lifecycleFactsFor`):
 *
 * - publishedAt: the start (00:00 UK time) of `published_on` when the decision's stored state is published or
 *   withdrawn; a draft has none.
 * - callInCutoff — which deadline governs: the deadline PRINTED on the record as published, at the time of
 *   day the printed line names ("Midnight, 24 November 2017"; the council rule's time when it names none). The
 *   public and councillors act on what the council published, so a request made in time by the printed
 *   deadline is in time, and changing the council's rule later does not move it. The deadline the council's rule gives is
 *   computed too (from the council's CURRENT rule) and, when it differs, shown as a warning. The rule's
 *   deadline is used only when the record prints none ("Not applicable" on a record that is nonetheless
 *   subject to call-in, e.g. one with RESOLVED items) or prints one that is not after publication.
 * - exemption: `callInExemption` over the record's outcomes and the recorded urgency (reason + consent).
 * - callInRequests: every stored request not withdrawn, valid as assessed when it was received.
 * - scrutiny: `scrutiny_outcome` ("no-further-action" is the domain's "confirmed"), decided at 00:00 UK time
 *   on `scrutiny_outcome_on` — but never before the call-in it answers (a same-day outcome counts from the
 *   call-in's instant).
 * - implementedAt: `decision.implemented_at`, set once by `markImplemented` (with an audit entry).
 */

export interface StoredCallInRequestFact {
  receivedAt: Date;
  valid: boolean | null;
  withdrawnAt?: Date | null;
}

export interface LifecycleInput {
  decision: DecisionFactsRow;
  council: Pick<Council, "callInRule">;
  callInRequests: ReadonlyArray<StoredCallInRequestFact>;
  implementedAt: Date | null;
}

export const STORED_TO_DOMAIN_OUTCOME: Record<StoredScrutinyOutcome, ScrutinyOutcome> = {
  "no-further-action": "confirmed",
  "referred-back": "referred-back",
  "referred-to-council": "referred-to-council",
};

export const DOMAIN_TO_STORED_OUTCOME: Record<ScrutinyOutcome, StoredScrutinyOutcome> = {
  confirmed: "no-further-action",
  "referred-back": "referred-back",
  "referred-to-council": "referred-to-council",
};

/**
 * The lifecycle facts of a decision, from its row, its council's rule, its call-in requests and its recorded
 * implementation, with the call-in window they were built from. Pure apart from the bank-holiday calendar.
 * The facts are not validated here: `deriveStatus` does that.
 */
export function lifecycleFactsFor(input: LifecycleInput): { facts: LifecycleFacts; callIn: CallInWindow } {
  const { decision, council } = input;
  const warnings: string[] = [];
  const exemption = exemptionFor(decision, warnings);
  const callIn = callInWindowFor(decision, council, exemption, warnings);
  const published = decision.status !== "draft" && decision.publishedOn !== null;
  const publishedAt = published ? startOfUkDay(decision.publishedOn as IsoDate) : null;
  const callInRequests: CallInRequestFact[] = input.callInRequests
    .filter((request) => request.withdrawnAt == null)
    .map((request) => ({ receivedAt: request.receivedAt, valid: request.valid === true }));
  let scrutiny: ScrutinyFact | null = null;
  if (decision.scrutinyOutcome !== null) {
    const calledIn = callInRequests
      .filter((request) => request.valid)
      .reduce<Date | null>(
        (first, request) => (first === null || request.receivedAt < first ? request.receivedAt : first),
        null,
      );
    let decidedAt = decision.scrutinyOutcomeOn !== null ? startOfUkDay(decision.scrutinyOutcomeOn) : calledIn;
    if (decidedAt !== null && calledIn !== null && decidedAt.getTime() < calledIn.getTime())
      decidedAt = calledIn;
    if (decidedAt !== null) {
      scrutiny = { outcome: STORED_TO_DOMAIN_OUTCOME[decision.scrutinyOutcome], decidedAt };
    }
  }
  const facts: LifecycleFacts = {
    publishedAt,
    callInCutoff: exemption === null && callIn.cutoff !== null ? new Date(callIn.cutoff) : null,
    exemption,
    callInRequests,
    scrutiny,
    implementedAt: input.implementedAt,
  };
  return { facts, callIn };
}
