import { ValidationError } from "../../domain/errors.js";
import { ROLES, isRole, type Role } from "../../domain/roles.js";

/** Checks on what is typed for an account, each error naming its field. */

/** RFC 5321's limit on a forward path; a longer "address" is a mistake or an attack. */
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 200;

/**
 * An email address as stored: trimmed and lower-cased (so the same person typing capitals is the same
 * account). Deliberately simple: one @ with something either side and no spaces; whether it receives mail
 * is for an email to find out, not a pattern.
 */
export function normaliseEmail(text: string): string {
  const email = text.trim().toLowerCase();
  if (email === "") throw new ValidationError("Enter an email address", "email");
  if (email.length > MAX_EMAIL_LENGTH) {
    throw new ValidationError(`Enter an email address of at most ${MAX_EMAIL_LENGTH} characters`, "email");
  }
  if (!/^[^@\s]+@[^@\s]+$/u.test(email)) {
    throw new ValidationError(
      `"${text.trim()}" is not an email address; enter one like name@council.gov.uk`,
      "email",
    );
  }
  return email;
}

export function accountName(text: string): string {
  const name = text.trim().replace(/\s+/g, " ");
  if (name === "") throw new ValidationError("Enter the person's name", "name");
  if (name.length > MAX_NAME_LENGTH) {
    throw new ValidationError(`Enter a name of at most ${MAX_NAME_LENGTH} characters`, "name");
  }
  return name;
}

/** At least one role, each one of ROLES; duplicates are dropped; returned in the order of ROLES. */
export function accountRoles(values: readonly string[]): Role[] {
  if (values.length === 0) {
    throw new ValidationError(`Give at least one role: ${ROLES.join(", ")}`, "role");
  }
  for (const value of values) {
    if (!isRole(value)) {
      throw new ValidationError(`"${value}" is not a role; expected one of ${ROLES.join(", ")}`, "role");
    }
  }
  return ROLES.filter((role) => values.includes(role));
}

/** Optional free text: trimmed, null when empty or not given. */
export function optionalText(text: string | null | undefined, field: string, max = 200): string | null {
  const value = text?.trim().replace(/\s+/g, " ") ?? "";
  if (value.length > max) throw new ValidationError(`Enter at most ${max} characters`, field);
  return value === "" ? null : value;
}

/** An API token's label ("deploy bot"): optional, short. */
export function tokenLabel(text: string | null | undefined): string {
  return optionalText(text, "label", 100) ?? "";
}
