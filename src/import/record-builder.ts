import {
  RECORD_FORMAT_VERSION,
  type DecisionMakerKind,
  type DecisionRecord,
  type MadeUpField,
  type Outcome,
  type RecordFieldName,
} from "../domain/decision-record.js";
import { DocumentError } from "../domain/errors.js";
import type { IsoDate } from "../domain/iso-date.js";
import type { DecisionText } from "./decision-text.js";
import type { ParsedRecord, ParseWarning, SourceDescription } from "./parsed-record.js";

/**
 * What a layout read of one decision, before the record's rules are applied. Leave a field null when the
 * document does not state it: the builder fills required fields in (and warns), never the optional ones.
 */
export interface DecisionFacts {
  council: string | null;
  /** The decision maker as printed: "Cabinet", "Cabinet Member for Adult Social Care", "Director of Finance". */
  body: string;
  decisionMakerKind: DecisionMakerKind | null;
  /** What the council calls the document: "Decision details", "Decision list", "Minutes". */
  documentType: string;
  recordId: string | null;
  title: string | null;
  meetingDate: IsoDate | null;
  decidedOn: IsoDate | null;
  publishedOn: IsoDate | null;
  purpose: string | null;
  decision: DecisionText;
  reasons?: string;
  alternatives?: string;
  conflictsOfInterest?: string;
  dispensations?: string;
  /** The call-in deadline as printed ("Call-in deadline date", "Midnight, 24 November 2017"), or "". */
  callIn: { deadline: IsoDate | null; text: string };
  signedBy?: string | null;
  keyDecision: boolean | null;
  subjectToCallIn: boolean | null;
  effectiveFrom: IsoDate | null;
  statusAsPrinted: string | null;
  wardsAffected: string[] | null;
  /** Lines where fields were found, in the document's numbering. */
  lines: Partial<Record<RecordFieldName, number>>;
  /** The line the decision starts on: warnings about what it lacks point here. */
  startLine: number;
}

const MADE_UP_TITLE_LENGTH = 100;

/**
 * The record for one decision, with the warnings a person importing it should read: a title made up from the
 * purpose or first words, dates filled in from the date of decision, an unworded decision, contradictory
 * flags, and dates out of order. Throws DocumentError only when there is no decision text or no date at all.
 */
export function buildRecord(
  facts: DecisionFacts,
  source: SourceDescription | null,
  found: readonly ParseWarning[] = [],
): ParsedRecord {
  const warnings: ParseWarning[] = [...found];
  const at = (field: RecordFieldName): number => facts.lines[field] ?? facts.startLine;
  const madeUp: MadeUpField[] = [];
  const lines = { ...facts.lines };

  const { outcomes } = facts.decision;
  if (outcomes.length === 0) {
    throw new DocumentError("the decision has no text: nothing says what was decided", facts.startLine);
  }
  if (facts.decision.wording === "no-operative-word") {
    warnings.push({
      line: facts.decision.outcomeLine ?? at("outcomes"),
      message:
        "the decision has no operative word (RESOLVED, AGREED, ...) or numbered list: kept whole, as printed",
    });
  }

  let title = (facts.title ?? "").replace(/\s+/g, " ").trim();
  if (title === "") {
    const from = facts.purpose?.trim() ? "purpose" : "decision's first words";
    title = madeUpTitle(facts.purpose?.trim() || outcomeWords(outcomes[0]!));
    if (title === "") title = `Decision of ${facts.body}`;
    madeUp.push("title");
    warnings.push({ line: facts.startLine, message: `no title: "${title}" is made up from the ${from}` });
  }

  const decidedOn = facts.decidedOn ?? facts.meetingDate;
  let meetingDate = facts.meetingDate;
  if (meetingDate === null) {
    meetingDate = decidedOn ?? facts.publishedOn;
    madeUp.push("meetingDate");
  }
  let publishedOn = facts.publishedOn;
  if (publishedOn === null) {
    publishedOn = decidedOn;
    if (publishedOn !== null) {
      madeUp.push("publishedOn");
      warnings.push({
        line: facts.startLine,
        message: `no publication date printed: the date of decision (${publishedOn}) stands in for it`,
      });
    }
  }
  if (meetingDate === null || publishedOn === null) {
    throw new DocumentError(
      "the decision has no date: none of a meeting date, date of decision or publication date was found",
      facts.startLine,
    );
  }

  const status = facts.statusAsPrinted?.toLowerCase() ?? "";
  const statusSaysNot = /not subject to call[- ]?in|not for call[- ]?in|exempt from call[- ]?in/.test(status);
  const statusSaysSubject = !statusSaysNot && /subject to call[- ]?in/.test(status);
  if (
    (statusSaysSubject && facts.subjectToCallIn === false) ||
    (statusSaysNot && facts.subjectToCallIn === true)
  ) {
    warnings.push({
      line: at("subjectToCallIn"),
      message:
        `the status "${facts.statusAsPrinted}" contradicts "subject to call-in: ` +
        `${facts.subjectToCallIn ? "Yes" : "No"}"; both are kept as printed`,
    });
  }
  if (
    facts.callIn.deadline !== null &&
    facts.callIn.deadline < publishedOn &&
    !madeUp.includes("publishedOn")
  ) {
    warnings.push({ line: at("callIn"), message: "call-in deadline is before the publication date" });
  }
  if (
    facts.effectiveFrom !== null &&
    facts.callIn.deadline !== null &&
    facts.effectiveFrom < facts.callIn.deadline
  ) {
    warnings.push({
      line: at("effectiveFrom"),
      message: "effective from a date before the call-in deadline",
    });
  }
  if (publishedOn < meetingDate && !madeUp.includes("meetingDate")) {
    warnings.push({ line: at("publishedOn"), message: "published before the meeting it records" });
  }

  const record: DecisionRecord = {
    formatVersion: RECORD_FORMAT_VERSION,
    council: facts.council,
    body: facts.body,
    documentType: facts.documentType,
    recordId: facts.recordId,
    meetingDate,
    title,
    record: facts.decision.narrative,
    outcome: outcomes[0]!,
    outcomes,
    reasons: facts.reasons ?? "",
    alternatives: facts.alternatives ?? "",
    conflictsOfInterest: facts.conflictsOfInterest ?? "",
    dispensations: facts.dispensations ?? "",
    callIn: facts.callIn,
    signedBy: facts.signedBy ?? null,
    publishedOn,
    source: source && { ...source, lines },
    decidedOn,
    keyDecision: facts.keyDecision,
    subjectToCallIn: facts.subjectToCallIn,
    effectiveFrom: facts.effectiveFrom,
    statusAsPrinted: facts.statusAsPrinted,
    purpose: facts.purpose,
    wardsAffected: facts.wardsAffected,
    decisionMakerKind: facts.decisionMakerKind,
    ...(madeUp.length > 0 && { madeUp }),
  };
  return { record, warnings };
}

/** An outcome's first words worth a title: its sentence, or its first item when the sentence only introduces them. */
export function outcomeWords(outcome: Outcome): string {
  const sentence = outcome.text
    .replace(/^(?:that|to)\b/i, "")
    .replace(/(?<![:;,\s-])[:;,\s-]+$/, "")
    .trim();
  return sentence !== "" ? outcome.text : (outcome.items[0] ?? "");
}

/** A title from the purpose or the decision's first words: its first sentence, cut at a word near 100 characters. */
export function madeUpTitle(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const sentence = /^.*?[.;:](?=\s|$)/.exec(flat)?.[0].replace(/[.;:]$/, "") ?? flat;
  const plain = sentence.replace(/^(?:that|to)\s+/i, "");
  const capitalised = plain.charAt(0).toUpperCase() + plain.slice(1);
  if (capitalised.length <= MADE_UP_TITLE_LENGTH) return capitalised;
  const cut = capitalised.slice(0, MADE_UP_TITLE_LENGTH);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), 1))}…`;
}
