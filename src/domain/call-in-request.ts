import { z } from "zod";

import type { CallInExemption } from "./call-in-exemption.js";
import { formatCallInClose, formatUkInstant } from "./decision-status.js";
import { ValidationError } from "./errors.js";

/**
 * A request by councillors to call in an executive decision, and whether it is valid.
 *
 * Parsing (`parseCallInRequest`) rejects what cannot be recorded at all: no signatories, a name given twice, no
 * grounds. Assessment (`assessCallInRequest`) decides validity against the decision and the council's rules;
 * an invalid request is still recorded, with every reason it failed, so the register shows what was tried.
 */

/**
 * The principles of decision making a call-in may say were not followed. Constitutions word them differently;
 * these are the common set (the Local Government Act 2000 guidance lists the first six almost everywhere).
 */
export const PRINCIPLES_OF_DECISION_MAKING = [
  { key: "proportionality", label: "Proportionality (the action is proportionate to the desired outcome)" },
  { key: "consultation-and-advice", label: "Due consultation and the taking of professional advice" },
  { key: "human-rights-and-equality", label: "Respect for human rights and equality" },
  { key: "openness", label: "A presumption in favour of openness" },
  { key: "clarity-of-aims", label: "Clarity of aims and desired outcomes" },
  { key: "alternatives-considered", label: "Consideration of the alternative options, and reasons given" },
  {
    key: "lawful-and-within-framework",
    label: "Lawfulness, and acting within the budget and policy framework",
  },
] as const;

export type PrincipleKey = (typeof PRINCIPLES_OF_DECISION_MAKING)[number]["key"];

const PRINCIPLE_KEYS = PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key) as [PrincipleKey, ...PrincipleKey[]];

export function principleLabel(key: PrincipleKey): string {
  return PRINCIPLES_OF_DECISION_MAKING.find((p) => p.key === key)?.label ?? key;
}

/**
 * The key two signatures are compared by: case, spacing and a leading "Cllr"/"Councillor" do not make two
 * people out of one ("Cllr Jane Smith" and "councillor jane  smith" are the same signatory).
 */
export function signatoryKey(name: string): string {
  return name
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/^(?:cllr\.?|councillor)\s+/, "");
}

// PostgreSQL text cannot hold NUL: a name or explanation with one is refused here, naming the field, rather
// than failing as the database refuses it.
const NO_NUL = { error: "must not contain a NUL character (U+0000)" } as const;
const noNul = (text: string) => !text.includes("\u0000");

export const callInRequestSchema = z.object({
  decisionId: z.string().trim().min(1, { error: "the decision id must not be empty" }).optional(),
  signatories: z
    .array(z.string().trim().min(1, { error: "a signatory's name must not be empty" }).refine(noNul, NO_NUL))
    .min(1, { error: "a call-in request needs at least one signatory" })
    .superRefine((names, ctx) => {
      const seen = new Map<string, string>();
      names.forEach((name, index) => {
        const key = signatoryKey(name);
        const first = seen.get(key);
        if (first === undefined) seen.set(key, name);
        else
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `${name} is listed more than once (as "${first}" and "${name}")`,
          });
      });
    }),
  grounds: z
    .array(
      z.object({
        principle: z.enum(PRINCIPLE_KEYS, {
          error: `must be one of the principles of decision making: ${PRINCIPLE_KEYS.join(", ")}`,
        }),
        explanation: z
          .string()
          .trim()
          .min(1, { error: "say how the decision failed to follow this principle" })
          .refine(noNul, NO_NUL),
      }),
    )
    .min(1, { error: "a call-in request needs at least one ground (a principle of decision making)" }),
  receivedAt: z.date({ error: "the time the request was received must be a valid date and time" }),
});

export type CallInRequest = z.infer<typeof callInRequestSchema>;
export type CallInRequestInput = z.input<typeof callInRequestSchema>;
export type CallInGround = CallInRequest["grounds"][number];

/** Validates untrusted input into a request; throws ValidationError naming the field ("signatories.2"). */
export function parseCallInRequest(input: unknown): CallInRequest {
  const result = callInRequestSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const where = field ? `call-in request ${field}` : "call-in request";
  throw new ValidationError(`${where}: ${issue?.message ?? "invalid"}`, field);
}

export interface CallInAssessmentContext {
  /** The instant the call-in window closes (`computeCallInDeadline(...).cutoff`); null when exempt. */
  cutoff: Date | null;
  exemption: CallInExemption | null;
  /** The council's minimum number of signatories (configuration), at least 1. */
  minSignatories: number;
  /** Whether the decision had been published when the request was received. */
  published: boolean;
  /** Whether an earlier valid request has already called the decision in. */
  alreadyCalledIn: boolean;
  /** For the reasons: "Stockton requires at least 3"; without it, "the council requires at least 3". */
  councilName?: string;
}

export interface CallInAssessment {
  valid: boolean;
  /** Every reason the request is invalid, in plain English; empty when valid. */
  reasons: string[];
}

/**
 * Is this request valid? Valid means: the decision is subject to call-in, was published, is not already called
 * in, the request arrived strictly before the cutoff (the window closes AT the cutoff instant), and enough
 * distinct councillors signed it. Every failing condition is reported, not just the first.
 *
 * Takes a parsed request; the shape checks are repeated as reasons (never thrown) so that a request built by
 * hand is still assessed honestly. Throws ValidationError only for context that makes assessment impossible.
 */
export function assessCallInRequest(
  request: CallInRequest,
  context: CallInAssessmentContext,
): CallInAssessment {
  if (!Number.isInteger(context.minSignatories) || context.minSignatories < 1) {
    throw new ValidationError(
      `the minimum number of call-in signatories must be a whole number of at least 1 (got ${String(context.minSignatories)})`,
      "minSignatories",
    );
  }
  if (!(request.receivedAt instanceof Date) || Number.isNaN(request.receivedAt.getTime())) {
    throw new ValidationError(
      "the time the call-in request was received must be a valid date and time",
      "receivedAt",
    );
  }
  if (context.cutoff !== null && Number.isNaN(context.cutoff.getTime())) {
    throw new ValidationError("the call-in cutoff must be a valid date and time", "cutoff");
  }
  if (context.exemption === null && context.published && context.cutoff === null) {
    throw new ValidationError(
      "cannot assess a call-in request: the decision is subject to call-in but has no call-in cutoff",
      "cutoff",
    );
  }

  const reasons: string[] = [];

  if (context.exemption?.reason === "recommendation-to-council") {
    reasons.push("this decision is a recommendation to Council and is not subject to call-in");
  } else if (context.exemption?.reason === "urgent") {
    reasons.push("this decision was taken as urgent and is not subject to call-in");
  } else if (context.exemption?.reason === "stated-in-record") {
    reasons.push("the record as published says this decision is not subject to call-in");
  }

  if (!context.published) {
    reasons.push("the decision had not been published when the request was received");
  }

  if (context.alreadyCalledIn) {
    reasons.push("the decision has already been called in by an earlier valid request");
  }

  if (context.exemption === null && context.cutoff !== null) {
    const received = request.receivedAt.getTime();
    const cutoff = context.cutoff.getTime();
    const closes = formatCallInClose(context.cutoff);
    if (received === cutoff) {
      reasons.push(
        `received at ${formatUkInstant(request.receivedAt)}, the moment call-in closed ` +
          `(${closes}); a request must arrive before then`,
      );
    } else if (received > cutoff) {
      reasons.push(`received at ${formatUkInstant(request.receivedAt)}, after call-in closed at ${closes}`);
    }
  }

  const distinct = new Map<string, string>();
  const repeatedKeys = new Set<string>();
  for (const name of request.signatories) {
    const key = signatoryKey(name);
    if (key === "") continue;
    if (distinct.has(key)) repeatedKeys.add(key);
    else distinct.set(key, name.trim());
  }
  const repeated = [...repeatedKeys].map((key) => distinct.get(key) ?? key);
  // A repeated name is not a reason in itself (the parser rejects it); it only does not count twice.
  if (distinct.size < context.minSignatories) {
    const who = context.councilName?.trim() || "the council";
    const signed =
      distinct.size === 0
        ? "signed by no councillors"
        : `signed by ${distinct.size} councillor${distinct.size === 1 ? "" : "s"}`;
    const note =
      repeated.length === 0
        ? ""
        : ` (${joinWithAnd(repeated)} signed more than once and ${repeated.length === 1 ? "is" : "are"} counted once)`;
    reasons.push(`${signed}${note}; ${who} requires at least ${context.minSignatories}`);
  }

  if (request.grounds.length === 0) {
    reasons.push(
      "no grounds given: a call-in must say which principles of decision making were not followed",
    );
  }
  request.grounds.forEach((ground, index) => {
    if (!(PRINCIPLE_KEYS as readonly string[]).includes(ground.principle)) {
      reasons.push(
        `ground ${index + 1} ("${String(ground.principle)}") is not a principle of decision making`,
      );
    }
    if (typeof ground.explanation !== "string" || ground.explanation.trim() === "") {
      reasons.push(`ground ${index + 1} does not say how the decision failed to follow the principle`);
    }
  });

  return { valid: reasons.length === 0, reasons };
}

function joinWithAnd(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
