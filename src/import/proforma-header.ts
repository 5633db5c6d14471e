import { DocumentError } from "../domain/errors.js";
import type { IsoDate } from "../domain/iso-date.js";
import type { SourceLine } from "./document-lines.js";
import { titleCaseIfShouting } from "./title-case.js";
import { findUkDate, type FoundDate } from "./uk-date.js";

export interface ProformaHeader {
  council: string | null;
  body: string;
  documentType: string;
  recordId: string | null;
  meetingDate: IsoDate;
  lines: { council?: number; body?: number; documentType?: number; recordId?: number; meetingDate?: number };
  meetingDateFound: FoundDate;
}

const COUNCIL = /\bcouncil$/i;
// "Cabinet Meeting16th November 2017", "Cabinet Decision: 17th February 2011", "Cabinet meeting held on ...".
// The date may follow a weekday: "Cabinet Meeting Thursday 16th October 2025".
const MEETING =
  /^(.*?)\s*\b(?:meeting|decision)(?:\s+(?:held\s+)?on)?\s*(?:date)?\s*[:,-]?\s*(?=(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?:the\s+)?)?\S*\d)(.*)$/i;
const MEETING_DATE_LABEL =
  /^(?:date of (?:the )?(?:meeting|decision)|meeting date|decision date)\s*:?\s*(.*)$/i;
// "Cabinet Decision Record D080067", "Record Number: D180018", "Minute No. CAB/41/25".
const RECORD_ID_LABEL =
  /^(?:record|decision|minute|item)\s*(?:id|no\.?|number|ref(?:erence)?)\s*:?\s*(\S+)$/i;
const TRAILING_RECORD_ID = /^(.*?\brecord)\s+([A-Z]{1,4}\/?\d[\w/-]*)$/i;
const KNOWN_BODY =
  /^(cabinet|executive|council|[\w' &-]+? committee|[\w' &-]+? board|leader|cabinet member(?: for [\w' &,-]+)?)\b/i;

/** Reads the lines above section 1: council, document type, body, record id and meeting date. */
export function parseProformaHeader(lines: readonly SourceLine[], firstSectionLine: number): ProformaHeader {
  let council: { text: string; line: number } | null = null;
  let recordId: { text: string; line: number } | null = null;
  let meeting: { body: string; found: FoundDate; line: number } | null = null;
  const typeParts: SourceLine[] = [];
  // Web pages print their title again as the heading ("View Cabinet Decision Record" then
  // "Cabinet Decision Record D110016"): a repeated part of the document type is kept once.
  const addTypePart = (part: SourceLine): void => {
    const seen = typeParts.some((p) => p.text.toLowerCase() === part.text.toLowerCase());
    if (!seen) typeParts.push(part);
  };

  for (const { text: raw, line } of lines) {
    if (raw === "") continue;
    const text = raw.replace(/^view\s+/i, "");
    const labelledDate = MEETING_DATE_LABEL.exec(text);
    const labelledId = RECORD_ID_LABEL.exec(text);
    const trailingId = TRAILING_RECORD_ID.exec(text);
    if (labelledDate && !meeting) {
      meeting = { body: "", found: requireDate(labelledDate[1]!, line), line };
    } else if (labelledId && !recordId) {
      recordId = { text: labelledId[1]!, line };
    } else if (trailingId && !recordId) {
      recordId = { text: trailingId[2]!, line };
      addTypePart({ text: trailingId[1]!, line });
    } else if (COUNCIL.test(text) && !council && typeParts.length === 0) {
      council = { text: titleCaseIfShouting(text), line };
    } else if (!meeting && MEETING.test(text) && findUkDate(text, line)) {
      const m = MEETING.exec(text)!;
      meeting = { body: m[1]!.trim(), found: findUkDate(text, line)!, line };
    } else {
      addTypePart({ text, line });
    }
  }

  if (!meeting) {
    throw new DocumentError(
      'no meeting date above section 1 (expected a line such as "Cabinet Meeting 16th November 2017")',
      firstSectionLine,
    );
  }
  const documentType =
    typeParts.length > 0 ? titleCaseIfShouting(typeParts.map((p) => p.text).join(" ")) : "";
  if (documentType === "") {
    throw new DocumentError(
      'no document type above section 1 (expected a heading such as "CABINET DECISION PROFORMA")',
      firstSectionLine,
    );
  }
  const body = titleCaseIfShouting(meeting.body) || bodyFromDocumentType(documentType);
  if (!body) {
    throw new DocumentError(
      `cannot tell which body made the decision from "${documentType}" (expected e.g. "Cabinet Meeting 16th November 2017")`,
      meeting.line,
    );
  }
  return {
    council: council?.text ?? null,
    body,
    documentType,
    recordId: recordId?.text ?? null,
    meetingDate: meeting.found.iso,
    meetingDateFound: meeting.found,
    lines: {
      ...(council && { council: council.line }),
      body: meeting.line,
      documentType: typeParts[0]!.line,
      ...(recordId && { recordId: recordId.line }),
      meetingDate: meeting.line,
    },
  };
}

function requireDate(text: string, line: number): FoundDate {
  const found = findUkDate(text, line);
  if (!found) throw new DocumentError(`"${text}" is not a date (expected e.g. "16 November 2017")`, line);
  return found;
}

function bodyFromDocumentType(documentType: string): string {
  return KNOWN_BODY.exec(documentType)?.[1] ?? "";
}
