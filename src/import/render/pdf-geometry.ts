/**
 * The proforma's page in points (y is a baseline, measured down from the top of the page): A4
 * portrait, 2 cm side margins, DejaVu Sans 11 pt for the body.
 */

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const CM = 28.35;
export const LEFT = 2 * CM;
export const RIGHT = PAGE_WIDTH - 2 * CM;
// 2.5 cm at the top and bottom keeps the text clear of the bands where importers look for running
// headers and footers; the footer sits 1 cm from the bottom edge.
export const TOP = 2.5 * CM;
export const BOTTOM = PAGE_HEIGHT - 2.5 * CM;
export const FOOTER_BASELINE = PAGE_HEIGHT - CM;
export const LIST_INDENT = CM;

export const BODY_SIZE = 11;
export const LEADING = 14;
export const HEADING_SIZE = 12;
export const BANNER_SIZE = 14;
export const BANNER_LEADING = 18;
export const FOOTER_SIZE = 9;
/** Baseline to baseline between paragraphs (a visible gap, read as a paragraph break). */
export const PARAGRAPH_GAP = 22;
/** Between items of one list: closer than paragraphs, and not read as a paragraph break. */
export const ITEM_GAP = 17;
export const BEFORE_HEADING = 30;
export const AFTER_HEADING = 21;
export const BEFORE_SIGNATURE = 36;
