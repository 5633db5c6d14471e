/**
 * ModernGov titles carry fragments from spans the site hides with CSS, which a copy or a saved page keeps:
 * "(Ref: 1234)", "Ref. No. 4567", "[KD/2024/15]", "- Key Decision". They are not part of the title.
 *
 * Which becomes the record id: "Ref" numbers are ModernGov's own numbers for the decision (its "Ref. No." on
 * the decisions list and the decision page), so they identify the decision: `recordId`. A bracketed forward
 * plan reference ("[KD/2024/15]", "[FP 123]") identifies the notice of a key decision, not the decision, and a
 * "- Key Decision" suffix is a flag: both are only taken out (the flag is read from "Is Key decision?", never
 * from the title).
 */
export interface TitleReference {
  title: string;
  recordId: string | null;
}

const REF_IN_BRACKETS =
  /\s*\(\s*ref(?:erence)?\.?\s*(?:no\.?|number)?\s*[:.]?\s*([A-Z]{0,4}[\d][\w/-]*)\s*\)/i;
const REF_TRAILING =
  /\s*[-–—]?\s*\bref(?:erence)?\.?\s*(?:no\.?|number)?\s*[:.]?\s*([A-Z]{0,4}\d[\w/-]*)\s*$/i;
// The tag ends at its "]" and holds no "[": otherwise a title of many "[KD" without a "]" scans to its end from each.
const FORWARD_PLAN = /\s*\[\s*(?:KD|FP|EX|KEY)\b[^\][]*\]/gi;
const KEY_DECISION_SUFFIX = /\s*[-–—]\s*(?:\(?\s*)?key decision\s*\)?\.?\s*$/i;

export function splitTitleReference(printed: string): TitleReference {
  let title = printed.replace(/\s+/g, " ").trim();
  let recordId: string | null = null;
  const bracketed = REF_IN_BRACKETS.exec(title);
  if (bracketed) {
    recordId = bracketed[1]!;
    title = title.replace(REF_IN_BRACKETS, "");
  }
  title = title.replace(FORWARD_PLAN, "");
  // A suffix may follow another: "Fees 2024 - Key Decision (Ref: 12)" or "Fees - Ref. No. 12 - Key Decision".
  for (let i = 0; i < 2; i++) {
    title = title.replace(KEY_DECISION_SUFFIX, "");
    const trailing = REF_TRAILING.exec(title);
    if (trailing) {
      recordId ??= trailing[1]!;
      title = title.replace(REF_TRAILING, "");
    }
  }
  return { title: title.replace(/\s*[-–—:]\s*$/, "").trim(), recordId };
}
