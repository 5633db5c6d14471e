import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../storage/database.js";
import { type FileImport, importFiles } from "../import/import-files.js";
import { EXAMPLE_PEOPLE_FILE, addExamplePeople } from "./example-people.js";
import {
  EXAMPLE_STRATEGIES_DIR,
  addExampleStrategy,
  type ExampleStrategySummary,
} from "./example-strategy.js";

/**
 * The example records the project ships (examples/records/*.txt, invented for demonstration): imported into a
 * new, empty register on the first `resolved serve`, so that the website has something to show.
 */

/** examples/records/: the same folder whether this module runs from src/services or dist/services. */
export const EXAMPLE_RECORDS_DIR = fileURLToPath(new URL("../../../examples/records/", import.meta.url));

export interface ExampleImportOptions {
  /** Who is importing, for the audit log ("resolved:examples"). */
  actor: string;
  /** Told what happened: one line per file that failed, and a summary. */
  log?: (level: "info" | "warn", message: string, details?: Record<string, unknown>) => void;
  /** Another folder of records (tests). Default EXAMPLE_RECORDS_DIR. */
  directory?: string;
  /** The council for records that do not name theirs (config.defaultCouncil). */
  defaultCouncil?: string;
  /**
   * The example people (examples/people.json), added to the council of the first record imported; by
   * default only with the project's own example records (not with another `directory`).
   */
  peopleFile?: string | null;
  /**
   * The example strategy's folder (examples/strategies/: strategy, KPI values, confirmed fulfilments), added to
   * the same council; by default only with the project's own example records.
   */
  strategiesDir?: string | null;
}

export interface ExampleImportSummary {
  /** False when the register already had decisions, so nothing was imported. */
  ran: boolean;
  imported: number;
  failed: number;
  files: FileImport[];
  /** How many example people were added. */
  people?: number;
  /** The example strategy, when it was added. */
  strategy?: ExampleStrategySummary;
}

/**
 * When the register holds no decision at all, imports every file in the examples folder (in name order, so
 * the meetings go in date order) with `importFiles`. A register with any decision is left alone, so this is
 * safe to call on every start. A file that fails is logged and the rest still go in.
 */
export async function importExampleRecordsIfEmpty(
  database: Database,
  options: ExampleImportOptions,
): Promise<ExampleImportSummary> {
  const log = options.log ?? (() => {});
  const existing = await database.db.selectFrom("decision").select("id").limit(1).executeTakeFirst();
  if (existing) return { ran: false, imported: 0, failed: 0, files: [] };

  const directory = options.directory ?? EXAMPLE_RECORDS_DIR;
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => /\.(?:txt|pdf|docx|html?)$/i.test(name)).sort();
  } catch (error) {
    log("warn", "no example records to import", { directory, reason: (error as Error).message });
    return { ran: true, imported: 0, failed: 0, files: [] };
  }
  const files = await importFiles(
    database,
    names.map((name) => join(directory, name)),
    {
      actor: options.actor,
      ...(options.defaultCouncil !== undefined && { defaultCouncil: options.defaultCouncil }),
    },
  );
  let imported = 0;
  let failed = 0;
  for (const file of files) {
    if (file.result) {
      if (file.result.outcome !== "unchanged") imported += 1;
    } else {
      failed += 1;
      const reason = file.error instanceof Error ? file.error.message : String(file.error);
      log("warn", "an example record could not be imported", { file: file.file, reason });
    }
  }
  log("info", `imported ${imported} example record${imported === 1 ? "" : "s"} into the empty register`, {
    directory,
    imported,
    failed,
  });
  const ownExamples = options.directory === undefined;
  // null turns either off; left out, they come with the project's own example records only.
  const peopleFile =
    options.peopleFile === undefined ? (ownExamples ? EXAMPLE_PEOPLE_FILE : null) : options.peopleFile;
  const strategiesDir =
    options.strategiesDir === undefined
      ? ownExamples
        ? EXAMPLE_STRATEGIES_DIR
        : null
      : options.strategiesDir;
  const first = files.find((file) => file.result)?.result;
  let people = 0;
  let strategy: ExampleStrategySummary | undefined;
  if (first && (peopleFile !== null || strategiesDir !== null)) {
    const { councilId } = await database.db
      .selectFrom("decision")
      .select("councilId")
      .where("id", "=", first.decisionId)
      .executeTakeFirstOrThrow();
    if (peopleFile !== null) {
      try {
        people = await addExamplePeople(database, councilId, { actor: options.actor, file: peopleFile });
      } catch (error) {
        log("warn", "the example people could not be added", {
          file: peopleFile,
          reason: (error as Error).message,
        });
      }
    }
    if (strategiesDir !== null) {
      try {
        strategy = await addExampleStrategy(database, councilId, files, {
          actor: options.actor,
          directory: strategiesDir,
        });
        log("info", "added the example strategy, its KPI values and the promises later reports kept", {
          ...strategy,
        });
      } catch (error) {
        log("warn", "the example strategy could not be added", {
          directory: strategiesDir,
          reason: (error as Error).message,
        });
      }
    }
  }
  return { ran: true, imported, failed, files, people, ...(strategy && { strategy }) };
}

/**
 * The `onFirstStart` hook of `resolved serve`: the examples go into an empty register unless
 * RESOLVED_SEED_EXAMPLES=false (config.seedExamples).
 */
export async function seedExamplesOnFirstStart(context: {
  database: Database;
  config: Pick<Config, "seedExamples" | "defaultCouncil">;
  logger: Pick<Logger, "info" | "warn">;
}): Promise<void> {
  if (!context.config.seedExamples) return;
  await importExampleRecordsIfEmpty(context.database, {
    actor: "resolved:examples",
    defaultCouncil: context.config.defaultCouncil,
    log: (level, message, details) => context.logger[level](details ?? {}, message),
  });
}
