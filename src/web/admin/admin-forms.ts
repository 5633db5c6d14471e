import type { FastifyReply, FastifyRequest } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import { PersonInputError, type FieldProblem } from "../../services/people/index.js";

/**
 * What the admin forms share: reading a posted form, GOV.UK date inputs, turning problems into an error
 * summary (each linking to its field) and messages by field, and the success banner shown once after a
 * redirect (post, redirect, get).
 */

declare module "fastify" {
  interface Session {
    /** A success message for the next page the admin sees (set before a 303, shown and cleared there). */
    adminNotice?: string;
  }
}

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

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export function dateParts(body: FormBody, prefix: string): DateParts {
  return {
    day: field(body, `${prefix}-day`).trim(),
    month: field(body, `${prefix}-month`).trim(),
    year: field(body, `${prefix}-year`).trim(),
  };
}

/** "" when nothing was typed, YYYY-MM-DD when it is all numbers (checked as a date later), else "invalid". */
export function dateFromParts(parts: DateParts): string {
  if (parts.day === "" && parts.month === "" && parts.year === "") return "";
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    return "invalid";
  }
  return `${parts.year}-${parts.month.padStart(2, "0")}-${parts.day.padStart(2, "0")}`;
}

/** A date as a GOV.UK date input shows it. */
export function partsOf(date: string | null | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? "");
  return m
    ? { year: m[1]!, month: String(Number(m[2])), day: String(Number(m[3])) }
    : { day: "", month: "", year: "" };
}

/** The problems a service refused with, or undefined when the error is something else (rethrow it). */
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

/** The success banner's message, once. */
export function takeNotice(request: FastifyRequest): string | undefined {
  const notice = request.session.adminNotice;
  if (notice !== undefined) delete request.session.adminNotice;
  return notice;
}

/** Post, redirect, get: the next page shows `notice` in a success banner. */
export function redirectWithNotice(request: FastifyRequest, reply: FastifyReply, to: string, notice: string) {
  request.session.adminNotice = notice;
  return reply.redirect(to, 303);
}

/** Who the audit log records for a change made in the workspace. */
export function accountActor(request: FastifyRequest): string {
  const account = request.account!;
  return `account:${account.id} ${account.email}`;
}
