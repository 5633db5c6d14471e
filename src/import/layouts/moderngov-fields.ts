import type { RecordFieldName } from "../../domain/decision-record.js";
import { DocumentError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { canonicalOperativeLine, readDecisionText } from "../decision-text.js";
import type { SourceLine } from "../document-lines.js";
import { blocksToText, toBlocks } from "../paragraphs.js";
import type { ParseWarning } from "../parsed-record.js";
import type { DecisionFacts } from "../record-builder.js";
import { findUkDate } from "../uk-date.js";
import { decisionMakerKind } from "./decision-maker.js";
import { flatValue, type LabelledField, type LabelSpec } from "./labelled-fields.js";

/** The fields a ModernGov decision (a "Decision details" page, or one entry of a decisions list) prints. */
export type ModernGovKey =
  | "decisionMaker"
  | "status"
  | "keyDecision"
  | "subjectToCallIn"
  | "purpose"
  | "decision"
  | "reasons"
  | "alternatives"
  | "interests"
  | "dispensations"
  | "wards"
  | "published"
  | "decidedOn"
  | "meeting"
  | "effectiveFrom"
  | "callIn"
  | "reference"
  | "ignored";

/**
 * Label spellings seen on ModernGov sites and councils' own decision lists. "Minutes" is the decision under
 * another name (pages print both, with the same text). Lists of documents, authors and contacts are read
 * as "ignored" so that they never run on into the field above them.
 */
export const MODERNGOV_LABELS: readonly LabelSpec<ModernGovKey>[] = [
  { key: "decisionMaker", pattern: /^(?:decision[- ]?makers?|decision (?:taken|made) by|decided by)$/ },
  { key: "status", pattern: /^(?:decision )?status$/ },
  { key: "keyDecision", pattern: /^(?:is )?(?:(?:this|it) )?(?:a )?key decision$/ },
  { key: "subjectToCallIn", pattern: /^(?:is )?(?:(?:this|it) )?(?:decision )?subject to call[- ]?in$/ },
  {
    key: "purpose",
    pattern: /^(?:purpose|purpose of (?:the )?(?:report|decision)|summary of (?:the )?report)$/,
  },
  { key: "decision", pattern: /^(?:decision|decisions? (?:taken|made)|minutes)$/ },
  { key: "reasons", pattern: /^(?:reasons?(?: for (?:the )?decisions?)?)$/ },
  {
    key: "alternatives",
    pattern: /^(?:alternative options?(?: considered)?(?: and rejected)?|alternatives? considered)$/,
  },
  {
    key: "interests",
    pattern:
      /^(?:interests and nature of interests declared|declarations? of interests?|interests declared|(?:declared )?conflicts? of interests?(?: declared)?)$/,
  },
  { key: "dispensations", pattern: /^dispensations?(?: granted)?$/ },
  { key: "wards", pattern: /^(?:wards? affected|affected wards?)$/ },
  {
    key: "published",
    pattern: /^(?:publication date|date of publication|date published|(?:decision )?published(?: on)?)$/,
  },
  { key: "decidedOn", pattern: /^(?:date of (?:the )?decision|decision date|date decision (?:taken|made))$/ },
  { key: "meeting", pattern: /^(?:decided at meeting|meeting|taken at meeting|decision taken at)$/ },
  {
    key: "effectiveFrom",
    pattern:
      /^(?:effective from|decision effective from|date comes into force if not called in|comes into force|implementation date|date of implementation)$/,
  },
  {
    key: "callIn",
    pattern:
      /^(?:call[- ]?in deadline(?: date)?|deadline for call[- ]?in|call[- ]?in expiry date|last date for call[- ]?in)$/,
  },
  { key: "reference", pattern: /^(?:decision )?(?:ref\.?|reference)(?: no\.?| number)?$/ },
  {
    key: "ignored",
    pattern:
      /^(?:accompanying documents|background (?:papers|documents)|supporting documents|appendices|report authors?|lead officers?|contacts?(?: officer)?|consultees|other reasons \/ organisations consulted|reason key|reason for urgency|documents)$/,
  },
];

/** Labels that only a ModernGov-style decision prints (a proforma may print "Reasons for the decision:"). */
export const DISTINCTIVE_KEYS: readonly ModernGovKey[] = [
  "decisionMaker",
  "status",
  "keyDecision",
  "subjectToCallIn",
  "decidedOn",
  "meeting",
  "effectiveFrom",
  "wards",
];

/** What the page (or the list a decision sits in) says around the labelled fields. */
export interface DecisionContext {
  council: string | null;
  documentType: string;
  title: { text: string; line: number } | null;
  recordId: { text: string; line: number } | null;
  /** Stated once for every decision of a list: "Cabinet - 10 September 2024", a publication date, ... */
  defaults: {
    body?: { text: string; line: number };
    meetingDate?: { iso: IsoDate; line: number };
    publishedOn?: { iso: IsoDate; line: number };
    effectiveFrom?: { iso: IsoDate; line: number };
    callIn?: { deadline: IsoDate; text: string; line: number };
  };
  councilLine?: number;
  documentTypeLine?: number;
  startLine: number;
  wrapWidth: number;
  compounds: ReadonlySet<string>;
}

/** The decision's facts from its labelled fields, for `buildRecord`, and what was odd on the way. */
export function readModernGovFields(
  found: readonly LabelledField<ModernGovKey>[],
  context: DecisionContext,
): { facts: DecisionFacts; warnings: ParseWarning[] } {
  const warnings: ParseWarning[] = [];
  const lines: Partial<Record<RecordFieldName, number>> = {};
  const fields = chooseFields(found, warnings);
  const text = (key: ModernGovKey): string | null => {
    const f = fields.get(key);
    return f ? blocksToText(toBlocks(f.lines, context.wrapWidth, context.compounds)) : null;
  };
  const flat = (key: ModernGovKey): string | null => {
    const f = fields.get(key);
    return f ? flatValue(f.lines) : null;
  };
  const valueLine = (key: ModernGovKey): number | undefined => {
    const f = fields.get(key);
    return f ? (f.lines[0]?.line ?? f.labelLine) : undefined;
  };
  const note = (field: RecordFieldName, key: ModernGovKey): void => {
    const line = valueLine(key);
    if (line !== undefined) lines[field] = line;
  };
  const date = (key: ModernGovKey): IsoDate | null => {
    const value = flat(key);
    if (value === null || value === "") return null;
    const f = fields.get(key)!;
    const line = valueLine(key)!;
    let parsed;
    try {
      parsed = findUkDate(value, line);
    } catch (error) {
      // "31/02/2024": one impossible date should not cost a list its other decisions.
      if (!(error instanceof DocumentError)) throw error;
      warnings.push({ line, message: `"${f.label}": ${error.message}; left out` });
      return null;
    }
    if (!parsed) {
      warnings.push({ line, message: `"${f.label}" has no date ("${value}"): left out` });
      return null;
    }
    return parsed.iso;
  };

  if (context.council !== null && context.councilLine !== undefined) lines.council = context.councilLine;
  if (context.documentTypeLine !== undefined) lines.documentType = context.documentTypeLine;

  // Title, and a reference printed as a field of its own or hidden in the title.
  let recordId = context.recordId?.text ?? null;
  if (context.recordId) lines.recordId = context.recordId.line;
  const reference = flat("reference");
  if (reference) {
    recordId = reference;
    note("recordId", "reference");
  }
  if (context.title) lines.title = context.title.line;

  // Decision maker: as printed, else the meeting's body.
  const meeting = readMeeting(flat("meeting"), valueLine("meeting"));
  let body = flat("decisionMaker") ?? "";
  if (body !== "") note("body", "decisionMaker");
  else if (meeting?.body) {
    body = meeting.body;
    lines.body = meeting.line;
  } else if (context.defaults.body) {
    body = context.defaults.body.text;
    lines.body = context.defaults.body.line;
  }
  if (body === "") {
    throw new DocumentError(
      'the decision names no decision maker (expected "Decision Maker:" or "Decided at meeting:")',
      context.startLine,
    );
  }

  let meetingDate: IsoDate | null = meeting?.date ?? null;
  if (meeting?.date) lines.meetingDate = meeting.line;
  else if (meeting === null && context.defaults.meetingDate) {
    meetingDate = context.defaults.meetingDate.iso;
    lines.meetingDate = context.defaults.meetingDate.line;
  }

  const decidedOn = date("decidedOn");
  if (decidedOn) note("decidedOn", "decidedOn");
  let publishedOn = date("published");
  if (publishedOn) note("publishedOn", "published");
  else if (context.defaults.publishedOn) {
    publishedOn = context.defaults.publishedOn.iso;
    lines.publishedOn = context.defaults.publishedOn.line;
  }
  let effectiveFrom = date("effectiveFrom");
  if (effectiveFrom) note("effectiveFrom", "effectiveFrom");
  else if (context.defaults.effectiveFrom) {
    effectiveFrom = context.defaults.effectiveFrom.iso;
    lines.effectiveFrom = context.defaults.effectiveFrom.line;
  }

  const callInText = flat("callIn") ?? "";
  let callIn: DecisionFacts["callIn"] = { deadline: null, text: callInText };
  if (callInText !== "") {
    callIn = { deadline: date("callIn"), text: callInText };
    note("callIn", "callIn");
  } else if (context.defaults.callIn) {
    const { deadline, text: printed, line } = context.defaults.callIn;
    callIn = { deadline, text: printed };
    lines.callIn = line;
  }

  const keyDecision = yesNo(fields.get("keyDecision"), warnings);
  if (keyDecision !== null) note("keyDecision", "keyDecision");
  const subjectToCallIn = yesNo(fields.get("subjectToCallIn"), warnings);
  if (subjectToCallIn !== null) note("subjectToCallIn", "subjectToCallIn");
  const statusAsPrinted = flat("status") || null;
  if (statusAsPrinted) note("statusAsPrinted", "status");

  const wardLines = fields.get("wards")?.lines ?? [];
  const wardsAffected = wardLines.length > 0 ? splitWards(wardLines) : null;
  if (wardsAffected) note("wardsAffected", "wards");

  // The decision: its own field; else the purpose may run straight into it ("Purpose: ... RESOLVED that ...").
  let purposeLines = fields.get("purpose")?.lines ?? [];
  let decisionLines = fields.get("decision")?.lines ?? [];
  if (decisionLines.length === 0) {
    const opens = purposeLines.findIndex((l) => canonicalOperativeLine(l.text) !== null);
    if (opens >= 0) {
      decisionLines = purposeLines.slice(opens);
      purposeLines = purposeLines.slice(0, opens);
      warnings.push({
        line: decisionLines[0]!.line,
        message: 'no "Decision:" label: the decision is read from its operative words after the purpose',
      });
    }
  }
  const purposeText = blocksToText(toBlocks(purposeLines, context.wrapWidth, context.compounds));
  const purpose = purposeText === "" ? null : purposeText;
  if (purpose !== null) lines.purpose = purposeLines.find((l) => l.text !== "")!.line;
  const decision = readDecisionText(decisionLines);
  const firstDecisionLine = decisionLines.find((l) => l.text !== "")?.line;
  if (decision.narrative !== "" && firstDecisionLine !== undefined) lines.record = firstDecisionLine;
  if (decision.outcomeLine !== undefined) lines.outcomes = decision.outcomeLine;

  const optionalText = (field: RecordFieldName, key: ModernGovKey): string | undefined => {
    const value = text(key);
    if (value === null) return undefined;
    if (value !== "") note(field, key);
    return value;
  };
  const reasons = optionalText("reasons", "reasons");
  const alternatives = optionalText("alternatives", "alternatives");
  const conflictsOfInterest = optionalText("conflictsOfInterest", "interests");
  const dispensations = optionalText("dispensations", "dispensations");

  const facts: DecisionFacts = {
    council: context.council,
    body,
    decisionMakerKind: decisionMakerKind(body),
    documentType: context.documentType,
    recordId,
    title: context.title?.text ?? null,
    meetingDate,
    decidedOn,
    publishedOn,
    purpose,
    decision,
    ...(reasons !== undefined && { reasons }),
    ...(alternatives !== undefined && { alternatives }),
    ...(conflictsOfInterest !== undefined && { conflictsOfInterest }),
    ...(dispensations !== undefined && { dispensations }),
    callIn,
    keyDecision,
    subjectToCallIn,
    effectiveFrom,
    statusAsPrinted,
    wardsAffected,
    lines,
    startLine: context.startLine,
  };
  return { facts, warnings };
}

/**
 * One field per key. A label printed twice ("Decision:" then "Minutes:" with the same text) is read once:
 * the first with a value; a repeat with different words is left out with a warning.
 */
function chooseFields(
  found: readonly LabelledField<ModernGovKey>[],
  warnings: ParseWarning[],
): Map<ModernGovKey, LabelledField<ModernGovKey>> {
  const chosen = new Map<ModernGovKey, LabelledField<ModernGovKey>>();
  const same = (a: LabelledField<ModernGovKey>, b: LabelledField<ModernGovKey>): boolean =>
    flatValue(a.lines).toLowerCase() === flatValue(b.lines).toLowerCase();
  for (const field of found) {
    if (field.key === "ignored") continue;
    const kept = chosen.get(field.key);
    if (!kept || (kept.lines.length === 0 && field.lines.length > 0)) {
      chosen.set(field.key, field);
    } else if (field.lines.length > 0 && !same(kept, field)) {
      warnings.push({
        line: field.labelLine,
        message: `"${field.label}" is printed again with different words: the first ("${kept.label}", line ${kept.labelLine}) is kept`,
      });
    }
  }
  return chosen;
}

function yesNo(field: LabelledField<ModernGovKey> | undefined, warnings: ParseWarning[]): boolean | null {
  if (!field) return null;
  const value = flatValue(field.lines);
  if (/^(?:yes|y|true)\b/i.test(value)) return true;
  if (/^(?:no|n|false)\b/i.test(value)) return false;
  if (value !== "") {
    warnings.push({
      line: field.lines[0]?.line ?? field.labelLine,
      message: `"${field.label}" says "${value}", neither yes nor no: left unstated`,
    });
  }
  return null;
}

/** "10/09/2024 - Cabinet", "Cabinet, 10 September 2024", "Cabinet" (a date alone gives no body). */
function readMeeting(
  value: string | null,
  line: number | undefined,
): { date: IsoDate | null; body: string; line: number } | null {
  if (value === null || value === "" || line === undefined) return null;
  const found = findUkDate(value, line);
  const rest = found ? value.slice(0, found.index) + value.slice(found.index + found.text.length) : value;
  const body = rest
    .replace(/^[\s,–—:-]+/, "")
    .replace(/(?<![\s,–—:-])[\s,–—:-]+$/, "")
    .replace(/\s+(?:on|held on)$/i, "")
    .replace(/^(?:meeting of (?:the )?)/i, "")
    .trim();
  return { date: found?.iso ?? null, body, line };
}

/**
 * "Norton North; Norton South;" → two wards; "(All Wards);" → ["All Wards"]; a list, one ward a line; one
 * line with commas ("Eastfield, Westfield"). Otherwise as printed.
 */
export function splitWards(lines: readonly SourceLine[]): string[] {
  const value = flatValue(lines);
  const texts = lines.map((l) => l.text.replace(/^[-–•*▪◦]\s+/, "")).filter((t) => t !== "");
  let wards: string[];
  if (value.includes(";")) wards = value.split(";");
  else if (texts.length > 1) wards = texts;
  else wards = value.split(",");
  return wards
    .map((w) =>
      w
        .trim()
        .replace(/^\((.*)\)$/, "$1")
        .trim(),
    )
    .filter((w) => w !== "");
}
