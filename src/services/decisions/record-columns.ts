import {
  addedRecordFieldNames,
  type DecisionRecord,
  type RecordFieldName,
  recordFieldNames,
} from "../../domain/decision-record.js";
import { ConflictError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Council } from "../councils/councils.js";

/** A record (the interchange format) as the decision row's columns, and how two records are compared. */

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
  /** Only when the record states it ("Is Key decision?"): otherwise the column keeps what the workspace set. */
  keyDecision?: boolean;
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
    ...(typeof record.keyDecision === "boolean" && { keyDecision: record.keyDecision }),
  };
}

/**
 * The record's content as one comparable string: object keys sorted (jsonb does not keep their order), and the
 * `source` left out, since it describes where the record came from rather than what it says. A field added
 * within version 1 that a record lacks reads as not stated: the same as null (madeUp: the same as none), so a
 * record given back as the API shows it (every field present) is the same record.
 */
export function recordContentKey(record: DecisionRecord): string {
  const { source: _source, ...content } = record;
  return canonicalJson({
    ...content,
    ...Object.fromEntries(addedRecordFieldNames.map((field) => [field, record[field] ?? null])),
    madeUp: record.madeUp ?? [],
  });
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
  // A field the older record lacks reads as null (not stated).
  return recordFieldNames.filter(
    (field) => canonicalJson(before[field] ?? null) !== canonicalJson(after[field] ?? null),
  );
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
