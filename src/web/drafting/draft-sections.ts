import type { DraftChangeInput, DraftView } from "../../services/drafting/index.js";
import { field, type FormBody, type FormErrors, inputId } from "./form-helpers.js";
import {
  outcomeInputId,
  outcomeRows,
  readDeclarations,
  readGrants,
  readOutcomes,
  rowInputId,
  withBlankRows,
} from "./record-fields.js";

/**
 * The draft's task list: the proforma's sections 1-6 in order, then the register's own facts (key decision,
 * exempt information, urgency). Each is one page, /workspace/drafts/:id/<slug>, that shows the draft's values,
 * reads the form back into a change for updateDraft, and names the input a service error belongs to.
 */

export type TaskStatus = "completed" | "incomplete" | "awaiting-consent";

export interface SectionForm {
  change: DraftChangeInput;
  /** What the template shows again when the form has errors. */
  values: Record<string, unknown>;
  idFor: (serviceField: string) => string;
}

export interface DraftSection {
  slug: string;
  /** The proforma's section number, for sections 1-6. */
  number?: number;
  title: string;
  template: string;
  status(draft: DraftView): TaskStatus;
  values(draft: DraftView): Record<string, unknown>;
  read(body: FormBody | undefined, draft: DraftView, errors: FormErrors): SectionForm;
}

const filled = (text: string): TaskStatus => (text.trim() !== "" ? "completed" : "incomplete");

/** Schedule 12A to the Local Government Act 1972, Part 1: the descriptions of exempt information. */
export const EXEMPT_PARAGRAPHS = [
  "Information relating to any individual",
  "Information which is likely to reveal the identity of an individual",
  "Information relating to the financial or business affairs of any particular person (including the authority holding that information)",
  "Information relating to any consultations or negotiations, or contemplated consultations or negotiations, in connection with any labour relations matter",
  "Information in respect of which a claim to legal professional privilege could be maintained in legal proceedings",
  "Information which reveals that the authority proposes to give a notice or to make an order or direction under any enactment",
  "Information relating to any action taken or to be taken in connection with the prevention, investigation or prosecution of crime",
];

/** A section that is one long text field of the record. */
function textSection(
  slug: string,
  number: number,
  title: string,
  key: "reasons" | "alternatives",
  hint: string,
): DraftSection {
  return {
    slug,
    number,
    title,
    template: "drafting/section-text.njk",
    status: (draft) => filled(draft.record[key]),
    values: (draft) => ({ name: key, value: draft.record[key], hint }),
    read: (body) => {
      const value = field(body, key);
      return { change: { [key]: value }, values: { name: key, value, hint }, idFor: (f) => inputId(f) };
    },
  };
}

export const DRAFT_SECTIONS: readonly DraftSection[] = [
  {
    slug: "title",
    number: 1,
    title: "Title of the item or report",
    template: "drafting/section-title.njk",
    status: (draft) => filled(draft.record.title),
    values: (draft) => ({ title: draft.record.title, recordId: draft.record.recordId ?? "" }),
    read: (body, _draft, errors) => {
      const title = field(body, "title").trim();
      const recordId = field(body, "recordId").trim();
      if (title === "") errors.add("title", "Enter the title of the item or report");
      return {
        change: { title, recordId: recordId === "" ? null : recordId },
        values: { title, recordId },
        idFor: (f) => inputId(f),
      };
    },
  },
  {
    slug: "decision",
    number: 2,
    title: "Record of the decision and its outcomes",
    template: "drafting/section-decision.njk",
    status: (draft) =>
      draft.record.outcomes.some((o) => o.text.trim() !== "" || o.items.length > 0)
        ? "completed"
        : "incomplete",
    values: (draft) => ({ record: draft.record.record, outcomes: outcomeRows(draft.record.outcomes) }),
    read: (body, _draft, errors) => {
      const { outcomes, rows, rowOf } = readOutcomes(body, errors);
      const record = field(body, "record");
      return {
        change: { record, outcomes },
        values: { record, outcomes: rows },
        idFor: (f) => outcomeInputId(f, rowOf) ?? inputId(f),
      };
    },
  },
  textSection("reasons", 3, "Reasons for the decision", "reasons", "Why the decision was made."),
  textSection(
    "alternatives",
    4,
    "Alternative options considered and rejected",
    "alternatives",
    "Enter “None.” if no alternatives were considered.",
  ),
  {
    slug: "declarations",
    number: 5,
    title: "Declarations of interest",
    template: "drafting/section-declarations.njk",
    status: (draft) => filled(draft.record.conflictsOfInterest),
    values: (draft) => ({
      rows: withBlankRows(
        draft.declarations.map((d) => ({ ...d, personId: String(d.personId) })),
        { personId: "", category: "personal", nature: "" },
      ),
      other: draft.otherDeclarations,
    }),
    read: (body, _draft, errors) => {
      const { declarations, rows, rowOf } = readDeclarations(body, errors);
      const other = field(body, "conflictsOfInterest");
      return {
        change: { declarations, conflictsOfInterest: other } as DraftChangeInput,
        values: { rows, other },
        idFor: (f) => rowInputId(f, "declarations", rowOf) ?? inputId(f),
      };
    },
  },
  {
    slug: "dispensations",
    number: 6,
    title: "Dispensations",
    template: "drafting/section-dispensations.njk",
    status: (draft) => filled(draft.record.dispensations),
    values: (draft) => ({
      rows: withBlankRows(draft.dispensationGrants, { personName: "", grantedBy: "", scope: "" }, 1),
      other: draft.otherDispensations,
    }),
    read: (body) => {
      const { grants, rows, rowOf } = readGrants(body);
      const other = field(body, "dispensations");
      return {
        change: { dispensationGrants: grants, dispensations: other },
        values: { rows, other },
        idFor: (f) => rowInputId(f, "dispensationGrants", rowOf) ?? inputId(f),
      };
    },
  },
  {
    slug: "key-decision",
    title: "Key decision",
    template: "drafting/section-key-decision.njk",
    status: () => "completed",
    values: (draft) => ({ keyDecision: draft.keyDecision ? "yes" : "no" }),
    read: (body, _draft, errors) => {
      const value = field(body, "keyDecision");
      if (value !== "yes" && value !== "no")
        errors.add("keyDecision", "Select whether this is a key decision");
      return {
        change: { keyDecision: value === "yes" },
        values: { keyDecision: value },
        idFor: (f) => inputId(f),
      };
    },
  },
  {
    slug: "exempt-information",
    title: "Exempt information",
    template: "drafting/section-exempt.njk",
    status: () => "completed",
    values: (draft) => ({
      exemptParagraph: draft.exemptParagraph === null ? "none" : String(draft.exemptParagraph),
    }),
    read: (body, _draft, errors) => {
      const value = field(body, "exemptParagraph");
      if (value !== "none" && !/^[1-7]$/.test(value)) {
        errors.add("exemptParagraph", "Select whether the decision involves exempt information");
      }
      return {
        change: { exemptParagraph: /^[1-7]$/.test(value) ? Number(value) : null },
        values: { exemptParagraph: value },
        idFor: (f) => inputId(f),
      };
    },
  },
  {
    slug: "urgency",
    title: "Urgency",
    template: "drafting/section-urgency.njk",
    status: (draft) =>
      draft.urgent && draft.urgencyChairConsent === null ? "awaiting-consent" : "completed",
    values: (draft) => ({ urgent: draft.urgent ? "yes" : "no", urgencyReason: draft.urgencyReason ?? "" }),
    read: (body, _draft, errors) => {
      const urgent = field(body, "urgent");
      const reason = field(body, "urgencyReason").trim();
      if (urgent !== "yes" && urgent !== "no") errors.add("urgent", "Select whether the decision is urgent");
      if (urgent === "yes" && reason === "") {
        errors.add("urgencyReason", "Enter why the decision cannot wait for call-in");
      }
      return {
        change: { urgencyReason: urgent === "yes" ? reason : null },
        values: { urgent, urgencyReason: reason },
        idFor: (f) => (f === "urgencyReason" ? "urgencyReason" : inputId(f)),
      };
    },
  },
];

export function sectionBySlug(slug: string): DraftSection | undefined {
  return DRAFT_SECTIONS.find((s) => s.slug === slug);
}
