import type { DecisionMakerKind, DecisionRecord } from "../../domain/decision-record.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { DecisionDetail } from "../../services/decisions/index.js";
import { type TextBlock, textBlocks } from "../shared/format.js";

/**
 * What the importer's newer layouts (ModernGov pages, decision lists, minutes) read beyond the proforma, as the
 * decision page shows it. Older records lack these fields: each reads as not stated, and nothing is shown.
 */
export interface RecordFacts {
  purposeBlocks: TextBlock[];
  /** "Decision of an officer"; null for a body (the name says it) or when not stated. */
  makerKindText: string | null;
  /** The date of decision, when it says something the meeting row does not. */
  decidedOn: IsoDate | null;
  /** True when the decision was not taken at a meeting (the importer filed it under its date of decision). */
  noMeeting: boolean;
  keyDecision: "Yes" | "No" | null;
  statusAsPrinted: string | null;
  wardsAffected: string[];
  effectiveFrom: IsoDate | null;
  /** The council printed that it is not subject to call-in. */
  notSubjectToCallIn: boolean;
  /** Notes on the fields the importer filled in because the document did not state them. */
  titleNote: string | null;
  publishedNote: string | null;
}

const MAKER_KIND_TEXT: Record<DecisionMakerKind, string | null> = {
  body: null,
  "executive-member": "Decision of an executive member",
  officer: "Decision of an officer",
};

export function recordFacts(decision: DecisionDetail): RecordFacts {
  const record = decision.record;
  const madeUp = record.madeUp ?? [];
  const noMeeting = madeUp.includes("meetingDate");
  const decidedOn = record.decidedOn ?? null;
  return {
    purposeBlocks: record.purpose?.trim() ? textBlocks(record.purpose) : [],
    makerKindText: record.decisionMakerKind ? MAKER_KIND_TEXT[record.decisionMakerKind] : null,
    decidedOn: decidedOn !== null && (noMeeting || decidedOn !== record.meetingDate) ? decidedOn : null,
    noMeeting,
    keyDecision: keyDecisionText(record, decision.keyDecision),
    statusAsPrinted: record.statusAsPrinted?.trim() || null,
    wardsAffected: (record.wardsAffected ?? []).filter((ward) => ward.trim() !== ""),
    effectiveFrom: record.effectiveFrom ?? null,
    notSubjectToCallIn: record.subjectToCallIn === false,
    titleNote: madeUp.includes("title")
      ? `Title not printed in the original; made from ${record.purpose?.trim() ? "its purpose" : "its first words"}`
      : null,
    publishedNote: madeUp.includes("publishedOn")
      ? "No publication date printed; the date of decision is shown"
      : null,
  };
}

/**
 * "Is Key decision?" as the record states it. When it does not, the register's own flag (set in the workspace)
 * answers, except for a document whose layout has the question and left it unanswered: there "No" would be a
 * guess, so nothing is shown unless the register says Yes. The proforma has no such question, and a record
 * from before the field (no layout) has only the register's flag.
 */
function keyDecisionText(record: DecisionRecord, registerFlag: boolean): "Yes" | "No" | null {
  if (typeof record.keyDecision === "boolean") return record.keyDecision ? "Yes" : "No";
  if (registerFlag) return "Yes";
  const layout = record.source?.layout;
  return layout !== undefined && layout !== "proforma" ? null : "No";
}
