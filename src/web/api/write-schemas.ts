import { z } from "zod";
import { PRINCIPLES_OF_DECISION_MAKING } from "../../domain/call-in-request.js";
import { decisionRecordSchema } from "../../domain/decision-record.js";
import { MEETING_STATUSES } from "../../storage/schema.js";
import { draftChangeSchema, newDraftSchema } from "../../services/drafting/index.js";

/**
 * The write API's request and response bodies, as zod schemas: the OpenAPI document's components for writing
 * are generated from these (openapi.ts). Requests are checked by the services (ValidationError naming the field);
 * these schemas describe them, and the tests check real responses against the response schemas.
 */

const isoDate = z.iso.date();
const instant = z.iso.datetime({ offset: true });
const path = z.string();

export const newMeetingSchema = z
  .object({
    body: z.string().min(1).meta({ description: 'The body that meets, as the council names it: "Cabinet"' }),
    date: isoDate,
    location: z.string().nullable().optional(),
    status: z
      .enum(MEETING_STATUSES)
      .optional()
      .meta({ description: "Default: scheduled when the date is after today, held otherwise" }),
  })
  .strict()
  .meta({ description: "A meeting to record", examples: [{ body: "Cabinet", date: "2026-12-10" }] });

export const meetingCreatedSchema = z.object({
  data: z.object({
    id: z.number().int(),
    bodyId: z.number().int(),
    body: z.string(),
    date: isoDate,
    status: z.enum(MEETING_STATUSES),
    location: z.string().nullable(),
  }),
  links: z.object({ self: path, html: path }),
});

export const newAgendaItemSchema = z
  .object({
    number: z.string().max(20).nullable().optional().meta({ description: 'As printed: "5", "CAB/41/25"' }),
    title: z.string().min(1).max(1_000),
    exemptParagraph: z
      .number()
      .int()
      .min(1)
      .max(7)
      .nullable()
      .optional()
      .meta({ description: "Schedule 12A paragraph when the item is considered in private" }),
  })
  .strict();

export const agendaItemCreatedSchema = z.object({
  data: z.object({
    id: z.number().int(),
    meetingId: z.number().int(),
    position: z.number().int(),
    number: z.string().nullable(),
    title: z.string(),
    exemptParagraph: z.number().int().nullable(),
  }),
  links: z.object({ meeting: path, html: path }),
});

export const draftSchema = z.object({
  data: z.object({
    id: z.number().int(),
    status: z.literal("draft"),
    meetingId: z.number().int().nullable(),
    agendaItemId: z.number().int().nullable(),
    keyDecision: z.boolean(),
    exemptParagraph: z.number().int().nullable(),
    urgency: z.object({ reason: z.string(), consent: z.string().nullable() }).nullable().meta({
      description: "Set for an urgent draft; consent is the scrutiny chair's, needed before publishing",
    }),
    record: decisionRecordSchema,
  }),
  links: z.object({ self: path, publish: path, workspace: path }),
});

export const publishSchema = z
  .object({
    publishedOn: isoDate
      .optional()
      .meta({ description: "The publication date: default today; not in the future" }),
  })
  .strict();

export const correctionSchema = z
  .object({
    record: decisionRecordSchema.partial({ source: true }).meta({
      description: "The whole corrected record in the interchange format (as GET gives it, without source)",
    }),
    reason: z.string().min(1).meta({ description: "What the correction corrects, and why" }),
  })
  .strict();

export const versionCreatedSchema = z.object({
  data: z.object({
    decisionId: z.number().int(),
    version: z.number().int(),
    changedFields: z.array(z.string()),
    warnings: z.array(z.string()),
  }),
  links: z.object({ self: path, decision: path }),
});

const PRINCIPLE_KEYS = PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key) as [string, ...string[]];

export const newCallInRequestSchema = z
  .object({
    grounds: z
      .array(
        z.object({
          principle: z.enum(PRINCIPLE_KEYS).meta({ description: "A principle of decision making" }),
          explanation: z.string().min(1).meta({ description: "How the decision failed to follow it" }),
        }),
      )
      .min(1),
  })
  .strict();

export const callInRequestSchema = z.object({
  data: z.object({
    id: z.number().int(),
    decisionId: z.number().int(),
    signatories: z.array(z.string()),
    signatures: z.array(z.object({ name: z.string(), signedAt: instant })),
    valid: z
      .boolean()
      .nullable()
      .meta({ description: "null while gathering signatures; true from the moment the threshold is met" }),
    reasons: z.array(z.string()),
    signaturesNeeded: z.number().int(),
    minSignatories: z.number().int(),
    receivedAt: instant.meta({ description: "When it became valid (or was started, while gathering)" }),
  }),
  links: z.object({ decision: path, sign: path }),
});

export const scrutinyOutcomeSchema = z
  .object({
    outcome: z.enum(["confirmed", "referred-back", "referred-to-council"]),
    decidedOn: isoDate.optional().meta({ description: "When scrutiny decided: default today" }),
  })
  .strict();

/** The components the write API adds to the OpenAPI document. */
export const WRITE_COMPONENTS = {
  NewMeeting: newMeetingSchema,
  MeetingCreated: meetingCreatedSchema,
  NewAgendaItem: newAgendaItemSchema,
  AgendaItemCreated: agendaItemCreatedSchema,
  NewDraft: newDraftSchema,
  DraftChange: draftChangeSchema,
  Draft: draftSchema,
  Publish: publishSchema,
  Correction: correctionSchema,
  VersionCreated: versionCreatedSchema,
  NewCallInRequest: newCallInRequestSchema,
  CallInRequest: callInRequestSchema,
  ScrutinyOutcome: scrutinyOutcomeSchema,
} as const;

export type MeetingCreatedJson = z.infer<typeof meetingCreatedSchema>;
export type AgendaItemCreatedJson = z.infer<typeof agendaItemCreatedSchema>;
export type DraftJson = z.infer<typeof draftSchema>;
export type VersionCreatedJson = z.infer<typeof versionCreatedSchema>;
export type CallInRequestJson = z.infer<typeof callInRequestSchema>;
