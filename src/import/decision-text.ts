import type { Outcome } from "../domain/decision-record.js";
import type { SourceLine } from "./document-lines.js";
import { blocksToText, estimateWrapWidth, hyphenatedCompounds, toBlocks, type Block } from "./paragraphs.js";
import { splitOutcomes } from "./proforma-outcome.js";

/** A decision's text read into the record's shape: what comes before the outcome, and the outcomes. */
export interface DecisionText {
  /** Paragraphs before the first outcome, as `record.record` holds them. */
  narrative: string;
  outcomes: Outcome[];
  /** Line of the first outcome, when there is one. */
  outcomeLine?: number;
  /**
   * How the decision was worded: an operative word ("RESOLVED", "Resolved:", "The Committee resolved to",
   * "To RECOMMEND"), a bare numbered list with no word, or neither (the text as printed is the decision).
   */
  wording: "operative-word" | "bare-list" | "no-operative-word" | "empty";
}

/**
 * How the whole document was wrapped, when the caller knows it: a short decision ("... for" / "2025/26.")
 * has too few lines of its own to show where its lines were wrapped.
 */
export interface TextWrap {
  wrapWidth: number;
  compounds: ReadonlySet<string>;
}

/** The kind an outcome is given when the decision is a bare list, or plain text, with no operative word. */
export const UNWORDED_OUTCOME_KIND = "DECIDED";

const VERBS: Record<string, string> = {
  resolved: "RESOLVED",
  resolve: "RESOLVED",
  recommended: "RECOMMENDED",
  recommend: "RECOMMENDED",
  agreed: "AGREED",
  agree: "AGREED",
  ordered: "ORDERED",
  decided: "DECIDED",
};

// "RESOLVED that", "RESOLVED:", "RECOMMENDED to Council", "AGREED -": the word in capitals.
const CAPITAL_WORD =
  /^(RESOLVED|RECOMMENDED|RECOMMEND|AGREED|ORDERED|DECIDED)\b(?![a-z'’])\s*(?:[:–—-]+\s*)?(.*)$/;
// "Resolved:", "Agreed -", "Resolved that", "Resolved to", or "Resolved" alone on its line: a capitalised word
// that is plainly a heading or opener ("Agreed budgets were ..." is neither).
const OPENER_WORD =
  /^(Resolved|Recommended|Agreed|Ordered|Decided)(?:\s*[:–—]\s*|\s*-\s+|\s+(?=(?:that|to)\b)|\s*$)(.*)$/;
// The bodies that decide: "The Planning Committee", "The Overview and Scrutiny Committee", "Cabinet", "Members".
const BODY = String.raw`(?:The\s+)?(?:[A-Z][\w’'&-]*\s+(?:(?:and|of|for|the)\s+)?){0,5}(?:Cabinet|Council|Committee|Sub-Committee|Panel|Board|Executive|Members|Forum|Commission|Authority|Group|Meeting)`;
// "The Committee resolved to", "Cabinet RESOLVED that", "Cabinet RESOLVED:", "It was resolved that", "Members
// agreed to"; only a body (or "It was") as the subject, since "Councillor Smith agreed to circulate the figures"
// and "The Chair agreed to write to the Minister" are a minute's narrative, not the meeting's decision.
// A decision maker's whole title: "The Portfolio Holder for Transport and Highways RESOLVED that". Its "for" or
// "of" part is required, since "The Leader agreed that officers would report back" is a minute's narrative.
const DECISION_MAKER = String.raw`The (?:Cabinet Member|Portfolio Holder|Executive Member|Lead Member|Leader|Deputy Leader|(?:Corporate |Assistant |Executive |Strategic )?Director|Head|Chief Executive) (?:for|of)(?: [\w’'&,-]+){1,8}`;
const SUBJECT_THEN_WORD = new RegExp(
  String.raw`^(It was|${DECISION_MAKER}|${BODY})\s+(resolved|recommended|agreed|ordered|decided|RESOLVED|RECOMMENDED|AGREED|ORDERED|DECIDED)(?:\s*:\s*(.*)|\s+((?:that|to|as follows|unanimously|by)\b.*)|\s*)$`,
);
// "To RECOMMEND to Council that", "To recommend:".
const TO_RECOMMEND = /^To (?:RECOMMEND|recommend)\b\s*:?\s*(.*)$/;

/**
 * The line's text rewritten to start with the operative word in capitals ("Resolved: That ..." → "RESOLVED
 * That ..."), so that one splitter reads every council's wording; null when the line opens no outcome.
 */
export function canonicalOperativeLine(text: string): string | null {
  const capital = CAPITAL_WORD.exec(text);
  if (capital) return join(VERBS[capital[1]!.toLowerCase()]!, capital[2]!);
  const opener = OPENER_WORD.exec(text);
  if (opener) return join(VERBS[opener[1]!.toLowerCase()]!, opener[2]!);
  const toRecommend = TO_RECOMMEND.exec(text);
  if (toRecommend) return join("RECOMMENDED", toRecommend[1]!);
  const subject = SUBJECT_THEN_WORD.exec(text);
  if (subject) return join(VERBS[subject[2]!.toLowerCase()]!, subject[3] ?? subject[4] ?? "");
  return null;
}

function join(word: string, rest: string): string {
  return rest === "" ? word : `${word} ${rest}`;
}

/**
 * Reads the text of one decision (a "Decision:" field, a minute's resolution, a proforma's section 2) into
 * the narrative and its outcomes. Operative words in any case and form open outcomes; a decision that is a
 * bare numbered list becomes one outcome of kind DECIDED with those items; text with neither is kept whole
 * as a DECIDED outcome, and `wording` says so (callers warn).
 */
export function readDecisionText(lines: readonly SourceLine[], wrap?: TextWrap): DecisionText {
  const canonical = lines.map((l) => ({ line: l.line, text: canonicalOperativeLine(l.text) ?? l.text }));
  const blocks = toBlocks(
    canonical,
    wrap?.wrapWidth ?? estimateWrapWidth(canonical),
    wrap?.compounds ?? hyphenatedCompounds(canonical),
  );
  if (blocks.length === 0) return { narrative: "", outcomes: [], wording: "empty" };

  const split = splitOutcomes(blocks);
  if (split.outcomes.length > 0) {
    return {
      narrative: blocksToText(split.narrative),
      outcomes: split.outcomes,
      outcomeLine: split.outcomeLine!,
      wording: "operative-word",
    };
  }
  const firstItem = blocks.findIndex((b) => b.kind === "item");
  if (firstItem >= 0) {
    const marker: Block = { kind: "paragraph", text: UNWORDED_OUTCOME_KIND, line: blocks[firstItem]!.line };
    const withMarker = [...blocks.slice(0, firstItem), marker, ...blocks.slice(firstItem)];
    const bare = splitOutcomes(withMarker);
    return {
      narrative: blocksToText(bare.narrative),
      outcomes: bare.outcomes,
      outcomeLine: marker.line,
      wording: "bare-list",
    };
  }
  return {
    narrative: "",
    outcomes: [{ kind: UNWORDED_OUTCOME_KIND, text: blocksToText(blocks), items: [] }],
    outcomeLine: blocks[0]!.line,
    wording: "no-operative-word",
  };
}
