import { z } from "zod";
import { COMMITMENT_STATES } from "../../services/commitments/index.js";

/**
 * The commitments API's shapes (src/web/api/commitment-routes.ts), as zod schemas: the OpenAPI document's
 * components come from these, and the tests check real responses against them.
 */

const path = z.string().meta({ description: "A path on this site" });
const quarter = z
  .string()
  .regex(/^\d{4}-\d{2} Q[1-4]$/)
  .meta({ description: 'A financial quarter (Q1 is April to June): "2017-18 Q3"' });

export const fulfilmentSuggestionSchema = z.object({
  decisionId: z.number().int(),
  title: z.string(),
  meetingDate: z.iso.date(),
  score: z.number().min(0).max(1).meta({
    description:
      "0 to 1: shared words (0.6), timing against the due quarter (0.25), same decision maker (0.15)",
  }),
});

export const commitmentSchema = z.object({
  id: z.number().int(),
  position: z.number().int().meta({ description: "Its order in the record, from 1" }),
  text: z.string().meta({ description: "As written in the record, without its list marker" }),
  due: quarter,
  dueMonths: z.string().meta({ description: '"October to December 2017"' }),
  duePhrase: z.string().meta({
    description:
      'The words the due quarter was worked out from: "The next quarter would see", "in six months"',
  }),
  confidence: z.enum(["high", "medium", "low"]).meta({ description: "How sure that reading is" }),
  status: z
    .enum(COMMITMENT_STATES)
    .meta({ description: "open, overdue (open past its due quarter), done or dropped" }),
  owner: z
    .string()
    .nullable()
    .meta({ description: 'Who is responsible, as an officer wrote it: "Director of Children\'s Services"' }),
  progress: z
    .array(z.object({ note: z.string(), recordedAt: z.iso.datetime({ offset: true }) }))
    .meta({ description: "Progress notes officers recorded, oldest first" }),
  droppedReason: z.string().nullable().meta({ description: "Why it was dropped (dropped only)" }),
  fulfilledBy: z
    .object({
      decisionId: z.number().int(),
      title: z.string(),
      links: z.object({ self: path, html: path }),
    })
    .nullable()
    .meta({ description: "The later decision an officer confirmed as fulfilling it" }),
  confirmedAt: z.iso.datetime({ offset: true }).nullable(),
  suggestions: z.array(fulfilmentSuggestionSchema).meta({
    description: "For an open (or overdue) commitment: later decisions that may fulfil it, best first",
  }),
  links: z.object({ decision: path, html: path }),
});

export const decisionCommitmentsSchema = z.object({
  data: z.array(commitmentSchema),
  links: z.object({ self: path, decision: path }),
});

export const commitmentListSchema = z.object({
  data: z.array(
    commitmentSchema.omit({ suggestions: true }).extend({
      decision: z.object({
        id: z.number().int(),
        title: z.string(),
        meetingDate: z.iso.date(),
        links: z.object({ self: path, html: path }),
      }),
    }),
  ),
  links: z.object({ self: path }),
  meta: z.object({ count: z.number().int(), limit: z.number().int() }),
});

export const commitmentQuerySchema = z.object({
  status: z
    .enum(COMMITMENT_STATES)
    .optional()
    .meta({ description: "Only commitments in this state.", examples: ["overdue"] }),
  council: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "Only this council's (its slug or name).", examples: ["stockton-on-tees"] }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: "At most this many, earliest due first (default 100)." }),
});

export const fulfilmentRequestSchema = z
  .object({ decisionId: z.number().int().min(1).meta({ description: "The later decision's number" }) })
  .strict();

export const fulfilmentResultSchema = z.object({
  data: z.object({
    commitmentId: z.number().int(),
    decisionId: z.number().int(),
    status: z.enum(["open", "done"]),
    verdict: z.enum(["confirmed", "rejected"]),
  }),
  links: z.object({ decision: path }),
});

export const commitmentChangeSchema = z
  .object({
    owner: z
      .string()
      .max(200)
      .nullable()
      .optional()
      .meta({ description: 'Who is responsible (free text); null or "" clears it' }),
    due: quarter.optional().meta({ description: 'The due financial quarter: "2017-18 Q3"' }),
    status: z
      .enum(["dropped", "open"])
      .optional()
      .meta({ description: "dropped (with a reason), or open to reopen a dropped or done one" }),
    reason: z.string().max(2000).optional().meta({ description: "Why it is dropped: required with dropped" }),
  })
  .strict();

export const progressRequestSchema = z
  .object({ note: z.string().min(1).max(2000).meta({ description: "What has happened so far" }) })
  .strict();

export const commitmentResultSchema = z.object({
  data: commitmentListSchema.shape.data.element,
  links: z.object({ self: path }),
});

export const COMMITMENT_COMPONENTS = {
  Commitment: commitmentSchema,
  FulfilmentSuggestion: fulfilmentSuggestionSchema,
  DecisionCommitments: decisionCommitmentsSchema,
  CommitmentList: commitmentListSchema,
  FulfilmentRequest: fulfilmentRequestSchema,
  FulfilmentResult: fulfilmentResultSchema,
  CommitmentChange: commitmentChangeSchema,
  ProgressRequest: progressRequestSchema,
  CommitmentResult: commitmentResultSchema,
} as const;
