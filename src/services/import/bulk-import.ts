import type { DecisionRecord } from "../../domain/decision-record.js";
import { NotFoundError } from "../../domain/errors.js";
import { parseDocument } from "../../import/parse-document.js";
import type { ParsedRecord } from "../../import/parsed-record.js";
import type { Database } from "../../storage/database.js";
import { type BackendKind, type Executor } from "../../storage/database.js";
import { type AuditEntry, appendAuditEntries } from "../audit/audit-log.js";
import { storeCommitments } from "../commitments/store-commitments.js";
import { linkDecisionsToStrategies } from "../strategy-updates/propose-links.js";
import { callInFactsFor } from "../call-in/record-call-in-check.js";
import { type BodyRef, createBody, findBody } from "../councils/bodies.js";
import { type Council, findCouncilBySlug } from "../councils/councils.js";
import { declarationRows, insertDeclarations } from "../decisions/declarations.js";
import { duplicateRecordId } from "../decisions/record-columns.js";
import { createMeetings, findMeetings } from "../meetings/meetings.js";
import { type MatchedDecision, findDecisions, findSameFileVersions } from "./existing-records.js";
import { storeDocument } from "./import-document.js";
import {
  type CouncilTarget,
  checkImportOptions,
  councilWarnings,
  createCouncil,
  firstVersionRow,
  importResult,
  importedAuditEntry,
  newDecisionRow,
  parseWarningsOf,
  resolveCouncil,
  takenAtMeeting,
  unchangedWarnings,
} from "./import-rows.js";
import type {
  DocumentImportResult,
  ImportInput,
  ImportOptions,
  ImportResult,
  ImportWarning,
  ParsedInput,
} from "./import-types.js";
import { storeOriginals } from "./originals.js";
import { storageFailure } from "../../storage/storage-failure.js";
import { matchKeys } from "./batch-keys.js";
import { IMPORT_KEPT, importJobsFor, storeInBatches } from "./store-batches.js";

/**
 * Importing many documents at once, with the same outcome as importing them one by one with importDocument
 * (the same decisions, versions, originals and audit entries; only row ids and the order of audit entries may
 * differ), at a fraction of the cost: documents are parsed outside any transaction, then stored a batch at a
 * time, in one transaction per batch, with one multi-row statement per table.
 *
 * Within a batch:
 *   - a file that is not a record fails alone (nothing is written for it);
 *   - a file already in the register (its bytes are a version of the decision it matches) is "unchanged";
 *   - a new record is inserted with the others;
 *   - a file that matches a decision already in the register but is not one of its files (a changed file: a new
 *     version, or the same record in other bytes), or that could match a decision an earlier file of the same
 *     batch creates or changes, is stored alone after the batch commits, in input order (as importDocument stores
 *     it, from the decisions already parsed);
 *   - a document holding several decisions is stored alone after the batch too, whole, in its own transaction.
 * If the batch transaction fails (a constraint, a trigger, a lost connection), it is rolled back whole and its
 * files are stored one by one instead, so one bad file never costs the others and nothing is ever half-written.
 */

export interface BulkImportOptions extends ImportOptions {
  /** Files per transaction (default 500, at most 2,000). */
  batchSize?: number;
  /** Batches stored at once, each on its own connection (default 1; more need a PostgreSQL server). */
  jobs?: number;
  /** Told after each batch is stored: for progress, logs and benchmarks. */
  onBatch?: (batch: BatchReport) => void;
}

export interface BatchReport {
  files: number;
  /** Files that could not be parsed (nothing written for them). */
  unreadable: number;
  /** New decisions written by the batch's own statements. */
  inserted: number;
  /** Files found already in the register by the batch. */
  unchanged: number;
  /** Files imported one by one after the batch (changed files, and files depending on another in the batch). */
  deferred: number;
  /** The batch transaction failed, so every file of the batch was imported one by one instead. */
  fellBack: boolean;
  /** Why the batch transaction failed, when it did. */
  failure?: unknown;
}

/** One file's outcome, as importDocument would give it: a result, or the error that stopped it. */
export interface BulkImportEntry {
  result?: DocumentImportResult;
  /** DocumentError, NotFoundError, ConflictError, ...: nothing of the file was written. */
  error?: unknown;
}

export const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 2000;
/** Rows per INSERT statement: well under the 65,535 parameters a statement may have. */
const ROWS_PER_STATEMENT = 1000;
/** Documents parsed between two turns of the event loop, so a batch being stored meanwhile is not held up. */
const PARSE_SLICE = 25;

/**
 * Imports `inputs`, `batchSize` at a time, and returns one entry per input, in order. While a batch is being
 * stored the next one is parsed, so on a database server parsing and storing overlap. Throws only for options
 * no document could be imported with (ValidationError), before writing anything.
 */
export async function importBatch(
  database: Database,
  inputs: readonly ImportInput[],
  options: BulkImportOptions,
): Promise<BulkImportEntry[]> {
  checkImportOptions(options);
  const jobs = importJobsFor(database, options.jobs);
  const size = batchSizeOf(options);
  const entries: BulkImportEntry[] = [];
  await storeInBatches(database, options, {
    count: Math.ceil(inputs.length / size),
    jobs,
    prepare: (k) => parseInputs(inputs.slice(k * size, (k + 1) * size)),
    parsedOf: (parsed) => parsed,
    store: async (parsed, k) => {
      const stored = await storeParsedBatch(database, parsed, options);
      stored.forEach((entry, i) => (entries[k * size + i] = entry));
    },
  });
  return entries;
}

/** The batch size options ask for, within bounds. */
export function batchSizeOf(options: Pick<BulkImportOptions, "batchSize">): number {
  return Math.min(MAX_BATCH_SIZE, Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE)));
}

/** Parses each input (outside any transaction); never throws: a document that cannot be read gets its error. */
export async function parseInputs(inputs: readonly ImportInput[]): Promise<ParsedInput[]> {
  const parsed: ParsedInput[] = [];
  for (const [i, input] of inputs.entries()) {
    if (i > 0 && i % PARSE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    try {
      const [first, ...others] = (await parseDocument(input.bytes, input.fileName)).decisions;
      if (!first?.record.source?.sha256)
        throw new Error("parseDocument returned a record without its source");
      parsed.push({
        input,
        record: first.record,
        parseWarnings: parseWarningsOf(first),
        ...(others.length > 0 && { otherDecisions: others }),
      });
    } catch (error) {
      parsed.push({ input, error });
    }
  }
  return parsed;
}

/**
 * Stores one batch of parsed documents: one transaction for the batch, then each file it left alone (see the
 * module comment), or every file alone when the batch transaction failed.
 */
export async function storeParsedBatch(
  database: Database,
  batch: readonly ParsedInput[],
  options: BulkImportOptions,
): Promise<BulkImportEntry[]> {
  checkImportOptions(options);
  const entries: (BulkImportEntry | undefined)[] = batch.map((item) =>
    item.record ? undefined : { error: item.error },
  );
  const items: Item[] = batch.flatMap((item, at) =>
    item.record
      ? [
          {
            at,
            input: item.input,
            record: item.record,
            parseWarnings: item.parseWarnings ?? [],
            otherDecisions: item.otherDecisions ?? [],
            target: resolveCouncil(item.record, options),
          },
        ]
      : [],
  );
  const report: BatchReport = {
    files: batch.length,
    unreadable: batch.length - items.length,
    inserted: 0,
    unchanged: 0,
    deferred: 0,
    fellBack: false,
  };

  let oneByOne: Item[] = [];
  if (items.length > 0) {
    try {
      const stored = await database.transaction((trx) => storeItems(trx, items, options, database.kind));
      for (const [at, entry] of stored.entries) entries[at] = entry;
      oneByOne = stored.deferred;
      report.inserted = stored.inserted;
      report.unchanged = stored.unchanged;
      report.deferred = stored.deferred.length;
    } catch (failure) {
      // No room, a read-only database, the connection gone: each file alone would fail the same way.
      const stop = storageFailure(failure, IMPORT_KEPT);
      if (stop) throw stop;
      // Rolled back whole: import the batch's files one by one, each in its own transaction.
      oneByOne = items;
      report.fellBack = true;
      report.failure = failure;
    }
  }
  for (const item of oneByOne) {
    try {
      // Stored alone as importDocument would store it, from the decisions already parsed.
      const decisions = [{ record: item.record, warnings: item.parseWarnings }, ...item.otherDecisions];
      entries[item.at] = { result: await storeDocument(database, item.input, decisions, options) };
    } catch (error) {
      const stop = storageFailure(error, IMPORT_KEPT);
      if (stop) throw stop;
      entries[item.at] = { error };
    }
  }
  options.onBatch?.(report);
  return entries.map((entry) => entry ?? { error: new Error("the file was not imported") });
}

interface Item {
  /** Its place in the batch. */
  at: number;
  input: ImportInput;
  record: DecisionRecord;
  parseWarnings: ImportWarning[];
  /** The document's other decisions, when it holds several. */
  otherDecisions: ParsedRecord[];
  target: CouncilTarget;
}

interface StoredItems {
  entries: Map<number, BulkImportEntry>;
  /** For importDocument after the commit, in batch order. */
  deferred: Item[];
  inserted: number;
  unchanged: number;
}

/** The batch's own work, inside its transaction. */
async function storeItems(
  trx: Executor,
  items: readonly Item[],
  options: BulkImportOptions,
  kind: BackendKind,
): Promise<StoredItems> {
  const entries = new Map<number, BulkImportEntry>();
  const { actor } = options;

  // Councils, in file order, as one-by-one imports would meet them: a council a file names is created on first
  // sight (and its name used in the next files' warnings); one that cannot be created fails its files.
  const councils = new Map<string, Council | undefined>();
  for (const slug of new Set(items.map((item) => item.target.slug))) {
    councils.set(slug, await findCouncilBySlug(trx, slug));
  }
  const placed: { item: Item; council: Council; ownWarnings: ImportWarning[] }[] = [];
  for (const item of items) {
    const before = councils.get(item.target.slug);
    let council = before;
    if (!council) {
      try {
        council = await createCouncil(trx, item.target, actor);
      } catch (error) {
        // createCouncil only read: the transaction goes on, and this file fails as it would alone.
        if (!(error instanceof NotFoundError)) throw error;
        entries.set(item.at, { error });
        continue;
      }
      councils.set(item.target.slug, council);
    }
    placed.push({
      item,
      council,
      ownWarnings: councilWarnings(item.record, options, item.target, before?.name),
    });
  }

  // The bodies that exist, and the decision each file is a version of (as it stands before the batch).
  const bodies = new Map<string, BodyRef | undefined>();
  const bodyKey = (councilId: number, name: string) => JSON.stringify([councilId, name]);
  for (const { item, council } of placed) {
    const key = bodyKey(council.id, item.record.body);
    if (!bodies.has(key)) bodies.set(key, await findBody(trx, council.id, item.record.body));
  }
  const matches = new Map<Item, MatchedDecision | undefined>();
  for (const council of new Set(placed.map((p) => p.council))) {
    const ofCouncil = placed.filter((p) => p.council === council);
    const found = await findDecisions(
      trx,
      council.id,
      ofCouncil.map(({ item }) => ({
        bodyId: bodies.get(bodyKey(council.id, item.record.body))?.id,
        record: item.record,
      })),
    );
    ofCouncil.forEach(({ item }, i) => matches.set(item, found[i]));
  }

  // A file that could match a decision an earlier file of the batch creates or changes waits for importDocument,
  // after the batch: in order, it then sees that write. `written` holds the keys under which findDecisions
  // could find, before or after, the decisions the batch writes (see matchKeys).
  const written = new Set<string>();
  const deferred: Item[] = [];
  const matched: { item: Item; council: Council; match: MatchedDecision; ownWarnings: ImportWarning[] }[] =
    [];
  const fresh: typeof placed = [];
  for (const entry of placed) {
    const keys = matchKeys(entry.item);
    const match = matches.get(entry.item);
    if (entry.item.otherDecisions.length > 0) {
      // A document of several decisions is stored whole, in its own transaction, after the batch: every file
      // after it that could match one of its decisions waits for it too.
      deferred.push(entry.item);
      for (const record of [entry.item.record, ...entry.item.otherDecisions.map((d) => d.record)]) {
        for (const key of matchKeys({ ...entry.item, record }).lookup) written.add(key);
      }
    } else if (keys.lookup.some((key) => written.has(key))) {
      deferred.push(entry.item);
      for (const key of keys.lookup) written.add(key);
    } else if (match) {
      // Unchanged, or changed after the batch: the decision it matched may change.
      matched.push({ ...entry, match });
      if (match.recordId !== null) written.add(keys.byId!);
      else for (const key of keys.lookup) written.add(key);
    } else {
      fresh.push(entry);
      written.add(keys.byId ?? keys.byTitle);
    }
  }

  // Files already in the register: unchanged, nothing written. Other files of existing decisions: importDocument.
  const sameFile = await findSameFileVersions(
    trx,
    matched.map(({ item, match }) => ({ decisionId: match.id, sha256: item.record.source!.sha256 })),
  );
  let unchanged = 0;
  matched.forEach(({ item, council, match, ownWarnings }, i) => {
    const version = sameFile[i];
    if (version === undefined) {
      deferred.push(item);
      return;
    }
    unchanged += 1;
    entries.set(item.at, {
      result: asDocumentResult(
        importResult(item.record, "unchanged", match.id, version, [
          ...item.parseWarnings,
          ...ownWarnings,
          ...unchangedWarnings(council, item.record, match, version),
        ]),
      ),
    });
  });
  deferred.sort((a, b) => a.at - b.at);

  if (fresh.length > 0) await insertNew(trx, fresh, bodies, bodyKey, actor, entries, kind);
  return { entries, deferred, inserted: fresh.length, unchanged };
}

/** New decisions: their bodies and meetings where missing, originals, decisions, versions 1 and audit entries. */
async function insertNew(
  trx: Executor,
  fresh: readonly { item: Item; council: Council; ownWarnings: ImportWarning[] }[],
  bodies: Map<string, BodyRef | undefined>,
  bodyKey: (councilId: number, name: string) => string,
  actor: string,
  entries: Map<number, BulkImportEntry>,
  kind: BackendKind,
): Promise<void> {
  const bodyIds: number[] = [];
  for (const { item, council } of fresh) {
    const key = bodyKey(council.id, item.record.body);
    let body = bodies.get(key);
    if (!body) {
      body = await createBody(trx, council, item.record.body, actor);
      bodies.set(key, body);
    }
    bodyIds.push(body.id);
  }

  const meetingIds: (number | null)[] = [];
  const datesOfBody = new Map<number, { council: Council; dates: string[] }>();
  fresh.forEach(({ item, council }, i) => {
    if (!takenAtMeeting(item.record)) return;
    const of = datesOfBody.get(bodyIds[i]!) ?? { council, dates: [] };
    of.dates.push(item.record.meetingDate);
    datesOfBody.set(bodyIds[i]!, of);
  });
  const meetings = new Map<string, number>();
  for (const [bodyId, { council, dates }] of datesOfBody) {
    const existing = await findMeetings(trx, bodyId, dates);
    const missing = [...new Set(dates)].filter((date) => !existing.has(date));
    const created = await createMeetings(trx, council, bodyId, missing, actor);
    for (const [date, meeting] of [...existing, ...created])
      meetings.set(JSON.stringify([bodyId, date]), meeting.id);
  }
  fresh.forEach(({ item }, i) =>
    meetingIds.push(
      takenAtMeeting(item.record)
        ? meetings.get(JSON.stringify([bodyIds[i], item.record.meetingDate]))!
        : null,
    ),
  );

  const sourceDocumentIds = await storeOriginals(
    trx,
    fresh.map(({ item }) => ({ input: item.input, record: item.record })),
    actor,
    { bytesAsHex: kind === "pglite" },
  );
  const facts = fresh.map(({ item, council }) => callInFactsFor(council, item.record));

  const decisionIds: number[] = [];
  for (let from = 0; from < fresh.length; from += ROWS_PER_STATEMENT) {
    const part = fresh.slice(from, from + ROWS_PER_STATEMENT);
    let rows: { id: number; title: string; recordId: string | null }[];
    try {
      rows = await trx
        .insertInto("decision")
        .values(
          part.map(({ item, council }, j) =>
            newDecisionRow(
              council.id,
              bodyIds[from + j]!,
              meetingIds[from + j] ?? null,
              item.record,
              facts[from + j]!,
            ),
          ),
        )
        .returning(["id", "title", "recordId"])
        .execute();
    } catch (error) {
      // A taken identifier: another import committed the same record first. The batch falls back, and the file
      // meets the same conflict alone, as importDocument reports it.
      const first = part[0]!;
      throw duplicateRecordId(error, first.item.record, first.council) ?? error;
    }
    // RETURNING gives the rows in the order of VALUES; checked, since everything below relies on it.
    rows.forEach((row, j) => {
      const { record } = part[j]!.item;
      if (row.title !== record.title || row.recordId !== record.recordId) {
        throw new Error("the database returned the new decisions in another order than they were given");
      }
      decisionIds.push(row.id);
    });
  }
  // The decisions' current_version foreign key is deferred: checked when the batch commits.
  for (let from = 0; from < fresh.length; from += ROWS_PER_STATEMENT) {
    await trx
      .insertInto("decisionVersion")
      .values(
        fresh
          .slice(from, from + ROWS_PER_STATEMENT)
          .map(({ item }, j) =>
            firstVersionRow(decisionIds[from + j]!, item.record, sourceDocumentIds[from + j]!, actor),
          ),
      )
      .execute();
  }
  await insertDeclarations(
    trx,
    fresh.flatMap(({ item }, i) => declarationRows(decisionIds[i]!, item.record)),
  );
  const stored = fresh.map(({ item }, i) => ({ decisionId: decisionIds[i]!, record: item.record }));
  await storeCommitments(trx, stored);
  const audit: AuditEntry[] = fresh.map(({ item, council }, i) =>
    importedAuditEntry({
      council,
      decisionId: decisionIds[i]!,
      fileName: item.input.fileName,
      record: item.record,
      sourceDocumentId: sourceDocumentIds[i]!,
      facts: facts[i]!,
      actor,
    }),
  );
  for (let from = 0; from < audit.length; from += ROWS_PER_STATEMENT) {
    await appendAuditEntries(trx, audit.slice(from, from + ROWS_PER_STATEMENT));
  }
  await linkDecisionsToStrategies(trx, stored, actor); // after the decisions' own entries, as one by one

  fresh.forEach(({ item, ownWarnings }, i) => {
    entries.set(item.at, {
      result: asDocumentResult(
        importResult(item.record, "imported", decisionIds[i]!, 1, [
          ...item.parseWarnings,
          ...ownWarnings,
          ...facts[i]!.warnings,
        ]),
      ),
    });
  });
}

/** A one-decision document's result, shaped as importDocument gives it. */
function asDocumentResult(result: ImportResult): DocumentImportResult {
  return { ...result, decisions: [result] };
}
