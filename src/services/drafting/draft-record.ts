import { type DecisionRecord, decisionRecordSchema } from "../../domain/decision-record.js";
import { ValidationError } from "../../domain/errors.js";
import type { InterestCategory } from "../../domain/interest-category.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { DispensationInput } from "./draft-input.js";

/** A draft's fields as an interchange record, and the sentences the form's picks add to sections 5 and 6. */

export interface DraftRecordFields {
  council: string;
  body: string;
  meetingDate: IsoDate;
  documentType: string;
  recordId: string | null;
  title: string;
  record: string;
  outcomes: { kind: string; text: string; items: string[] }[];
  reasons: string;
  alternatives: string;
  conflictsOfInterest: string;
  dispensations: string;
}

/**
 * The record a draft holds. A draft has no publication date, call-in line or signature yet: they are stamped
 * at publication; until then the record carries the decision's date as a placeholder publication date (the
 * record format requires one) and an empty call-in line.
 */
export function draftRecord(fields: DraftRecordFields): DecisionRecord {
  const outcomes = fields.outcomes.map((o) => ({ kind: o.kind, text: o.text, items: [...o.items] }));
  const record = {
    formatVersion: 1 as const,
    council: fields.council,
    body: fields.body,
    documentType: fields.documentType,
    recordId: fields.recordId,
    meetingDate: fields.meetingDate,
    title: fields.title,
    record: fields.record,
    outcome: outcomes[0]!,
    outcomes,
    reasons: fields.reasons,
    alternatives: fields.alternatives,
    conflictsOfInterest: fields.conflictsOfInterest,
    dispensations: fields.dispensations,
    callIn: { deadline: null, text: "" },
    signedBy: null,
    publishedOn: fields.meetingDate,
    source: null,
  };
  const checked = decisionRecordSchema.safeParse(record);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.map(String).join(".") || "record";
    throw new ValidationError(`${field}: ${issue?.message ?? "invalid"}`, field);
  }
  return checked.data;
}

const CATEGORY_WORDS: Record<InterestCategory, string> = {
  "disclosable-pecuniary": "a disclosable pecuniary interest",
  "other-registrable": "an other registrable interest",
  "non-registrable": "a non-registrable interest",
  personal: "a personal interest",
  prejudicial: "a prejudicial interest",
  other: "an interest",
};

/**
 * Section 5 as the proforma words it, one sentence a declaration ("Councillor Jane Smith declared a personal
 * interest: a governor of Northfield School."), so the importer's reading of section 5 finds each again.
 */
export function declarationSentence(
  person: { name: string; role: "councillor" | "officer" },
  category: InterestCategory,
  nature: string,
): string {
  const who = person.role === "councillor" ? `Councillor ${stripTitle(person.name)}` : person.name;
  return `${who} declared ${CATEGORY_WORDS[category]}: ${nature.trim().replace(/[.\s]+$/, "")}.`;
}

export function dispensationSentence(grant: DispensationInput): string {
  const scope = grant.scope.trim().replace(/[.\s]+$/, "");
  return `${grant.personName} was granted a dispensation by ${grant.grantedBy}${scope ? `: ${scope}` : ""}.`;
}

/** The picked sentences first, then whatever was typed into the section besides. */
export function sectionText(sentences: readonly string[], typed: string): string {
  return [...sentences, typed.trim()].filter((part) => part !== "").join("\n\n");
}

function stripTitle(name: string): string {
  return name.trim().replace(/^(?:cllr\.?|councillor)\s+/i, "");
}
