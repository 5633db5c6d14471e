import { between, pick } from "../random.js";

/**
 * Paths whose words are drawn for each request (bench/mixed's long tail of distinct searches): WORDS in a path
 * stands for one to three words of a vocabulary, URL-encoded, put in by the load client (load-client.ts).
 */
export const WORDS = "{words}";

/** `path` with WORDS replaced by one to three words of `vocabulary` (as it is when it has no WORDS). */
export function withWords(path: string, vocabulary: readonly string[], random: () => number): string {
  if (!path.includes(WORDS) || vocabulary.length === 0) return path;
  const words = Array.from({ length: between(random, 1, 3) }, () => pick(random, vocabulary));
  return path.replace(WORDS, encodeURIComponent(words.join(" ")));
}
