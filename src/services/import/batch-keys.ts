import type { DecisionRecord } from "../../domain/decision-record.js";
import { normaliseTitle } from "./existing-records.js";
import { type CouncilTarget, resolveCouncil } from "./import-rows.js";
import type { ImportOptions, ParsedInput } from "./import-types.js";

/**
 * Every key under which the batch's files could find, or be found by, a decision (see matchKeys): two batches
 * with no key in common never touch the same decision, so they may be stored at the same time.
 */
export function batchKeys(
  batch: readonly ParsedInput[],
  options: Pick<ImportOptions, "council" | "defaultCouncil">,
): Set<string> {
  const keys = new Set<string>();
  for (const item of batch) {
    if (!item.record) continue;
    const target = resolveCouncil(item.record, options);
    for (const record of [item.record, ...(item.otherDecisions ?? []).map((d) => d.record)]) {
      for (const key of matchKeys({ record, target }).lookup) keys.add(key);
    }
  }
  return keys;
}

/**
 * The keys under which findDecisions connects a file to a decision: its identifier, if it has one (matching the
 * decision with that identifier), and its body, meeting date and title (matching a decision without one).
 * A new decision is found under its identifier, or without one under its title key; a decision changed by a
 * file under the keys it had and the keys of the file.
 */
export function matchKeys(item: { record: DecisionRecord; target: CouncilTarget }): {
  byId?: string;
  byTitle: string;
  lookup: string[];
} {
  const { record, target } = item;
  const byTitle = JSON.stringify([
    "title",
    target.slug,
    record.body,
    record.meetingDate,
    normaliseTitle(record.title),
  ]);
  if (record.recordId === null) return { byTitle, lookup: [byTitle] };
  const byId = JSON.stringify(["id", target.slug, record.recordId]);
  return { byId, byTitle, lookup: [byId, byTitle] };
}
