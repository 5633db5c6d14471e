import { hostname } from "node:os";
import { sql } from "kysely";
import { describeBackupSchedule, nextBackupAt, type BackupSchedule } from "../../domain/backup-schedule.js";
import type { Database } from "../../storage/database.js";
import { takeBackup, type BackupResult } from "./backup.js";

/**
 * Backups taken by `resolved serve` on RESOLVED_BACKUP_SCHEDULE. Each process sets a timer for the next
 * scheduled instant; when it fires, the process claims that instant by inserting a row into backup_run (its
 * primary key is the instant), and only the process whose insert went in takes the backup. This holds however
 * many processes share the database and however far apart their timers fire (an advisory lock would only
 * keep them from running at the same moment, so a process whose clock is a few seconds late would take a second
 * backup). A failure is logged and the next instant is armed; it never stops the server.
 *
 * Why not pg-boss: it is not among our dependencies, it would add its own schema and a worker polling the
 * database every few seconds (on the embedded database, on the one connection that also serves pages) to run a
 * job once a day; a claim row does the one thing needed, on both backends.
 */

export interface BackupLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ScheduledBackupOptions {
  dir: string;
  keep: number;
  /** Who claims it, for the backup_run row (default host:pid). */
  takenBy?: string;
  now?: () => Date;
}

/**
 * Claims the scheduled instant `slot` and takes its backup; undefined when another process claimed it first.
 * A failure is recorded in backup_run and thrown.
 */
export async function takeScheduledBackup(
  database: Database,
  slot: Date,
  options: ScheduledBackupOptions,
): Promise<BackupResult | undefined> {
  const key = slot.toISOString();
  const { rows } = await sql<{ slot: string }>`
    insert into backup_run (slot, taken_by) values (${key}, ${options.takenBy ?? defaultTakenBy()})
    on conflict (slot) do nothing
    returning slot`.execute(database.db);
  if (rows.length === 0) return undefined;
  try {
    const result = await takeBackup(database, options);
    await database.db
      .updateTable("backupRun")
      .set({ finishedAt: new Date(), file: result.file })
      .where("slot", "=", key)
      .execute();
    return result;
  } catch (error) {
    await database.db
      .updateTable("backupRun")
      .set({ finishedAt: new Date(), error: (error as Error).message ?? String(error) })
      .where("slot", "=", key)
      .execute()
      .catch(() => {});
    throw error;
  }
}

function defaultTakenBy(): string {
  return `${hostname()}:${process.pid}`;
}

export interface BackupScheduler {
  /** The next instant armed. */
  readonly nextAt: Date | undefined;
  /** Stops the timer and waits for a backup under way. */
  stop(): Promise<void>;
}

/** Longest delay setTimeout takes (about 24.8 days); longer waits are re-armed. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export function startBackupSchedule(
  database: Database,
  schedule: BackupSchedule,
  options: ScheduledBackupOptions & { log: BackupLog },
): BackupScheduler {
  const now = options.now ?? (() => new Date());
  const log = options.log;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let nextAt: Date | undefined;

  const arm = () => {
    if (stopped) return;
    const at = nextBackupAt(schedule, now());
    nextAt = at;
    timer = setTimeout(() => fire(at), Math.min(Math.max(at.getTime() - now().getTime(), 0), MAX_DELAY_MS));
    timer.unref();
  };

  const fire = (at: Date) => {
    timer = undefined;
    if (stopped) return;
    if (now().getTime() < at.getTime()) {
      // Woken early (a long wait cut into pieces): wait on for the same instant.
      timer = setTimeout(() => fire(at), Math.min(at.getTime() - now().getTime(), MAX_DELAY_MS));
      timer.unref();
      return;
    }
    running = takeScheduledBackup(database, at, options)
      .then((result) => {
        if (result === undefined) {
          log.info({ slot: at.toISOString() }, "scheduled backup taken by another server process");
          return;
        }
        log.info(
          {
            slot: at.toISOString(),
            file: result.file,
            bytes: result.bytes,
            sha256: result.sha256,
            removed: result.removed,
          },
          `backup written to ${result.file}`,
        );
      })
      .catch((error: unknown) => {
        log.error(
          { err: error, slot: at.toISOString(), dir: options.dir },
          `scheduled backup failed: ${(error as Error)?.message ?? String(error)}; the next one is still scheduled`,
        );
      })
      .finally(() => {
        running = undefined;
        arm();
      });
  };

  arm();
  log.info(
    { dir: options.dir, keep: options.keep, next: nextAt?.toISOString() },
    `backups scheduled ${describeBackupSchedule(schedule)}`,
  );
  return {
    get nextAt() {
      return nextAt;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
