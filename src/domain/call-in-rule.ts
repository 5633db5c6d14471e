import { z } from "zod";

import { ValidationError } from "./errors.js";
import { isValidIsoDate } from "./iso-date.js";

/**
 * A council's call-in rule: how long councillors have, after an executive decision is published, to call
 * it in for scrutiny. Each council's constitution words this differently, so it is configuration, not code.
 */

/** The three UK bank-holiday calendars (England and Wales share one). */
export const HOLIDAY_REGIONS = ["england-and-wales", "scotland", "northern-ireland"] as const;
export const holidayRegionSchema = z.enum(HOLIDAY_REGIONS);
export type HolidayRegion = z.infer<typeof holidayRegionSchema>;

/** "HH:MM" on a 24-hour clock; "24:00" is midnight at the end of the deadline day. */
const CUTOFF_PATTERN = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

const isoDateSchema = z
  .string()
  .refine(isValidIsoDate, { message: "must be a real date written YYYY-MM-DD" });

export const callInRuleSchema = z.object({
  /** Whether the publication day itself is the first day of the window, or the day after it is. */
  countFrom: z.enum(["publication-day", "next-day"]),
  /** Length of the window, in `dayKind` days. */
  days: z.number().int().min(1).max(30),
  /** Working days skip weekends, bank holidays and closure days; calendar days count every day. */
  dayKind: z.enum(["working", "calendar"]),
  /** Time of day (UK time) on the deadline day at which the window closes. */
  cutoff: z.string().regex(CUTOFF_PATTERN, { message: 'must be a time "HH:MM" from 00:00 to 24:00' }),
  holidayRegion: holidayRegionSchema,
  /** The council's own non-working days (e.g. 27-29 December), skipped like bank holidays. */
  closureDays: z.array(isoDateSchema).default([]),
  /** Councils in scope are all in the UK; the literal keeps the door open without pretending to support more. */
  timeZone: z.literal("Europe/London").default("Europe/London"),
});

/** A validated call-in rule (defaults applied). */
export type CallInRule = z.infer<typeof callInRuleSchema>;
/** What a configuration file may hold: `closureDays` and `timeZone` may be left out. */
export type CallInRuleInput = z.input<typeof callInRuleSchema>;

/**
 * Stockton-on-Tees: midnight ending the 5th working day, counting the publication day
 * (published Mon 20 Nov 2017 → deadline Fri 24 Nov 2017). The default for new registers.
 */
export const STOCKTON_CALL_IN_RULE: CallInRule = Object.freeze({
  countFrom: "publication-day",
  days: 5,
  dayKind: "working",
  cutoff: "24:00",
  holidayRegion: "england-and-wales",
  closureDays: [],
  timeZone: "Europe/London",
});

/** Validates untrusted input (a config file, a form) into a rule; throws ValidationError naming the field. */
export function parseCallInRule(input: unknown): CallInRule {
  const result = callInRuleSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
  const where = field ? `call-in rule ${field}` : "call-in rule";
  throw new ValidationError(`${where}: ${issue?.message ?? "invalid"}`, field);
}
