import type { Direction, KpiUnit } from "./kpi.js";
import type { Rag } from "./kpi-rag.js";

/**
 * KPI figures, RAG and directions of travel in words, the same on a page and in a PDF: RAG as a word and a
 * shape, so it never depends on colour; figures in their unit ("24.2%", "£1,245,000", "468 days").
 */

export const RAG_WORDS: Record<Rag, { label: string; shape: string }> = {
  green: { label: "Green", shape: "●" },
  amber: { label: "Amber", shape: "▲" },
  red: { label: "Red", shape: "■" },
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

/** A figure in its unit: "24.2%", "£1,245,000", "468 days"; "Not given" for none. */
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
