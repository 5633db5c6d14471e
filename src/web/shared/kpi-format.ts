import type { Direction, KpiUnit } from "../../domain/kpi.js";
import type { Rag } from "../../domain/kpi-rag.js";

/** KPI figures, RAG and directions for pages (the public strategy pages and the workspace's KPI form). */

/** RAG as a word, a shape and a GOV.UK tag colour: the shape and word carry it without colour. */
export const RAG_DISPLAY: Record<Rag, { label: string; shape: string; tag: string }> = {
  green: { label: "Green", shape: "●", tag: "govuk-tag--green" },
  amber: { label: "Amber", shape: "▲", tag: "govuk-tag--yellow" },
  red: { label: "Red", shape: "■", tag: "govuk-tag--red" },
};

export const DIRECTION_LABELS: Record<Direction, string> = {
  improving: "Improving",
  worsening: "Worsening",
  "no-change": "No change",
};

const NUMBER = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });
const POUNDS = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  maximumFractionDigits: 0,
});

/** A figure in its unit: "24.2%", "£1,245,000", "468 days". */
export function formatFigure(value: number | null, unit: KpiUnit): string {
  if (value === null) return "Not given";
  switch (unit) {
    case "%":
      return `${NUMBER.format(value)}%`;
    case "money":
      return POUNDS.format(value);
    case "days":
      return `${NUMBER.format(value)} ${value === 1 ? "day" : "days"}`;
    default:
      return NUMBER.format(value);
  }
}
