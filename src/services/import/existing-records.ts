import { sql } from "kysely";
import type { DecisionRecord } from "../../domain/decision-record.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";

/** What the register already holds of the records being imported: the decisions they are versions of, and files seen before. */

export interface MatchedDecision {
  id: number;
  /** The decision's identifier: when not null, the record matched it by identifier. */
  recordId: string | null;
  bodyId: number;
  meetingId: number | null;
  currentVersion: number;
  status: "draft" | "published" | "withdrawn";
  urgent: boolean;
}

/** What findDecisions needs to know of a record: its body (undefined when the council has none by that name). */
export interface DecisionWanted {
  bodyId: number | undefined;
  record: Pick<DecisionRecord, "recordId" | "meetingDate" | "title">;
}

/**
 * The decision each record is a version of (undefined when none), in the order given: the council's decision
 * with the same identifier when the record has one; otherwise (or when no decision has that identifier yet)
 * one without an identifier from the same body and meeting date, with the same title (ignoring case and runs
 * of spaces), the oldest if several. Two queries whatever the number of records.
 */
export async function findDecisions(
  trx: Executor,
  councilId: number,
  wanted: readonly DecisionWanted[],
): Promise<(MatchedDecision | undefined)[]> {
  const columns = ["id", "recordId", "bodyId", "meetingId", "currentVersion", "status", "urgent"] as const;
  const matched = (row: MatchedDecision): MatchedDecision => ({
    id: row.id,
    recordId: row.recordId,
    bodyId: row.bodyId,
    meetingId: row.meetingId,
    currentVersion: row.currentVersion,
    status: row.status,
    urgent: row.urgent,
  });
  const found: (MatchedDecision | undefined)[] = wanted.map(() => undefined);
  const recordIds = [
    ...new Set(wanted.flatMap((w) => (w.record.recordId === null ? [] : [w.record.recordId]))),
  ];
  if (recordIds.length > 0) {
    const rows = await trx
      .selectFrom("decision")
      .select(columns)
      .where("councilId", "=", councilId)
      .where("recordId", "in", recordIds)
      .execute();
    const byId = new Map(rows.map((row) => [row.recordId, matched(row)]));
    wanted.forEach((w, i) => {
      if (w.record.recordId !== null) found[i] = byId.get(w.record.recordId);
    });
  }
  const byTitle = wanted.flatMap((w, i) =>
    found[i] === undefined && w.bodyId !== undefined ? [{ i, bodyId: w.bodyId, record: w.record }] : [],
  );
  if (byTitle.length === 0) return found;
  const titleKey = sql<string>`lower(regexp_replace(btrim(title), '\\s+', ' ', 'g'))`;
  const rows = await trx
    .selectFrom("decision")
    .select([...columns, "meetingDate", titleKey.as("titleKey")])
    .where("councilId", "=", councilId)
    .where("bodyId", "in", [...new Set(byTitle.map((w) => w.bodyId))])
    .where("meetingDate", "in", [...new Set(byTitle.map((w) => w.record.meetingDate))])
    .where("recordId", "is", null)
    .where(titleKey, "in", [...new Set(byTitle.map((w) => normaliseTitle(w.record.title)))])
    .orderBy("id")
    .execute();
  const key = (bodyId: number, date: IsoDate, title: string) => JSON.stringify([bodyId, date, title]);
  const oldest = new Map<string, MatchedDecision>();
  for (const row of rows) {
    const k = key(row.bodyId, row.meetingDate, row.titleKey);
    if (!oldest.has(k)) oldest.set(k, matched(row));
  }
  for (const w of byTitle) {
    found[w.i] = oldest.get(key(w.bodyId, w.record.meetingDate, normaliseTitle(w.record.title)));
  }
  return found;
}

/** A title as findDecisions compares it: trimmed, runs of spaces as one, lower case. */
export function normaliseTitle(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * For each (decision, file) pair, the highest version of the decision that was read from a file with these
 * bytes (sha256), or undefined: such a file is already in the register.
 */
export async function findSameFileVersions(
  trx: Executor,
  pairs: readonly { decisionId: number; sha256: string }[],
): Promise<(number | undefined)[]> {
  if (pairs.length === 0) return [];
  const rows = await trx
    .selectFrom("decisionVersion as v")
    .innerJoin("sourceDocument as s", "s.id", "v.sourceDocumentId")
    .select(["v.decisionId", "v.version", "s.sha256"])
    .where("v.decisionId", "in", [...new Set(pairs.map((p) => p.decisionId))])
    .where("s.sha256", "in", [...new Set(pairs.map((p) => p.sha256))])
    .execute();
  const highest = new Map<string, number>();
  for (const row of rows) {
    const k = `${row.decisionId} ${row.sha256}`;
    highest.set(k, Math.max(highest.get(k) ?? 0, row.version));
  }
  return pairs.map((p) => highest.get(`${p.decisionId} ${p.sha256}`));
}
