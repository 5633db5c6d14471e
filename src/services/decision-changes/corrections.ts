import {
  type DecisionRecord,
  type RecordFieldName,
  decisionRecordSchema,
} from "../../domain/decision-record.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Executor } from "../../storage/database.js";
import type { JsonObject } from "../../storage/schema.js";
import { appendAudit } from "../audit/audit-log.js";
import { refreshCommitments } from "../commitments/store-commitments.js";
import { relinkDecision } from "../strategy-updates/propose-links.js";
import { callInFactsFor } from "../call-in/record-call-in-check.js";
import { getCouncil } from "../councils/councils.js";
import { syncDeclarations } from "../decisions/declarations.js";
import {
  changedRecordFields,
  decisionColumnsFromRecord,
  duplicateRecordId,
  recordContentKey,
} from "../decisions/record-columns.js";

/**
 * A decision's record changes only by a new version: decision_version rows are never updated, and the decision's
 * own columns mirror the current version. Used by the importer (a changed file) and by corrections.
 */

export interface AddDecisionVersionOptions {
  /** Why this version replaces the current one; required. */
  reason: string;
  /** The original document this version was read from, if any (source_document.id). */
  sourceDocumentId?: number | null;
  actor: string;
}

export interface AddedDecisionVersion {
  decisionId: number;
  version: number;
  changedFields: RecordFieldName[];
  /** The call-in checks on the new version (see callInFactsFor). */
  warnings: { line?: number; message: string }[];
}

/**
 * Adds a version to a decision and makes it current: the decision's columns are updated from the record, its
 * call-in facts recomputed with the council's rule, and the change audited ("decision.version-added"). Run it
 * in the caller's transaction. Throws ValidationError for an empty reason, an invalid record, or a record whose
 * content is the same as the current version's ("nothing changed"); NotFoundError for an unknown decision.
 */
export async function addDecisionVersion(
  trx: Executor,
  decisionId: number,
  record: DecisionRecord,
  options: AddDecisionVersionOptions,
): Promise<AddedDecisionVersion> {
  const reason = options.reason?.trim() ?? "";
  if (reason === "") {
    throw new ValidationError("a new version needs a reason (what it corrects, and why)", "reason");
  }
  const checked = decisionRecordSchema.safeParse(record);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.map(String).join(".") || "record";
    throw new ValidationError(`the record is not valid: ${field}: ${issue?.message ?? "invalid"}`, field);
  }

  // Locks the decision, so two corrections at once cannot both become version N + 1.
  const decision = await trx
    .selectFrom("decision")
    .select(["id", "councilId", "currentVersion", "urgent"])
    .where("id", "=", decisionId)
    .forUpdate()
    .executeTakeFirst();
  if (!decision) throw new NotFoundError(`no decision with id ${decisionId}`);
  const current = await trx
    .selectFrom("decisionVersion")
    .select("record")
    .where("decisionId", "=", decisionId)
    .where("version", "=", decision.currentVersion)
    .executeTakeFirstOrThrow();
  if (recordContentKey(current.record) === recordContentKey(record)) {
    throw new ValidationError(
      `nothing changed: the record is the same as version ${decision.currentVersion}`,
      "record",
    );
  }

  const councilRow = await trx
    .selectFrom("council")
    .select("slug")
    .where("id", "=", decision.councilId)
    .executeTakeFirstOrThrow();
  const council = await getCouncil(trx, councilRow.slug);
  const facts = callInFactsFor(council, record, { urgent: decision.urgent });
  const version = decision.currentVersion + 1;
  const sourceDocumentId = options.sourceDocumentId ?? null;

  await trx
    .insertInto("decisionVersion")
    .values({
      decisionId,
      version,
      record: JSON.stringify(record),
      reason,
      sourceDocumentId,
      createdBy: options.actor,
    })
    .execute();
  try {
    await trx
      .updateTable("decision")
      .set({
        ...decisionColumnsFromRecord(record),
        notSubjectToCallIn: facts.notSubjectToCallIn,
        expectedCallInDeadline: facts.expectedCallInDeadline,
        deadlineMismatch: facts.deadlineMismatch,
        currentVersion: version,
      })
      .where("id", "=", decisionId)
      .execute();
  } catch (error) {
    throw duplicateRecordId(error, record, council) ?? error;
  }
  await syncDeclarations(trx, decisionId, record);
  await refreshCommitments(trx, decisionId, record, options.actor);
  await relinkDecision(trx, decisionId, record, options.actor);

  const source =
    sourceDocumentId === null
      ? undefined
      : await trx
          .selectFrom("sourceDocument")
          .select(["fileName", "sha256"])
          .where("id", "=", sourceDocumentId)
          .executeTakeFirst();
  const changedFields = changedRecordFields(current.record, record);
  const details: JsonObject = {
    version,
    previousVersion: decision.currentVersion,
    reason,
    changedFields,
    // What each changed field said before and says now (the versions hold the whole records).
    before: Object.fromEntries(
      changedFields.map((f) => [f, JSON.parse(JSON.stringify(current.record[f] ?? null))]),
    ),
    after: Object.fromEntries(changedFields.map((f) => [f, JSON.parse(JSON.stringify(record[f] ?? null))])),
    sourceDocumentId,
    ...(source && { fileName: source.fileName, sha256: source.sha256 }),
    ...(facts.deadlineMismatch && {
      deadlineMismatch: true,
      expectedCallInDeadline: facts.expectedCallInDeadline,
    }),
  };
  await appendAudit(trx, {
    actor: options.actor,
    action: "decision.version-added",
    entity: "decision",
    entityId: decisionId,
    councilId: decision.councilId,
    details,
  });
  return { decisionId, version, changedFields, warnings: facts.warnings };
}
