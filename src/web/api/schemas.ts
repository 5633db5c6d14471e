import { z } from "zod";
import { decisionStrategyLinksSchema } from "./strategy-update-schemas.js";
import {
  DECISION_MAKER_KINDS,
  MADE_UP_FIELDS,
  decisionRecordSchema,
  outcomeSchema,
} from "../../domain/decision-record.js";
import { DECISION_STATUSES } from "../../domain/decision-status.js";
import { BODY_KINDS, MEETING_STATUSES } from "../../storage/schema.js";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../shared/decision-query.js";

/**
 * The shapes the open data API answers with, as zod schemas: the OpenAPI document's components are generated from
 * these (src/web/api/openapi.ts), and the tests check real responses against them. Request parameters are in
 * src/web/shared/decision-query.ts (decisions, feeds) and here (meetings).
 *
 * Conventions: field names are stable and new fields may be added (clients must ignore what they do not know);
 * calendar dates are "YYYY-MM-DD"; instants are ISO 8601 with the UK offset in force ("2026-11-21T00:00:00+00:00");
 * links are paths on this site.
 */

const isoDate = z.iso.date();
const instant = z.iso.datetime({ offset: true });
const path = z.string().meta({ description: "A path on this site, e.g. /api/v1/decisions/12" });

export const errorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      code: z.string().meta({ description: 'Stable, e.g. "validation", "not_found"' }),
      message: z.string().meta({ description: "What is wrong, for a person to read" }),
      field: z.string().optional().meta({ description: "The parameter at fault" }),
    }),
  })
  .meta({ description: "Every error under /api/ has this shape." });

export const statusCodeSchema = z.enum(DECISION_STATUSES);

export const decisionSummarySchema = z.object({
  id: z.number().int(),
  recordId: z.string().nullable().meta({ description: 'The council\'s identifier, e.g. "D080067"' }),
  title: z.string(),
  titleHtml: z
    .string()
    .meta({ description: "HTML: the title escaped, with the words searched for in <mark>" }),
  body: z.string().meta({ description: 'The decision maker, e.g. "Cabinet"' }),
  bodyId: z.number().int(),
  council: z.object({ slug: z.string(), name: z.string() }),
  meetingId: z.number().int().nullable(),
  meetingDate: isoDate,
  publishedOn: isoDate.nullable(),
  status: statusCodeSchema
    .nullable()
    .meta({ description: "The status now (null when the recorded facts contradict each other)" }),
  statusLabel: z.string().nullable().meta({ description: 'In words: "Call-in period open"' }),
  statusUntil: instant
    .nullable()
    .meta({ description: "When the status changes by itself (a call-in cutoff)" }),
  subjectToCallIn: z.boolean().nullable(),
  keyDecision: z.boolean(),
  callInCutoff: instant.nullable().meta({ description: "When the call-in period closes" }),
  outcome: outcomeSchema.meta({ description: "The first decision block" }),
  snippet: z.string().meta({
    description:
      "HTML: an excerpt around the words searched for, each match in <mark>; everything else escaped. " +
      "Without q, the start of the decision.",
  }),
  rank: z.number().nullable().meta({ description: "Relevance (with q); higher is better" }),
  currentVersion: z.number().int(),
  updatedAt: instant.meta({ description: "When the current version was added" }),
  links: z.object({
    self: path,
    html: path,
    original: path.nullable().meta({ description: "The original document, when the register has it" }),
  }),
});

export const decisionListSchema = z.object({
  data: z.array(decisionSummarySchema),
  links: z.object({
    self: path,
    next: path.nullable().meta({ description: "The next page (null on the last)" }),
  }),
  meta: z.object({
    total: z.number().int().meta({ description: "How many decisions match" }),
    totalExact: z.boolean().meta({
      description: "false when total is an estimate (searches matching more than 1,000 decisions)",
    }),
    limit: z.number().int(),
    sort: z.enum(["date", "relevance"]),
  }),
});

export const decisionStatusSchema = z.object({
  code: statusCodeSchema,
  label: z.string(),
  description: z.string(),
  explanation: z.string().meta({ description: "Why, with times in UK time" }),
  since: instant.nullable(),
  until: instant.nullable().meta({ description: "When the status changes by itself, if it will" }),
});

export const callInWindowSchema = z.object({
  deadline: isoDate.nullable().meta({ description: "As printed on the record" }),
  text: z.string().meta({ description: 'As printed, e.g. "Midnight, 24 November 2017"' }),
  subjectToCallIn: z.boolean(),
  governingDeadline: isoDate.nullable().meta({ description: "The last day for call-in that applies" }),
  cutoff: instant.nullable().meta({ description: "The instant call-in closes" }),
  effectiveFrom: isoDate.nullable(),
  governedBy: z.enum(["printed", "rule"]).nullable(),
  explanation: z.string(),
  warnings: z.array(z.string()),
});

export const callInRequestSchema = z
  .object({
    id: z.number().int(),
    startedAt: instant.meta({
      description: "When the request was made (online: started by its first signatory)",
    }),
    receivedAt: instant.meta({
      description:
        "When it reached the Proper Officer; for a request signed online that became valid, when it did",
    }),
    valid: z
      .boolean()
      .nullable()
      .meta({ description: "Null while a request made online is still gathering signatures" }),
    reasons: z.array(z.string()).meta({ description: "Why it is not valid (empty when valid)" }),
    grounds: z.array(
      z.object({
        principle: z
          .string()
          .nullable()
          .meta({ description: "The principle of decision making not followed" }),
        explanation: z.string(),
      }),
    ),
    signatures: z
      .array(
        z.object({
          name: z.string(),
          signedAt: instant
            .nullable()
            .meta({ description: "When they signed online; null for a signature recorded from paper" }),
        }),
      )
      .meta({ description: "In order of signing; the first made the request" }),
    withdrawnAt: instant.nullable(),
  })
  .meta({ description: "A call-in request against the decision, with every signature" });

export const versionSummarySchema = z.object({
  version: z.number().int(),
  reason: z.string().nullable().meta({ description: "What this version corrects (null for version 1)" }),
  createdAt: instant,
  links: z.object({ self: path, original: path.nullable() }),
});

/**
 * The record's fields added within format version 1 (read by the ModernGov, decision list and minutes layouts),
 * as the API gives them: always present, null when the record does not state them (a record stored before
 * they existed lacks them, which reads the same). Still a valid record of the interchange format.
 */
const statedFields = {
  decidedOn: isoDate
    .nullable()
    .meta({ description: "The date of decision; for a meeting's decision, the meeting's date" }),
  keyDecision: z
    .boolean()
    .nullable()
    .meta({ description: '"Is Key decision?" as the document states it; null when it does not say' }),
  subjectToCallIn: z
    .boolean()
    .nullable()
    .meta({
      description:
        '"Is subject to call in?" as the document states it; null when it does not say. The call-in window ' +
        "the register works out is callIn (in a decision) and may differ: the council's rule is applied too.",
    }),
  effectiveFrom: isoDate.nullable().meta({
    description:
      '"Effective from" as printed ("Date comes into force if not called in", "Implementation Date")',
  }),
  statusAsPrinted: z.string().nullable().meta({
    description: 'The status as the council printed it, e.g. "Recommendations Approved (subject to call-in)"',
  }),
  purpose: z.string().nullable().meta({ description: 'What the decision was for ("Purpose"), as printed' }),
  wardsAffected: z
    .array(z.string())
    .nullable()
    .meta({ description: '"Wards affected", one ward (or "All Wards") an entry, as printed' }),
  decisionMakerKind: z.enum(DECISION_MAKER_KINDS).nullable().meta({
    description: "Who took the decision: a body (Cabinet, a committee), one executive member, or an officer",
  }),
  madeUp: z.array(z.enum(MADE_UP_FIELDS)).meta({
    description:
      "Required fields the document did not state, which the importer filled in: title (made from the " +
      "purpose or the decision's first words), publishedOn (the date of decision), meetingDate (the date of " +
      "decision: not decided at a meeting). Empty when none.",
  }),
};

/** The record with every field of `statedFields` present (src/web/api/present.ts recordJson). */
export const statedRecordSchema = decisionRecordSchema.extend(statedFields);
export type StatedRecord = z.infer<typeof statedRecordSchema>;

export const decisionDetailSchema = z.object({
  data: statedRecordSchema
    .omit({ callIn: true })
    .extend({
      id: z.number().int(),
      callIn: callInWindowSchema,
      status: decisionStatusSchema.nullable(),
      statusProblem: z.string().nullable(),
      keyDecision: z.boolean().meta({
        description:
          "Whether the register holds it as a key decision: the record's answer when the document states " +
          "one (keyDecisionAsPrinted), otherwise as set in the register (false unless set)",
      }),
      keyDecisionAsPrinted: z
        .boolean()
        .nullable()
        .meta({ description: '"Is Key decision?" as the document states it; null when it does not say' }),
      version: z.number().int().meta({ description: "Which version the record is" }),
      currentVersion: z.number().int(),
      versions: z.array(versionSummarySchema),
      callInRequests: z.array(callInRequestSchema),
      strategy: decisionStrategyLinksSchema.optional(),
      scrutiny: z
        .object({
          outcome: z.enum(["confirmed", "referred-back", "referred-to-council"]),
          decidedOn: isoDate.nullable(),
        })
        .nullable()
        .meta({ description: "Overview and scrutiny's outcome for a called-in decision, once recorded" }),
    })
    .meta({
      description:
        "The decision record (interchange format, version 1: the fields of `resolved parse --json`) of the " +
        "current version, with callIn extended by the call-in window, and the status and versions.",
    }),
  links: z.object({ self: path, html: path, original: path.nullable(), meeting: path.nullable() }),
});

export const decisionVersionSchema = z.object({
  data: z.object({
    id: z.number().int(),
    version: z.number().int(),
    current: z.boolean(),
    reason: z.string().nullable(),
    createdAt: instant,
    record: statedRecordSchema,
  }),
  links: z.object({ self: path, decision: path, original: path.nullable() }),
});

const bodyRef = z.object({ id: z.number().int(), name: z.string(), kind: z.enum(BODY_KINDS) });

export const meetingSummarySchema = z.object({
  id: z.number().int(),
  date: isoDate,
  status: z.enum(MEETING_STATUSES),
  location: z.string().nullable(),
  body: bodyRef,
  council: z.object({ slug: z.string(), name: z.string() }),
  decisionCount: z.number().int(),
  links: z.object({ self: path, html: path }),
});

export const meetingListSchema = z.object({
  data: z.array(meetingSummarySchema),
  links: z.object({ self: path, next: path.nullable() }),
  meta: z.object({ total: z.number().int(), limit: z.number().int() }),
});

export const meetingDetailSchema = z.object({
  data: meetingSummarySchema.extend({
    sourceUrl: z.string().nullable(),
    decisions: z.array(decisionSummarySchema),
  }),
  links: z.object({ self: path, html: path }),
});

export const bodyListSchema = z.object({
  data: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      kind: z.enum(BODY_KINDS),
      scrutiny: z.boolean(),
      council: z.object({ slug: z.string(), name: z.string() }),
      meetingCount: z.number().int(),
      decisionCount: z.number().int(),
      lastMeeting: isoDate.nullable(),
      links: z.object({ html: path, decisions: path, meetings: path }),
    }),
  ),
});

/** Parameters of /api/v1/meetings. */
export const meetingQuerySchema = z.object({
  body: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "The body's name (case does not matter).", examples: ["Cabinet"] }),
  from: isoDate
    .optional()
    .meta({ description: "Meetings on or after this date, YYYY-MM-DD.", examples: ["2026-10-01"] }),
  to: isoDate
    .optional()
    .meta({ description: "Meetings on or before this date, YYYY-MM-DD.", examples: ["2026-12-31"] }),
  cursor: z.string().max(200).optional().meta({ description: "From links.next of the previous page." }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .optional()
    .meta({ description: `Results per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`, examples: [50] }),
});

export type DecisionSummaryJson = z.infer<typeof decisionSummarySchema>;
export type DecisionListJson = z.infer<typeof decisionListSchema>;
export type DecisionDetailJson = z.infer<typeof decisionDetailSchema>;
export type DecisionVersionJson = z.infer<typeof decisionVersionSchema>;
export type MeetingSummaryJson = z.infer<typeof meetingSummarySchema>;
export type MeetingListJson = z.infer<typeof meetingListSchema>;
export type MeetingDetailJson = z.infer<typeof meetingDetailSchema>;
export type BodyListJson = z.infer<typeof bodyListSchema>;
export type ErrorJson = z.infer<typeof errorSchema>;

/** Every schema the OpenAPI document names, by component name. */
export const API_COMPONENTS = {
  Error: errorSchema,
  DecisionRecord: decisionRecordSchema,
  DecisionSummary: decisionSummarySchema,
  DecisionList: decisionListSchema,
  DecisionStatus: decisionStatusSchema,
  CallInWindow: callInWindowSchema,
  CallInRequest: callInRequestSchema,
  VersionSummary: versionSummarySchema,
  Decision: decisionDetailSchema,
  DecisionVersion: decisionVersionSchema,
  MeetingSummary: meetingSummarySchema,
  MeetingList: meetingListSchema,
  Meeting: meetingDetailSchema,
  BodyList: bodyListSchema,
} as const;
