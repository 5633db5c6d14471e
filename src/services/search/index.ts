/**
 * Searching and browsing the register (search-decisions.ts explains how), and the call-in calendar. What the
 * other layers use; the rest of the folder is the search's own.
 */

export { CALL_IN_CALENDAR_PAST_DAYS, listCallInCutoffs } from "./call-in-calendar.js";
export { badCursor } from "./search-cursor.js";
export { searchDecisions } from "./search-decisions.js";
export { decisionItemsByIds, type SearchItem } from "./search-items.js";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type SearchOptions, type SearchQuery } from "./search-query.js";
export type { SearchResult } from "./search-result.js";
export type { Excerpt, TextPart } from "./search-snippets.js";
