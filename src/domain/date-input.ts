import { ValidationError } from "./errors.js";
import { type IsoDate, isValidIsoDate } from "./iso-date.js";
import { ukWallTimeToInstant } from "./uk-time.js";

/** Dates and instants typed by people (CLI flags, form fields, query parameters), checked and turned into values. */

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * An instant from user input: ISO 8601 date and time, "2017-11-23T12:00" (UK local time, GMT or BST as in
 * force then), or with an offset or Z ("2017-11-23T12:00:00Z", "2017-06-01T09:30+01:00"). Throws
 * ValidationError naming `field` otherwise.
 */
export function parseUkDateTime(text: string, field: string): Date {
  const value = text.trim();
  const fail = () =>
    new ValidationError(`"${text}" is not a date-time (expected e.g. 2017-11-23T12:00)`, field);
  const m = DATE_TIME.exec(value);
  if (!m) throw fail();
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? "0")];
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  if (!isValidIsoDate(date) || hour > 23 || minute > 59 || second > 59) throw fail();
  const year = Number(m[1]);
  if (year < 1900 || year > 9000) throw fail();
  const offset = m[8];
  if (offset === undefined) return ukWallTimeToInstant(date, hour, minute, second, ms);
  let offsetMinutes = 0;
  if (offset !== "Z" && offset !== "z") {
    const digits = offset.slice(1).replace(":", "");
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || "0");
    if (hours > 23 || minutes > 59) throw fail();
    offsetMinutes = (offset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return new Date(Date.UTC(y, mo - 1, d, hour, minute, second, ms) - offsetMinutes * 60_000);
}

/** A calendar date from user input, or ValidationError naming `field`. */
export function parseIsoDateInput(text: string, field: string): IsoDate {
  const value = text.trim();
  if (!isValidIsoDate(value)) {
    throw new ValidationError(`"${text}" is not a date (expected YYYY-MM-DD, e.g. 2017-11-20)`, field);
  }
  return value;
}

/**
 * The time of day a call-in window closes, as typed: "HH:MM" (e.g. 16:00), "midnight" (the end of the day,
 * stored as "24:00") or "noon"/"midday". Returns "HH:MM"; ValidationError naming `field` otherwise.
 */
export function parseCutoffTimeInput(text: string, field: string): string {
  const value = text.trim().toLowerCase();
  if (value === "midnight") return "24:00";
  if (value === "noon" || value === "midday") return "12:00";
  const m = /^(\d{1,2})[:.](\d{2})$/.exec(value);
  if (m) {
    const [hour, minute] = [Number(m[1]), Number(m[2])];
    if ((hour < 24 && minute < 60) || (hour === 24 && minute === 0)) {
      return `${String(hour).padStart(2, "0")}:${m[2]}`;
    }
  }
  throw new ValidationError(`"${text}" is not a time; expected HH:MM (e.g. 16:00), midnight or noon`, field);
}
