import { z } from "zod";
import { INTEREST_CATEGORIES } from "../../domain/interest-category.js";
import { isValidIsoDate } from "../../domain/iso-date.js";
import { ValidationError } from "../../domain/errors.js";
import { pathOfNul } from "../../domain/nul-text.js";

/**
 * What an officer gives for a draft decision record: the interchange record's fields (as `resolved parse --json`
 * prints them; `source`, `outcome`, `council` and `formatVersion` may be sent and are worked out again), with the
 * register's own facts beside them: the meeting, key decision, exempt information, urgency, declarations picked
 * from the body's members. The publication date, call-in line and signature are stamped at publication.
 */

const isoDate = z.string().refine(isValidIsoDate, { message: "must be a real date as YYYY-MM-DD" });
const text = z.string().max(200_000, { error: "is too long (200,000 characters at most)" });

export const draftOutcomeSchema = z.object({
  kind: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Z-]+$/, "must be the operative word in capitals, e.g. RESOLVED or RECOMMENDED"),
  text: text,
  items: z.array(text).default([]),
});

export const declarationInputSchema = z.object({
  /** The member who declared it: one of the body's members on the date of the decision. */
  personId: z.number().int().positive(),
  category: z.enum(INTEREST_CATEGORIES),
  /** What the interest is: "as a member of the Stockton Civic Trust". */
  nature: z.string().trim().min(1, { error: "say what the interest is" }).max(2_000),
});

export const dispensationInputSchema = z.object({
  personName: z.string().trim().min(1, { error: "name who was granted the dispensation" }).max(200),
  grantedBy: z.string().trim().min(1, { error: "say who granted the dispensation" }).max(200),
  scope: z.string().trim().max(2_000).default(""),
});

const draftFields = {
  meetingId: z.number().int().positive().nullable(),
  /** The item on the meeting's agenda the decision was taken on. */
  agendaItemId: z.number().int().positive().nullable(),
  body: z.string().trim().min(1, { error: "name the decision maker (a body, member or officer)" }).max(200),
  meetingDate: isoDate,
  documentType: z.string().trim().min(1).max(200),
  recordId: z.string().trim().min(1).max(100).nullable(),
  title: z.string().trim().min(1, { error: "enter the decision's title" }).max(1_000),
  record: text,
  outcomes: z.array(draftOutcomeSchema).min(1, { error: "give at least one outcome (RESOLVED that ...)" }),
  reasons: text,
  alternatives: text,
  conflictsOfInterest: text,
  dispensations: text,
  keyDecision: z.boolean(),
  /** Schedule 12A paragraph (1-7) when the decision involves exempt information. */
  exemptParagraph: z.number().int().min(1).max(7).nullable(),
  /** Why the decision cannot wait for call-in; makes it urgent (the scrutiny chair must then consent). */
  urgencyReason: z.string().trim().max(5_000).nullable(),
  declarations: z.array(declarationInputSchema),
  dispensationGrants: z.array(dispensationInputSchema),
  // Accepted for the interchange format's sake; worked out again or stamped at publication.
  formatVersion: z.literal(1),
  council: z.string().nullable(),
  outcome: z.unknown(),
  callIn: z.unknown(),
  signedBy: z.unknown(),
  publishedOn: z.unknown(),
  source: z.null(),
};

/** A new draft: a title and outcomes at least, and either a meeting or the decision maker and date. */
export const newDraftSchema = z
  .object({
    ...draftFields,
    documentType: draftFields.documentType.default("Decision Record"),
    record: text.default(""),
    reasons: text.default(""),
    alternatives: text.default(""),
    conflictsOfInterest: text.default(""),
    dispensations: text.default(""),
    keyDecision: z.boolean().default(false),
    recordId: draftFields.recordId.default(null),
    meetingId: draftFields.meetingId.optional(),
    agendaItemId: draftFields.agendaItemId.default(null),
    body: draftFields.body.optional(),
    meetingDate: draftFields.meetingDate.optional(),
    exemptParagraph: draftFields.exemptParagraph.default(null),
    urgencyReason: draftFields.urgencyReason.default(null),
    declarations: draftFields.declarations.default([]),
    dispensationGrants: draftFields.dispensationGrants.default([]),
    formatVersion: draftFields.formatVersion.optional(),
    council: draftFields.council.optional(),
    outcome: draftFields.outcome.optional(),
    callIn: draftFields.callIn.optional(),
    signedBy: draftFields.signedBy.optional(),
    publishedOn: draftFields.publishedOn.optional(),
    source: draftFields.source.optional(),
  })
  .strict();

/** A change to a draft: any of the fields, the rest left as they are. */
export const draftChangeSchema = z.object(draftFields).partial().strict();

export type NewDraftInput = z.input<typeof newDraftSchema>;
export type NewDraft = z.output<typeof newDraftSchema>;
export type DraftChangeInput = z.input<typeof draftChangeSchema>;
export type DraftChange = z.output<typeof draftChangeSchema>;
export type DeclarationInput = z.output<typeof declarationInputSchema>;
export type DispensationInput = z.output<typeof dispensationInputSchema>;

/** Parses untrusted input with `schema`; ValidationError naming the first field that is wrong ("outcomes.0.kind"). */
export function parseDraftInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const nul = pathOfNul(input);
  if (nul !== null) throw new ValidationError(`${nul}: must not contain the NUL character`, nul);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const field = [...path, key].join(".");
    throw new ValidationError(`${field}: is not a field of a draft decision record`, field);
  }
  const field = path.join(".") || "record";
  if (issue.code === "too_big" && issue.origin === "string") {
    throw new ValidationError(`${field}: is too long (${String(issue.maximum)} characters at most)`, field);
  }
  throw new ValidationError(`${field}: ${issue.message}`, field);
}
