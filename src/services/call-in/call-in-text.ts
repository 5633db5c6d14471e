import type { IsoDate } from "../../domain/iso-date.js";
import { formatLongDate } from "../../import/uk-date.js";

/**
 * Section 7 as the Proper Officer prints it: "Midnight, 24 November 2017" (the rule's "24:00"), "12 noon, ...",
 * "4pm, ...", "4.30pm, ...". printedCutoffTime (call-in-window.ts) reads each of these back as the same time.
 */
export function callInLineFor(deadline: IsoDate, cutoff: string): string {
  return `${cutoffWords(cutoff)}, ${formatLongDate(deadline)}`;
}

/** Section 7 for a decision not subject to call-in. */
export const NOT_APPLICABLE = "Not applicable";

function cutoffWords(cutoff: string): string {
  const [hour, minute] = cutoff.split(":").map(Number) as [number, number];
  if (hour === 24) return "Midnight";
  // The first minutes of the day are rarely a cutoff; written as the rule gives them, so no one misreads them.
  if (hour === 0) return `00:${String(minute).padStart(2, "0")}`;
  if (hour === 12 && minute === 0) return "12 noon";
  const twelve = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? "am" : "pm";
  return minute === 0 ? `${twelve}${suffix}` : `${twelve}.${String(minute).padStart(2, "0")}${suffix}`;
}
