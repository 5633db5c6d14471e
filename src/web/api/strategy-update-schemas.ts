import { z } from "zod";

/**
 * Strategy updates in the API (src/web/api/strategy-update-routes.ts): a decision's links to strategies (in
 * GET /api/v1/decisions/{id}), a strategy's quarterly updates (in GET /api/v1/strategies/{id}), and an
 * officer's verdict. The OpenAPI document's components come from these; the tests check responses against them.
 */

const path = z.string().meta({ description: "A path on this site" });
const quarter = z
  .string()
  .regex(/^\d{4}-\d{2} Q[1-4]$/)
  .meta({ description: 'A financial quarter (Q1 is April to June): "2017-18 Q2"' });
const status = z
  .enum(["proposed", "confirmed"])
  .meta({ description: "proposed: read from the records, awaiting an officer; confirmed by one" });

const linkedStrategySchema = z.object({
  id: z.number().int(),
  slug: z.string(),
  title: z.string(),
  origin: z.enum(["defined", "found-in-record"]).meta({
    description:
      "found-in-record: created from the record that agreed it; its priorities and KPIs not yet given",
  }),
  links: z.object({ self: path, html: path }),
});

export const decisionStrategyLinksSchema = z
  .object({
    agrees: linkedStrategySchema.nullable().meta({ description: "The strategy this decision agreed" }),
    updateOf: z
      .array(
        z.object({
          id: z.number().int().meta({ description: "The link's number, for confirming or rejecting it" }),
          strategy: linkedStrategySchema,
          period: quarter,
          status,
          foundBy: z.string().meta({ description: "Why the records were read as this link, in words" }),
          links: z.object({ quarter: path.meta({ description: "The strategy's page for that quarter" }) }),
        }),
      )
      .meta({ description: "The strategies this decision is a quarterly performance update of" }),
  })
  .meta({ description: "What this decision is to the council's strategies" });

export const strategyUpdateSchema = z.object({
  id: z.number().int(),
  period: quarter,
  decisionId: z.number().int(),
  title: z.string(),
  meetingDate: z.iso.date(),
  status,
  foundBy: z.string(),
  links: z.object({ decision: path, html: path }),
});

export const strategyUpdateVerdictSchema = z.object({
  data: z.object({
    id: z.number().int(),
    strategyId: z.number().int(),
    decisionId: z.number().int(),
    period: quarter,
    status: z.enum(["confirmed", "rejected"]),
  }),
  links: z.object({ strategy: path, decision: path }),
});

export const STRATEGY_UPDATE_COMPONENTS = {
  DecisionStrategyLinks: decisionStrategyLinksSchema,
  StrategyUpdate: strategyUpdateSchema,
  StrategyUpdateVerdict: strategyUpdateVerdictSchema,
} as const;

export type DecisionStrategyLinksJson = z.infer<typeof decisionStrategyLinksSchema>;
export type StrategyUpdateJson = z.infer<typeof strategyUpdateSchema>;
