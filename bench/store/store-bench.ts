import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import {
  importBatch,
  parseInputs,
  storeParsedBatch,
  type BatchReport,
  type BulkImportOptions,
} from "../../src/services/import/index.js";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { generateDocuments } from "./generate-documents.js";

/**
 * `bench/store`: imports generated proforma documents (RESOLVED_BENCH_STORE_COUNT, default 100,000) into an
 * empty register, through importBatch, on PGlite (in a temporary data directory) and, when
 * RESOLVED_BENCH_DATABASE_URL names a PostgreSQL server, into a database made for the run there (dropped after).
 * Two runs per backend, each into a fresh database:
 *   - end to end: from the documents' bytes to committed rows, parsing included (importBatch);
 *   - storage only: the same documents parsed beforehand (untimed), then stored batch by batch
 *     (storeParsedBatch, the second half of importBatch).
 * Documents are made 10,000 at a time, outside the timed sections.
 */

export interface StoreBenchRun {
  records: number;
  seconds: number;
  perSecond: number;
  /** Highest resident set size seen during the run (sampled every 100 ms). */
  peakRssMiB: number;
}

export interface StoreBenchResult {
  backend: "PGlite" | "PostgreSQL server";
  detail: string;
  endToEnd: StoreBenchRun;
  storageOnly: StoreBenchRun;
  /** pg_database_size after the end-to-end run. */
  databaseBytes: number;
  /** PGlite: the data directory on disk after the end-to-end run (closed). */
  dataDirBytes?: number;
  averageDocumentBytes: number;
  /** A word search over the imported decisions: matches and milliseconds. */
  search: { query: string; matches: number; ms: number };
  /** Server only: the same rows written again within the server, with no client at all (see timeServerFloor). */
  serverFloor?: ServerFloor;
}

export interface ServerFloor {
  records: number;
  /** Per table, seconds to copy its rows. */
  tables: { table: string; rows: number; seconds: number }[];
  seconds: number;
  perSecond: number;
}

export interface StoreBenchOutcome {
  count: number;
  batchSize: number;
  results: StoreBenchResult[];
  notes: string[];
}

const CHUNK = 10_000;
const actor = "bench";

export async function runStoreBench(
  count = Number(process.env.RESOLVED_BENCH_STORE_COUNT ?? 100_000),
  batchSize = Number(process.env.RESOLVED_BENCH_STORE_BATCH ?? 500),
  serverUrl = process.env.RESOLVED_BENCH_DATABASE_URL?.trim() || undefined,
): Promise<StoreBenchOutcome> {
  const results: StoreBenchResult[] = [];
  const notes: string[] = [];
  const backends = [...(process.env.RESOLVED_BENCH_STORE_BACKENDS ?? "pglite,postgres").split(",")];

  if (backends.includes("pglite")) {
    const work = await mkdtemp(join(tmpdir(), "resolved-bench-store-"));
    try {
      let dataDirBytes = 0;
      let databaseBytes = 0;
      let search: StoreBenchResult["search"] | undefined;
      const endToEnd = await withDatabase(
        () => openDatabase({ dataDir: join(work, "e2e") }),
        async (database) => {
          const run = await timeEndToEnd(database, count, batchSize);
          databaseBytes = await databaseSize(database);
          search = await searchCheck(database);
          return run;
        },
      );
      dataDirBytes = await directoryBytes(join(work, "e2e"));
      const storageOnly = await withDatabase(
        () => openDatabase({ dataDir: join(work, "storage") }),
        (database) => timeStorageOnly(database, count, batchSize),
      );
      results.push({
        backend: "PGlite",
        detail: "embedded, in a data directory",
        endToEnd,
        storageOnly,
        databaseBytes,
        dataDirBytes,
        averageDocumentBytes: averageBytes(),
        search: search!,
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  if (backends.includes("postgres")) {
    if (!serverUrl) {
      notes.push(
        "PostgreSQL server: not run (set RESOLVED_BENCH_DATABASE_URL to a server where this user may CREATE DATABASE).",
      );
    } else {
      const admin = await openDatabase({ databaseUrl: serverUrl, poolSize: 1 });
      try {
        const { rows } = await sql<{ version: string }>`select version() as version`.execute(admin.db);
        const onServer = async <T>(name: string, fn: (database: Database) => Promise<T>): Promise<T> => {
          await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
          await sql`create database ${sql.id(name)}`.execute(admin.db);
          const url = new URL(serverUrl);
          url.pathname = `/${name}`;
          try {
            return await withDatabase(() => openDatabase({ databaseUrl: url.toString(), poolSize: 2 }), fn);
          } finally {
            await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
          }
        };
        let databaseBytes = 0;
        let search: StoreBenchResult["search"] | undefined;
        let serverFloor: ServerFloor | undefined;
        const endToEnd = await onServer("resolved_bench", async (database) => {
          const run = await timeEndToEnd(database, count, batchSize);
          await sql`vacuum analyze`.execute(database.db);
          databaseBytes = await databaseSize(database);
          search = await searchCheck(database);
          serverFloor = await timeServerFloor(database);
          return run;
        });
        const storageOnly = await onServer("resolved_bench", (database) =>
          timeStorageOnly(database, count, batchSize),
        );
        results.push({
          backend: "PostgreSQL server",
          detail: (rows[0]?.version ?? "").replace(/ on .*/, "") + ", same machine, over TCP",
          endToEnd,
          storageOnly,
          databaseBytes,
          averageDocumentBytes: averageBytes(),
          search: search!,
          serverFloor,
        });
      } finally {
        await admin.close();
      }
    }
  }
  return { count, batchSize, results, notes };
}

async function withDatabase<T>(
  open: () => Promise<Database>,
  fn: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await open();
  try {
    await migrateToLatest(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

let documentBytes = 0;
let documents = 0;
function averageBytes(): number {
  return documents === 0 ? 0 : Math.round(documentBytes / documents);
}

function chunks(count: number): { start: number; size: number }[] {
  const list: { start: number; size: number }[] = [];
  for (let start = 0; start < count; start += CHUNK)
    list.push({ start, size: Math.min(CHUNK, count - start) });
  return list;
}

function makeChunk(start: number, size: number) {
  const inputs = generateDocuments(start, size);
  for (const input of inputs) documentBytes += input.bytes.length;
  documents += inputs.length;
  return inputs;
}

/** Checks that every file of a run went in by the batch's own statements, as a new decision. */
function checkReports(reports: BatchReport[], expected: number): void {
  const inserted = reports.reduce((n, r) => n + r.inserted, 0);
  const odd = reports.filter((r) => r.fellBack || r.deferred > 0 || r.unreadable > 0);
  if (inserted !== expected || odd.length > 0) {
    throw new Error(
      `expected ${expected} new decisions from the batches, got ${inserted}` +
        (odd.length > 0 ? `; odd batches: ${JSON.stringify(odd.slice(0, 3))}` : ""),
    );
  }
}

async function timeEndToEnd(database: Database, count: number, batchSize: number): Promise<StoreBenchRun> {
  const reports: BatchReport[] = [];
  const options: BulkImportOptions = { actor, batchSize, onBatch: (r) => reports.push(r) };
  const rss = sampleRss();
  let elapsed = 0;
  for (const { start, size } of chunks(count)) {
    const inputs = makeChunk(start, size);
    const begin = process.hrtime.bigint();
    await importBatch(database, inputs, options);
    elapsed += Number(process.hrtime.bigint() - begin) / 1e9;
    progress("end to end", database, start + size, count, elapsed);
  }
  checkReports(reports, count);
  return { records: count, seconds: elapsed, perSecond: count / elapsed, peakRssMiB: rss.stop() };
}

async function timeStorageOnly(database: Database, count: number, batchSize: number): Promise<StoreBenchRun> {
  const reports: BatchReport[] = [];
  const options: BulkImportOptions = { actor, batchSize, onBatch: (r) => reports.push(r) };
  const rss = sampleRss();
  let elapsed = 0;
  for (const { start, size } of chunks(count)) {
    const inputs = makeChunk(start, size);
    for (let from = 0; from < inputs.length; from += batchSize) {
      const parsed = await parseInputs(inputs.slice(from, from + batchSize));
      const begin = process.hrtime.bigint();
      await storeParsedBatch(database, parsed, options);
      elapsed += Number(process.hrtime.bigint() - begin) / 1e9;
    }
    progress("storage only", database, start + size, count, elapsed);
  }
  checkReports(reports, count);
  return { records: count, seconds: elapsed, perSecond: count / elapsed, peakRssMiB: rss.stop() };
}

function progress(what: string, database: Database, done: number, count: number, seconds: number): void {
  if (process.env.RESOLVED_BENCH_QUIET) return;
  console.error(
    `bench/store ${database.kind} ${what}: ${done}/${count} in ${seconds.toFixed(1)} s (${Math.round(done / seconds)}/s)`,
  );
}

function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
    },
  };
}

/**
 * What the server itself spends to store what an import stores, with no client involved: each table an import
 * writes (decisions with their two search vectors, versions, originals with their SHA-256, audit entries) is
 * copied into a new table made LIKE it, INCLUDING ALL (the same columns, generated columns, indexes and
 * constraints other than foreign keys), by one INSERT ... SELECT in one backend. No parsing, no network, no
 * statement building: the floor under any client, per backend.
 */
export async function timeServerFloor(database: Database): Promise<ServerFloor> {
  const tables: ServerFloor["tables"] = [];
  for (const table of ["decision", "decision_version", "source_document", "audit_log"]) {
    const { rows: columns } = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = ${table} and is_generated = 'NEVER'
      order by ordinal_position`.execute(database.db);
    const list = sql.join(columns.map((column) => sql.id(column.name)));
    const copy = `bench_floor_${table}`;
    await sql`create table ${sql.id(copy)} (like ${sql.id(table)} including all)`.execute(database.db);
    const begin = process.hrtime.bigint();
    const result = await sql`
      insert into ${sql.id(copy)} (${list}) overriding system value
      select ${list} from ${sql.id(table)}`.execute(database.db);
    const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
    tables.push({ table, rows: Number(result.numAffectedRows ?? 0), seconds });
    await sql`drop table ${sql.id(copy)}`.execute(database.db);
  }
  const records = tables[0]?.rows ?? 0;
  const seconds = tables.reduce((total, t) => total + t.seconds, 0);
  return { records, tables, seconds, perSecond: records / seconds };
}

export async function databaseSize(database: Database): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`
    select pg_database_size(current_database())::text as bytes`.execute(database.db);
  return Number(rows[0]!.bytes);
}

/** A word search over the register, to show the imported decisions are searchable (and how fast). */
async function searchCheck(database: Database): Promise<StoreBenchResult["search"]> {
  const query = "leisure centre refurbishment";
  const begin = process.hrtime.bigint();
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from decision where search @@ websearch_to_tsquery('english', ${query})`.execute(
    database.db,
  );
  const ms = Number(process.hrtime.bigint() - begin) / 1e6;
  return { query, matches: rows[0]!.n, ms };
}

async function directoryBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? await directoryBytes(full) : (await stat(full)).size;
  }
  return total;
}
