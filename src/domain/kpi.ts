/**
 * Key performance indicators: what a KPI measures in (its unit), which way is better (its polarity), and the
 * direction of travel between two actuals. RAG against a target is in kpi-rag.ts.
 */

export const KPI_UNITS = ["number", "%", "money", "days", "ratio"] as const;
export type KpiUnit = (typeof KPI_UNITS)[number];

export const KPI_POLARITIES = ["higher-is-better", "lower-is-better"] as const;
export type KpiPolarity = (typeof KPI_POLARITIES)[number];

export const DIRECTIONS = ["improving", "worsening", "no-change"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** A KPI's code: "CS01", "NI-062", "EH.3"; a letter or digit first, at most 30 characters, no spaces. */
export const KPI_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;

/**
 * Figures come from spreadsheets and numeric columns as decimals: 0.3 - 0.27 is 0.030000000000000027 in binary
 * floating point, not 0.03. Comparisons allow this much relative difference, so that a value typed as exactly on
 * a boundary counts as on it.
 */
const RELATIVE_TOLERANCE = 1e-9;

/** Whether `a` and `b` are the same figure, allowing for binary floating point. */
export function sameFigure(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Whether `a` is at most `b`, allowing for binary floating point. */
export function atMost(a: number, b: number): boolean {
  return a <= b || sameFigure(a, b);
}

/**
 * How much `actual` falls short of `target`, in the KPI's units: positive when worse, zero or negative when it
 * meets or beats it. For lower-is-better KPIs (days to complete an assessment) being above the target is worse.
 */
export function shortfall(actual: number, target: number, polarity: KpiPolarity): number {
  return polarity === "higher-is-better" ? target - actual : actual - target;
}

/**
 * The direction of travel from `before` to `now`: improving when it moved the better way for the KPI's polarity,
 * no-change when the figures are the same, null when either is missing (the first value has no direction).
 */
export function directionOf(
  now: number | null | undefined,
  before: number | null | undefined,
  polarity: KpiPolarity,
): Direction | null {
  if (now == null || before == null) return null;
  if (sameFigure(now, before)) return "no-change";
  const better = polarity === "higher-is-better" ? now > before : now < before;
  return better ? "improving" : "worsening";
}

/** The unit in words, for a page or a terminal: "%" → "per cent". */
export function unitLabel(unit: KpiUnit): string {
  switch (unit) {
    case "%":
      return "per cent";
    case "money":
      return "pounds";
    default:
      return unit;
  }
}
