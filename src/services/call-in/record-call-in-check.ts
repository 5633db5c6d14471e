import { callInExemption, saysNotSubjectToCallIn } from "../../domain/call-in-exemption.js";
import type { DecisionRecord } from "../../domain/decision-record.js";
import { ValidationError } from "../../domain/errors.js";
import { addDays, isWeekend, type IsoDate } from "../../domain/iso-date.js";
import { formatLongDate } from "../../import/uk-date.js";
import type { Council } from "../councils/councils.js";
import { callInDeadlineFor } from "./call-in-deadline.js";

/** What the council's call-in rule says about a record, and where the record disagrees with it. */
export interface CallInFacts {
  notSubjectToCallIn: boolean;
  /** The deadline the council's rule gives; null when not subject to call-in or it cannot be computed. */
  expectedCallInDeadline: IsoDate | null;
  deadlineMismatch: boolean;
  /** For the person importing or correcting: a printed deadline that disagrees, or one that cannot be checked. */
  warnings: { line?: number; message: string }[];
}

/**
 * Not subject to call-in when every outcome is RECOMMENDED (a recommendation to Council), when the decision is
 * urgent, or when the record gives no deadline ("Not applicable"). Otherwise the printed deadline is checked
 * against the council's rule: legacy records contain mistakes, so a difference is flagged, not corrected.
 */
export function callInFactsFor(
  council: Pick<Council, "name" | "callInRule">,
  record: DecisionRecord,
  options: { urgent?: boolean } = {},
): CallInFacts {
  const line = record.source?.lines.callIn;
  const at = line === undefined ? {} : { line };
  const exempt = callInExemption({ outcomes: record.outcomes, urgency: null }) !== null;
  const printed = record.callIn.deadline;
  // As for a printed deadline, the record as published governs: its "Not applicable" stands, and so does
  // "Is subject to call in?: No" (stated as a field, for a body call-in never applies to: no warning then).
  const statedNo = printed === null && record.subjectToCallIn === false;
  const statedNotApplicable = printed === null && saysNotSubjectToCallIn(record.callIn.text);
  if (exempt || options.urgent || statedNotApplicable || statedNo) {
    const warnings: CallInFacts["warnings"] = [];
    if (exempt && printed !== null) {
      warnings.push({
        ...at,
        message:
          `the record says call-in ends ${formatLongDate(printed)}, but every outcome is RECOMMENDED: ` +
          "a recommendation to Council is not subject to call-in",
      });
    } else if (!exempt && !options.urgent && statedNotApplicable) {
      const kinds = [...new Set(record.outcomes.map((o) => o.kind))]
        .filter((kind) => kind !== "RECOMMENDED")
        .join(" and ");
      warnings.push({
        ...at,
        message:
          `the record says call-in is "${record.callIn.text.trim()}", although it has ${kinds} outcomes, ` +
          "which are normally subject to call-in",
      });
    }
    return { notSubjectToCallIn: true, expectedCallInDeadline: null, deadlineMismatch: false, warnings };
  }
  let expected: IsoDate;
  try {
    expected = callInDeadlineFor(council, record.publishedOn).deadline;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return {
      notSubjectToCallIn: false,
      expectedCallInDeadline: null,
      deadlineMismatch: false,
      warnings: [{ ...at, message: `the call-in deadline could not be checked: ${error.message}` }],
    };
  }
  if ((record.madeUp ?? []).includes("publishedOn")) {
    // No publication date was printed: the rule's deadline would count from a date the importer filled in.
    return {
      notSubjectToCallIn: false,
      expectedCallInDeadline: null,
      deadlineMismatch: false,
      warnings: [
        {
          ...at,
          message:
            "the call-in deadline could not be checked against the council's rule: no publication date printed",
        },
      ],
    };
  }
  if (printed === null && record.effectiveFrom) {
    return effectiveFromFacts(council, record.effectiveFrom, expected, record.source?.lines.effectiveFrom);
  }
  if (printed === null) {
    return {
      notSubjectToCallIn: false,
      expectedCallInDeadline: expected,
      deadlineMismatch: false,
      warnings: [
        {
          ...at,
          message: `the record gives no call-in deadline; ${possessive(council.name)} rule gives ${formatLongDate(expected)}`,
        },
      ],
    };
  }
  const mismatch = expected !== printed;
  return {
    notSubjectToCallIn: false,
    expectedCallInDeadline: expected,
    deadlineMismatch: mismatch,
    warnings: mismatch
      ? [
          {
            ...at,
            message:
              `the record says call-in ends ${formatLongDate(printed)}; ${possessive(council.name)} rule gives ` +
              `${formatLongDate(expected)}`,
          },
        ]
      : [],
  };
}

/**
 * A record that prints when the decision takes effect rather than the deadline (ModernGov "Effective from"):
 * it agrees with the rule when it is the day after the rule's deadline, or the first weekday after it.
 */
function effectiveFromFacts(
  council: Pick<Council, "name">,
  effectiveFrom: IsoDate,
  expected: IsoDate,
  line: number | undefined,
): CallInFacts {
  const dayAfter = addDays(expected, 1);
  let firstWeekday = dayAfter;
  while (isWeekend(firstWeekday)) firstWeekday = addDays(firstWeekday, 1);
  const agrees = effectiveFrom === dayAfter || effectiveFrom === firstWeekday;
  return {
    notSubjectToCallIn: false,
    expectedCallInDeadline: expected,
    deadlineMismatch: !agrees,
    warnings: agrees
      ? []
      : [
          {
            ...(line !== undefined && { line }),
            message:
              `the record says the decision is effective from ${formatLongDate(effectiveFrom)}; ` +
              `${possessive(council.name)} rule ends call-in on ${formatLongDate(expected)}, so effective from ` +
              `${formatLongDate(dayAfter)}`,
          },
        ],
  };
}

function possessive(name: string): string {
  return name.endsWith("s") ? `${name}'` : `${name}'s`;
}
