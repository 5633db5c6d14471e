import type { InterestCategory } from "../domain/interest-category.js";

/**
 * Declarations of interest as records write them in section 5 ("Councillor Margaret Aldridge declared a
 * personal non-prejudicial interest in the item as a member of the Stockton Civic Trust."), one per
 * sentence. "None.", "N/A" and sentences that name nobody yield nothing: the section text itself is
 * always kept as written, so nothing is lost when a declaration is worded another way.
 */

export interface DeclaredInterest {
  personName: string;
  category: InterestCategory;
  /** The whole sentence, as written. */
  nature: string;
}

const NAME_WORD = "[A-Z][\\p{L}'’-]+";
const DECLARATION = new RegExp(
  `((?:Councillor|Cllr\\.?|Mayor|Mr|Mrs|Ms|Miss|Dr)\\s+${NAME_WORD}(?:\\s+${NAME_WORD}){0,3})\\s*(?:\\([^)]*\\)\\s*)?,?\\s*(?:\\w+\\s+){0,3}?declared\\s+(?:an?\\s+|their\\s+|his\\s+|her\\s+)?(.{0,80}?)\\binterests?\\b`,
  "u",
);

export function declaredInterests(section: string): DeclaredInterest[] {
  const sentences = section
    .replace(/\s+/g, " ")
    .split(/(?<=[.;])\s+(?=[A-Z])/)
    .map((s) => s.trim())
    .filter(Boolean);
  const found: DeclaredInterest[] = [];
  for (const sentence of sentences) {
    const m = DECLARATION.exec(sentence);
    if (!m) continue;
    found.push({ personName: m[1]!.trim(), category: categoryOf(m[2]!.toLowerCase()), nature: sentence });
  }
  return found;
}

function categoryOf(kind: string): InterestCategory {
  if (/disclosable\s+pecuniary|\bdpi\b/.test(kind)) return "disclosable-pecuniary";
  if (/other\s+registrable/.test(kind)) return "other-registrable";
  if (/non[-\s]?registrable/.test(kind)) return "non-registrable";
  if (/(?<!non[-\s]?)prejudicial/.test(kind)) return "prejudicial";
  if (/personal/.test(kind)) return "personal";
  return "other";
}
