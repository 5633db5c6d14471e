import { sql } from "kysely";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import { storageFailure } from "../../storage/storage-failure.js";
import { createBody, findBody } from "../councils/bodies.js";
import { type Council, findCouncilBySlug } from "../councils/councils.js";
import { createMeetings, findMeetings } from "../meetings/meetings.js";
import { type BatchKeys, batchKeys, batchesMeet } from "./batch-keys.js";
import { type CouncilTarget, createCouncil, resolveCouncil, takenAtMeeting } from "./import-rows.js";
import type { ImportOptions, ParsedInput } from "./import-types.js";

/**
 * Running an import's batches: one at a time, the next read and parsed while one is stored
 * (inOverlappingBatches); or several at once, each on its own connection (inParallelBatches: `resolved import
 * --jobs N`, on a PostgreSQL server).
 *
 * A batch's transaction spends most of its time making the new decisions' rows and their search vectors, work
 * a server does on as many cores as it has connections at work. What batches may not do at the same time:
 *   - write the same decision: a batch that shares a key (an identifier, or a body, meeting date and title;
 *     see batchKeys) with a batch being stored waits for it to commit, so files that are versions of one
 *     decision are still stored in input order and see each other, as with one job;
 *   - create the same council, body or meeting: these have no natural unique key the batches could meet on
 *     (a meeting is a body and a date, and a body may meet twice on a day), so before a batch is handed to a
 *     connection, the coordinator makes the councils, bodies and meetings its files name, one batch at a time
 *     (placeBatch), and the batch finds them there.
 * Their audit entries are appended at the end of each transaction (the chain takes one writer at a time, from
 * its first entry to its commit), so the entries of batches stored together follow commit order.
 */

/** The most connections an import may use: the server pool holds ten, and pages need some. */
export const MAX_IMPORT_JOBS = 8;

/** How many jobs `options` ask for, refused where they cannot run: several need a PostgreSQL server. */
export function importJobsFor(database: Pick<Database, "kind">, jobs: number | undefined): number {
  const count = jobs ?? 1;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_IMPORT_JOBS) {
    throw new ValidationError(`give a whole number of jobs from 1 to ${MAX_IMPORT_JOBS}`, "jobs");
  }
  if (count > 1 && database.kind !== "postgres") {
    throw new ValidationError(
      "several jobs need a PostgreSQL server (set DATABASE_URL): the embedded database has one connection; " +
        "import without --jobs",
      "jobs",
    );
  }
  return count;
}

/**
 * Runs `store` on each of `count` batches in order, preparing (reading, parsing) batch k + 1 while batch k is
 * stored. `prepare` must not throw.
 */
export async function inOverlappingBatches<T>(
  count: number,
  prepare: (k: number) => Promise<T>,
  store: (prepared: T, k: number) => Promise<void>,
): Promise<void> {
  let next = count > 0 ? prepare(0) : undefined;
  for (let k = 0; next; k++) {
    const prepared = await next;
    const storing = store(prepared, k);
    next = k + 1 < count ? prepare(k + 1) : undefined;
    await storing;
  }
}

export interface ParallelBatches<T> {
  count: number;
  jobs: number;
  /** Reads and parses batch k; must not throw. Batch k + 1 is prepared while earlier batches are stored. */
  prepare: (k: number) => Promise<T>;
  /** The batch's parsed documents, for its keys and its places. */
  parsedOf: (prepared: T) => readonly ParsedInput[];
  store: (prepared: T, k: number) => Promise<void>;
}

/** What a storage failure (storage-failure.ts) in the middle of an import leaves. */
export const IMPORT_KEPT =
  "the files imported before it are kept, nothing of the others was written, and running the import again " +
  "takes up where it stopped";

/** Runs the batches one at a time (inOverlappingBatches) or, for several jobs, inParallelBatches. */
export async function storeInBatches<T>(
  database: Database,
  options: Pick<ImportOptions, "council" | "defaultCouncil" | "actor">,
  batches: ParallelBatches<T>,
): Promise<void> {
  if (batches.jobs <= 1) await inOverlappingBatches(batches.count, batches.prepare, batches.store);
  else await inParallelBatches(database, options, batches);
}

/**
 * Runs `store` on each batch, up to `jobs` at once (see the module comment). Throws the first failure of a
 * `store` (a storage failure: every other batch would meet it too) once the batches under way have finished.
 */
export async function inParallelBatches<T>(
  database: Database,
  options: Pick<ImportOptions, "council" | "defaultCouncil" | "actor">,
  batches: ParallelBatches<T>,
): Promise<void> {
  const { count, jobs, prepare, parsedOf, store } = batches;
  const underWay = new Map<Promise<void>, BatchKeys>();
  // A decision without an identifier in the register, or made by a batch of this import: from then on, records
  // that share a title key wait for each other even when they have identifiers (see batchesMeet).
  let idless = await holdsIdlessDecisions(database);
  let failed: { error: unknown } | undefined;
  try {
    let next = count > 0 ? prepare(0) : undefined;
    for (let k = 0; next && !failed; k++) {
      const prepared = await next;
      next = k + 1 < count ? prepare(k + 1) : undefined;
      const keys = batchKeys(parsedOf(prepared), options);
      await Promise.all(
        [...underWay].filter(([, theirs]) => batchesMeet(theirs, keys, idless)).map(([done]) => done),
      );
      while (underWay.size >= jobs) await Promise.race(underWay.keys());
      if (failed) break;
      idless ||= keys.idlessTitles.size > 0;
      await placeBatch(database, parsedOf(prepared), options);
      // Never rejects: a failure is kept for the end, so a batch failing while none is awaited cannot go unheard.
      const storing: Promise<void> = store(prepared, k)
        .catch((error: unknown) => void (failed ??= { error }))
        .finally(() => underWay.delete(storing));
      underWay.set(storing, keys);
    }
    // A batch being prepared when the loop stopped early finishes unheard: prepare never throws.
  } finally {
    await Promise.all(underWay.keys());
  }
  if (failed) throw failed.error;
}

async function holdsIdlessDecisions(database: Database): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from decision where record_id is null) as found`.execute(database.db);
  return rows[0]?.found === true;
}

/**
 * Makes the councils, bodies and meetings the batch's records name, where missing, in one transaction, as the
 * batch itself would have made them. A record whose council cannot be made (no name for it) is left for the
 * batch, which fails its file as it would with one job.
 */
export async function placeBatch(
  database: Database,
  batch: readonly ParsedInput[],
  options: Pick<ImportOptions, "council" | "defaultCouncil" | "actor">,
): Promise<void> {
  const records = batch.flatMap((item) =>
    item.record ? [item.record, ...(item.otherDecisions ?? []).map((d) => d.record)] : [],
  );
  if (records.length === 0) return;
  await database
    .transaction(async (trx) => {
      const councils = new Map<string, Council | undefined>();
      const bodies = new Map<string, { id: number; councilId: number; dates: Set<string> }>();
      for (const record of records) {
        const target = resolveCouncil(record, options);
        if (!councils.has(target.slug))
          councils.set(target.slug, await councilFor(trx, target, options.actor));
        const council = councils.get(target.slug);
        if (!council) continue;
        const key = JSON.stringify([council.id, record.body]);
        let body = bodies.get(key);
        if (!body) {
          const ref =
            (await findBody(trx, council.id, record.body)) ??
            (await createBody(trx, council, record.body, options.actor));
          body = { id: ref.id, councilId: council.id, dates: new Set() };
          bodies.set(key, body);
        }
        if (takenAtMeeting(record)) body.dates.add(record.meetingDate);
      }
      for (const { id, councilId, dates } of bodies.values()) {
        const existing = await findMeetings(trx, id, [...dates]);
        const missing = [...dates].filter((date) => !existing.has(date));
        await createMeetings(trx, { id: councilId }, id, missing, options.actor);
      }
    })
    .catch((error: unknown) => {
      throw storageFailure(error, IMPORT_KEPT) ?? error;
    });
}

/** The council `target` names, made if missing; undefined when it cannot be (the batch fails its files then). */
async function councilFor(trx: Executor, target: CouncilTarget, actor: string): Promise<Council | undefined> {
  const found = await findCouncilBySlug(trx, target.slug);
  if (found) return found;
  try {
    return await createCouncil(trx, target, actor);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}
