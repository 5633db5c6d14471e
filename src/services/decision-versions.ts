import { syncDeclarations } from "./declarations.js";
import { callInExemption, saysNotSubjectToCallIn } from "../domain/call-in-exemption.js";
import {
  decisionRecordSchema,
  recordFieldNames,
  type DecisionRecord,
  type RecordFieldName,
} from "../domain/decision-record.js";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors.js";
import type { IsoDate } from "../domain/iso-date.js";
import { formatLongDate } from "../import/uk-date.js";
import type { Executor } from "../storage/database.js";
import type { JsonObject } from "../storage/schema.js";
import { appendAudit } from "./audit.js";
import { getCouncil, type Council } from "./council-service.js";
import { callInDeadlineFor } from "./deadline-service.js";

/**
 * A decision's record changes only by a new version: decision_version rows are never updated, and the decision's
 * own columns mirror the current version. Used by the importer (a changed file) and by corrections.
 */

/** The decision's columns that mirror the record (the interchange format) of its current version. */
export interface DecisionRecordColumns {
  recordId: string | null;
  documentType: string;
  meetingDate: IsoDate;
  title: string;
  record: string;
  /** JSON text: jsonb is written as text (see schema.ts). */
  outcomes: string;
  reasons: string;
  alternatives: string;
  conflictsOfInterest: string;
  dispensations: string;
  callInText: string;
  callInDeadline: IsoDate | null;
  signedBy: string | null;
  publishedOn: IsoDate;
}

export function decisionColumnsFromRecord(record: DecisionRecord): DecisionRecordColumns {
  return {
    recordId: record.recordId,
    documentType: record.documentType,
    meetingDate: record.meetingDate,
    title: record.title,
    record: record.record,
    outcomes: JSON.stringify(record.outcomes),
    reasons: record.reasons,
    alternatives: record.alternatives,
    conflictsOfInterest: record.conflictsOfInterest,
    dispensations: record.dispensations,
    callInText: record.callIn.text,
    callInDeadline: record.callIn.deadline,
    signedBy: record.signedBy,
    publishedOn: record.publishedOn,
  };
}

/** What the council's call-in rule says about a record, and where the record disagrees with it. */
export interface CallInFacts {
  notSubjectToCallIn: boolean;
  /** The deadline the council's rule gives; null when not subject to call-in or it cannot be computed. */
  expectedCallInDeadline: IsoDate | null;
  deadlineMismatch: boolean;
  /** For the person importing or correcting: a printed deadline that disagrees, or one that cannot be checked. */
  warnings: { line?: number; message: string }[];
}

/**
 * Not subject to call-in when every outcome is RECOMMENDED (a recommendation to Council), when the decision is
 * urgent, or when the record gives no deadline ("Not applicable"). Otherwise the printed deadline is checked
 * against the council's rule: legacy records contain mistakes, so a difference is flagged, not corrected.
 */
export function callInFactsFor(
  council: Pick<Council, "name" | "callInRule">,
  record: DecisionRecord,
  options: { urgent?: boolean } = {},
): CallInFacts {
  const line = record.source?.lines.callIn;
  const at = line === undefined ? {} : { line };
  const exempt = callInExemption({ outcomes: record.outcomes, urgency: null }) !== null;
  const printed = record.callIn.deadline;
  // As for a printed deadline, the record as published governs: its "Not applicable" stands.
  const statedNotApplicable = printed === null && saysNotSubjectToCallIn(record.callIn.text);
  if (exempt || options.urgent || statedNotApplicable) {
    const warnings: CallInFacts["warnings"] = [];
    if (exempt && printed !== null) {
      warnings.push({
        ...at,
        message:
          `the record says call-in ends ${formatLongDate(printed)}, but every outcome is RECOMMENDED: ` +
          "a recommendation to Council is not subject to call-in",
      });
    } else if (!exempt && !options.urgent) {
      const kinds = [...new Set(record.outcomes.map((o) => o.kind))]
        .filter((kind) => kind !== "RECOMMENDED")
        .join(" and ");
      warnings.push({
        ...at,
        message:
          `the record says call-in is "${record.callIn.text.trim()}", although it has ${kinds} outcomes, ` +
          "which are normally subject to call-in",
      });
    }
    return { notSubjectToCallIn: true, expectedCallInDeadline: null, deadlineMismatch: false, warnings };
  }
  let expected: IsoDate;
  try {
    expected = callInDeadlineFor(council, record.publishedOn).deadline;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return {
      notSubjectToCallIn: false,
      expectedCallInDeadline: null,
      deadlineMismatch: false,
      warnings: [{ ...at, message: `the call-in deadline could not be checked: ${error.message}` }],
    };
  }
  if (printed === null) {
    return {
      notSubjectToCallIn: false,
      expectedCallInDeadline: expected,
      deadlineMismatch: false,
      warnings: [
        {
          ...at,
          message: `the record gives no call-in deadline; ${possessive(council.name)} rule gives ${formatLongDate(expected)}`,
        },
      ],
    };
  }
  const mismatch = expected !== printed;
  return {
    notSubjectToCallIn: false,
    expectedCallInDeadline: expected,
    deadlineMismatch: mismatch,
    warnings: mismatch
      ? [
          {
            ...at,
            message:
              `the record says call-in ends ${formatLongDate(printed)}; ${possessive(council.name)} rule gives ` +
              `${formatLongDate(expected)}`,
          },
        ]
      : [],
  };
}

function possessive(name: string): string {
  return name.endsWith("s") ? `${name}'` : `${name}'s`;
}

/**
 * The record's content as one comparable string: object keys sorted (jsonb does not keep their order), and the
 * `source` left out, since it describes where the record came from rather than what it says.
 */
export function recordContentKey(record: DecisionRecord): string {
  const { source: _source, ...content } = record;
  return canonicalJson(content);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** The record fields whose content differs between two versions. */
export function changedRecordFields(before: DecisionRecord, after: DecisionRecord): RecordFieldName[] {
  return recordFieldNames.filter((field) => canonicalJson(before[field]) !== canonicalJson(after[field]));
}

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

/** A unique violation on (council, record_id) as a ConflictError the user can act on; otherwise undefined. */
export function duplicateRecordId(
  error: unknown,
  record: Pick<DecisionRecord, "recordId">,
  council: Pick<Council, "name">,
): ConflictError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  const message = error instanceof Error ? error.message : "";
  if (code !== "23505") return undefined;
  if (constraint !== undefined && constraint !== "decision_council_record_id_unique") return undefined;
  if (constraint === undefined && !message.includes("decision_council_record_id_unique")) return undefined;
  return new ConflictError(
    `another decision of ${council.name} already has the identifier ${record.recordId ?? "(none)"}`,
    { cause: error },
  );
}
