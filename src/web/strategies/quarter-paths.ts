import { quarterMonths, formatQuarter, type FinancialQuarter } from "../../domain/financial-period.js";
import { quarterPageHref } from "../shared/strategy-links.js";

/** The quarterly pages' addresses: /strategies/<slug>/2017-18/q2, and .pdf for the report as a PDF. */

export function quarterPath(slug: string, q: FinancialQuarter, pdf = false): string {
  return quarterPageHref(slug, q.startYear, q.quarter, pdf);
}

/** A link to a quarter: "2017-18 Q2 (July to September 2017)". */
export function quarterLink(
  slug: string,
  q: FinancialQuarter,
): { href: string; text: string; period: string } {
  return {
    href: quarterPath(slug, q),
    text: `${formatQuarter(q)} (${quarterMonths(q)})`,
    period: formatQuarter(q),
  };
}

/** "2017-18" and "q2" (or "q2.pdf") → the quarter, or null when they are not a financial year and quarter. */
export function quarterFromPath(
  year: string,
  quarter: string,
): { quarter: FinancialQuarter; pdf: boolean } | null {
  const y = /^(\d{4})-(\d{2})$/.exec(year);
  const q = /^q([1-4])(\.pdf)?$/.exec(quarter);
  if (!y || !q || (Number(y[1]) + 1) % 100 !== Number(y[2])) return null;
  return {
    quarter: { startYear: Number(y[1]), quarter: Number(q[1]) as FinancialQuarter["quarter"] },
    pdf: q[2] !== undefined,
  };
}
