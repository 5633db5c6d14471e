import { z } from "zod";
import { DIRECTIONS, KPI_POLARITIES, KPI_UNITS } from "../../domain/kpi.js";
import { RAG_STATUSES, ragRuleSchema } from "../../domain/kpi-rag.js";
import {
  addKpiSchema,
  kpiChangesSchema,
  newPrioritySchema,
  newStrategySchema,
  priorityChangesSchema,
  strategyChangesSchema,
} from "../../services/strategies/index.js";
import { strategyUpdateSchema } from "./strategy-update-schemas.js";

/**
 * Strategies and KPIs in the API: the response bodies of GET /api/v1/strategies, /strategies/{id} and
 * /kpis/{code}, and the request bodies of POST /api/v1/strategies and PUT /api/v1/kpis/{code}/values/{period}.
 * The OpenAPI document's components come from these (openapi.ts); the tests check real responses against them.
 */

const isoDate = z.iso.date();
const instant = z.iso.datetime({ offset: true });
const path = z.string();
const direction = z.enum(DIRECTIONS).nullable();

export const kpiValueSchema = z.object({
  period: z.string().meta({ description: 'The financial quarter: "2017-18 Q2" (Q1 is April to June)' }),
  actual: z.number().nullable(),
  target: z.number().nullable(),
  rag: z
    .enum(RAG_STATUSES)
    .nullable()
    .meta({ description: "By the council's rule; null without both figures" }),
  direction: direction.meta({ description: "Against the quarter before; null when either has no actual" }),
  directionFromYearBefore: direction.meta({ description: "Against the same quarter a year before" }),
  commentary: z.string(),
  enteredAt: instant,
});

export const kpiSummarySchema = z.object({
  code: z.string(),
  name: z.string(),
  definition: z.string(),
  unit: z.enum(KPI_UNITS),
  polarity: z.enum(KPI_POLARITIES),
  dataSource: z.string(),
  values: z.array(kpiValueSchema).meta({ description: "Oldest first" }),
  latest: kpiValueSchema.nullable().meta({ description: "The newest quarter with an actual" }),
  links: z.object({ self: path }),
});

const agreedBySchema = z
  .object({
    id: z.number().int(),
    recordId: z.string().nullable(),
    title: z.string(),
    meetingDate: isoDate,
    links: z.object({ self: path, html: path }),
  })
  .nullable()
  .meta({ description: "The decision that agreed the strategy, when it is in the register" });

const strategyFields = {
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  period: z.object({ from: isoDate, to: isoDate }),
  owner: z.string().nullable(),
  origin: z.enum(["defined", "found-in-record"]).meta({
    description:
      "found-in-record: created from the record that agreed it; its priorities and KPIs not yet given",
  }),
  agreedBy: agreedBySchema,
  priorityCount: z.number().int(),
  kpiCount: z.number().int(),
};

export const strategySummarySchema = z.object({ ...strategyFields, links: z.object({ self: path }) });

export const strategyListSchema = z.object({
  data: z.array(strategySummarySchema),
  links: z.object({ self: path }),
});

export const strategySchema = z.object({
  data: z.object({
    ...strategyFields,
    ragRule: ragRuleSchema,
    ragRuleText: z.string(),
    updates: z.array(strategyUpdateSchema).meta({
      description: "The decisions that considered its quarterly performance updates, oldest quarter first",
    }),
    priorities: z.array(
      z.object({
        id: z.number().int().meta({ description: "The priority's number, for PATCH and DELETE" }),
        position: z.number().int(),
        title: z.string(),
        kpis: z.array(kpiSummarySchema),
      }),
    ),
  }),
  links: z.object({ self: path }),
});

export const kpiSchema = z.object({
  data: kpiSummarySchema.omit({ links: true }).extend({
    strategy: z.object({ id: z.number().int(), slug: z.string(), title: z.string() }),
    priority: z.object({ position: z.number().int(), title: z.string() }),
  }),
  links: z.object({ self: path, strategy: path }),
});

export const kpiValueInputSchema = z
  .object({
    actual: z.number().nullable().optional().meta({ description: "Left out: kept as it is; null: none" }),
    target: z.number().nullable().optional().meta({ description: "Left out: kept as it is; null: none" }),
    commentary: z.string().max(4_000).optional(),
  })
  .strict()
  .meta({
    examples: [
      { actual: 24.2, target: 22, commentary: "Re-referrals rose after changes at the front door." },
    ],
  });

export const STRATEGY_COMPONENTS = {
  StrategyList: strategyListSchema,
  StrategySummary: strategySummarySchema,
  Strategy: strategySchema,
  KpiSummary: kpiSummarySchema,
  KpiValue: kpiValueSchema,
  Kpi: kpiSchema,
  NewStrategy: newStrategySchema,
  KpiValueInput: kpiValueInputSchema,
  StrategyChanges: strategyChangesSchema,
  NewPriority: newPrioritySchema,
  PriorityChanges: priorityChangesSchema,
  NewKpi: addKpiSchema,
  KpiChanges: kpiChangesSchema,
} as const;

export type StrategyListJson = z.infer<typeof strategyListSchema>;
export type StrategyJson = z.infer<typeof strategySchema>;
export type KpiJson = z.infer<typeof kpiSchema>;
export type KpiSummaryJson = z.infer<typeof kpiSummarySchema>;
