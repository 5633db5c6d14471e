import {
  searchDecisions as searchRegister,
  type Excerpt,
  type SearchItem,
  type SearchOptions,
  type SearchQuery,
  type SearchResult,
  type TextPart,
} from "../../services/search/index.js";
import type { Executor } from "../../storage/database.js";

/**
 * Search results as the site shows them: the search service gives each item's title and excerpt as text in
 * parts, the words that match marked (src/services/search/search-snippets.ts); here they become HTML, the text
 * escaped, with <mark> around the matches. Pages (`| safe`), the API (titleHtml, snippet) and any other view
 * use this, so a council's text is escaped in one place.
 */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Text in parts as HTML: everything escaped, with <mark> around the matches. */
export function markedHtml(parts: readonly TextPart[]): string {
  // Adjacent matches ("<mark>home</mark> <mark>school</mark>") stay separate marks: harmless.
  let html = "";
  for (const part of parts)
    html += part.match ? `<mark>${escapeHtml(part.text)}</mark>` : escapeHtml(part.text);
  return html;
}

/** An excerpt as HTML: its parts, with an ellipsis where text was left out before or after it. */
export function excerptHtml(excerpt: Excerpt): string {
  return `${excerpt.cutBefore ? "… " : ""}${markedHtml(excerpt.parts)}${excerpt.cutAfter ? " …" : ""}`;
}

/** A search item with its HTML, as the pages and the API show it. */
export interface SearchItemHtml extends SearchItem {
  /** The title as HTML: escaped, with <mark> around the words that match. */
  titleHtml: string;
  /** HTML: an excerpt with <mark> around the matches (with q), or the start of the decision (without). */
  snippet: string;
}

export function withHtml(item: SearchItem): SearchItemHtml {
  return { ...item, titleHtml: markedHtml(item.titleParts), snippet: excerptHtml(item.excerpt) };
}

export interface SearchResultHtml extends SearchResult {
  items: SearchItemHtml[];
}

/** The register's search (src/services/search), each item with its HTML. */
export async function searchDecisions(
  db: Executor,
  query: SearchQuery,
  at: Date,
  options?: SearchOptions,
): Promise<SearchResultHtml> {
  const result = await searchRegister(db, query, at, options);
  return { ...result, items: result.items.map(withHtml) };
}
