import { addDays, type IsoDate } from "./iso-date.js";
import { ukDateOf, ukWallTimeToInstant } from "./uk-time.js";

/**
 * When `resolved serve` takes backups: times of day in UK time (Europe/London), e.g. "02:30" or "02:30,14:30".
 * A time that the spring clock change skips (01:30 on that Sunday) is taken an hour later; one that happens
 * twice in autumn, once (the claim is per scheduled instant, see backup-schedule.ts in services).
 */
export interface BackupSchedule {
  /** Minutes after midnight, UK time, ascending, no repeats. */
  times: number[];
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses "HH:MM[,HH:MM…]"; undefined for "" or "off". Throws Error with what is wrong. */
export function parseBackupSchedule(text: string): BackupSchedule | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.toLowerCase() === "off") return undefined;
  const times = new Set<number>();
  for (const part of trimmed.split(",")) {
    const match = TIME.exec(part.trim());
    if (!match) {
      throw new Error(
        `"${part.trim()}" is not a time of day: write HH:MM in UK time, e.g. 02:30, or several separated by commas, or off`,
      );
    }
    times.add(Number(match[1]) * 60 + Number(match[2]));
  }
  return { times: [...times].sort((a, b) => a - b) };
}

/** The first scheduled instant strictly after `after`. */
export function nextBackupAt(schedule: BackupSchedule, after: Date): Date {
  const today: IsoDate = ukDateOf(after);
  // Two days ahead covers every case (the last time today has passed; a clock change).
  for (const date of [addDays(today, -1), today, addDays(today, 1), addDays(today, 2)]) {
    for (const minutes of schedule.times) {
      const at = ukWallTimeToInstant(date, Math.floor(minutes / 60), minutes % 60);
      if (at.getTime() > after.getTime()) return at;
    }
  }
  throw new Error("unreachable: a schedule has at least one time a day");
}

export function describeBackupSchedule(schedule: BackupSchedule): string {
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return `daily at ${schedule.times.map(hhmm).join(", ")} UK time`;
}
