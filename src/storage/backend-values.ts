import { types as pgTypes, type CustomTypesConfig } from "pg";

/**
 * The same JavaScript value for the same SQL value on both backends, and the same session settings, so that
 * code and SQL behave alike on PGlite and on a PostgreSQL server.
 */

/** Session settings on both backends, so SQL date arithmetic (now()::date, current_date) means the same. */
export const SESSION_TIME_ZONE = "Europe/London";

/** Run once in PGlite's one session (it lasts as long as the instance), so the settings stick. */
export const PGLITE_SESSION_SETUP = `set time zone '${SESSION_TIME_ZONE}'; set datestyle = 'ISO'`;

const OID = {
  bytea: 17,
  int8: 20,
  text: 25,
  int8Array: 1016,
  textArray: 1009,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

/** int8 (bigint, count(*)) as a number; beyond 2^53 an error rather than a silently wrong number. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `The bigint value ${text} is too large for a JavaScript number; cast it to text in SQL`,
    );
  }
  return value;
}

/** pg-types' own parser for a type (its `TypeId` enum lacks many oids). */
const pgTypesParser = (oid: number) =>
  pgTypes.getTypeParser(oid as Parameters<typeof pgTypes.getTypeParser>[0], "text") as (
    text: string,
  ) => unknown;
const parseText = (text: string): string => text;
const parseTextArray = pgTypesParser(OID.textArray) as (text: string) => (string | null)[];
const parseInt8Array = (text: string): (number | null)[] =>
  parseTextArray(text).map((item) => (item === null ? null : parseInt8(item)));

/** Type parsers for pg, on the pool only (pg's global `types` are left alone). */
export const pgTypeConfig: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === undefined || format === "text") {
      switch (oid) {
        case OID.date:
          return parseText;
        case OID.dateArray:
          return parseTextArray;
        case OID.int8:
          return parseInt8;
        case OID.int8Array:
          return parseInt8Array;
      }
    }
    return pgTypes.getTypeParser(oid as Parameters<typeof pgTypes.getTypeParser>[0], format);
  }) as CustomTypesConfig["getTypeParser"],
};

/**
 * PGlite's defaults differ from pg's: date → Date at UTC midnight, int8 → number or BigInt, bytea → Uint8Array,
 * timestamps parsed by `new Date`. Use pg's choices (and pg-types' timestamp parser) instead.
 */
export const pgliteParsers: Record<number, (value: string) => unknown> = {
  [OID.date]: parseText,
  [OID.int8]: parseInt8,
  [OID.bytea]: pgTypesParser(OID.bytea),
  [OID.timestamptz]: pgTypesParser(OID.timestamptz),
  [OID.timestamp]: pgTypesParser(OID.timestamp),
};
