import type { DecisionRecord } from "../../domain/decision-record.js";
import { formatQuarter } from "../../domain/financial-period.js";
import { extractCommitments, type ExtractedCommitment } from "../../import/commitment-extractor.js";
import type { Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";

/**
 * Keeping a decision's commitments in step with its record. A new decision's are read and stored with it (the
 * importer, bulk or not, and publication call storeCommitments in their transaction; the decision's own audit
 * entry covers them, since they follow from the record it names). A new version re-reads them: a commitment
 * whose words are unchanged keeps its row (and so its status, fulfilment, owner and reviews), new ones are
 * added, and vanished ones are removed, unless people already worked on them (done, dropped, an owner,
 * progress or a review), which are kept after the others; the change is audited.
 */

function rowOf(decisionId: number, commitment: ExtractedCommitment, position: number) {
  return {
    decisionId,
    position,
    text: commitment.text,
    dueStartYear: commitment.due.startYear,
    dueQuarter: commitment.due.quarter,
    duePhrase: commitment.duePhrase,
    confidence: commitment.confidence,
  };
}

/** The same commitment in two versions: the same words, whatever the spacing and case. */
const sameWords = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

/** Stores the commitments of new decisions (no rows yet); one statement for all. Returns how many per decision. */
export async function storeCommitments(
  trx: Executor,
  decisions: readonly { decisionId: number; record: DecisionRecord }[],
): Promise<number[]> {
  const found = decisions.map(({ record }) => extractCommitments(record));
  const rows = decisions.flatMap(({ decisionId }, i) =>
    found[i]!.map((commitment, j) => rowOf(decisionId, commitment, j + 1)),
  );
  // Well under the parameters one statement may have, even for a batch of 2,000 decisions with a few each.
  for (let from = 0; from < rows.length; from += 5000) {
    await trx
      .insertInto("commitment")
      .values(rows.slice(from, from + 5000))
      .execute();
  }
  return found.map((list) => list.length);
}

export interface CommitmentRefresh {
  added: string[];
  removed: string[];
  kept: number;
}

/** Re-reads a decision's commitments from its new current record (see the module comment). */
export async function refreshCommitments(
  trx: Executor,
  decisionId: number,
  record: DecisionRecord,
  actor: string,
): Promise<CommitmentRefresh> {
  const existing = await trx
    .selectFrom("commitment")
    .leftJoin("commitmentSuggestionReview", "commitmentSuggestionReview.commitmentId", "commitment.id")
    .select([
      "commitment.id",
      "commitment.text",
      "commitment.status",
      "commitment.owner",
      "commitment.progress",
      "commitment.position",
      "commitment.dueStartYear",
      "commitment.dueQuarter",
      "commitment.duePhrase",
      "commitment.confidence",
    ])
    .select((eb) => eb.fn.count<number>("commitmentSuggestionReview.decisionId").as("reviews"))
    .where("commitment.decisionId", "=", decisionId)
    .groupBy("commitment.id")
    .orderBy("commitment.position")
    .execute();
  const extracted = extractCommitments(record);
  const unused = new Map(existing.map((row) => [row.id, row]));
  const result: CommitmentRefresh = { added: [], removed: [], kept: 0 };
  let changedDue = false;

  for (const [i, commitment] of extracted.entries()) {
    const match = [...unused.values()].find((row) => sameWords(row.text) === sameWords(commitment.text));
    const row = rowOf(decisionId, commitment, i + 1);
    if (match) {
      unused.delete(match.id);
      result.kept++;
      const moved =
        match.position !== row.position ||
        match.dueStartYear !== row.dueStartYear ||
        match.dueQuarter !== row.dueQuarter ||
        match.duePhrase !== row.duePhrase ||
        match.confidence !== row.confidence ||
        match.text !== row.text;
      if (moved) {
        changedDue ||= match.dueStartYear !== row.dueStartYear || match.dueQuarter !== row.dueQuarter;
        await trx
          .updateTable("commitment")
          .set({ ...row, position: row.position })
          .where("id", "=", match.id)
          .execute();
      }
    } else {
      await trx.insertInto("commitment").values(row).execute();
      result.added.push(`${commitment.text} (due ${formatQuarter(commitment.due)})`);
    }
  }

  let position = extracted.length;
  for (const row of unused.values()) {
    const worked =
      row.status !== "open" || row.owner !== null || row.progress !== "" || Number(row.reviews) > 0;
    if (worked) {
      // No longer in the record, but people have acted on it: kept, after the record's own.
      result.kept++;
      position++;
      if (row.position !== position) {
        await trx.updateTable("commitment").set({ position }).where("id", "=", row.id).execute();
      }
    } else {
      await trx.deleteFrom("commitment").where("id", "=", row.id).execute();
      result.removed.push(row.text);
    }
  }

  if (result.added.length > 0 || result.removed.length > 0 || changedDue) {
    const decision = await trx
      .selectFrom("decision")
      .select(["councilId", "currentVersion"])
      .where("id", "=", decisionId)
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "commitments.re-read",
      entity: "decision",
      entityId: decisionId,
      councilId: decision.councilId,
      details: {
        version: decision.currentVersion,
        added: result.added,
        removed: result.removed,
        kept: result.kept,
        dueChanged: changedDue,
      },
    });
  }
  return result;
}
