import type { FastifyReply, FastifyRequest } from "fastify";
import { ValidationError } from "../../domain/errors.js";
import { type IsoDate, isValidIsoDate } from "../../domain/iso-date.js";
import { dateParts, partsOf, type DateParts } from "../shared/date-parts.js";
import { setNotice, takeNotice } from "../shared/flash-notice.js";

export { dateParts, partsOf, type DateParts };

/**
 * What the workspace's forms share: reading posted fields, GOV.UK date inputs, turning a ValidationError into the
 * error summary's entry (linked to the input at fault), and the notification banner after a redirect (PRG).
 */

/** A form as posted: urlencoded (strings, arrays for repeated names) or multipart (strings and files). */
export type FormBody = Record<string, unknown>;

export interface FormError {
  text: string;
  href: string;
}

/** The errors of a form: the summary's list, and each input's message by its id. */
export class FormErrors {
  readonly list: FormError[] = [];
  readonly byId: Record<string, string> = {};

  add(id: string, text: string): void {
    if (this.byId[id] !== undefined) return;
    this.byId[id] = text;
    this.list.push({ text, href: `#${id}` });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** The template's view of them: `errors` for errorSummary, `errorsById` for each input's errorMessage. */
  view(): { errors: FormError[]; errorsById: Record<string, string>; hasErrors: boolean } {
    return { errors: this.list, errorsById: this.byId, hasErrors: this.any };
  }
}

/** A posted text field ("" when absent); the first value when a name was posted twice. */
export function field(body: FormBody | undefined, name: string): string {
  const value = body?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
}

/**
 * "outcomes.0.kind" → "outcomes-0-kind": the id of the input a service's field names, as the forms name
 * their inputs. Date fields point at their day input (GOV.UK's pattern for a date's errors).
 */
export function inputId(serviceField: string, dateFields: readonly string[] = []): string {
  const id = serviceField.replace(/\./g, "-");
  return dateFields.includes(serviceField) ? `${id}-day` : id;
}

/** A service's message for a person: without its leading "field: ", starting with a capital. */
export function messageFor(error: ValidationError): string {
  const text =
    error.field && error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Adds a service's ValidationError to `errors` (at the input it names, through `idFor`), and returns true;
 * anything else is not the form's to show: false (the caller rethrows it).
 */
export function addServiceError(
  errors: FormErrors,
  error: unknown,
  idFor: (serviceField: string) => string = (f) => inputId(f),
  fallbackId = "main-content",
): boolean {
  if (!(error instanceof ValidationError)) return false;
  errors.add(error.field ? idFor(error.field) : fallbackId, messageFor(error));
  return true;
}

/** The three boxes of a GOV.UK date input as typed, for showing them again. */
/**
 * The date a GOV.UK date input holds, or null with the error added at its day box: "Enter the date of the
 * meeting", "The date of the meeting must be a real date".
 */
export function readDate(errors: FormErrors, parts: DateParts, name: string, what: string): IsoDate | null {
  const id = `${name}-day`;
  if (parts.day === "" && parts.month === "" && parts.year === "") {
    errors.add(id, `Enter ${what}`);
    return null;
  }
  const missing = (["day", "month", "year"] as const).filter((p) => parts[p] === "");
  if (missing.length > 0) {
    errors.add(id, `${capitalise(what)} must include a ${missing.join(" and ")}`);
    return null;
  }
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    errors.add(id, `${capitalise(what)} must be a real date`);
    return null;
  }
  const iso = `${parts.year}-${parts.month.padStart(2, "0")}-${parts.day.padStart(2, "0")}`;
  if (!isValidIsoDate(iso)) {
    errors.add(id, `${capitalise(what)} must be a real date`);
    return null;
  }
  return iso;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Workspace pages are for one account: never stored by a browser or a proxy. */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header("cache-control", "no-store");
}

/** After a form did what it was asked: the notification for the next page, and a 303 to it (PRG). */
export async function redirectWithFlash(
  request: FastifyRequest,
  reply: FastifyReply,
  location: string,
  message: string,
): Promise<FastifyReply> {
  setNotice(request, message);
  await request.session.save();
  return reply.redirect(location, 303);
}

/** The notification a redirect left for this page, once. */
export { takeNotice as takeFlash };

/** A positive whole number from a route's `:id`, or undefined (the page is then not found). */
export function routeId(value: string): number | undefined {
  return /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}
