/**
 * An agenda item's title as a person reads it: without what agenda packs and ModernGov pages glue to it
 * ("(Pages 5 - 20)", "PDF 250 KB", "View the background to item 6.", "Additional documents:"), and without a
 * "(Key Decision)" marker, which is reported separately.
 */
export interface ItemTitle {
  title: string;
  /** True when the title was marked a key decision; null when it says nothing. */
  keyDecision: boolean | null;
}

const REFERENCE_FRAGMENTS: readonly RegExp[] = [
  /\(\s*pages?\s+\d+\s*(?:[-–]\s*\d+\s*)?\)/gi,
  /\bpages?\s+\d+\s*[-–]\s*\d+\s*$/gi,
  /\b(?:PDF|DOCX?|XLSX?)\s+\d+(?:\.\d+)?\s*[KMG]B\b/gi,
  /\bView the (?:background|reasons?|decision|minutes|declarations?)\b[^.]*(?:\.\d+[^.]*)*\.?/gi,
  /\bAdditional documents:?/gi,
  /\bView (?:the )?(?:item|report)\b[^.]*\.?/gi,
];
// (?<!\s) starts a match only at the first blank of a run: from every blank of a long run, \s* would scan the rest
// of it again (quadratic).
const KEY_DECISION =
  /(?<!\s)\s*[([]\s*key\s+decision(?:\s+no\.?\s*\S+?)?\s*[)\]]|(?<!\s)\s*[-–:]\s*key\s+decision\s*$/i;

/** A line that is only ModernGov or agenda-pack link text, never content. */
export function isReferenceLine(text: string): boolean {
  if (text.trim() === "") return false;
  return (
    cleanItemTitle(text).title === "" ||
    /^(?:Additional documents:|Supporting documents:|Background papers:)$/i.test(text) ||
    // A document's link: "Appendix A - Savings proposals, item 5. PDF 210 KB".
    /\b(?:PDF|DOCX?|XLSX?)\s+\d+(?:\.\d+)?\s*[KMG]B$/i.test(text)
  );
}

export function cleanItemTitle(raw: string): ItemTitle {
  let title = raw.replace(/[\u00a0\t]/g, " ");
  let keyDecision: boolean | null = null;
  if (KEY_DECISION.test(title)) {
    keyDecision = true;
    title = title.replace(KEY_DECISION, " ");
  }
  for (const fragment of REFERENCE_FRAGMENTS) title = title.replace(fragment, " ");
  title = title
    .replace(/\s+/g, " ")
    .replace(/^[\s.:–—-]+/, "")
    // The lookbehind starts the search only where a run of these begins (not inside a long one, quadratic).
    .replace(/(?<![\s:–—-])[\s:–—-]+$/, "")
    .trim();
  return { title, keyDecision };
}
