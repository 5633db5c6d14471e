import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  backupLines,
  exportRegister,
  restoreRegister,
  takeBackup,
  verifyBackup,
} from "../../src/services/register/index.js";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { prepareRegister, registerDataDir } from "../web/web-bench.js";

/**
 * bench/backup: `resolved backup` and the restore of it, timed on a generated register (bench/web's generator,
 * cached in bench/.cache): the backup (export + gzip + fsync + rotation), --verify, the restore into a fresh
 * embedded database (verified before, loaded, read back and compared before commit), and a check that the
 * restored register exports the same rows as the original.
 */

export interface BackupBenchResult {
  decisions: number;
  rows: number;
  backupSeconds: number;
  backupBytes: number;
  verifySeconds: number;
  restoreSeconds: number;
  identical: boolean;
}

export async function runBackupBench(count = 10_000): Promise<BackupBenchResult> {
  const dataDir = registerDataDir(count);
  await prepareRegister(dataDir, count);
  const work = await mkdtemp(join(tmpdir(), "resolved-backup-bench-"));
  let source: Database | undefined;
  let target: Database | undefined;
  try {
    source = await openDatabase({ dataDir });
    await migrateToLatest(source);
    let begin = performance.now();
    const backup = await takeBackup(source, { dir: join(work, "backups"), keep: 2 });
    const backupSeconds = (performance.now() - begin) / 1000;
    const original = await exportBody(source);
    await source.close();
    source = undefined;

    begin = performance.now();
    const verified = await verifyBackup(backup.file);
    const verifySeconds = (performance.now() - begin) / 1000;

    target = await openDatabase({ dataDir: join(work, "restored") });
    await migrateToLatest(target);
    begin = performance.now();
    await verifyBackup(backup.file, "nothing was restored");
    await restoreRegister(target, backupLines(backup.file), "bench");
    const restoreSeconds = (performance.now() - begin) / 1000;
    const restored = await exportBody(target);

    return {
      decisions: backup.rows.decision ?? 0,
      rows: verified.rows,
      backupSeconds,
      backupBytes: backup.bytes,
      verifySeconds,
      restoreSeconds,
      identical: restored === original,
    };
  } finally {
    await source?.close();
    await target?.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** The rows of an export, without the header (its time differs), hashed into one string to keep memory low. */
async function exportBody(database: Database): Promise<string> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  let first = true;
  await exportRegister(database, (line) => {
    if (!first) hash.update(line + "\n");
    first = false;
  });
  return hash.digest("hex");
}
