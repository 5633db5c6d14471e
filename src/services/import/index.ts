// Importing councils' documents into the register: one at a time, or many in batches with the same outcome.
export {
  importBatch,
  parseInputs,
  storeParsedBatch,
  DEFAULT_BATCH_SIZE,
  type BatchReport,
  type BulkImportEntry,
  type BulkImportOptions,
} from "./bulk-import.js";
export { importDocument } from "./import-document.js";
export {
  BATCH_IMPORT_MIN_FILES,
  importFiles,
  type FileImport,
  type ImportFilesOptions,
  type ImportProgress,
} from "./import-files.js";
export { checkImportOptions } from "./import-rows.js";
export type {
  DocumentImportResult,
  ImportInput,
  ImportOptions,
  ImportOutcome,
  ImportResult,
  ImportWarning,
} from "./import-types.js";
