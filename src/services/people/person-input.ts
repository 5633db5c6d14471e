import { ValidationError } from "../../domain/errors.js";
import { type IsoDate, isValidIsoDate } from "../../domain/iso-date.js";
import {
  MEMBERSHIP_ROLES,
  PERSON_ROLES,
  type MembershipRole,
  type PersonRole,
} from "../../storage/schema.js";

/**
 * Checks on what is typed for a person or a body membership, before anything is written. Every problem is
 * found at once (a form shows them all in its error summary), each naming its field: the form field's id and
 * the CLI flag's name (`name`, `role`, `ward`, `party`, `portfolio`, `job-title`, `body`, `from`, `to`).
 */

export interface FieldProblem {
  field: string;
  message: string;
}

const MAX_TEXT = 200;

export interface PersonInput {
  name?: string | null;
  role?: string | null;
  ward?: string | null;
  party?: string | null;
  portfolio?: string | null;
  jobTitle?: string | null;
}

export interface PersonFields {
  name: string;
  role: PersonRole;
  ward: string | null;
  party: string | null;
  portfolio: string | null;
  jobTitle: string | null;
}

/** Trimmed, inner spaces as one; null when empty. */
function text(value: string | null | undefined): string | null {
  const cleaned = value?.trim().replace(/\s+/g, " ") ?? "";
  return cleaned === "" ? null : cleaned;
}

/** The person's fields checked: the values to store, or every problem with them. */
export function checkPerson(input: PersonInput): { fields: PersonFields; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = text(input.name);
  if (name === null) problems.push({ field: "name", message: "Enter the person's name" });
  const role = text(input.role);
  if (role === null)
    problems.push({ field: "role", message: "Select whether they are a councillor or an officer" });
  else if (!(PERSON_ROLES as readonly string[]).includes(role)) {
    problems.push({ field: "role", message: `"${role}" is not a role; expected councillor or officer` });
  }
  const values = {
    ward: text(input.ward),
    party: text(input.party),
    portfolio: text(input.portfolio),
    "job-title": text(input.jobTitle),
  };
  for (const [field, value] of [["name", name], ...Object.entries(values)] as const) {
    if (value !== null && value.length > MAX_TEXT) {
      problems.push({ field, message: `Enter at most ${MAX_TEXT} characters` });
    }
  }
  if (role === "officer") {
    for (const field of ["ward", "party", "portfolio"] as const) {
      if (values[field] !== null) {
        problems.push({ field, message: `An officer has no ${field}: leave it empty, or choose councillor` });
      }
    }
  } else if (role === "councillor" && values["job-title"] !== null) {
    problems.push({
      field: "job-title",
      message: "A councillor has no job title: give a cabinet portfolio instead, or leave it empty",
    });
  }
  return {
    fields: {
      name: name ?? "",
      role: (role ?? "councillor") as PersonRole,
      ward: values.ward,
      party: values.party,
      portfolio: values.portfolio,
      jobTitle: values["job-title"],
    },
    problems,
  };
}

export interface MembershipInput {
  /** The body: its id (a form's select) or its name (the CLI's --body). */
  body?: number | string | null;
  role?: string | null;
  /** YYYY-MM-DD. */
  from?: string | null;
  /** YYYY-MM-DD, or empty for a membership that has not ended. */
  to?: string | null;
}

export interface MembershipFields {
  body: number | string;
  role: MembershipRole;
  from: IsoDate;
  to: IsoDate | null;
}

/** A membership's fields checked (whether the body exists is for the database to say). */
export function checkMembership(input: MembershipInput): {
  fields: MembershipFields;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const body = typeof input.body === "string" ? text(input.body) : (input.body ?? null);
  if (body === null) problems.push({ field: "body", message: "Select the body they sit on" });
  const role = text(input.role) ?? "member";
  if (!(MEMBERSHIP_ROLES as readonly string[]).includes(role)) {
    problems.push({
      field: "role",
      message: `"${role}" is not a role on a body; expected member, chair or vice-chair`,
    });
  }
  const from = text(input.from);
  if (from === null) problems.push({ field: "from", message: "Enter the date the membership started" });
  else if (!isRealDate(from)) {
    problems.push({ field: "from", message: "The start date must be a real date, for example 2024-05-21" });
  }
  const to = text(input.to);
  if (to !== null) {
    if (!isRealDate(to)) {
      problems.push({ field: "to", message: "The end date must be a real date, for example 2026-05-19" });
    } else if (from !== null && isRealDate(from) && to < from) {
      problems.push({ field: "to", message: "The end date must be the same as or after the start date" });
    }
  }
  return {
    fields: { body: body ?? "", role: role as MembershipRole, from: from ?? "", to },
    problems,
  };
}

/** An end date for a membership that is open now. */
export function checkEndDate(value: string | null | undefined, startedOn: IsoDate | null): FieldProblem[] {
  const to = text(value);
  if (to === null) return [{ field: "to", message: "Enter the date the membership ended" }];
  if (!isRealDate(to))
    return [{ field: "to", message: "The end date must be a real date, for example 2026-05-19" }];
  if (startedOn !== null && to < startedOn) {
    return [
      { field: "to", message: `The end date must be the same as or after the start date (${startedOn})` },
    ];
  }
  return [];
}

function isRealDate(value: string): boolean {
  return isValidIsoDate(value) && value >= "1900-01-01" && value <= "2999-12-31";
}

/** Throws every problem found at once (nothing when there are none). */
export function refuseProblems(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw new PersonInputError(problems);
}

/**
 * A ValidationError carrying every problem found, so a form can show them all; its message and field are the
 * first problem's (what the CLI prints, what the error page shows).
 */
export class PersonInputError extends ValidationError {
  constructor(readonly problems: readonly FieldProblem[]) {
    super(problems[0]?.message ?? "invalid", problems[0]?.field);
  }
}
