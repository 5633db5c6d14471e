import type { ScrutinyOutcome } from "../../domain/decision-lifecycle.js";
import type { DecisionRecord } from "../../domain/decision-record.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { BodyKind, DecisionStatus as PublicationState } from "../../storage/schema.js";
import { assertAt, checkCount } from "../argument-checks.js";
import { type CallInRequestView, loadCallInRequests } from "../call-in/call-in-request-views.js";
import type { CallInWindow } from "../call-in/call-in-window.js";
import type { Council } from "../councils/councils.js";
import {
  type DecisionRef,
  type StatusView,
  evaluate,
  findDecisionRow,
  loadFactsFor,
} from "./decision-rows.js";
import { STORED_TO_DOMAIN_OUTCOME } from "./lifecycle-facts.js";

export interface DecisionVersionSummary {
  version: number;
  /** Why it corrects the previous version; null for version 1. */
  reason: string | null;
  createdAt: Date;
  createdBy: string | null;
  sourceDocument: {
    id: number;
    fileName: string;
    mediaType: string;
    sha256: string;
    size: number;
    sourceUrl: string | null;
    importedAt: Date;
  } | null;
}

export interface DecisionDetail {
  id: number;
  recordId: string | null;
  council: { id: number; slug: string; name: string; minCallInSignatories: number };
  body: { id: number; name: string; kind: BodyKind };
  meetingId: number | null;
  agendaItemId: number | null;
  documentType: string;
  meetingDate: IsoDate;
  title: string;
  publishedOn: IsoDate | null;
  /** The stored publication state: draft, published or withdrawn (not the lifecycle status). */
  publicationState: PublicationState;
  keyDecision: boolean;
  exemptParagraph: number | null;
  urgency: { reason: string; consent: string } | null;
  scrutiny: { outcome: ScrutinyOutcome; decidedOn: IsoDate | null } | null;
  implementedAt: Date | null;
  currentVersion: number;
  createdAt: Date;
  updatedAt: Date;
  /** The record as of the current version (or the version asked for). */
  record: DecisionRecord;
  /** Which version `record` is. */
  recordVersion: number;
  versions: DecisionVersionSummary[];
  callIn: CallInWindow | null;
  callInRequests: CallInRequestView[];
  /** The instant the status is for. */
  at: Date;
  status: StatusView | null;
  statusProblem: string | null;
}

/**
 * A decision with its council, body, record (current version, or `options.version`), every version's metadata,
 * its call-in window and requests, and its status at `at`. NotFoundError when there is no such decision or
 * version.
 */
export async function getDecision(
  db: Executor,
  ref: DecisionRef,
  at: Date,
  options: { version?: number } = {},
): Promise<DecisionDetail> {
  assertAt(at);
  if (options.version !== undefined) checkCount(options.version, "version", 1);
  const row = await findDecisionRow(db, ref);
  const loaded = await loadFactsFor(db, [row]);
  const evaluated = evaluate(row, loaded, at);
  const council = loaded.councils.get(row.councilId) as Council;
  const versionRows = await db
    .selectFrom("decisionVersion")
    .leftJoin("sourceDocument", "sourceDocument.id", "decisionVersion.sourceDocumentId")
    .select([
      "decisionVersion.version",
      "decisionVersion.reason",
      "decisionVersion.createdAt",
      "decisionVersion.createdBy",
      "decisionVersion.record",
      "sourceDocument.id as documentId",
      "sourceDocument.fileName",
      "sourceDocument.mediaType",
      "sourceDocument.sha256",
      "sourceDocument.size",
      "sourceDocument.sourceUrl",
      "sourceDocument.importedAt",
    ])
    .where("decisionVersion.decisionId", "=", row.id)
    .orderBy("decisionVersion.version")
    .execute();
  const recordVersion = options.version ?? row.currentVersion;
  const chosen = versionRows.find((v) => v.version === recordVersion);
  if (!chosen) {
    const have = versionRows.map((v) => v.version).join(", ");
    throw new NotFoundError(`decision ${row.id} has no version ${recordVersion} (versions: ${have})`);
  }
  const scrutinyOutcome = row.scrutinyOutcome;
  return {
    id: row.id,
    recordId: row.recordId,
    council: {
      id: council.id,
      slug: council.slug,
      name: council.name,
      minCallInSignatories: council.minCallInSignatories,
    },
    body: { id: row.bodyId, name: row.bodyName, kind: row.bodyKind },
    meetingId: row.meetingId,
    agendaItemId: row.agendaItemId,
    documentType: row.documentType,
    meetingDate: row.meetingDate,
    title: row.title,
    publishedOn: row.publishedOn,
    publicationState: row.status,
    keyDecision: row.keyDecision,
    exemptParagraph: row.exemptParagraph,
    urgency:
      row.urgent && row.urgencyReason !== null && row.urgencyChairConsent !== null
        ? { reason: row.urgencyReason, consent: row.urgencyChairConsent }
        : null,
    scrutiny:
      scrutinyOutcome === null
        ? null
        : { outcome: STORED_TO_DOMAIN_OUTCOME[scrutinyOutcome], decidedOn: row.scrutinyOutcomeOn },
    implementedAt: loaded.implementations.get(row.id) ?? null,
    currentVersion: row.currentVersion,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    record: chosen.record,
    recordVersion,
    versions: versionRows.map((v) => ({
      version: v.version,
      reason: v.reason,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      sourceDocument:
        v.documentId === null
          ? null
          : {
              id: v.documentId,
              fileName: v.fileName as string,
              mediaType: v.mediaType as string,
              sha256: v.sha256 as string,
              size: v.size as number,
              sourceUrl: v.sourceUrl ?? null,
              importedAt: v.importedAt as Date,
            },
    })),
    callIn: evaluated.callIn,
    callInRequests: await loadCallInRequests(db, row.id),
    at,
    status: evaluated.status,
    statusProblem: evaluated.statusProblem,
  };
}

export interface DecisionStatusReport {
  id: number;
  recordId: string | null;
  title: string;
  council: { slug: string; name: string };
  at: Date;
  status: StatusView;
  callIn: CallInWindow;
}

/** The status of one decision at `at`; ValidationError when its recorded facts contradict each other. */
export async function decisionStatusAt(
  db: Executor,
  ref: DecisionRef,
  at: Date,
): Promise<DecisionStatusReport> {
  assertAt(at);
  const row = await findDecisionRow(db, ref);
  const loaded = await loadFactsFor(db, [row]);
  const evaluated = evaluate(row, loaded, at);
  if (evaluated.status === null || evaluated.callIn === null) {
    throw new ValidationError(
      `the status of decision ${row.id} cannot be worked out: ${evaluated.statusProblem ?? "unknown"}`,
      "status",
    );
  }
  return {
    id: row.id,
    recordId: row.recordId,
    title: row.title,
    council: { slug: row.councilSlug, name: row.councilName },
    at,
    status: evaluated.status,
    callIn: evaluated.callIn,
  };
}
