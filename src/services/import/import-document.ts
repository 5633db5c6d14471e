import { parseDocument } from "../../import/parse-document.js";
import type { ParsedRecord } from "../../import/parsed-record.js";
import type { Database, Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { callInFactsFor } from "../call-in/record-call-in-check.js";
import { createBody, findBody } from "../councils/bodies.js";
import { findCouncilBySlug } from "../councils/councils.js";
import { storeCommitments } from "../commitments/store-commitments.js";
import { addDecisionVersion } from "../decision-changes/corrections.js";
import { declarationRows, insertDeclarations } from "../decisions/declarations.js";
import { duplicateRecordId, recordContentKey } from "../decisions/record-columns.js";
import { findOrCreateMeeting } from "../meetings/meetings.js";
import { linkDecisionsToStrategies, proposeStrategyLinks } from "../strategy-updates/propose-links.js";
import { findDecisions, findSameFileVersions } from "./existing-records.js";
import {
  checkImportOptions,
  councilWarnings,
  createCouncil,
  takenAtMeeting,
  firstVersionRow,
  importResult,
  importedAuditEntry,
  newDecisionRow,
  parseWarningsOf,
  resolveCouncil,
  unchangedWarnings,
} from "./import-rows.js";
import type {
  DocumentImportResult,
  ImportInput,
  ImportOptions,
  ImportOutcome,
  ImportResult,
  ImportWarning,
} from "./import-types.js";
import { storeOriginal } from "./originals.js";

/**
 * Importing a council's document into the register: parse it, then in ONE transaction find or create the
 * council, body and meeting, keep the original bytes, and add the decision (version 1) or a new version of the
 * decision it records. Importing the same file again writes nothing.
 */

/**
 * Parses `input` (outside any transaction) and stores every decision it holds (inside one transaction): the
 * result is the document's first decision, with every decision's result in `decisions`. Throws DocumentError for
 * a document with no decision in it, ValidationError / NotFoundError for options that cannot be used,
 * ConflictError when another import of the same record committed first (its identifier is taken); nothing of the
 * document is written then.
 */
export async function importDocument(
  database: Database,
  input: ImportInput,
  options: ImportOptions,
): Promise<DocumentImportResult> {
  checkImportOptions(options);
  const { decisions } = await parseDocument(input.bytes, input.fileName);
  return storeDocument(database, input, decisions, options);
}

/**
 * Stores a document's decisions, already parsed from `input` (at least one), in one transaction, as
 * importDocument does after parsing: for the batch importer, so that a file it stores alone is not read twice.
 */
export async function storeDocument(
  database: Database,
  input: ImportInput,
  decisions: readonly ParsedRecord[],
  options: ImportOptions,
): Promise<DocumentImportResult> {
  const results = await database.transaction(async (trx) => {
    const stored: ImportResult[] = [];
    // In document order, each seeing the ones before: two items of one set of minutes are two decisions.
    for (const parsed of decisions) stored.push(await storeParsedDecision(trx, input, parsed, options));
    return stored;
  });
  return { ...results[0]!, decisions: results };
}

/** One decision of a document, inside the document's transaction: new, a new version, or unchanged. */
async function storeParsedDecision(
  trx: Executor,
  input: ImportInput,
  parsed: ParsedRecord,
  options: ImportOptions,
): Promise<ImportResult> {
  const record = parsed.record;
  const sha256 = record.source?.sha256;
  if (!sha256) throw new Error("parseDocument returned a record without its source");
  const parseWarnings = parseWarningsOf(parsed);

  const target = resolveCouncil(record, options);
  const existingCouncil = await findCouncilBySlug(trx, target.slug);
  const ownWarnings = councilWarnings(record, options, target, existingCouncil?.name);
  const result = (
    outcome: ImportOutcome,
    decisionId: number,
    version: number,
    extra: ImportWarning[],
  ): ImportResult =>
    importResult(record, outcome, decisionId, version, [...parseWarnings, ...ownWarnings, ...extra]);

  // Read-only first: a file already in the register must write nothing at all.
  const existingBody = existingCouncil ? await findBody(trx, existingCouncil.id, record.body) : undefined;
  const match = existingCouncil
    ? (await findDecisions(trx, existingCouncil.id, [{ bodyId: existingBody?.id, record }]))[0]
    : undefined;
  if (existingCouncil && match) {
    const [sameFile] = await findSameFileVersions(trx, [{ decisionId: match.id, sha256 }]);
    if (sameFile !== undefined) {
      return result(
        "unchanged",
        match.id,
        sameFile,
        unchangedWarnings(existingCouncil, record, match, sameFile),
      );
    }
    const current = await trx
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", match.id)
      .where("version", "=", match.currentVersion)
      .executeTakeFirstOrThrow();
    if (recordContentKey(current.record) === recordContentKey(record)) {
      // Different bytes (a re-saved PDF, say) but the same record: nothing to add.
      const facts = callInFactsFor(existingCouncil, record, { urgent: match.urgent });
      return result("unchanged", match.id, match.currentVersion, facts.warnings);
    }
  }

  const council = existingCouncil ?? (await createCouncil(trx, target, options.actor));
  const body = existingBody ?? (await createBody(trx, council, record.body, options.actor));
  const meetingId = takenAtMeeting(record)
    ? (await findOrCreateMeeting(trx, council, body.id, record.meetingDate, options.actor)).id
    : null;
  const sourceDocumentId = await storeOriginal(trx, input, record, options.actor);

  if (match) {
    const added = await addDecisionVersion(trx, match.id, record, {
      reason: `Re-imported from ${input.fileName}: differs from version ${match.currentVersion}`,
      sourceDocumentId,
      actor: options.actor,
    });
    // The importer also files the decision under the record's body and meeting (a corrected meeting date),
    // and publishes a draft: imported records are published ones.
    if (match.bodyId !== body.id || match.meetingId !== meetingId || match.status === "draft") {
      await trx
        .updateTable("decision")
        .set({
          bodyId: body.id,
          meetingId,
          ...(match.status === "draft" && { status: "published" as const }),
        })
        .where("id", "=", match.id)
        .execute();
      if (match.status === "draft") await proposeStrategyLinks(trx, match.id, options.actor);
    }
    return result("new-version", match.id, added.version, added.warnings);
  }

  const facts = callInFactsFor(council, record);
  let decisionId: number;
  try {
    const inserted = await trx
      .insertInto("decision")
      .values(newDecisionRow(council.id, body.id, meetingId, record, facts))
      .returning("id")
      .executeTakeFirstOrThrow();
    decisionId = inserted.id;
  } catch (error) {
    throw duplicateRecordId(error, record, council) ?? error;
  }
  // The decision's current_version foreign key is deferred: checked when this transaction commits.
  await trx
    .insertInto("decisionVersion")
    .values(firstVersionRow(decisionId, record, sourceDocumentId, options.actor))
    .execute();
  await insertDeclarations(trx, declarationRows(decisionId, record));
  await storeCommitments(trx, [{ decisionId, record }]);
  await appendAudit(
    trx,
    importedAuditEntry({
      council,
      decisionId,
      fileName: input.fileName,
      record,
      sourceDocumentId,
      facts,
      actor: options.actor,
    }),
  );
  await linkDecisionsToStrategies(trx, [{ decisionId, record }], options.actor);
  return result("imported", decisionId, 1, facts.warnings);
}
