import { isoDate, type IsoDate } from "./iso-date.js";

/**
 * UK wall-clock time ↔ instants, from the built-in Intl time-zone data (no library in the domain). Every
 * layer that shows or reads a time of day in UK time goes through here, so BST is handled in one place.
 */
export const UK_TIME_ZONE = "Europe/London";

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;
export const WEEKDAY_NAMES = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
] as const;

export interface UkWallClock {
  date: IsoDate;
  hour: number;
  minute: number;
  second: number;
  /** Minutes ahead of UTC: 0 in winter, 60 in summer time. */
  offsetMinutes: number;
}

const wallClockFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: UK_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** What a clock in the UK showed at an instant. */
export function ukWallClock(instant: Date | number): UkWallClock {
  const utcMs = typeof instant === "number" ? instant : instant.getTime();
  const parts: Record<string, number> = {};
  for (const part of wallClockFormat.formatToParts(new Date(utcMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const [year, month, day] = [parts.year ?? 0, parts.month ?? 0, parts.day ?? 0];
  const [hour, minute, second] = [parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMinutes = Math.round((wallAsUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
  return { date: isoDate(year, month, day), hour, minute, second, offsetMinutes };
}

/**
 * The instant a UK clock shows a wall time. Two passes settle the offset either side of a clock change; a
 * time that does not exist (01:30 on the spring-forward Sunday) lands an hour later, and one that happens
 * twice (01:30 on the autumn Sunday) resolves to its second occurrence. Times in constitutions (midnight,
 * 12:00, 16:00, 17:00) never meet either case.
 */
export function ukWallTimeToInstant(date: IsoDate, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const wallAsUtc = Date.UTC(y, m - 1, d, hour, minute, second, ms);
  const firstGuess = wallAsUtc - ukWallClock(wallAsUtc).offsetMinutes * 60_000;
  return new Date(wallAsUtc - ukWallClock(firstGuess).offsetMinutes * 60_000);
}

/** The UK calendar date at an instant. */
export function ukDateOf(instant: Date): IsoDate {
  return ukWallClock(instant).date;
}

/**
 * ISO 8601 in UK time with its offset: "2017-11-25T00:00:00+00:00", "2024-06-26T00:00:00+01:00"; milliseconds
 * only when there are any.
 */
export function toUkIsoString(instant: Date): string {
  const wall = ukWallClock(instant);
  const ms = ((instant.getTime() % 1000) + 1000) % 1000;
  const fraction = ms === 0 ? "" : `.${String(ms).padStart(3, "0")}`;
  const time = `${pad2(wall.hour)}:${pad2(wall.minute)}:${pad2(wall.second)}${fraction}`;
  return `${wall.date}T${time}${formatOffset(wall.offsetMinutes)}`;
}

/** 00:00 UK time at the start of `date`. */
export function startOfUkDay(date: IsoDate): Date {
  return ukWallTimeToInstant(date);
}

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
