import { readFileSync } from "node:fs";
import { open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { UnavailableError } from "../domain/errors.js";
import { errorCode, errorMessage } from "./error-details.js";

const LOCK_FILE = "resolved.lock";

/** Lock files this process holds, so a lock left by an earlier process that had our pid is seen as stale. */
const heldLocks = new Set<string>();

interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

/**
 * PGlite has no protection against two processes opening the same files, which corrupts them. Take a lock file
 * in the data directory; a lock whose process is gone is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, "wx");
      try {
        const holder: LockHolder = {
          pid: process.pid,
          hostname: hostname(),
          startedAt: new Date().toISOString(),
        };
        await handle.writeFile(`${JSON.stringify(holder)}\n`);
      } finally {
        await handle.close();
      }
      heldLocks.add(file);
      return async () => {
        heldLocks.delete(file);
        await rm(file, { force: true });
      };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") {
        throw new UnavailableError(`Cannot write to the data directory ${dataDir}: ${errorMessage(error)}`, {
          cause: error,
        });
      }
    }
    const holder = await readLockHolder(file);
    if (holder === "fresh" || (holder !== "stale" && lockIsLive(file, holder))) {
      const who =
        holder === "fresh"
          ? "another Resolved process"
          : `another Resolved process (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt})`;
      throw new UnavailableError(
        `The embedded database in ${dataDir} is in use by ${who}. Stop that process first; ` +
          "to run several processes at once, use a PostgreSQL server (DATABASE_URL). " +
          `If no such process is running, delete ${file}.`,
      );
    }
    await rm(file, { force: true });
  }
  throw new UnavailableError(
    `Cannot lock the data directory ${dataDir}: another process keeps taking the lock.`,
  );
}

async function readLockHolder(file: string): Promise<LockHolder | "fresh" | "stale"> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      typeof (parsed as LockHolder).pid === "number" &&
      typeof (parsed as LockHolder).hostname === "string"
    ) {
      return parsed as LockHolder;
    }
  } catch (error) {
    if (errorCode(error) === "ENOENT") return "stale";
  }
  // Unreadable: being written right now by another process, or left half-written by a crash.
  try {
    const { mtimeMs } = await stat(file);
    return Date.now() - mtimeMs < 5000 ? "fresh" : "stale";
  } catch {
    return "stale";
  }
}

function lockIsLive(file: string, holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return true; // cannot tell: assume it is
  if (holder.pid === process.pid) return heldLocks.has(file);
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
  // A process has that pid, but its pid may have been given to another process since the holder was killed
  // (after a reboot, or in a container, whose pids start again from 1): not the holder if it started after
  // the lock was written.
  const started = processStartedAt(holder.pid);
  const lockedAt = Date.parse(holder.startedAt);
  return started === undefined || Number.isNaN(lockedAt) || started <= lockedAt + PROCESS_START_SLACK_MS;
}

/**
 * The lock is written after its process started, and boot time is known to the second; a step of the system
 * clock since the lock was written would move the start times we compute. Wrongly judging a live holder gone
 * would let two processes corrupt the files, so only a process that started more than a minute after the lock
 * is taken for another one (the other way round costs only a refusal to start, which says what to do).
 */
const PROCESS_START_SLACK_MS = 60_000;

/** When the process `pid` started, from /proc (Linux), in milliseconds since 1970; undefined when unknown. */
function processStartedAt(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22, counted after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]);
    const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(bootTime)) return undefined;
    return bootTime * 1000 + (ticks / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
