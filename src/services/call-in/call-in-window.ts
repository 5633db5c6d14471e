import { type CallInDeadline, computeCallInDeadline } from "../../domain/call-in-deadline.js";
import {
  type CallInExemption,
  callInExemption,
  parseUrgencyConsent,
} from "../../domain/call-in-exemption.js";
import type { CallInRule } from "../../domain/call-in-rule.js";
import type { Outcome } from "../../domain/decision-record.js";
import { formatCallInClose } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { startOfUkDay } from "../../domain/uk-time.js";
import type {
  DecisionStatus as PublicationState,
  ScrutinyOutcome as StoredScrutinyOutcome,
} from "../../storage/schema.js";
import type { Council } from "../councils/councils.js";
import { getHolidayCalendar } from "./bank-holidays.js";
import { callInDeadlineFor } from "./call-in-deadline.js";

/**
 * The call-in window of a decision: which deadline governs (see decisions/lifecycle-facts.ts), when call-in
 * closes, and how that was worked out, in words.
 */

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
  /**
   * Stored at import or publication: true when the record as published says it is not subject to call-in,
   * including as a field ("Subject to call-in: No") with no call-in line to quote.
   */
  notSubjectToCallIn: boolean;
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

export function exemptionFor(decision: DecisionFactsRow, warnings: string[]): CallInExemption | null {
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
    if (stated !== null || !decision.notSubjectToCallIn) return stated;
    // Said as a field ("Subject to call-in: No", "Is subject to call in?: No"), for a decision maker call-in
    // never reaches (an officer's delegated decision): the record as published governs, as a printed
    // "Not applicable" does.
    return {
      reason: "stated-in-record",
      explanation: "The record as published says the decision is not subject to call-in.",
    };
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
