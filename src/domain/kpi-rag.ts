import { z } from "zod";
import { ValidationError } from "./errors.js";
import { addQuarters, compareQuarters, formatQuarter, type FinancialQuarter } from "./financial-period.js";
import { atMost, directionOf, shortfall, type Direction, type KpiPolarity } from "./kpi.js";

/**
 * RAG (red, amber, green) against a target, by the council's rule. The rule is configuration, kept as data
 * (council.kpi_rag_rule), one of:
 *
 * - `{ "kind": "tolerance", "amberPercent": 10 }` (the default): green when the actual meets or beats the
 *   target; amber when it is worse by no more than amberPercent of the target (10% exactly is amber); red when
 *   worse by more. The band is a share of the target's size, so with a zero target there is no amber: any
 *   shortfall is red.
 * - `{ "kind": "improving-amber" }`: green when the actual meets or beats the target; amber when it misses it
 *   but is better than the same quarter last year; red otherwise (also when there is no figure a year ago).
 *
 * With no target or no actual there is no RAG (null): nothing to judge.
 */

export const RAG_STATUSES = ["green", "amber", "red"] as const;
export type Rag = (typeof RAG_STATUSES)[number];

export const ragRuleSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("tolerance"),
      amberPercent: z.number().min(0).max(100).meta({
        description: "How far worse than the target, as a percentage of the target, is still amber",
      }),
    })
    .strict(),
  z.object({ kind: z.literal("improving-amber") }).strict(),
]);
export type RagRule = z.infer<typeof ragRuleSchema>;

export const DEFAULT_RAG_RULE: RagRule = { kind: "tolerance", amberPercent: 10 };

/** Reads a stored or typed rule; ValidationError naming the field ("ragRule.amberPercent") otherwise. */
export function parseRagRule(value: unknown, field = "ragRule"): RagRule {
  const parsed = ragRuleSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = [field, ...issue.path.map(String)].join(".");
  throw new ValidationError(
    `${where}: ${issue.message}; give { "kind": "tolerance", "amberPercent": 10 } or { "kind": "improving-amber" }`,
    where,
  );
}

/** A rule in words, for pages and the terminal. */
export function describeRagRule(rule: RagRule): string {
  return rule.kind === "tolerance"
    ? `green when the target is met; amber when worse by no more than ${rule.amberPercent}% of the target; red when worse by more`
    : "green when the target is met; amber when it is missed but better than the same quarter last year; red otherwise";
}

export interface RagInput {
  actual: number | null;
  target: number | null;
  polarity: KpiPolarity;
  /** The actual in the same quarter a year before, for rules that look at it. */
  actualYearBefore?: number | null;
}

/** The RAG status of one figure under `rule`; null when the actual or the target is missing. */
export function ragFor(rule: RagRule, input: RagInput): Rag | null {
  const { actual, target, polarity } = input;
  if (actual == null || target == null) return null;
  const short = shortfall(actual, target, polarity);
  if (atMost(short, 0)) return "green";
  switch (rule.kind) {
    case "tolerance":
      // A share of the target's size: a negative target (a budget variance) has a band as wide as a positive one.
      return atMost(short, (Math.abs(target) * rule.amberPercent) / 100) ? "amber" : "red";
    case "improving-amber":
      return directionOf(actual, input.actualYearBefore, polarity) === "improving" ? "amber" : "red";
  }
}

export interface KpiFigure {
  period: FinancialQuarter;
  actual: number | null;
  target: number | null;
}

export interface AssessedFigure extends KpiFigure {
  rag: Rag | null;
  /** Against the quarter before (null when it has no actual, or this one has none). */
  direction: Direction | null;
  /** Against the same quarter a year before. */
  directionFromYearBefore: Direction | null;
}

/**
 * A KPI's figures, oldest first, each with its RAG and directions of travel. Directions compare with the
 * quarter just before and the same quarter a year before, not with whichever figure came last: a gap in the
 * figures gives no direction rather than a comparison across it.
 */
export function assessFigures(
  figures: readonly KpiFigure[],
  polarity: KpiPolarity,
  rule: RagRule,
): AssessedFigure[] {
  const byPeriod = new Map<string, KpiFigure>();
  for (const figure of figures) byPeriod.set(formatQuarter(figure.period), figure);
  const actualIn = (period: FinancialQuarter) => byPeriod.get(formatQuarter(period))?.actual ?? null;
  return [...figures]
    .sort((a, b) => compareQuarters(a.period, b.period))
    .map((figure) => {
      const previous = actualIn(addQuarters(figure.period, -1));
      const yearBefore = actualIn(addQuarters(figure.period, -4));
      return {
        ...figure,
        rag: ragFor(rule, { ...figure, polarity, actualYearBefore: yearBefore }),
        direction: directionOf(figure.actual, previous, polarity),
        directionFromYearBefore: directionOf(figure.actual, yearBefore, polarity),
      };
    });
}
