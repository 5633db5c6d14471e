import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { DocumentError } from "../../domain/errors.js";
import { listDocumentFiles } from "../../import/list-document-files.js";
import type { Database } from "../../storage/database.js";
import { tidyAfterBulkImport } from "../register/register-maintenance.js";
import { storageFailure } from "../../storage/storage-failure.js";
import { batchSizeOf, parseInputs, storeParsedBatch } from "./bulk-import.js";
import { importDocument } from "./import-document.js";
import { checkImportOptions } from "./import-rows.js";
import type { DocumentImportResult, ImportInput, ImportOptions } from "./import-types.js";
import { IMPORT_KEPT, importJobsFor, storeInBatches } from "./store-batches.js";

export interface FileImport {
  /** The path as listed (a file given, or one found in a folder given). */
  file: string;
  result?: DocumentImportResult;
  /** Why the file was not imported (DocumentError, ValidationError, ...); nothing of it was written. */
  error?: unknown;
}

export type ImportProgress = (progress: { done: number; total: number; file: string }) => void;

/** From this many files on, importFiles stores them in batches (importBatch) rather than one at a time. */
export const BATCH_IMPORT_MIN_FILES = 50;

export interface ImportFilesOptions extends ImportOptions {
  sourceUrl?: string;
  /** Files per batch transaction when importing in batches (default 500). */
  batchSize?: number;
  /** Import in batches from this many files on (default BATCH_IMPORT_MIN_FILES); 1 always, Infinity never. */
  batchFrom?: number;
  /** Batches stored at once, each on its own connection (default 1; more need a PostgreSQL server). */
  jobs?: number;
}

/**
 * Imports every document in `paths` (files, and folders read recursively), in order, with the outcome of
 * importing each in its own transaction: a failure is recorded against its file, writes nothing of it, and the
 * batch goes on (an unusable `council` option refuses the whole batch with a ValidationError). Many files are
 * stored in batches (see bulk-import.ts: same results, far faster). `onProgress` is called before each file is
 * read (done = files handled so far; in batches, read and parsed) and once at the end (done = total).
 */
export async function importFiles(
  database: Database,
  paths: readonly string[],
  options: ImportFilesOptions,
  onProgress: ImportProgress = () => {},
): Promise<FileImport[]> {
  // A bad option spoils every file alike: refuse the batch.
  checkImportOptions(options);
  const jobs = importJobsFor(database, options.jobs);
  // Listed first, so progress can say "n of total"; a folder that cannot be read is a failure in its place.
  const entries: { file: string; listError?: unknown }[] = [];
  for (const path of paths) {
    try {
      for (const file of await listDocumentFiles([path])) entries.push({ file });
    } catch (error) {
      entries.push({ file: path, listError: error });
    }
  }
  const total = entries.length;
  const inputFor = async (file: string): Promise<ImportInput> => {
    const input: ImportInput = { bytes: await readDocument(file), fileName: basename(file) };
    if (options.sourceUrl !== undefined) input.sourceUrl = options.sourceUrl;
    return input;
  };
  const {
    batchSize: _batchSize,
    batchFrom = BATCH_IMPORT_MIN_FILES,
    jobs: _jobs,
    ...importOptions
  } = options;
  let results: FileImport[];
  if (total >= batchFrom) {
    results = await importFilesInBatches(
      database,
      entries,
      importOptions,
      { size: batchSizeOf(options), jobs },
      inputFor,
      onProgress,
    );
    // Many new decisions: derive their status timelines and refresh the planner's statistics now, not on the
    // first search.
    if (results.some((entry) => entry.result !== undefined && entry.result.outcome !== "unchanged")) {
      await tidyAfterBulkImport(database);
    }
  } else {
    results = [];
    for (const [index, entry] of entries.entries()) {
      const { file } = entry;
      onProgress({ done: index, total, file });
      if (entry.listError !== undefined) {
        results.push({ file, error: entry.listError });
        continue;
      }
      try {
        results.push({ file, result: await importDocument(database, await inputFor(file), importOptions) });
      } catch (error) {
        const stop = storageFailure(error, IMPORT_KEPT);
        if (stop) throw stop;
        results.push({ file, error });
      }
    }
  }
  if (total > 0) onProgress({ done: total, total, file: entries[total - 1]!.file });
  return results;
}

async function importFilesInBatches(
  database: Database,
  entries: readonly { file: string; listError?: unknown }[],
  options: ImportOptions,
  { size, jobs }: { size: number; jobs: number },
  inputFor: (file: string) => Promise<ImportInput>,
  onProgress: ImportProgress,
): Promise<FileImport[]> {
  const total = entries.length;
  const results: FileImport[] = entries.map(({ file }) => ({ file }));
  await storeInBatches(database, options, {
    count: Math.ceil(total / size),
    jobs,
    prepare: async (k) => {
      // Read and parse; a file that cannot be listed or read fails here, in its place.
      const slots: number[] = [];
      const inputs: ImportInput[] = [];
      for (let index = k * size; index < Math.min(total, (k + 1) * size); index++) {
        const { file, listError } = entries[index]!;
        onProgress({ done: index, total, file });
        if (listError !== undefined) {
          results[index]!.error = listError;
          continue;
        }
        try {
          inputs.push(await inputFor(file));
          slots.push(index);
        } catch (error) {
          results[index]!.error = error;
        }
      }
      return { slots, parsed: await parseInputs(inputs) };
    },
    parsedOf: ({ parsed }) => parsed,
    store: async ({ slots, parsed }) => {
      const stored = await storeParsedBatch(database, parsed, options);
      stored.forEach((entry, i) => Object.assign(results[slots[i]!]!, entry));
    },
  });
  return results;
}

async function readDocument(file: string): Promise<Uint8Array> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DocumentError(
      error.code === "ENOENT"
        ? "no such file"
        : error.code === "EISDIR"
          ? "is a folder"
          : `cannot read the file (${error.code ?? error.message})`,
    );
  });
}
