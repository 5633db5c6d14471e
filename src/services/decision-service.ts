import type { CallInDeadline } from "../domain/call-in-deadline.js";
import { computeCallInDeadline } from "../domain/call-in-deadline.js";
import {
  callInExemption,
  declareUrgent,
  URGENCY_CONSENT_ROLES,
  type CallInExemption,
  type Urgency,
  type UrgencyConsentRole,
} from "../domain/call-in-exemption.js";
import type { CallInGround } from "../domain/call-in-request.js";
import type { CallInRule } from "../domain/call-in-rule.js";
import type { DecisionRecord, Outcome } from "../domain/decision-record.js";
import {
  assertCanImplement,
  deriveStatus,
  validateLifecycleFacts,
  type CallInRequestFact,
  type DerivedStatus,
  type LifecycleFacts,
  type ScrutinyFact,
  type ScrutinyOutcome,
} from "../domain/decision-lifecycle.js";
import {
  DECISION_STATUS_TEXT,
  formatCallInClose,
  formatUkInstant,
  isDecisionStatus,
  DECISION_STATUSES,
  type DecisionStatus,
} from "../domain/decision-status.js";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors.js";
import { isValidIsoDate, type IsoDate } from "../domain/iso-date.js";
import { startOfUkDay, ukDateOf, ukWallTimeToInstant } from "../domain/uk-time.js";
import type { Database, Executor } from "../storage/database.js";
import type {
  BodyKind,
  DecisionStatus as PublicationState,
  ScrutinyOutcome as StoredScrutinyOutcome,
} from "../storage/schema.js";
import { appendAudit } from "./audit.js";
import { getHolidayCalendar } from "./bank-holidays.js";
import { DEFAULT_COUNCIL, getCouncil, slugForCouncilName, type Council } from "./council-service.js";
import { callInDeadlineFor } from "./deadline-service.js";

/**
 * Decisions in the register, and their lifecycle status at any instant.
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

/** A decision is named by its numeric id or by the council's record id ("D080067", "CAB/41/25"). */
export type DecisionRef = number | string;

// UK time: one implementation for the whole project (re-exported for the adapters that use it from here).
export { startOfUkDay, toUkIsoString, ukDateOf, ukWallTimeToInstant } from "../domain/uk-time.js";

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * An instant from user input: ISO 8601 date and time, "2017-11-23T12:00" (UK local time, GMT or BST as in
 * force then), or with an offset or Z ("2017-11-23T12:00:00Z", "2017-06-01T09:30+01:00"). Throws
 * ValidationError naming `field` otherwise.
 */
export function parseUkDateTime(text: string, field: string): Date {
  const value = text.trim();
  const fail = () =>
    new ValidationError(`"${text}" is not a date-time (expected e.g. 2017-11-23T12:00)`, field);
  const m = DATE_TIME.exec(value);
  if (!m) throw fail();
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? "0")];
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  if (!isValidIsoDate(date) || hour > 23 || minute > 59 || second > 59) throw fail();
  const year = Number(m[1]);
  if (year < 1900 || year > 9000) throw fail();
  const offset = m[8];
  if (offset === undefined) return ukWallTimeToInstant(date, hour, minute, second, ms);
  let offsetMinutes = 0;
  if (offset !== "Z" && offset !== "z") {
    const digits = offset.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || "0");
    if (hours > 23 || minutes > 59) throw fail();
    offsetMinutes = (offset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return new Date(Date.UTC(y, mo - 1, d, hour, minute, second, ms) - offsetMinutes * 60_000);
}

/** A calendar date from user input, or ValidationError naming `field`. */
export function parseIsoDateInput(text: string, field: string): IsoDate {
  const value = text.trim();
  if (!isValidIsoDate(value)) {
    throw new ValidationError(`"${text}" is not a date (expected YYYY-MM-DD, e.g. 2017-11-20)`, field);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Councils by slug, prefix or name

/**
 * The council `ref` names: its slug ("stockton-on-tees"), an unambiguous prefix of the slug or of a word
 * boundary in it ("stockton", "stock"), or its name ("Stockton-on-Tees Borough Council"). Case does not matter.
 * NotFoundError when nothing matches (listing the councils there are), ValidationError when several do.
 */
export async function findCouncil(db: Executor, ref: string): Promise<Council> {
  const rows = await db.selectFrom("council").select(["slug", "name"]).orderBy("slug").execute();
  const slug = matchCouncil(ref, rows);
  if (slug === null) {
    const hint =
      rows.length > 0
        ? `known councils: ${rows.map((c) => c.slug).join(", ")}`
        : "the register has no councils yet";
    throw new NotFoundError(`no council "${ref}" (${hint})`);
  }
  return getCouncil(db, slug);
}

/** The slug among `councils` that `ref` names, null when none does; ValidationError when several do. */
export function matchCouncil(
  ref: string,
  councils: ReadonlyArray<{ slug: string; name: string }>,
): string | null {
  const wanted = ref.trim().toLowerCase();
  if (wanted === "") throw new ValidationError("the council must not be empty", "council");
  const exact = councils.find((c) => c.slug === wanted || c.name.trim().toLowerCase() === wanted);
  if (exact) return exact.slug;
  const asSlug = slugForCouncilName(ref);
  const bySlug = councils.find((c) => c.slug === asSlug);
  if (bySlug) return bySlug.slug;
  if (wanted.length < 3) return null;
  const matches = councils.filter(
    (c) =>
      c.slug.startsWith(wanted) ||
      (asSlug !== "" && c.slug.startsWith(asSlug)) ||
      c.name.toLowerCase().startsWith(wanted),
  );
  if (matches.length === 1) return (matches[0] as { slug: string }).slug;
  if (matches.length > 1) {
    throw new ValidationError(
      `"${ref}" matches several councils (${matches.map((c) => c.slug).join(", ")}); give the full slug`,
      "council",
    );
  }
  return null;
}

/** A council's rule as used for a deadline: from the register, or the default rule before it is there. */
export interface RuleCouncil {
  slug: string;
  name: string;
  callInRule: CallInRule;
  minCallInSignatories: number;
  /** False when the council is not in the register yet and the default (Stockton) rule is used. */
  inRegister: boolean;
}

/**
 * The council whose rule a deadline is computed with: `ref` (or `defaultSlug` when omitted) in the register,
 * or, for the default council before anything has been imported, the default rule (DEFAULT_COUNCIL, which is
 * what the council gets when it is created). An unknown council that is not the default is a NotFoundError.
 */
export async function councilForRule(
  db: Executor,
  ref: string | undefined,
  defaultSlug: string,
): Promise<RuleCouncil> {
  const wanted = ref ?? defaultSlug;
  const rows = await db.selectFrom("council").select(["slug", "name"]).orderBy("slug").execute();
  const slug = matchCouncil(wanted, rows);
  if (slug !== null) {
    const council = await getCouncil(db, slug);
    return { ...council, inRegister: true };
  }
  const defaultName = defaultSlug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : defaultSlug;
  if (matchCouncil(wanted, [{ slug: defaultSlug, name: defaultName }]) === defaultSlug) {
    return {
      slug: defaultSlug,
      name: defaultName,
      callInRule: DEFAULT_COUNCIL.callInRule,
      minCallInSignatories: DEFAULT_COUNCIL.minCallInSignatories,
      inRegister: false,
    };
  }
  const hint =
    rows.length > 0
      ? `known councils: ${rows.map((c) => c.slug).join(", ")}`
      : `the register has no councils yet; the default council is ${defaultSlug}`;
  throw new NotFoundError(`no council "${wanted}" (${hint})`);
}

// ---------------------------------------------------------------------------------------------------------
// Lifecycle facts from rows

/** The decision columns the lifecycle depends on. */
export interface DecisionFactsRow {
  status: PublicationState;
  publishedOn: IsoDate | null;
  callInDeadline: IsoDate | null;
  callInText: string;
  outcomes: ReadonlyArray<Pick<Outcome, "kind">>;
  urgent: boolean;
  urgencyReason: string | null;
  urgencyChairConsent: string | null;
  scrutinyOutcome: StoredScrutinyOutcome | null;
  scrutinyOutcomeOn: IsoDate | null;
}

/** The call-in window of a decision: what the record printed, what the rule gives, and which governs. */
export interface CallInWindow {
  subjectToCallIn: boolean;
  exemption: CallInExemption | null;
  printed: { deadline: IsoDate | null; text: string };
  /** The deadline the council's current rule gives; null when exempt, unpublished, or not computable. */
  rule: CallInDeadline | null;
  /** Where the cutoff comes from: the record as published, the council's rule, or nowhere (exempt). */
  governedBy: "printed" | "rule" | null;
  deadline: IsoDate | null;
  /** The instant call-in closes, ISO 8601 with the UK offset ("2017-11-25T00:00:00+00:00"). */
  cutoff: string | null;
  effectiveFrom: IsoDate | null;
  /** How the window was reached, in plain English. */
  explanation: string;
  /** Disagreements worth a reader's attention: a printed deadline that differs from the rule, etc. */
  warnings: string[];
}

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

const STORED_TO_DOMAIN_OUTCOME: Record<StoredScrutinyOutcome, ScrutinyOutcome> = {
  "no-further-action": "confirmed",
  "referred-back": "referred-back",
  "referred-to-council": "referred-to-council",
};

const DOMAIN_TO_STORED_OUTCOME: Record<ScrutinyOutcome, StoredScrutinyOutcome> = {
  confirmed: "no-further-action",
  "referred-back": "referred-back",
  "referred-to-council": "referred-to-council",
};

const CONSENT_PATTERN = new RegExp(`^(.+) \\((${URGENCY_CONSENT_ROLES.join("|")})\\)$`);

/** How the consent is stored in decision.urgency_chair_consent: "Cllr Jane Smith (scrutiny-chair)". */
export function formatUrgencyConsent(consent: Urgency["consent"]): string {
  return `${consent.name} (${consent.role})`;
}

/** The stored consent text as name and role; null when it was written another way (e.g. by hand). */
export function parseUrgencyConsent(text: string): Urgency["consent"] | null {
  const m = CONSENT_PATTERN.exec(text.trim());
  if (!m) return null;
  return { name: (m[1] as string).trim(), role: m[2] as UrgencyConsentRole };
}

function exemptionFor(decision: DecisionFactsRow, warnings: string[]): CallInExemption | null {
  const recommendation = callInExemption({ outcomes: decision.outcomes, urgency: null });
  if (recommendation !== null) return recommendation;
  if (!decision.urgent) {
    const printedCallIn = { deadline: decision.callInDeadline, text: decision.callInText };
    const stated = callInExemption({ outcomes: decision.outcomes, urgency: null, printedCallIn });
    if (stated !== null) {
      const kinds = [...new Set(decision.outcomes.map((o) => o.kind))]
        .filter((kind) => kind !== "RECOMMENDED")
        .join(" and ");
      warnings.push(
        `the record says call-in is "${decision.callInText.trim()}", although it has ${kinds} outcomes, ` +
          "which are normally subject to call-in; the record as published governs",
      );
    }
    return stated;
  }
  const reason = decision.urgencyReason?.trim() ?? "";
  const consentText = decision.urgencyChairConsent?.trim() ?? "";
  if (reason === "" || consentText === "") {
    warnings.push(
      "the decision is marked urgent, but the reason and the chair's consent are not both recorded, so it " +
        "remains subject to call-in",
    );
    return null;
  }
  const consent = parseUrgencyConsent(consentText);
  if (consent !== null) return callInExemption({ outcomes: decision.outcomes, urgency: { reason, consent } });
  return {
    reason: "urgent",
    explanation:
      `This decision was taken as urgent, so it is not subject to call-in. Reason for urgency: ` +
      `${reason.replace(/[.\s]+$/, "")}. Consent recorded: ${consentText}.`,
  };
}

/**
 * The time of day a printed call-in line names, as the rule writes it ("24:00" for midnight at the end of the
 * day): "Midnight, 24 November 2017", "12 noon", "5pm", "4.30 pm", "17:00". Null when it names none.
 */
export function printedCutoffTime(text: string): string | null {
  const value = text.toLowerCase();
  if (/\bmidnight\b/.test(value)) return "24:00";
  if (/\b(?:noon|midday|mid-day)\b/.test(value)) return "12:00";
  const pad = (n: number) => String(n).padStart(2, "0");
  const twelveHour = /\b(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)/.exec(value);
  if (twelveHour) {
    const hour = Number(twelveHour[1]);
    const minute = Number(twelveHour[2] ?? "0");
    if (hour >= 1 && hour <= 12 && minute <= 59) {
      const pm = (twelveHour[3] as string).startsWith("p");
      return `${pad((hour % 12) + (pm ? 12 : 0))}:${pad(minute)}`;
    }
  }
  const twentyFour = /\b([01]?\d|2[0-3])[:.]([0-5]\d)\b/.exec(value);
  if (twentyFour) return `${pad(Number(twentyFour[1]))}:${twentyFour[2]}`;
  return null;
}

/**
 * The printed deadline at the printed time of day (or, when the line names none, the rule's): the same
 * arithmetic as the rule, over one calendar day.
 */
function printedCutoff(deadline: IsoDate, text: string, rule: CallInRule): CallInDeadline {
  return computeCallInDeadline(
    deadline,
    {
      ...rule,
      countFrom: "publication-day",
      days: 1,
      dayKind: "calendar",
      cutoff: printedCutoffTime(text) ?? rule.cutoff,
      closureDays: [],
    },
    getHolidayCalendar(rule.holidayRegion),
  );
}

/** The call-in window of a decision (see the module comment for which deadline governs). */
export function callInWindowFor(
  decision: DecisionFactsRow,
  council: Pick<Council, "callInRule">,
  exemption: CallInExemption | null,
  warnings: string[] = [],
): CallInWindow {
  const printed = { deadline: decision.callInDeadline, text: decision.callInText };
  const base = { exemption, printed, warnings };
  if (exemption !== null) {
    if (printed.deadline !== null) {
      warnings.push(
        `the record prints a call-in deadline (${printed.text || printed.deadline}), but the decision is not ` +
          `subject to call-in (${exemption.reason === "urgent" ? "urgent" : "a recommendation to Council"})`,
      );
    }
    return {
      ...base,
      subjectToCallIn: false,
      rule: null,
      governedBy: null,
      deadline: null,
      cutoff: null,
      effectiveFrom: null,
      explanation: exemption.explanation,
    };
  }

  let rule: CallInDeadline | null = null;
  let ruleProblem: string | null = null;
  if (decision.publishedOn !== null) {
    try {
      rule = callInDeadlineFor(council, decision.publishedOn);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      ruleProblem = error.message;
    }
  }

  let governing: CallInDeadline | null = null;
  if (printed.deadline !== null) {
    const fromPrinted = printedCutoff(printed.deadline, printed.text, council.callInRule);
    const publishedAt = decision.publishedOn === null ? null : startOfUkDay(decision.publishedOn);
    if (publishedAt !== null && new Date(fromPrinted.cutoff).getTime() <= publishedAt.getTime()) {
      warnings.push(
        `the printed call-in deadline (${printed.deadline}) is not after publication (${decision.publishedOn}); ` +
          "the council's rule is used instead",
      );
    } else {
      governing = fromPrinted;
    }
  }

  if (governing !== null) {
    const closes = formatCallInClose(new Date(governing.cutoff));
    let explanation: string;
    if (rule !== null && rule.deadline === governing.deadline && rule.cutoff === governing.cutoff) {
      explanation = rule.explanation;
    } else {
      const quoted = printed.text.trim() ? ` ("${printed.text.trim()}")` : "";
      explanation =
        `The record as published gives ${printed.deadline}${quoted} as the last day for call-in, and that ` +
        `governs: call-in closes at ${closes} (UK time); the decision can be implemented from ` +
        `${governing.effectiveFrom}.`;
      if (rule !== null) {
        warnings.push(
          `the printed call-in deadline (${printed.deadline}, closing at ${closes}) differs from the one the ` +
            `council's rule gives (${rule.deadline}, closing at ${formatCallInClose(new Date(rule.cutoff))}): ` +
            rule.explanation,
        );
      } else if (ruleProblem !== null) {
        warnings.push(
          `the printed call-in deadline could not be checked against the council's rule: ${ruleProblem}`,
        );
      }
    }
    return {
      ...base,
      subjectToCallIn: true,
      rule,
      governedBy: "printed",
      deadline: governing.deadline,
      cutoff: governing.cutoff,
      effectiveFrom: governing.effectiveFrom,
      explanation,
    };
  }

  if (rule !== null) {
    if (printed.deadline === null && decision.publishedOn !== null) {
      const said = printed.text.trim() ? `"${printed.text.trim()}"` : "no call-in deadline";
      warnings.push(
        `the record gives ${said}, but it is subject to call-in (not every outcome is a recommendation to ` +
          "Council, and no urgency is recorded), so the council's rule sets the deadline",
      );
    }
    return {
      ...base,
      subjectToCallIn: true,
      rule,
      governedBy: "rule",
      deadline: rule.deadline,
      cutoff: rule.cutoff,
      effectiveFrom: rule.effectiveFrom,
      explanation: rule.explanation,
    };
  }

  const explanation =
    ruleProblem !== null
      ? `The call-in deadline cannot be worked out: ${ruleProblem}.`
      : "Not published yet: the call-in deadline is worked out from the publication date.";
  return {
    ...base,
    subjectToCallIn: true,
    rule: null,
    governedBy: null,
    deadline: null,
    cutoff: null,
    effectiveFrom: null,
    explanation,
  };
}

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

// ---------------------------------------------------------------------------------------------------------
// Loading decisions

export interface StatusView extends DerivedStatus {
  /** "Call-in period open". */
  label: string;
  description: string;
}

function statusView(derived: DerivedStatus): StatusView {
  const text = DECISION_STATUS_TEXT[derived.status];
  return { ...derived, label: text.label, description: text.description };
}

interface LoadedRow extends DecisionFactsRow {
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

function selectDecisions(db: Executor) {
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

/** The action under which `markImplemented` records an implementation in the audit log. */
export const IMPLEMENTED_ACTION = "decision.implemented";

interface LoadedFacts {
  requests: Map<number, StoredCallInRequestFact[]>;
  implementations: Map<number, Date>;
  councils: Map<number, Council>;
}

async function loadFactsFor(db: Executor, rows: ReadonlyArray<LoadedRow>): Promise<LoadedFacts> {
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

interface Evaluated {
  facts: LifecycleFacts | null;
  callIn: CallInWindow | null;
  status: StatusView | null;
  /** Why the status could not be derived (facts that contradict each other, a deadline out of range). */
  statusProblem: string | null;
}

function evaluate(row: LoadedRow, loaded: LoadedFacts, at: Date): Evaluated {
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

function assertAt(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new ValidationError("the instant must be a valid date and time", "at");
  }
}

/** The decision row `ref` names; NotFoundError (saying how to find one) when there is none. */
async function findDecisionRow(db: Executor, ref: DecisionRef, lock = false): Promise<LoadedRow> {
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

// ---------------------------------------------------------------------------------------------------------
// Listing

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

function checkCount(value: number | undefined, field: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(`must be a whole number of at least ${min} (got ${String(value)})`, field);
  }
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

// ---------------------------------------------------------------------------------------------------------
// One decision

export interface DecisionVersionSummary {
  version: number;
  /** Why it corrects the previous version; null for version 1. */
  reason: string | null;
  createdAt: Date;
  createdBy: string | null;
  sourceDocument: {
    id: number;
    fileName: string;
    mediaType: string;
    sha256: string;
    size: number;
    sourceUrl: string | null;
    importedAt: Date;
  } | null;
}

export interface CallInRequestView {
  id: number;
  receivedAt: Date;
  /** In order of signing; the first made the request. */
  signatories: string[];
  grounds: CallInGround[];
  /** As assessed when received; null if never assessed. */
  valid: boolean | null;
  /** Why it is invalid (empty when valid). */
  reasons: string[];
  assessedAt: Date | null;
  assessedBy: string | null;
  withdrawnAt: Date | null;
}

export interface DecisionDetail {
  id: number;
  recordId: string | null;
  council: { id: number; slug: string; name: string; minCallInSignatories: number };
  body: { id: number; name: string; kind: BodyKind };
  meetingId: number | null;
  agendaItemId: number | null;
  documentType: string;
  meetingDate: IsoDate;
  title: string;
  publishedOn: IsoDate | null;
  /** The stored publication state: draft, published or withdrawn (not the lifecycle status). */
  publicationState: PublicationState;
  keyDecision: boolean;
  exemptParagraph: number | null;
  urgency: { reason: string; consent: string } | null;
  scrutiny: { outcome: ScrutinyOutcome; decidedOn: IsoDate | null } | null;
  implementedAt: Date | null;
  currentVersion: number;
  createdAt: Date;
  updatedAt: Date;
  /** The record as of the current version (or the version asked for). */
  record: DecisionRecord;
  /** Which version `record` is. */
  recordVersion: number;
  versions: DecisionVersionSummary[];
  callIn: CallInWindow | null;
  callInRequests: CallInRequestView[];
  /** The instant the status is for. */
  at: Date;
  status: StatusView | null;
  statusProblem: string | null;
}

/** Grounds as stored in call_in_request.grounds: JSON text of the list; other text is read as one ground. */
export function parseStoredGrounds(text: string): CallInGround[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed as CallInGround[];
  } catch {
    // Not JSON: written some other way.
  }
  return [{ explanation: text } as CallInGround];
}

/** Reasons as stored in call_in_request.invalid_reason: one a line. */
export function parseStoredReasons(text: string | null): string[] {
  return (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export async function loadCallInRequests(db: Executor, decisionId: number): Promise<CallInRequestView[]> {
  const rows = await db
    .selectFrom("callInRequest")
    .selectAll()
    .where("decisionId", "=", decisionId)
    .orderBy("receivedAt")
    .orderBy("id")
    .execute();
  if (rows.length === 0) return [];
  const signatories = await db
    .selectFrom("callInSignatory")
    .select(["callInRequestId", "name"])
    .where(
      "callInRequestId",
      "in",
      rows.map((row) => row.id),
    )
    .orderBy("callInRequestId")
    .orderBy("position")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    receivedAt: row.receivedAt,
    signatories: signatories.filter((s) => s.callInRequestId === row.id).map((s) => s.name),
    grounds: parseStoredGrounds(row.grounds),
    valid: row.valid,
    reasons: parseStoredReasons(row.invalidReason),
    assessedAt: row.assessedAt,
    assessedBy: row.assessedBy,
    withdrawnAt: row.withdrawnAt,
  }));
}

/**
 * A decision with its council, body, record (current version, or `options.version`), every version's metadata,
 * its call-in window and requests, and its status at `at`. NotFoundError when there is no such decision or
 * version.
 */
export async function getDecision(
  db: Executor,
  ref: DecisionRef,
  at: Date,
  options: { version?: number } = {},
): Promise<DecisionDetail> {
  assertAt(at);
  if (options.version !== undefined) checkCount(options.version, "version", 1);
  const row = await findDecisionRow(db, ref);
  const loaded = await loadFactsFor(db, [row]);
  const evaluated = evaluate(row, loaded, at);
  const council = loaded.councils.get(row.councilId) as Council;
  const versionRows = await db
    .selectFrom("decisionVersion")
    .leftJoin("sourceDocument", "sourceDocument.id", "decisionVersion.sourceDocumentId")
    .select([
      "decisionVersion.version",
      "decisionVersion.reason",
      "decisionVersion.createdAt",
      "decisionVersion.createdBy",
      "decisionVersion.record",
      "sourceDocument.id as documentId",
      "sourceDocument.fileName",
      "sourceDocument.mediaType",
      "sourceDocument.sha256",
      "sourceDocument.size",
      "sourceDocument.sourceUrl",
      "sourceDocument.importedAt",
    ])
    .where("decisionVersion.decisionId", "=", row.id)
    .orderBy("decisionVersion.version")
    .execute();
  const recordVersion = options.version ?? row.currentVersion;
  const chosen = versionRows.find((v) => v.version === recordVersion);
  if (!chosen) {
    const have = versionRows.map((v) => v.version).join(", ");
    throw new NotFoundError(`decision ${row.id} has no version ${recordVersion} (versions: ${have})`);
  }
  const scrutinyOutcome = row.scrutinyOutcome;
  return {
    id: row.id,
    recordId: row.recordId,
    council: {
      id: council.id,
      slug: council.slug,
      name: council.name,
      minCallInSignatories: council.minCallInSignatories,
    },
    body: { id: row.bodyId, name: row.bodyName, kind: row.bodyKind },
    meetingId: row.meetingId,
    agendaItemId: row.agendaItemId,
    documentType: row.documentType,
    meetingDate: row.meetingDate,
    title: row.title,
    publishedOn: row.publishedOn,
    publicationState: row.status,
    keyDecision: row.keyDecision,
    exemptParagraph: row.exemptParagraph,
    urgency:
      row.urgent && row.urgencyReason !== null && row.urgencyChairConsent !== null
        ? { reason: row.urgencyReason, consent: row.urgencyChairConsent }
        : null,
    scrutiny:
      scrutinyOutcome === null
        ? null
        : { outcome: STORED_TO_DOMAIN_OUTCOME[scrutinyOutcome], decidedOn: row.scrutinyOutcomeOn },
    implementedAt: loaded.implementations.get(row.id) ?? null,
    currentVersion: row.currentVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    record: chosen.record,
    recordVersion,
    versions: versionRows.map((v) => ({
      version: v.version,
      reason: v.reason,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      sourceDocument:
        v.documentId === null
          ? null
          : {
              id: v.documentId,
              fileName: v.fileName as string,
              mediaType: v.mediaType as string,
              sha256: v.sha256 as string,
              size: v.size as number,
              sourceUrl: v.sourceUrl ?? null,
              importedAt: v.importedAt as Date,
            },
    })),
    callIn: evaluated.callIn,
    callInRequests: await loadCallInRequests(db, row.id),
    at,
    status: evaluated.status,
    statusProblem: evaluated.statusProblem,
  };
}

export interface DecisionStatusReport {
  id: number;
  recordId: string | null;
  title: string;
  council: { slug: string; name: string };
  at: Date;
  status: StatusView;
  callIn: CallInWindow;
}

/** The status of one decision at `at`; ValidationError when its recorded facts contradict each other. */
export async function decisionStatusAt(
  db: Executor,
  ref: DecisionRef,
  at: Date,
): Promise<DecisionStatusReport> {
  assertAt(at);
  const row = await findDecisionRow(db, ref);
  const loaded = await loadFactsFor(db, [row]);
  const evaluated = evaluate(row, loaded, at);
  if (evaluated.status === null || evaluated.callIn === null) {
    throw new ValidationError(
      `the status of decision ${row.id} cannot be worked out: ${evaluated.statusProblem ?? "unknown"}`,
      "status",
    );
  }
  return {
    id: row.id,
    recordId: row.recordId,
    title: row.title,
    council: { slug: row.councilSlug, name: row.councilName },
    at,
    status: evaluated.status,
    callIn: evaluated.callIn,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Lifecycle changes (each in a transaction, with an audit entry)

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

function label(row: { id: number; recordId: string | null }): string {
  return row.recordId ? `decision ${row.id} (${row.recordId})` : `decision ${row.id}`;
}

function now(): Date {
  return new Date();
}

/** Scrutiny outcomes as users may name them: the domain's words, or the stored "no-further-action". */
export function parseScrutinyOutcome(value: string): ScrutinyOutcome {
  const text = value.trim().toLowerCase();
  if (text === "no-further-action") return "confirmed";
  if (text === "confirmed" || text === "referred-back" || text === "referred-to-council") return text;
  throw new ValidationError(
    `"${value}" is not a scrutiny outcome; expected confirmed, referred-back or referred-to-council`,
    "outcome",
  );
}

export interface LifecycleChangeResult {
  id: number;
  recordId: string | null;
  /** The status now, after the change. */
  status: StatusView;
}

/**
 * Records overview and scrutiny's outcome for a called-in decision: confirmed (it may be implemented),
 * referred back to the decision maker, or referred to full Council. The decision must have been validly called
 * in on or before `decidedOn`, the date may not be in the future, and an outcome already recorded is not
 * replaced (ConflictError).
 */
export async function recordScrutinyOutcome(
  database: Database,
  ref: DecisionRef,
  input: { outcome: ScrutinyOutcome | string; decidedOn: IsoDate; actor: string },
): Promise<LifecycleChangeResult> {
  const outcome = parseScrutinyOutcome(input.outcome);
  const decidedOn = parseIsoDateInput(input.decidedOn, "decidedOn");
  if (decidedOn > ukDateOf(now())) {
    throw new ValidationError(
      `${decidedOn} is in the future: record an outcome once it is decided`,
      "decidedOn",
    );
  }
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (row.scrutinyOutcome !== null) {
      throw new ConflictError(
        `${label(row)} already has a scrutiny outcome (${STORED_TO_DOMAIN_OUTCOME[row.scrutinyOutcome]}` +
          `${row.scrutinyOutcomeOn ? ` on ${row.scrutinyOutcomeOn}` : ""}); it is not replaced`,
      );
    }
    const calledIn = facts.callInRequests
      .filter((request) => request.valid)
      .map((request) => request.receivedAt)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (calledIn === undefined) {
      throw new ConflictError(
        `${label(row)} was never validly called in, so there is no scrutiny outcome to record`,
      );
    }
    if (decidedOn < ukDateOf(calledIn)) {
      throw new ValidationError(
        `${decidedOn} is before the decision was called in (${formatUkInstant(calledIn)})`,
        "decidedOn",
      );
    }
    const decidedAt = new Date(Math.max(startOfUkDay(decidedOn).getTime(), calledIn.getTime()));
    validateLifecycleFacts({ ...facts, scrutiny: { outcome, decidedAt } });
    await trx
      .updateTable("decision")
      .set({ scrutinyOutcome: DOMAIN_TO_STORED_OUTCOME[outcome], scrutinyOutcomeOn: decidedOn })
      .where("id", "=", row.id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "decision.scrutiny-outcome-recorded",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: { outcome, decidedOn, storedAs: DOMAIN_TO_STORED_OUTCOME[outcome] },
    });
    const after: LifecycleFacts = { ...facts, scrutiny: { outcome, decidedAt } };
    return { id: row.id, recordId: row.recordId, status: statusView(deriveStatus(after, now())) };
  });
}

/**
 * Records that the decision was implemented at `at` (default now). Allowed only when it could then be
 * implemented (effective, or confirmed after scrutiny: `assertCanImplement`), not in the future, and once.
 */
export async function markImplemented(
  database: Database,
  ref: DecisionRef,
  input: { at?: Date; actor: string },
): Promise<LifecycleChangeResult> {
  const at = input.at ?? now();
  assertAt(at);
  if (at.getTime() > now().getTime() + 60_000) {
    throw new ValidationError(
      `${formatUkInstant(at)} is in the future: record an implementation once it has happened`,
      "at",
    );
  }
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (facts.implementedAt !== null) {
      throw new ConflictError(
        `${label(row)} is already recorded as implemented at ${formatUkInstant(facts.implementedAt)}`,
      );
    }
    try {
      assertCanImplement(facts, at);
    } catch (error) {
      // The input is fine; the decision's state does not allow it (HTTP 409 rather than 400).
      if (error instanceof ValidationError) throw new ConflictError(`${label(row)} ${error.message}`);
      throw error;
    }
    await trx.updateTable("decision").set({ implementedAt: at }).where("id", "=", row.id).execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: IMPLEMENTED_ACTION,
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: { implementedAt: at.toISOString() },
    });
    const after: LifecycleFacts = { ...facts, implementedAt: at };
    return { id: row.id, recordId: row.recordId, status: statusView(deriveStatus(after, now())) };
  });
}

/**
 * Records that the decision was taken as urgent: the reason, and who consented (the chair of overview and
 * scrutiny, failing them the chair or vice-chair of the council). The decision is then not subject to call-in.
 * Refused for a recommendation to Council (already not subject to call-in), a decision already declared
 * urgent, or one that has been validly called in (ConflictError).
 */
export async function declareUrgency(
  database: Database,
  ref: DecisionRef,
  input: { reason: string; consent: { name: string; role: UrgencyConsentRole | string }; actor: string },
): Promise<LifecycleChangeResult> {
  const urgency = declareUrgent({ reason: input.reason, consent: input.consent });
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (facts.exemption?.reason === "recommendation-to-council") {
      throw new ConflictError(
        `${label(row)} is a recommendation to Council: it is not subject to call-in anyway`,
      );
    }
    if (row.urgent && facts.exemption?.reason === "urgent") {
      throw new ConflictError(`${label(row)} is already recorded as urgent`);
    }
    if (facts.callInRequests.some((request) => request.valid)) {
      throw new ConflictError(
        `${label(row)} has been validly called in; it cannot be declared urgent afterwards`,
      );
    }
    const consent = formatUrgencyConsent(urgency.consent);
    const exemption = callInExemption({ outcomes: row.outcomes, urgency });
    const after: LifecycleFacts = { ...facts, exemption, callInCutoff: null };
    validateLifecycleFacts(after);
    await trx
      .updateTable("decision")
      .set({
        urgent: true,
        urgencyReason: urgency.reason,
        urgencyChairConsent: consent,
        notSubjectToCallIn: true,
      })
      .where("id", "=", row.id)
      .execute();
    await appendAudit(trx, {
      actor: input.actor,
      action: "decision.urgency-declared",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: {
        reason: urgency.reason,
        consent: { name: urgency.consent.name, role: urgency.consent.role },
      },
    });
    return { id: row.id, recordId: row.recordId, status: statusView(deriveStatus(after, now())) };
  });
}
