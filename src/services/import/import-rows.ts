import type { DecisionRecord } from "../../domain/decision-record.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { ParsedRecord } from "../../import/proforma-parser.js";
import type { Executor } from "../../storage/database.js";
import type { AuditEntry } from "../audit/audit-log.js";
import { type CallInFacts, callInFactsFor } from "../call-in/record-call-in-check.js";
import {
  type Council,
  DEFAULT_COUNCIL,
  findOrCreateCouncil,
  knownCouncils,
  slugForCouncilName,
} from "../councils/councils.js";
import { decisionColumnsFromRecord } from "../decisions/record-columns.js";
import type { MatchedDecision } from "./existing-records.js";
import type {
  ImportInput,
  ImportOptions,
  ImportOutcome,
  ImportResult,
  ImportWarning,
} from "./import-types.js";

/** The pieces of an import, shared by the one-file and the bulk importer so both follow the same rules. */

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The parser's warnings as import warnings. */
export function parseWarningsOf(parsed: Pick<ParsedRecord, "warnings">): ImportWarning[] {
  return parsed.warnings.map((w) => ({
    ...(w.line !== undefined && { line: w.line }),
    message: w.message,
  }));
}

/** When `--council` files a record under another council than the one it names: say so. */
export function councilWarnings(
  record: DecisionRecord,
  options: Pick<ImportOptions, "council">,
  target: CouncilTarget,
  existingCouncilName: string | undefined,
): ImportWarning[] {
  if (record.council && slugForCouncilName(record.council) !== target.slug && options.council) {
    return [
      {
        ...lineOf(record, "council"),
        message: `the record names ${record.council}; imported into ${existingCouncilName ?? target.slug} as asked (--council ${target.slug})`,
      },
    ];
  }
  return [];
}

export function importResult(
  record: DecisionRecord,
  outcome: ImportOutcome,
  decisionId: number,
  version: number,
  warningDetails: ImportWarning[],
): ImportResult {
  const details = warningDetails.map((w) => ({ ...w, message: ownCopy(w.message) }));
  return {
    outcome,
    decisionId,
    version,
    recordId: record.recordId === null ? null : ownCopy(record.recordId),
    title: ownCopy(record.title),
    part: record.source?.part ?? 1,
    warnings: details.map((w) => w.message),
    warningDetails: details,
  };
}

/**
 * A copy of `text` that holds no other string alive. The record's title is cut from the document's text, and V8
 * keeps a cut-out string pointing into the whole text: a result kept for the end of a million-file import held
 * every document's text that way (9 KB a file).
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** The warnings for a file that is already version `fileVersion` of the decision it matched. */
export function unchangedWarnings(
  council: Council,
  record: DecisionRecord,
  match: Pick<MatchedDecision, "currentVersion" | "urgent">,
  fileVersion: number,
): ImportWarning[] {
  const facts = callInFactsFor(council, record, { urgent: match.urgent });
  const older =
    fileVersion < match.currentVersion
      ? [
          {
            message:
              `this file is version ${fileVersion} of the decision; the register holds version ` +
              `${match.currentVersion}, which is left as it is`,
          },
        ]
      : [];
  return [...facts.warnings, ...older];
}

/**
 * Whether the record's decision was taken at a meeting, to be filed under it: not when its meeting date is only
 * the date of decision (an officer's or a single member's decision, published without a meeting).
 */
export function takenAtMeeting(record: Pick<DecisionRecord, "madeUp">): boolean {
  return !(record.madeUp ?? []).includes("meetingDate");
}

/** The decision row for a record imported for the first time (version 1, published). */
export function newDecisionRow(
  councilId: number,
  bodyId: number,
  meetingId: number | null,
  record: DecisionRecord,
  facts: CallInFacts,
) {
  return {
    councilId,
    bodyId,
    meetingId,
    ...decisionColumnsFromRecord(record),
    status: "published" as const,
    notSubjectToCallIn: facts.notSubjectToCallIn,
    expectedCallInDeadline: facts.expectedCallInDeadline,
    deadlineMismatch: facts.deadlineMismatch,
    currentVersion: 1,
  };
}

export function firstVersionRow(
  decisionId: number,
  record: DecisionRecord,
  sourceDocumentId: number,
  actor: string,
) {
  return {
    decisionId,
    version: 1,
    record: JSON.stringify(record),
    reason: null,
    sourceDocumentId,
    createdBy: actor,
  };
}

/** The original document's row; sha256 and size are computed by the database. */
export function sourceDocumentRow(input: ImportInput, record: DecisionRecord, actor: string) {
  return {
    bytes: input.bytes,
    mediaType: record.source?.mediaType ?? "application/octet-stream",
    fileName: input.fileName,
    sourceUrl: input.sourceUrl ?? null,
    importedBy: actor,
  };
}

export function importedAuditEntry(imported: {
  council: Pick<Council, "id">;
  decisionId: number;
  fileName: string;
  record: DecisionRecord;
  sourceDocumentId: number;
  facts: CallInFacts;
  actor: string;
}): AuditEntry {
  const { record, facts } = imported;
  return {
    actor: imported.actor,
    action: "decision.imported",
    entity: "decision",
    entityId: imported.decisionId,
    councilId: imported.council.id,
    details: {
      version: 1,
      fileName: imported.fileName,
      sha256: record.source?.sha256 ?? null,
      sourceDocumentId: imported.sourceDocumentId,
      recordId: record.recordId,
      title: record.title,
      ...(facts.deadlineMismatch && {
        deadlineMismatch: true,
        callInDeadline: record.callIn.deadline,
        expectedCallInDeadline: facts.expectedCallInDeadline,
      }),
    },
  };
}

/** Throws ValidationError for options no document could be imported with (checked again by each import). */
export function checkImportOptions(options: Pick<ImportOptions, "council">): void {
  if (options.council !== undefined && !SLUG_PATTERN.test(options.council)) {
    throw new ValidationError(
      `"${options.council}" is not a council slug (lower-case words joined by hyphens, e.g. stockton-on-tees)`,
      "council",
    );
  }
}

export interface CouncilTarget {
  slug: string;
  /** The name to give the council if it has to be created. */
  name: string | undefined;
}

/** The council a record goes to: the one asked for, else the one it names, else the default. */
export function resolveCouncil(
  record: DecisionRecord,
  options: Pick<ImportOptions, "council" | "defaultCouncil">,
): CouncilTarget {
  if (options.council !== undefined) {
    const slug = options.council;
    const named = record.council && slugForCouncilName(record.council) === slug ? record.council : undefined;
    return { slug, name: named ?? (slug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : undefined) };
  }
  if (record.council) return { slug: slugForCouncilName(record.council), name: record.council };
  const slug = options.defaultCouncil ?? DEFAULT_COUNCIL.slug;
  return { slug, name: slug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : undefined };
}

/**
 * A council is created on first sight only when we know its name: the record names it, or it is the default.
 * A slug given on the command line that matches neither is more likely a typo than a new council.
 */
export async function createCouncil(trx: Executor, target: CouncilTarget, actor: string): Promise<Council> {
  if (target.name === undefined) {
    const known = await trx.selectFrom("council").select("slug").orderBy("slug").execute();
    throw new NotFoundError(
      `no council "${target.slug}" (${knownCouncils(known)}); add the council first, or import without --council to use the council the record names`,
    );
  }
  const { council } = await findOrCreateCouncil(trx, { slug: target.slug, name: target.name }, actor);
  return council;
}

function lineOf(record: DecisionRecord, field: "council"): { line?: number } {
  const line = record.source?.lines[field];
  return line === undefined ? {} : { line };
}
