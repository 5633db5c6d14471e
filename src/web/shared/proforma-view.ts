import type { DecisionRecord } from "../../domain/decision-record.js";
import { proformaSections } from "../../import/proforma-sections.js";
import { textBlocks } from "./format.js";

/**
 * A record's proforma sections in order, each with its text as blocks and section 2's outcomes, as the
 * decision page and a draft's preview lay them out (partials/proforma-macros.njk).
 */
export function proformaView(record: DecisionRecord) {
  return proformaSections.map((section) => {
    switch (section.key) {
      case "title":
        return { ...section, blocks: textBlocks(record.title), outcomes: [] };
      case "record":
        return {
          ...section,
          blocks: textBlocks(record.record),
          outcomes: record.outcomes.map((outcome) => ({
            kind: outcome.kind,
            // "RESOLVED that ..." but "RESOLVED:- ..." as printed.
            separator: outcome.text === "" || /^[:,.;-]/.test(outcome.text) ? "" : " ",
            text: outcome.text,
            items: outcome.items.map((item) => textBlocks(item)),
          })),
        };
      case "callIn":
        return { ...section, blocks: textBlocks(record.callIn.text), outcomes: [] };
      default:
        return { ...section, blocks: textBlocks(record[section.key]), outcomes: [] };
    }
  });
}
