import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import nunjucks from "nunjucks";
import { MONTH_NAMES, ukWallClock } from "../../domain/uk-time.js";

/**
 * Nunjucks for the website: our templates first (src/web: each feature's beside its routes, e.g.
 * "meetings/meeting.njk", and the shared "layout.njk" and "partials/..."), then govuk-frontend's templates and
 * macros (`{% extends "govuk/template.njk" %}`, `{% from "govuk/components/button/macro.njk" import
 * govukButton %}`). Autoescape is on: `{{ value }}` is always escaped; only `| safe` on text we built
 * ourselves may bypass it.
 */

/**
 * src/web/, where the templates are: the same folder whether this module runs from src/web/server (vitest,
 * tsx) or from the compiled dist/web/server (both are three levels below the package root).
 */
export const VIEWS_DIR = fileURLToPath(new URL("../../../src/web/", import.meta.url));

/** src/web/assets/: our own stylesheet, scripts and images, resolved the same way as VIEWS_DIR. */
export const OWN_ASSETS_DIR = fileURLToPath(new URL("../../../src/web/assets/", import.meta.url));

const require = createRequire(import.meta.url);
const govukPackageJson = require.resolve("govuk-frontend/package.json");

/** node_modules/govuk-frontend/dist: holds govuk/template.njk, govuk/components/..., govuk/assets/... */
export const GOVUK_FRONTEND_DIST = join(dirname(govukPackageJson), "dist");

/** The installed govuk-frontend version ("6.6.0"): versions the URLs of its stylesheet and script. */
export const GOVUK_FRONTEND_VERSION = (require(govukPackageJson) as { version: string }).version;

export interface ViewEnvironmentOptions {
  /** Values every template sees (staticUrl, serviceName, ...). */
  globals?: Record<string, unknown>;
  /** Re-read templates on every render (development only). Default false. */
  noCache?: boolean;
}

/** The Nunjucks environment with our filters; createApp makes one, tests may make their own. */
export function createViewEnvironment(options: ViewEnvironmentOptions = {}): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([VIEWS_DIR, GOVUK_FRONTEND_DIST], {
    noCache: options.noCache ?? false,
    watch: false,
  });
  const env = new nunjucks.Environment(loader, {
    autoescape: true,
    throwOnUndefined: false,
    trimBlocks: true,
    lstripBlocks: true,
  });
  env.addFilter("isoDate", formatIsoDate);
  env.addFilter("ukDateTime", formatUkDateTime);
  env.addFilter("pluralise", pluralise);
  for (const [name, value] of Object.entries(options.globals ?? {})) env.addGlobal(name, value);
  return env;
}

// ---------------------------------------------------------------------------------------------------------
// Filters. Templates must never fail on odd data: a value that is not a date is shown as it is.

const MONTHS = MONTH_NAMES;

function londonParts(date: Date): { year: number; month: number; day: number; hour: number; minute: number } {
  const wall = ukWallClock(date);
  const [year, month, day] = wall.date.split("-").map(Number) as [number, number, number];
  return { year, month, day, hour: wall.hour, minute: wall.minute };
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === "string" || typeof value === "number") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/**
 * `{{ "2017-11-24" | isoDate }}` → "24 November 2017" (GOV.UK style). A Date or timestamp is shown as
 * its date in London. Empty values give "".
 */
export function formatIsoDate(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    if (match) {
      const [, year, month, day] = match;
      const monthName = MONTHS[Number(month) - 1];
      if (monthName && Number(day) >= 1 && Number(day) <= 31) return `${Number(day)} ${monthName} ${year}`;
      return value;
    }
  }
  const date = toDate(value);
  if (!date) return String(value);
  const { year, month, day } = londonParts(date);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * `{{ publishedAt | ukDateTime }}` → "24 November 2017 at 3:05pm" in London time, GOV.UK style:
 * "3pm" on the hour, "midday" and "midnight" for 12:00 and 00:00.
 */
export function formatUkDateTime(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  const date = toDate(value);
  if (!date) return String(value);
  const { year, month, day, hour, minute } = londonParts(date);
  let time: string;
  if (minute === 0 && hour === 0) time = "midnight";
  else if (minute === 0 && hour === 12) time = "midday";
  else {
    const hour12 = hour % 12 === 0 ? 12 : hour % 12;
    const suffix = hour < 12 ? "am" : "pm";
    time = minute === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minute).padStart(2, "0")}${suffix}`;
  }
  return `${day} ${MONTHS[month - 1]} ${year} at ${time}`;
}

const countFormat = new Intl.NumberFormat("en-GB");

/**
 * `{{ count | pluralise("decision") }}` → "1 decision", "1,204 decisions";
 * `{{ count | pluralise("body", "bodies") }}` for irregular plurals.
 */
export function pluralise(count: unknown, singular: string, plural: string = `${singular}s`): string {
  const number = typeof count === "number" ? count : Number(count);
  if (!Number.isFinite(number)) return `${String(count)} ${plural}`;
  return `${countFormat.format(number)} ${number === 1 ? singular : plural}`;
}
