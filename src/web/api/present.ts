import type { DecisionRecord } from "../../domain/decision-record.js";
import { toUkIsoString } from "../../domain/uk-time.js";
import type { DecisionDetail } from "../../services/decisions/index.js";
import type { MeetingItem } from "../../services/meetings/meeting-pages.js";
import type { SearchItemHtml } from "../shared/search-markup.js";
import type {
  DecisionDetailJson,
  DecisionSummaryJson,
  DecisionVersionJson,
  MeetingSummaryJson,
  StatedRecord,
} from "./schemas.js";

/** From the services' values to the API's JSON (src/web/api/schemas.ts). */

export const API_PREFIX = "/api/v1";

export function instant(value: Date): string;
export function instant(value: Date | null): string | null;
export function instant(value: Date | null): string | null {
  return value === null ? null : toUkIsoString(value);
}

export const links = {
  decision: (id: number) => `${API_PREFIX}/decisions/${id}`,
  decisionPage: (id: number) => `/decisions/${id}`,
  original: (id: number, version?: number) =>
    `/decisions/${id}/original${version === undefined ? "" : `?version=${version}`}`,
  version: (id: number, version: number) => `${API_PREFIX}/decisions/${id}/versions/${version}`,
  meeting: (id: number) => `${API_PREFIX}/meetings/${id}`,
  meetingPage: (id: number) => `/meetings/${id}`,
};

export function decisionSummaryJson(item: SearchItemHtml): DecisionSummaryJson {
  return {
    id: item.id,
    recordId: item.recordId,
    title: item.title,
    titleHtml: item.titleHtml,
    body: item.body,
    bodyId: item.bodyId,
    council: item.council,
    meetingId: item.meetingId,
    meetingDate: item.meetingDate,
    publishedOn: item.publishedOn,
    status: item.status,
    statusLabel: item.statusLabel,
    statusUntil: instant(item.statusUntil),
    subjectToCallIn: item.subjectToCallIn,
    keyDecision: item.keyDecision,
    callInCutoff: item.callInCutoff,
    outcome: item.outcomes[0] ?? { kind: "RESOLVED", text: "", items: [] },
    snippet: item.snippet,
    rank: item.rank,
    currentVersion: item.currentVersion,
    updatedAt: instant(item.updatedAt),
    links: {
      self: links.decision(item.id),
      html: links.decisionPage(item.id),
      original: item.hasOriginal ? links.original(item.id) : null,
    },
  };
}

/**
 * A record with every field added within format version 1 present: a record stored before a field existed
 * lacks it, which means "not stated", so it is given as null (madeUp as an empty list), never left out.
 */
export function recordJson(record: DecisionRecord): StatedRecord {
  return {
    ...record,
    decidedOn: record.decidedOn ?? null,
    keyDecision: record.keyDecision ?? null,
    subjectToCallIn: record.subjectToCallIn ?? null,
    effectiveFrom: record.effectiveFrom ?? null,
    statusAsPrinted: record.statusAsPrinted ?? null,
    purpose: record.purpose ?? null,
    wardsAffected: record.wardsAffected ?? null,
    decisionMakerKind: record.decisionMakerKind ?? null,
    madeUp: record.madeUp ?? [],
  };
}

/** A decision (any version) as the API gives it: the record, with the call-in window, status and versions. */
export function decisionDetailJson(detail: DecisionDetail): DecisionDetailJson {
  const { callIn: printed, ...record } = recordJson(detail.record);
  const window = detail.callIn;
  const status = detail.status;
  const current = detail.versions.find((v) => v.version === detail.currentVersion);
  return {
    data: {
      ...record,
      callIn: {
        deadline: printed.deadline,
        text: printed.text,
        subjectToCallIn: window?.subjectToCallIn ?? false,
        governingDeadline: window?.deadline ?? null,
        cutoff: window?.cutoff ?? null,
        effectiveFrom: window?.effectiveFrom ?? null,
        governedBy: window?.governedBy ?? null,
        explanation: window?.explanation ?? detail.statusProblem ?? "",
        warnings: window?.warnings ?? [],
      },
      id: detail.id,
      status: status
        ? {
            code: status.status,
            label: status.label,
            description: status.description,
            explanation: status.explanation,
            since: instant(status.since),
            until: instant(status.until),
          }
        : null,
      statusProblem: detail.statusProblem,
      // The register's flag: the record's answer when it states one, otherwise what the workspace set.
      keyDecision: detail.keyDecision,
      keyDecisionAsPrinted: record.keyDecision,
      version: detail.recordVersion,
      currentVersion: detail.currentVersion,
      versions: detail.versions.map((v) => ({
        version: v.version,
        reason: v.reason,
        createdAt: instant(v.createdAt),
        links: {
          self: links.version(detail.id, v.version),
          original: v.sourceDocument ? links.original(detail.id, v.version) : null,
        },
      })),
      callInRequests: detail.callInRequests.map((request) => ({
        id: request.id,
        startedAt: instant(request.startedAt),
        receivedAt: instant(request.receivedAt),
        valid: request.valid,
        reasons: request.reasons,
        grounds: request.grounds.map((ground) => ({
          principle: ground.principle ?? null,
          explanation: ground.explanation ?? "",
        })),
        // A signature made online names the councillor's person record; one copied from paper has no time of
        // its own (its stored time is when it was typed in).
        signatures: request.signatures.map((signature) => ({
          name: signature.name,
          signedAt: signature.personId === null ? null : instant(signature.signedAt),
        })),
        withdrawnAt: instant(request.withdrawnAt),
      })),
      scrutiny: detail.scrutiny,
    },
    links: {
      self: links.decision(detail.id),
      html: links.decisionPage(detail.id),
      original: current?.sourceDocument ? links.original(detail.id) : null,
      meeting: detail.meetingId === null ? null : links.meeting(detail.meetingId),
    },
  };
}

export function decisionVersionJson(detail: DecisionDetail): DecisionVersionJson {
  const version = detail.versions.find((v) => v.version === detail.recordVersion);
  return {
    data: {
      id: detail.id,
      version: detail.recordVersion,
      current: detail.recordVersion === detail.currentVersion,
      reason: version?.reason ?? null,
      createdAt: instant(version?.createdAt ?? detail.createdAt),
      record: recordJson(detail.record),
    },
    links: {
      self: links.version(detail.id, detail.recordVersion),
      decision: links.decision(detail.id),
      original: version?.sourceDocument ? links.original(detail.id, detail.recordVersion) : null,
    },
  };
}

export function meetingSummaryJson(meeting: MeetingItem): MeetingSummaryJson {
  return {
    id: meeting.id,
    date: meeting.date,
    status: meeting.status,
    location: meeting.location,
    body: meeting.body,
    council: meeting.council,
    decisionCount: meeting.decisionCount,
    links: { self: links.meeting(meeting.id), html: links.meetingPage(meeting.id) },
  };
}
