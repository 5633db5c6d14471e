import { z } from "zod";

import { ValidationError } from "./errors.js";

/**
 * Which decisions are not subject to call-in, and why.
 *
 * - Recommendations to full Council (e.g. the budget) are not executive decisions: Council makes the decision,
 *   so there is nothing for overview and scrutiny to call in. A record is a recommendation only when EVERY
 *   outcome is RECOMMENDED.
 * - Urgent decisions: the decision maker gives the reason for urgency, and the chair of overview and scrutiny
 *   agrees that the decision is urgent and cannot reasonably be deferred. Failing the scrutiny chair, the chair
 *   of the council and then its vice-chair may agree: the same order as special urgency under SI 2012/2089
 *   reg 11, which constitutions follow for the call-in exemption. Urgency without that consent recorded is not
 *   an exemption at all, so declaring it is a ValidationError.
 */

export const CALL_IN_EXEMPTION_REASONS = ["recommendation-to-council", "urgent", "stated-in-record"] as const;

/** How records say a decision is not subject to call-in: "Not applicable", "N/A", "None". */
const NOT_SUBJECT_TO_CALL_IN = /^(?:not applicable|n\/?a|none|not subject to call[- ]?in)\b/i;

export function saysNotSubjectToCallIn(callInText: string): boolean {
  return NOT_SUBJECT_TO_CALL_IN.test(callInText.trim());
}
export type CallInExemptionReason = (typeof CALL_IN_EXEMPTION_REASONS)[number];

export interface CallInExemption {
  reason: CallInExemptionReason;
  /** One or two sentences for the public site, e.g. who agreed to the urgency and why. */
  explanation: string;
}

/** Who may consent to urgency, in the order the regulations turn to them. */
export const URGENCY_CONSENT_ROLES = ["scrutiny-chair", "council-chair", "council-vice-chair"] as const;
export type UrgencyConsentRole = (typeof URGENCY_CONSENT_ROLES)[number];

const ROLE_TITLES: Record<UrgencyConsentRole, string> = {
  "scrutiny-chair": "chair of overview and scrutiny",
  "council-chair": "chair of the council",
  "council-vice-chair": "vice-chair of the council",
};

const CONSENT_REQUIRED =
  "an urgent decision needs the consent of the chair of overview and scrutiny (failing them, the chair or " +
  "vice-chair of the council) recorded: who agreed, and in which role";

const nonEmptyText = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, { error: `${what} must not be empty` });

export const urgencySchema = z.object({
  /** Why the decision could not wait for call-in, as the decision maker gave it. */
  reason: nonEmptyText("the reason for urgency"),
  consent: z.object(
    {
      /** The councillor who agreed, as named in the record: "Cllr Jane Smith". */
      name: nonEmptyText("the name of the councillor who consented"),
      role: z.enum(URGENCY_CONSENT_ROLES, {
        error: `the consenting councillor's role must be one of ${URGENCY_CONSENT_ROLES.join(", ")}`,
      }),
    },
    { error: CONSENT_REQUIRED },
  ),
});

/** An urgency declaration that has passed `declareUrgent`: reason and consent present, trimmed. */
export type Urgency = z.infer<typeof urgencySchema>;

/**
 * Validates a declaration of urgency (from a form, an import, a config): the reason and the consent must both
 * be recorded. Throws ValidationError naming the field ("urgency.consent", "urgency.consent.name", ...).
 */
export function declareUrgent(input: unknown): Urgency {
  const result = urgencySchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const field = ["urgency", ...path.map(String)].join(".");
  // A missing or empty consent object is the case the rules care most about: say it the same way each time.
  const message =
    path.length === 1 && path[0] === "consent" ? CONSENT_REQUIRED : (issue?.message ?? "invalid urgency");
  throw new ValidationError(`urgency: ${message}`, field);
}

export interface CallInExemptionFacts {
  /** The record's outcome blocks (only the operative word matters): `DecisionRecord["outcomes"]` fits. */
  outcomes: ReadonlyArray<{ kind: string }>;
  /** Declared urgency, or null. Re-validated here: urgency without consent throws ValidationError. */
  urgency: Urgency | null;
  /** The call-in line as published; when it says "Not applicable" (and gives no date) that stands. */
  printedCallIn?: { deadline: string | null; text: string };
}

/**
 * Null when the decision is subject to call-in (the default: when in doubt, the public keeps the right to
 * scrutiny); otherwise why it is not.
 *
 * A record with both RESOLVED and RECOMMENDED outcomes IS subject to call-in: its executive part (the
 * RESOLVED items) is an executive decision that can be called in, even though its recommendations go to
 * Council. Other operative words ("AGREED", "DECIDED") are executive decisions like RESOLVED.
 *
 * When a record is both a recommendation and declared urgent, the recommendation is the reason given: it holds
 * whatever anyone consented to.
 */
export function callInExemption(facts: CallInExemptionFacts): CallInExemption | null {
  const kinds = facts.outcomes.map((outcome) => outcome.kind.trim().toUpperCase());
  if (kinds.length > 0 && kinds.every((kind) => kind === "RECOMMENDED")) {
    return {
      reason: "recommendation-to-council",
      explanation:
        "This is a recommendation to full Council, which makes the decision itself, so it is not subject to call-in.",
    };
  }
  if (facts.urgency !== null) {
    const urgency = declareUrgent(facts.urgency);
    const reason = urgency.reason.replace(/[.\s]+$/, "");
    return {
      reason: "urgent",
      explanation:
        `This decision was taken as urgent, so it is not subject to call-in. Reason for urgency: ${reason}. ` +
        `${urgency.consent.name}, ${ROLE_TITLES[urgency.consent.role]}, agreed that the decision is urgent ` +
        `and cannot reasonably be deferred.`,
    };
  }
  // The published record is what the public and councillors act on: a Proper Officer's "Not applicable"
  // stands (the register warns where the outcomes would normally be subject to call-in).
  if (
    facts.printedCallIn !== undefined &&
    facts.printedCallIn.deadline === null &&
    saysNotSubjectToCallIn(facts.printedCallIn.text)
  ) {
    return {
      reason: "stated-in-record",
      explanation: `The record as published says call-in is "${facts.printedCallIn.text.trim()}", so the decision is not subject to call-in.`,
    };
  }
  return null;
}

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
