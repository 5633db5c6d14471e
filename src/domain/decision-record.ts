import { z } from "zod";
import { isValidIsoDate } from "./iso-date.js";

/**
 * The decision record: the public interchange format (version 1) used by the CLI, the API and exports.
 * Field names and meanings are stable; new fields may be added.
 */
export const RECORD_FORMAT_VERSION = 1;

const isoDateSchema = z.string().refine(isValidIsoDate, { message: "must be a real date as YYYY-MM-DD" });

export const outcomeSchema = z.object({
  /** The operative word as printed: "RESOLVED", "RECOMMENDED", or another ("AGREED", "DECIDED"). */
  kind: z.string().regex(/^[A-Z][A-Z-]+$/, "must be the operative word in capitals, e.g. RESOLVED"),
  /** The sentence after the word, e.g. "that the report be noted, and in particular ...:-". */
  text: z.string(),
  /** The numbered items under it, without their numbers, each one whole sentence. */
  items: z.array(z.string()),
});

/** The optional fields added within format version 1: records written before them lack them. */
export const addedRecordFieldNames = [
  "decidedOn",
  "keyDecision",
  "subjectToCallIn",
  "effectiveFrom",
  "statusAsPrinted",
  "purpose",
  "wardsAffected",
  "decisionMakerKind",
] as const;

export const recordFieldNames = [
  "council",
  "body",
  "documentType",
  "recordId",
  "meetingDate",
  "title",
  "record",
  "outcomes",
  "reasons",
  "alternatives",
  "conflictsOfInterest",
  "dispensations",
  "callIn",
  "signedBy",
  "publishedOn",
  ...addedRecordFieldNames,
] as const;
export type RecordFieldName = (typeof recordFieldNames)[number];

export const recordSourceSchema = z.object({
  fileName: z.string(),
  mediaType: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** 1-based line, in the text extracted from the original, where each field was found. */
  lines: z.partialRecord(z.enum(recordFieldNames), z.number().int().positive()),
  /** The decision's position among the decisions found in the document: 1 for the first (or only) one. */
  part: z.number().int().positive().optional(),
  /** The layout the importer read the document as (see `DOCUMENT_LAYOUTS` in src/import). */
  layout: z.string().optional(),
});

/** Who took the decision: a body (Cabinet, a committee), one executive member, or an officer. */
export const DECISION_MAKER_KINDS = ["body", "executive-member", "officer"] as const;
export type DecisionMakerKind = (typeof DECISION_MAKER_KINDS)[number];

/** Required fields a document may not state, which the importer then fills in itself and says so. */
export const MADE_UP_FIELDS = ["title", "publishedOn", "meetingDate"] as const;
export type MadeUpField = (typeof MADE_UP_FIELDS)[number];

export const decisionRecordSchema = z.object({
  formatVersion: z.literal(RECORD_FORMAT_VERSION),
  council: z.string().nullable(),
  body: z.string().min(1),
  documentType: z.string().min(1),
  recordId: z.string().nullable(),
  meetingDate: isoDateSchema,
  title: z.string().min(1),
  /** Section 2 up to the outcome: paragraphs separated by a blank line, list items one per line. */
  record: z.string(),
  /** The first outcome block (kept for readers that expect one). */
  outcome: outcomeSchema,
  /** Every outcome block in order; `outcomes[0]` is `outcome`. */
  outcomes: z.array(outcomeSchema).min(1),
  reasons: z.string(),
  alternatives: z.string(),
  conflictsOfInterest: z.string(),
  dispensations: z.string(),
  callIn: z.object({
    /** The last day on which a call-in may be made; null when not subject to call-in. */
    deadline: isoDateSchema.nullable(),
    /** As written, e.g. "Midnight, 24 November 2017" or "Not applicable". */
    text: z.string(),
  }),
  signedBy: z.string().nullable(),
  publishedOn: isoDateSchema,
  source: recordSourceSchema.nullable(),

  // Added within version 1: a record written before them lacks them, which reads as null (not stated).
  // A document that does not state one of these gives null, never a guess.
  /** The date of decision; for a meeting's decision, the meeting's date. */
  decidedOn: isoDateSchema.nullable().optional(),
  /** "Is Key decision?": true, false, or null when the document does not say. */
  keyDecision: z.boolean().nullable().optional(),
  /** "Is subject to call in?": true, false, or null when the document does not say. */
  subjectToCallIn: z.boolean().nullable().optional(),
  /** "Effective from" ("Date comes into force if not called in", "Implementation Date"). */
  effectiveFrom: isoDateSchema.nullable().optional(),
  /** The decision's status as the council printed it, e.g. "Recommendations Approved (subject to call-in)". */
  statusAsPrinted: z.string().nullable().optional(),
  /** What the decision was for ("Purpose"), as printed. */
  purpose: z.string().nullable().optional(),
  /** "Wards affected", one ward (or "All Wards") an entry, as printed. */
  wardsAffected: z.array(z.string()).nullable().optional(),
  decisionMakerKind: z.enum(DECISION_MAKER_KINDS).nullable().optional(),
  /**
   * Required fields the document did not state and the importer filled in (and warned about): a title made
   * from the purpose or first words; a meeting date that is the date of decision (no meeting); a publication
   * date that is the date of decision (none printed).
   */
  madeUp: z.array(z.enum(MADE_UP_FIELDS)).optional(),
});

export type Outcome = z.infer<typeof outcomeSchema>;
export type RecordSource = z.infer<typeof recordSourceSchema>;
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;
