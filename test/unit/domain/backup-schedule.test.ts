import { describe, expect, it } from "vitest";
import {
  describeBackupSchedule,
  nextBackupAt,
  parseBackupSchedule,
} from "../../../src/domain/backup-schedule.js";

describe("backup schedule", () => {
  it("reads times of day, sorted and without repeats; off or empty is none", () => {
    expect(parseBackupSchedule("02:30")).toEqual({ times: [150] });
    expect(parseBackupSchedule(" 14:00, 02:30 ,02:30")).toEqual({ times: [150, 840] });
    expect(parseBackupSchedule("off")).toBeUndefined();
    expect(parseBackupSchedule("")).toBeUndefined();
    expect(describeBackupSchedule(parseBackupSchedule("14:00,02:30")!)).toBe("daily at 02:30, 14:00 UK time");
  });

  it("refuses what is not HH:MM", () => {
    for (const bad of ["2:30", "24:00", "02:60", "0 2 * * *", "02:30,", "daily"]) {
      expect(() => parseBackupSchedule(bad)).toThrow(/is not a time of day: write HH:MM in UK time/);
    }
  });

  it("gives the next instant in UK time, in winter and in summer", () => {
    const schedule = parseBackupSchedule("02:30")!;
    // Winter: UK time is UTC.
    expect(nextBackupAt(schedule, new Date("2026-12-05T01:00:00Z")).toISOString()).toBe(
      "2026-12-05T02:30:00.000Z",
    );
    // Exactly at the instant: the next day's.
    expect(nextBackupAt(schedule, new Date("2026-12-05T02:30:00Z")).toISOString()).toBe(
      "2026-12-06T02:30:00.000Z",
    );
    // Summer: 02:30 BST is 01:30 UTC.
    expect(nextBackupAt(schedule, new Date("2026-07-01T12:00:00Z")).toISOString()).toBe(
      "2026-07-02T01:30:00.000Z",
    );
    // Late in the UK evening of 1 July (23:30 BST = 22:30 UTC): the UK date is still the 1st.
    expect(nextBackupAt(parseBackupSchedule("23:45")!, new Date("2026-07-01T22:30:00Z")).toISOString()).toBe(
      "2026-07-01T22:45:00.000Z",
    );
  });

  it("takes a time the spring change skips an hour later, and one the autumn change repeats once", () => {
    // 29 March 2026: clocks go from 01:00 GMT to 02:00 BST, so 01:30 does not happen.
    const skipped = nextBackupAt(parseBackupSchedule("01:30")!, new Date("2026-03-29T00:00:00Z"));
    expect(skipped.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // 25 October 2026: 01:30 happens at 00:30 UTC (BST) and 01:30 UTC (GMT); one instant is scheduled.
    const autumn = parseBackupSchedule("01:30")!;
    const first = nextBackupAt(autumn, new Date("2026-10-25T00:00:00Z"));
    const after = nextBackupAt(autumn, first);
    expect(after.toISOString()).toBe("2026-10-26T01:30:00.000Z");
  });
});
