import type { Command } from "commander";
import { DocumentError, ValidationError } from "../domain/errors.js";
import { takeBackup, verifyBackup } from "../services/register/index.js";
import type { CliIo } from "./cli-io.js";
import { describeError } from "./report-error.js";
import { withContext } from "./with-context.js";

interface BackupFlags {
  dir?: string;
  keep?: string;
  verify?: string;
}

/**
 * `resolved backup [--dir DIR] [--keep N]`: a consistent, gzipped export with checksums into DIR (default
 * RESOLVED_BACKUP_DIR, else ./backups), keeping the newest N (RESOLVED_BACKUP_KEEP, else 14).
 * `resolved backup --verify FILE`: checks a backup without a database and without restoring it.
 */
export function registerBackupCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  program
    .command("backup")
    .description(
      "write a gzipped, checksummed export of the register into a folder, keeping the newest N; or --verify one",
    )
    .option("--dir <dir>", "the backup folder (default: RESOLVED_BACKUP_DIR, else ./backups)")
    .option("--keep <n>", "how many backups to keep (default: RESOLVED_BACKUP_KEEP, else 14)")
    .option("--verify <file>", "check this backup (checksums, completeness) without restoring it")
    .action(async (flags: BackupFlags) => setExitCode(await backupCommand(flags, io)));
}

export async function backupCommand(flags: BackupFlags, io: CliIo): Promise<number> {
  if (flags.verify !== undefined) {
    if (flags.dir !== undefined || flags.keep !== undefined) {
      io.stderr("resolved: --verify checks one file: it takes no --dir or --keep\n");
      return 1;
    }
    return verifyCommand(flags.verify, io);
  }
  let keep: number | undefined;
  try {
    if (flags.keep !== undefined) {
      if (!/^\d+$/.test(flags.keep) || Number(flags.keep) < 1) {
        throw new ValidationError(`--keep must be a whole number, at least 1, not "${flags.keep}"`, "--keep");
      }
      keep = Number(flags.keep);
    }
    if (flags.dir !== undefined && flags.dir.trim() === "") {
      throw new ValidationError("--dir must not be empty", "--dir");
    }
  } catch (error) {
    io.stderr(`resolved: ${describeError(error)}\n`);
    return 1;
  }
  return withContext(io, async (context) => {
    const config = context.config;
    const result = await takeBackup(context.database, {
      dir: flags.dir ?? config.backupDir,
      keep: keep ?? config.backupKeep,
    });
    const total = Object.values(result.rows).reduce((sum, n) => sum + n, 0);
    io.stdout(`${result.file}\n`);
    io.stderr(
      `backed up ${total} rows (${result.rows.decision ?? 0} decisions) in ${formatBytes(result.bytes)}, ` +
        `sha256 ${result.sha256}` +
        (result.removed.length > 0 ? `; removed ${result.removed.length} older backup(s)` : "") +
        "\n",
    );
    context.logger.info(
      {
        file: result.file,
        bytes: result.bytes,
        sha256: result.sha256,
        rows: result.rows,
        removed: result.removed,
      },
      "backup written",
    );
    return 0;
  });
}

async function verifyCommand(file: string, io: CliIo): Promise<number> {
  try {
    const verified = await verifyBackup(file);
    const checks = [
      verified.fileChecksum ? "SHA-256 of the file" : undefined,
      verified.checksums ? "checksums of every table" : "row counts (a plain export carries no checksums)",
    ].filter((c) => c !== undefined);
    io.stdout(
      `${file}: OK, ${verified.rows} rows exported ${verified.header.exportedAt}; checked: ${checks.join(", ")}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    io.stderr(`${describeError(error, file)}\n`);
    return 1;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
