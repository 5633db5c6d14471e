import type { FastifyReply, FastifyRequest } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import { PersonInputError, type FieldProblem } from "../../services/people/index.js";
import { dateParts, partsOf, type DateParts } from "../shared/date-parts.js";
import { setNotice, takeNotice } from "../shared/flash-notice.js";

/**
 * What the admin forms share: reading a posted form, GOV.UK date inputs, turning problems into an error
 * summary (each linking to its field) and messages by field, and the success banner shown once after a
 * redirect (post, redirect, get).
 */

export type FormBody = Record<string, string | string[] | undefined>;

export function formBody(request: FastifyRequest): FormBody {
  const body = request.body;
  return typeof body === "object" && body !== null ? (body as FormBody) : {};
}

/** One text value (the last when a field came twice). */
export function field(body: FormBody, name: string): string {
  const value = body[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === "string" ? last : "";
}

/** "" when nothing was typed, YYYY-MM-DD when it is all numbers (checked as a date later), else "invalid". */
export function dateFromParts(parts: DateParts): string {
  if (parts.day === "" && parts.month === "" && parts.year === "") return "";
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return "invalid";
  }
  return `${parts.year}-${parts.month.padStart(2, "0")}-${parts.day.padStart(2, "0")}`;
}

export function problemsOf(error: unknown): FieldProblem[] | undefined {
  if (error instanceof PersonInputError) return [...error.problems];
  if (error instanceof ValidationError) return [{ field: error.field ?? "", message: error.message }];
  return undefined;
}

export interface FormErrors {
  /** For the error summary: each links to its field's input. */
  list: Array<{ text: string; href: string }>;
  /** The message shown at each field, by field name. */
  byField: Record<string, string>;
}

/**
 * `ids` maps a problem's field to the input's id on the page (date inputs link to their day box); a field
 * not mapped links to the input of the same id.
 */
export function formErrors(problems: readonly FieldProblem[], ids: Record<string, string> = {}): FormErrors {
  const byField: Record<string, string> = {};
  const list = problems.map((problem) => {
    byField[problem.field] ??= problem.message;
    return { text: problem.message, href: `#${ids[problem.field] ?? problem.field}` };
  });
  return { list, byField };
}

export { dateParts, partsOf, takeNotice, type DateParts };

/** Post, redirect, get: the next page shows `notice` in a success banner. */
export function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, to: string, notice: string) {
  setNotice(request, notice);
  return reply.redirect(to, 303);
}

/** Who the audit log records for a change made in the workspace. */
export function accountActor(request: FastifyRequest): string {
  const account = request.account!;
  return `account:${account.id} ${account.email}`;
}
