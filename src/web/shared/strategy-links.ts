import { financialYearLabel } from "../../domain/financial-period.js";

/**
 * A strategy's quarterly page: /strategies/childrens-services-strategy-2017-2020/2017-18/q2, and with `pdf` the
 * same report as a PDF (…/q2.pdf).
 */
export function quarterPageHref(slug: string, startYear: number, quarter: number, pdf = false): string {
  return `/strategies/${encodeURIComponent(slug)}/${financialYearLabel(startYear)}/q${quarter}${pdf ? ".pdf" : ""}`;
}
