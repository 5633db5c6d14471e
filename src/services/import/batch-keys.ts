import type { DecisionRecord } from "../../domain/decision-record.js";
import { normaliseTitle } from "./existing-records.js";
import { type CouncilTarget, resolveCouncil } from "./import-rows.js";
import type { ImportOptions, ParsedInput } from "./import-types.js";

/**
 * What decisions a batch's files could find or make (see findDecisions and matchKeys), for deciding whether two
 * batches may be stored at the same time.
 */
export interface BatchKeys {
  /** The identifiers its records carry. */
  ids: Set<string>;
  /** The council, body, meeting date and title of each record: under these a record finds a decision that has no
   * identifier. */
  titles: Set<string>;
  /** The same, of its records without an identifier only: these may make or change such a decision. */
  idlessTitles: Set<string>;
}

export function batchKeys(
  batch: readonly ParsedInput[],
  options: Pick<ImportOptions, "council" | "defaultCouncil">,
): BatchKeys {
  const keys: BatchKeys = { ids: new Set(), titles: new Set(), idlessTitles: new Set() };
  for (const item of batch) {
    if (!item.record) continue;
    const target = resolveCouncil(item.record, options);
    for (const record of [item.record, ...(item.otherDecisions ?? []).map((d) => d.record)]) {
      const { byId, byTitle } = matchKeys({ record, target });
      keys.titles.add(byTitle);
      if (byId === undefined) keys.idlessTitles.add(byTitle);
      else keys.ids.add(byId);
    }
  }
  return keys;
}

/**
 * Whether two batches could touch the same decision, so that one must wait for the other: the same identifier;
 * or the same title key where a record without an identifier could make or change the decision the other finds
 * by it. Records with identifiers only find a decision by title when it has none, so when the register holds no
 * decision without an identifier (`idlessInRegister` false) two such records sharing a title at a meeting (a
 * common occurrence: a Cabinet Member signs two decisions on "Treasury Management" the same day) never meet.
 */
export function batchesMeet(a: BatchKeys, b: BatchKeys, idlessInRegister: boolean): boolean {
  return (
    sharesAny(a.ids, b.ids) ||
    sharesAny(a.idlessTitles, b.titles) ||
    sharesAny(b.idlessTitles, a.titles) ||
    (idlessInRegister && sharesAny(a.titles, b.titles))
  );
}

function sharesAny(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const key of small) if (large.has(key)) return true;
  return false;
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
