import { fork, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { ConflictError } from "../../src/domain/errors.js";
import { createAccount } from "../../src/services/accounts/index.js";
import { importBatch } from "../../src/services/import/index.js";
import { tidyAfterBulkImport } from "../../src/services/register/index.js";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { generateRegisterChunk, SEARCH_VOCABULARY } from "../web/generate-register.js";
import { fetchWithCookie, signIn } from "../web/http-session.js";
import type { LoadPlan, LoadReport } from "../web/load-client.js";
import { WORDS } from "../web/path-words.js";
import {
  SEARCH_MIX,
  prepareRegister,
  registerDataDir,
  residentSet,
  startBenchServer,
} from "../web/web-bench.js";

/**
 * `bench/mixed`: the register under a mixed load, as a council's site gets it when a page is shared widely
 * and the council's staff work at the same time. RESOLVED_BENCH_MIXED_CONNECTIONS (default 20) keep-alive
 * connections for RESOLVED_BENCH_MIXED_SECONDS (default 60, after 5 s not counted) go round a fixed mix of
 * the home page, searches, decision pages, the API, the Atom, iCal and CSV feeds, the meetings page, and the
 * workspace's signed-in pages (with a Proper Officer's session cookie, made by signing in through the form).
 * Every response must be 200; p50/p99 overall and by kind.
 *
 * RESOLVED_BENCH_MIXED_VARIED (default on; "false" for the fixed mix): every search, API list and feed that
 * takes words draws them for each request from the generator's vocabulary (SEARCH_VOCABULARY), so most are
 * distinct, as a long tail of real visitors' are, and miss the responses kept in memory; decision pages, the
 * home page and the feeds without words stay as they are. Without it the mix has a few dozen fixed paths,
 * nearly all served from memory after the first round, which would flatter the figures.
 *
 *   1. embedded: the server as `npm start` runs it (bench/web/bench-server.mjs, from the build) on
 *      bench/web's register of RESOLVED_BENCH_MIXED_COUNT (default 100,000) generated decisions (reused from
 *      bench/.cache when there), with the database on the main thread (RESOLVED_EMBEDDED_THREAD=false) and
 *      then in a thread of its own;
 *   2. server (when RESOLVED_BENCH_MIXED_DATABASE_URL names a PostgreSQL server database, emptied first): the
 *      same register imported into it, the same load; then the same load again while `resolved import`
 *      (the built CLI, a process of its own) stores RESOLVED_BENCH_MIXED_IMPORT (default 5,000) more
 *      decisions from files into the same database.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const COUNT = Number(process.env.RESOLVED_BENCH_MIXED_COUNT ?? 100_000);
const SECONDS = Number(process.env.RESOLVED_BENCH_MIXED_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.RESOLVED_BENCH_MIXED_CONNECTIONS ?? 20);
const IMPORT_COUNT = Number(process.env.RESOLVED_BENCH_MIXED_IMPORT ?? 5_000);
const DATABASE_URL = process.env.RESOLVED_BENCH_MIXED_DATABASE_URL?.trim() || undefined;
const VARIED = !/^(0|false|no|off)$/i.test(process.env.RESOLVED_BENCH_MIXED_VARIED?.trim() ?? "");
const CHUNK = 10_000;
const OFFICER = { email: "proper@mixed.bench.example", password: "a long bench passphrase nobody uses" };

export interface MixedRun {
  name: string;
  report: LoadReport;
  rss: { currentMiB: number; peakMiB: number };
  /** The import that ran during the load, when there was one. */
  importRun?: { records: number; seconds: number; exitCode: number | null };
}

export interface MixedBenchOutcome {
  count: number;
  connections: number;
  seconds: number;
  paths: number;
  /** Whether searches drew their words for each request (RESOLVED_BENCH_MIXED_VARIED). */
  varied: boolean;
  runs: MixedRun[];
}

/**
 * The mix: [path, kind] in the order the connections go round it (each kind's share is its repetitions). With
 * `varied`, the paths that take words have WORDS for them (load-client.ts draws them request by request).
 */
export function mixedPaths(count: number, varied = VARIED): Array<[path: string, kind: string]> {
  const paths: Array<[string, string]> = [];
  const add = (kind: string, path: string) => paths.push([path, kind]);
  const withWords = (query: string) =>
    varied
      ? encodeQuery(query.replace(/(^|&)q=[^&]*/, `$1q=${WORDS}`)).replace(encodeURIComponent(WORDS), WORDS)
      : encodeQuery(query);
  const searches = SEARCH_MIX.filter((s) => s.query !== "").slice(0, 31);
  const ids = Array.from({ length: 24 }, (_, i) => 1 + Math.floor(((i + 0.5) * count) / 24));
  for (let i = 0; i < 24; i++) {
    add("decision page", `/decisions/${ids[i]}`);
    if (i % 3 === 0) add("home page", i === 0 ? "/" : `/?from=bench-${i}`);
    if (i % 2 === 0) add("search page", `/decisions?${withWords(searches[i % searches.length]!.query)}`);
    if (i % 4 === 1) add("API", `/api/v1/decisions/${ids[(i + 5) % 24]}`);
    if (i % 4 === 3) add("API", `/api/v1/decisions?${withWords(searches[(i + 7) % searches.length]!.query)}`);
  }
  add("feeds", "/decisions.atom");
  add("feeds", "/call-in.ics");
  add("feeds", `/decisions.csv?${withWords("q=Wynyard")}`);
  add("feeds", `/decisions.atom?${withWords("q=allotments")}`);
  add("meetings", "/meetings");
  add("meetings", "/meetings?page=2");
  add("workspace, signed in", "/workspace");
  add("workspace, signed in", "/workspace/call-ins");
  add("workspace, signed in", "/workspace/drafts");
  return paths;
}

function encodeQuery(query: string): string {
  return new URLSearchParams(query.split("&").map((pair) => pair.split("=") as [string, string])).toString();
}

export async function runMixedBench(): Promise<MixedBenchOutcome> {
  process.env.LOG_LEVEL ??= "warn";
  const outcome: MixedBenchOutcome = {
    count: COUNT,
    connections: CONNECTIONS,
    seconds: SECONDS,
    paths: mixedPaths(COUNT).length,
    varied: VARIED,
    runs: [],
  };
  const dataDir = registerDataDir(COUNT);
  await prepareRegister(dataDir, COUNT);
  await withDatabase(openDatabase({ dataDir }), async (database) => {
    await migrateToLatest(database);
    await ensureOfficer(database);
  });
  // The embedded database on the main thread (as before issue 12) and in a thread of its own (the default).
  outcome.runs.push(
    await loadRun("embedded database, on the main thread", dataDir, { RESOLVED_EMBEDDED_THREAD: "false" }),
  );
  outcome.runs.push(await loadRun("embedded database, in its own thread", dataDir, {}));

  if (DATABASE_URL !== undefined) {
    await withDatabase(openDatabase({ databaseUrl: DATABASE_URL }), async (database) => {
      await emptyServerDatabase(database);
      await migrateToLatest(database);
      await importGenerated(database, COUNT);
      await ensureOfficer(database);
    });
    const env = { DATABASE_URL };
    outcome.runs.push(await loadRun("PostgreSQL server", dataDir, env));
    outcome.runs.push(await loadRun("PostgreSQL server, while `resolved import` runs", dataDir, env, true));
  }
  return outcome;
}

async function loadRun(
  name: string,
  dataDir: string,
  env: Record<string, string>,
  withImport = false,
): Promise<MixedRun> {
  const staticDir = await mkdtemp(join(tmpdir(), "resolved-bench-mixed-"));
  const server = await startBenchServer(dataDir, staticDir, env);
  try {
    const cookie = await signIn(server.port, OFFICER.email, OFFICER.password);
    const mix = mixedPaths(COUNT);
    const groups = Object.fromEntries(mix);
    const paths = mix.map(([path]) => path);
    const pathHeaders: Record<string, Record<string, string>> = {};
    for (const path of paths) {
      if (!path.startsWith("/workspace")) continue;
      pathHeaders[path] = { cookie };
      const answer = await fetchWithCookie(server.port, path, cookie);
      if (answer.status !== 200) throw new Error(`bench/mixed: ${path} answered ${answer.status} signed in`);
    }
    const importing = withImport ? startImport(env.DATABASE_URL!) : undefined;
    const report = await load({
      port: server.port,
      paths,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: 5,
      pathHeaders,
      groups,
      vocabulary: SEARCH_VOCABULARY,
    });
    const rss = await residentSet(server.child.pid!);
    const run: MixedRun = { name, report, rss };
    if (importing) run.importRun = await importing;
    return run;
  } finally {
    await server.stop();
    await rm(staticDir, { recursive: true, force: true });
  }
}

async function load(plan: LoadPlan): Promise<LoadReport> {
  const child = fork(join(ROOT, "bench", "web", "load-client.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const report = await new Promise<LoadReport>((resolveReport, reject) => {
    child.once("message", (message: LoadReport) => resolveReport(message));
    child.once("exit", (code) => reject(new Error(`bench/mixed: the load client exited with ${code}`)));
    child.send(plan);
  });
  if (report.errors > 0)
    throw new Error(`bench/mixed: ${report.errors} failed requests: ${report.firstError}`);
  return report;
}

/** `resolved import` of IMPORT_COUNT new generated decisions (numbered after the register's) as files. */
async function startImport(databaseUrl: string): Promise<NonNullable<MixedRun["importRun"]>> {
  const dir = await mkdtemp(join(tmpdir(), "resolved-bench-mixed-import-"));
  const chunk = generateRegisterChunk(COUNT, IMPORT_COUNT, COUNT + IMPORT_COUNT);
  await Promise.all(chunk.inputs.map((input, i) => writeFile(join(dir, `extra-${i}.txt`), input.bytes)));
  const begin = process.hrtime.bigint();
  const child = spawn(process.execPath, [join(ROOT, "bin", "resolved.js"), "import", dir], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exitCode = await new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  await rm(dir, { recursive: true, force: true });
  return { records: IMPORT_COUNT, seconds: Number(process.hrtime.bigint() - begin) / 1e9, exitCode };
}

async function ensureOfficer(database: Database): Promise<void> {
  try {
    await createAccount(database, {
      email: OFFICER.email,
      name: "Pat Proper",
      roles: ["proper-officer", "officer"],
      password: OFFICER.password,
      actor: "bench",
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

async function emptyServerDatabase(database: Database): Promise<void> {
  await sql`drop schema if exists public cascade`.execute(database.db);
  await sql`drop schema if exists derived cascade`.execute(database.db);
  await sql`create schema public`.execute(database.db);
}

async function importGenerated(database: Database, count: number): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    const chunk = generateRegisterChunk(start, Math.min(CHUNK, count - start), count);
    const entries = await importBatch(database, chunk.inputs, { actor: "bench" });
    const failed = entries.find((entry) => entry.error !== undefined);
    if (failed) throw new Error(`bench/mixed: a generated document failed: ${String(failed.error)}`);
    process.stderr.write(`bench/mixed: server register ${Math.min(count, start + CHUNK)}/${count}\n`);
  }
  await tidyAfterBulkImport(database);
}

async function withDatabase<T>(
  opening: Promise<Database>,
  fn: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await opening;
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
