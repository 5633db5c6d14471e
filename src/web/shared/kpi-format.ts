import type { Rag } from "../../domain/kpi-rag.js";
import { RAG_WORDS } from "../../domain/kpi-wording.js";

/** KPI figures, RAG and directions for pages (the public strategy pages and the workspace's KPI form). */

export { DIRECTION_LABELS, formatFigure } from "../../domain/kpi-wording.js";

/** RAG as a word, a shape and a GOV.UK tag colour: the shape and word carry it without colour. */
export const RAG_DISPLAY: Record<Rag, { label: string; shape: string; tag: string }> = {
  green: { ...RAG_WORDS.green, tag: "govuk-tag--green" },
  amber: { ...RAG_WORDS.amber, tag: "govuk-tag--yellow" },
  red: { ...RAG_WORDS.red, tag: "govuk-tag--red" },
};
