import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";

type AxeViolation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** The GOV.UK Frontend tag set: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** One line per violation and node: id, impact, help, the elements' selectors, and the page. */
export function describeViolations(url: string, violations: AxeViolation[]): string {
  const lines = violations.map((violation) => {
    const targets = violation.nodes.map((node) => `    ${node.target.join(" ")}`).join("\n");
    return `  ${violation.id} (${violation.impact ?? "unknown impact"}): ${violation.help}\n    ${violation.helpUrl}\n${targets}`;
  });
  return `${violations.length} accessibility violation(s) on ${url}:\n${lines.join("\n")}`;
}

/** Runs axe on the page as it is now and fails with every violation listed. */
export async function expectNoAxeViolations(
  page: Page,
  options: { exclude?: string[]; disableRules?: string[] } = {},
): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(AXE_TAGS);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
  const results = await builder.analyze();
  if (results.violations.length > 0) throw new Error(describeViolations(page.url(), results.violations));
}
