import type { CallInExemption } from "./call-in-exemption.js";
import { formatCallInClose, formatUkInstant, type DecisionStatus } from "./decision-status.js";
import { ValidationError } from "./errors.js";

/**
 * The decision lifecycle: the status of a decision at any instant, derived from recorded facts. Nothing is
 * stored or scheduled; the same facts and instant always give the same answer, and `until` says when the
 * answer will change by itself (so a cache knows when to expire).
 *
 * Rules (see decision-status.ts for the diagram):
 * - Before `publishedAt`, or with no `publishedAt`, a decision is a draft. Publishing in the future schedules
 *   it: still a draft until that instant.
 * - Not subject to call-in: a recommendation to Council is "recommended-to-council" from publication; an
 *   urgent decision is "effective" from publication.
 * - Otherwise "published" (call-in open) from publication until the cutoff. The window closes AT the cutoff:
 *   a valid request must be received strictly before it, and the decision is "effective" from the cutoff
 *   instant itself if none was.
 * - The earliest valid request calls the decision in, from its `receivedAt`. Later valid requests change
 *   nothing (two groups of councillors may send one each before either is processed).
 * - A scrutiny outcome ends "called-in" at `decidedAt`. Only "confirmed" lets the decision be implemented;
 *   "referred-back" and "referred-to-council" stay as they are: the reconsidered decision, or Council's, is a
 *   new decision with facts of its own.
 * - "implemented" from `implementedAt`, allowed only once the decision is effective or confirmed.
 */

export type ScrutinyOutcome = "confirmed" | "referred-back" | "referred-to-council";

export interface CallInRequestFact {
  receivedAt: Date;
  /** As assessed when it was received (`assessCallInRequest`); invalid requests are kept, and ignored here. */
  valid: boolean;
}

export interface ScrutinyFact {
  outcome: ScrutinyOutcome;
  decidedAt: Date;
}

export interface LifecycleFacts {
  /** When the decision is (or is to be) published; null = draft. */
  publishedAt: Date | null;
  /** When the call-in window closes (`computeCallInDeadline(...).cutoff`); null when exempt. */
  callInCutoff: Date | null;
  exemption: CallInExemption | null;
  callInRequests: ReadonlyArray<CallInRequestFact>;
  scrutiny: ScrutinyFact | null;
  implementedAt: Date | null;
}

export interface DerivedStatus {
  status: DecisionStatus;
  /** When this status began; null for a draft (its creation is not a lifecycle fact). */
  since: Date | null;
  /** When this status will change by itself given the same facts (e.g. the cutoff); null if never. */
  until: Date | null;
  subjectToCallIn: boolean;
  /** One or two sentences saying why, with times in UK time. */
  explanation: string;
}

interface Segment {
  status: DecisionStatus;
  from: Date | null;
  explanation: string;
}

/**
 * The status of the decision at `at`. Throws ValidationError if the facts contradict themselves (see
 * `validateLifecycleFacts`) or `at` is not a valid instant.
 */
export function deriveStatus(facts: LifecycleFacts, at: Date): DerivedStatus {
  validateLifecycleFacts(facts);
  assertInstant(at, "at");
  const segments = timeline(facts);
  const index = segmentIndexAt(segments, at);
  const segment = segments[index] as Segment;
  const next = segments[index + 1];
  return {
    status: segment.status,
    since: segment.from,
    until: next?.from ?? null,
    subjectToCallIn: facts.exemption === null,
    explanation: segment.explanation,
  };
}

/**
 * Throws ValidationError unless the decision may be implemented at `at`, i.e. it is then effective or
 * confirmed after scrutiny. Any implementation already recorded is ignored: this answers "could it be
 * implemented at that instant", whether the question is asked before recording it or to check a record.
 */
export function assertCanImplement(facts: LifecycleFacts, at: Date): void {
  const withoutImplementation: LifecycleFacts = { ...facts, implementedAt: null };
  validateLifecycleFacts(withoutImplementation);
  assertInstant(at, "at");
  const blocker = implementationBlocker(withoutImplementation, at);
  if (blocker !== null) throw new ValidationError(blocker, "implementedAt");
}

/**
 * Throws ValidationError, naming the field, when the facts contradict themselves: a cutoff on an exempt
 * decision or none on a published one that is subject to call-in; a cutoff not after publication; a request
 * marked valid though it arrived before publication, at or after the cutoff, or for an exempt decision; a
 * scrutiny outcome without a valid call-in or before it; an implementation the rules do not allow.
 */
export function validateLifecycleFacts(facts: LifecycleFacts): void {
  const { publishedAt, callInCutoff: cutoff, exemption, scrutiny, implementedAt } = facts;
  if (publishedAt !== null) assertInstant(publishedAt, "publishedAt");
  if (cutoff !== null) assertInstant(cutoff, "callInCutoff");
  facts.callInRequests.forEach((request, i) =>
    assertInstant(request.receivedAt, `callInRequests.${i}.receivedAt`),
  );
  if (scrutiny !== null) assertInstant(scrutiny.decidedAt, "scrutiny.decidedAt");
  if (implementedAt !== null) assertInstant(implementedAt, "implementedAt");

  if (exemption !== null && cutoff !== null) {
    throw new ValidationError(
      `the decision is not subject to call-in (${exemptionWords(exemption)}), so it cannot have a call-in cutoff`,
      "callInCutoff",
    );
  }
  if (exemption === null && publishedAt !== null && cutoff === null) {
    throw new ValidationError(
      "the decision is published and subject to call-in, so it needs the instant its call-in period closes",
      "callInCutoff",
    );
  }
  if (publishedAt !== null && cutoff !== null && cutoff.getTime() <= publishedAt.getTime()) {
    throw new ValidationError(
      `call-in closes at ${formatCallInClose(cutoff)}, which is not after publication at ${formatUkInstant(publishedAt)}`,
      "callInCutoff",
    );
  }

  facts.callInRequests.forEach((request, i) => {
    if (!request.valid) return;
    const field = `callInRequests.${i}`;
    const received = formatUkInstant(request.receivedAt);
    if (exemption !== null) {
      throw new ValidationError(
        `a call-in request received at ${received} is marked valid, but the decision is not subject to call-in (${exemptionWords(exemption)})`,
        field,
      );
    }
    if (publishedAt === null || request.receivedAt.getTime() < publishedAt.getTime()) {
      throw new ValidationError(
        `a call-in request received at ${received} is marked valid, but the decision had not been published then`,
        field,
      );
    }
    if (cutoff !== null && request.receivedAt.getTime() >= cutoff.getTime()) {
      throw new ValidationError(
        `a call-in request received at ${received} is marked valid, but call-in closed at ${formatCallInClose(cutoff)}`,
        field,
      );
    }
  });

  if (scrutiny !== null) {
    const calledIn = firstValidRequest(facts);
    if (calledIn === null) {
      throw new ValidationError(
        "a scrutiny outcome is recorded, but the decision was never validly called in",
        "scrutiny",
      );
    }
    if (scrutiny.decidedAt.getTime() < calledIn.receivedAt.getTime()) {
      throw new ValidationError(
        `the scrutiny outcome at ${formatUkInstant(scrutiny.decidedAt)} is before the decision was called in at ${formatUkInstant(calledIn.receivedAt)}`,
        "scrutiny.decidedAt",
      );
    }
  }

  if (implementedAt !== null) {
    const blocker = implementationBlocker({ ...facts, implementedAt: null }, implementedAt);
    if (blocker !== null) {
      throw new ValidationError(
        `recorded as implemented at ${formatUkInstant(implementedAt)}, but the decision ${blocker}`,
        "implementedAt",
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------

function assertInstant(value: unknown, field: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ValidationError(`${field} must be a valid date and time`, field);
  }
}

function exemptionWords(exemption: CallInExemption): string {
  switch (exemption.reason) {
    case "urgent":
      return "it was taken as urgent";
    case "stated-in-record":
      return "the record as published says so";
    case "recommendation-to-council":
      return "it is a recommendation to Council";
  }
}

function firstValidRequest(facts: LifecycleFacts): CallInRequestFact | null {
  let first: CallInRequestFact | null = null;
  for (const request of facts.callInRequests) {
    if (request.valid && (first === null || request.receivedAt.getTime() < first.receivedAt.getTime())) {
      first = request;
    }
  }
  return first;
}

/** The statuses the facts go through, in order of `from`; each lasts until the next one's `from`. */
function timeline(facts: LifecycleFacts): Segment[] {
  const segments = timelineBeforeImplementation(facts);
  if (facts.implementedAt !== null) {
    segments.push({
      status: "implemented",
      from: facts.implementedAt,
      explanation: `Implemented at ${formatUkInstant(facts.implementedAt)}.`,
    });
  }
  return segments;
}

function timelineBeforeImplementation(facts: LifecycleFacts): Segment[] {
  const { publishedAt, exemption } = facts;
  if (publishedAt === null) {
    return [{ status: "draft", from: null, explanation: "Not published yet." }];
  }
  const published = formatUkInstant(publishedAt);
  const segments: Segment[] = [
    {
      status: "draft",
      from: null,
      explanation: `Not published yet: scheduled for publication at ${published}.`,
    },
  ];

  if (exemption !== null) {
    segments.push({
      status: exemption.reason === "recommendation-to-council" ? "recommended-to-council" : "effective",
      from: publishedAt,
      explanation: `Published at ${published}. ${exemption.explanation}`,
    });
    return segments;
  }

  // Validated: a published decision subject to call-in has a cutoff after publication.
  const cutoff = facts.callInCutoff as Date;
  const closes = formatCallInClose(cutoff);
  segments.push({
    status: "published",
    from: publishedAt,
    explanation:
      `Published at ${published}. Councillors can call this decision in for scrutiny until call-in closes at ` +
      `${closes}; it cannot be implemented before then.`,
  });

  const calledIn = firstValidRequest(facts);
  if (calledIn === null) {
    segments.push({
      status: "effective",
      from: cutoff,
      explanation: `No valid call-in request was received before call-in closed at ${closes}, so the decision can be implemented.`,
    });
    return segments;
  }

  const calledInAt = formatUkInstant(calledIn.receivedAt);
  segments.push({
    status: "called-in",
    from: calledIn.receivedAt,
    explanation:
      `Called in for scrutiny at ${calledInAt}. It cannot be implemented unless overview and scrutiny ` +
      `confirms it.`,
  });

  const scrutiny = facts.scrutiny;
  if (scrutiny !== null) {
    const decided = formatUkInstant(scrutiny.decidedAt);
    const explanation = {
      confirmed: `Called in at ${calledInAt}; overview and scrutiny confirmed the decision at ${decided}, so it can be implemented.`,
      "referred-back": `Called in at ${calledInAt}; overview and scrutiny referred it back to the decision maker to reconsider at ${decided}.`,
      "referred-to-council": `Called in at ${calledInAt}; overview and scrutiny referred it to full Council at ${decided}.`,
    }[scrutiny.outcome];
    segments.push({ status: scrutiny.outcome, from: scrutiny.decidedAt, explanation });
  }
  return segments;
}

/** The last segment that has begun at `at` (the first is always the draft, from the beginning of time). */
function segmentIndexAt(segments: Segment[], at: Date): number {
  let index = 0;
  segments.forEach((segment, i) => {
    if (segment.from !== null && segment.from.getTime() <= at.getTime()) index = i;
  });
  return index;
}

/** Why the decision cannot be implemented at `at` ("cannot be implemented before ..."), or null if it can. */
function implementationBlocker(facts: LifecycleFacts, at: Date): string | null {
  const segments = timelineBeforeImplementation(facts);
  const segment = segments[segmentIndexAt(segments, at)] as Segment;
  const since = segment.from === null ? "" : formatUkInstant(segment.from);
  switch (segment.status) {
    case "effective":
    case "confirmed":
    case "implemented":
      return null;
    case "draft":
      return facts.publishedAt === null
        ? "cannot be implemented: it has not been published"
        : `cannot be implemented before it is published at ${formatUkInstant(facts.publishedAt)}`;
    case "published":
      return `cannot be implemented before the call-in period ends at ${formatCallInClose(facts.callInCutoff as Date)}`;
    case "called-in":
      return `cannot be implemented while it is called in for scrutiny (since ${since}) unless overview and scrutiny confirms it`;
    case "referred-back":
      return `cannot be implemented: overview and scrutiny referred it back to the decision maker at ${since}`;
    case "referred-to-council":
      return `cannot be implemented: overview and scrutiny referred it to full Council at ${since}`;
    case "recommended-to-council":
      return "cannot be implemented: it is a recommendation to full Council, which makes the decision itself";
  }
}
