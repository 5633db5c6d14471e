// Words kept lower case inside names: "Stockton-on-Tees", "King's Lynn and West Norfolk".
const SMALL_WORDS = new Set([
  "a",
  "an",
  "and",
  "as",
  "at",
  "by",
  "for",
  "in",
  "le",
  "of",
  "on",
  "the",
  "to",
  "upon",
  "with",
]);

/**
 * Headings printed in capitals ("STOCKTON-ON-TEES BOROUGH COUNCIL") become the name as written in
 * running text ("Stockton-on-Tees Borough Council"). Text with any lower-case letter is kept as it is.
 */
export function titleCaseIfShouting(text: string): string {
  if (/[a-z]/.test(text)) return text;
  let first = true;
  return text.toLowerCase().replace(/[\p{L}\p{N}']+/gu, (word) => {
    const keepSmall = !first && SMALL_WORDS.has(word);
    first = false;
    return keepSmall ? word : word.charAt(0).toUpperCase() + word.slice(1);
  });
}
