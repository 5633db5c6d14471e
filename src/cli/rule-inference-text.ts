import {
  describeLeftOut,
  type InferredRuleShape,
  type RuleScore,
  type UnexplainedPair,
} from "../domain/call-in-rule-inference.js";
import type { CouncilRuleInference } from "../services/call-in/index.js";
import { table, truncate } from "./cli-output.js";
import { describeCutoff, describeWindow } from "./register-text.js";

/** `resolved council infer-rule` as text for a terminal. */

/** At most this many unexplained pairs are listed; --json gives them all. */
const UNEXPLAINED_SHOWN = 20;

/** "5 working days, counting the publication day, closing at midnight at the end of the last day" */
export function describeRuleShape(rule: InferredRuleShape): string {
  return `${describeWindow(rule)}, closing at ${describeCutoff(rule.cutoff)}`;
}

/** "explains 47 of 50 pairs (94%)": rounded down, so 100% means every one. */
export function describeShare(score: Pick<RuleScore, "explained" | "total">): string {
  const percent = score.total === 0 ? 0 : Math.floor((score.explained * 100) / score.total);
  return `explains ${score.explained} of ${score.total} pair${score.total === 1 ? "" : "s"} (${percent}%)`;
}

export function sameRule(a: InferredRuleShape, b: InferredRuleShape): boolean {
  return a.countFrom === b.countFrom && a.days === b.days && a.dayKind === b.dayKind && a.cutoff === b.cutoff;
}

/** "midnight", "noon", "16:00" */
function timeWord(cutoff: string): string {
  if (cutoff === "24:00") return "midnight";
  if (cutoff === "12:00") return "noon";
  return cutoff;
}

function printedCell(pair: UnexplainedPair): string {
  if (pair.evidence === "effective-from") return `effective from ${pair.printed.effectiveFrom ?? ""}`;
  const time = pair.printed.cutoff ? `, ${timeWord(pair.printed.cutoff)}` : "";
  return `deadline ${pair.printed.deadline ?? ""}${time}`;
}

function ruleCell(pair: UnexplainedPair): string {
  const deadline = `deadline ${pair.ruleGives.deadline}, ${timeWord(pair.ruleGives.cutoff)}`;
  return pair.evidence === "effective-from"
    ? `${deadline} (effective from ${pair.ruleGives.effectiveFrom})`
    : deadline;
}

export function inferenceLines({ council, inference }: CouncilRuleInference): string {
  const { best } = inference;
  const current = council.callInRule;
  const lines = [
    `${council.name} (${council.slug}): the call-in rule its ${inference.considered} published ` +
      `decision${inference.considered === 1 ? "" : "s"} follow`,
    "",
  ];
  if (best === null) return `${lines.join("\n")}\n`;

  lines.push(`Proposed rule: ${describeRuleShape(best.rule)} (UK time)`);
  lines.push(`  It ${describeShare(best)}.`);
  for (const other of inference.equallyGood) {
    lines.push(`  Equally good: ${describeRuleShape(other.rule)}.`);
  }
  const compared = inference.compared;
  if (sameRule(current, best.rule)) {
    lines.push("Current rule: the same as proposed.");
  } else {
    lines.push(
      `Current rule: ${describeRuleShape(current)}` + (compared ? `; it ${describeShare(compared)}.` : "."),
    );
  }
  lines.push(
    `Bank holidays: ${current.holidayRegion}; closure days: ` +
      `${current.closureDays.length > 0 ? current.closureDays.length : "none"} (the council's, unchanged).`,
  );
  if (inference.leftOut.length > 0) {
    lines.push(`Left out: ${inference.leftOut.length} (${describeLeftOut(inference.leftOut)}).`);
  }

  if (inference.unexplained.length > 0) {
    lines.push("", `Not explained by the proposed rule (${inference.unexplained.length}):`);
    const shown = inference.unexplained.slice(0, UNEXPLAINED_SHOWN);
    lines.push(
      table(
        ["DECISION", "PUBLISHED", "PRINTED", "THE RULE GIVES"],
        shown.map((pair) => [truncate(pair.label, 40), pair.publishedOn, printedCell(pair), ruleCell(pair)]),
      ).trimEnd(),
    );
    const more = inference.unexplained.length - shown.length;
    if (more > 0) lines.push(`... and ${more} more (--json lists them all)`);
  }

  if (inference.runnersUp.length > 0) {
    lines.push("", "Next best:");
    for (const other of inference.runnersUp) {
      lines.push(`  ${describeRuleShape(other.rule)}: ${describeShare(other).replace(/^explains /, "")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
