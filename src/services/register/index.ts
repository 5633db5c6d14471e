// The register as a whole: export and restore, backups, example records, upkeep after bulk changes, home-page highlights.
export {
  EXAMPLE_RECORDS_DIR,
  importExampleRecordsIfEmpty,
  seedExamplesOnFirstStart,
  type ExampleImportOptions,
  type ExampleImportSummary,
} from "./example-records.js";
export {
  addExampleStrategy,
  EXAMPLE_STRATEGIES_DIR,
  EXAMPLE_STRATEGY_FILES,
  type ExampleStrategySummary,
} from "./example-strategy.js";
export {
  backupFileName,
  backupLines,
  CHECKSUM_SUFFIX,
  isBackupFileName,
  rotateBackups,
  takeBackup,
  verifyBackup,
  type BackupResult,
  type VerifiedBackup,
} from "./backup.js";
export {
  startBackupSchedule,
  takeScheduledBackup,
  type BackupLog,
  type BackupScheduler,
} from "./backup-schedule.js";
export { exportRegister, restoreRegister, type RestoreSummary } from "./export-and-restore.js";
export { REGISTER_FORMAT, REGISTER_FORMAT_VERSION } from "./register-file.js";
export { latestDecisions, openCallIns, type OpenCallIn } from "./register-highlights.js";
export { refreshInBackground, tidyAfterBulkImport } from "./register-maintenance.js";
export { REGISTER_CHANGED_CHANNEL, watchRegisterChanges, type RegisterChanges } from "./register-changes.js";
export { registerChangeStamp } from "./register-stamp.js";
