import { mkdtemp, rm } from "node:fs/promises";
import { sql } from "kysely";
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

export interface ServerFigures {
  restoreSeconds: number;
  backupSeconds: number;
  backupBytes: number;
  identical: boolean;
}

export interface BackupBenchResult {
  decisions: number;
  rows: number;
  backupSeconds: number;
  backupBytes: number;
  verifySeconds: number;
  restoreSeconds: number;
  identical: boolean;
  /** With RESOLVED_BENCH_DATABASE_URL (a server where we may CREATE DATABASE): the same backup restored there, and backed up again. */
  server?: ServerFigures;
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
    const serverUrl = process.env.RESOLVED_BENCH_DATABASE_URL?.trim();
    const server = serverUrl ? await onServer(serverUrl, backup.file, work, original) : undefined;

    return {
      ...(server && { server }),
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

async function onServer(
  adminUrl: string,
  file: string,
  work: string,
  original: string,
): Promise<ServerFigures> {
  const admin = await openDatabase({ databaseUrl: adminUrl, poolSize: 1 });
  const name = `resolved_backup_bench_${process.pid}`;
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  try {
    await migrateToLatest(database);
    let begin = performance.now();
    await verifyBackup(file, "nothing was restored");
    await restoreRegister(database, backupLines(file), "bench");
    const restoreSeconds = (performance.now() - begin) / 1000;
    begin = performance.now();
    const backup = await takeBackup(database, { dir: join(work, "server-backups"), keep: 1 });
    const backupSeconds = (performance.now() - begin) / 1000;
    return {
      restoreSeconds,
      backupSeconds,
      backupBytes: backup.bytes,
      identical: (await exportBody(database)) === original,
    };
  } finally {
    await database.close();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
    await admin.close();
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
