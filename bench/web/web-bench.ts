import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { get as httpGet } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { importBatch, type BatchReport } from "../../src/services/import/index.js";
import { tidyAfterBulkImport } from "../../src/services/register/index.js";
import { searchDecisions } from "../../src/services/search/index.js";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { generateRegisterChunk } from "./generate-register.js";
import type { LoadPlan, LoadReport } from "./load-client.js";

/**
 * `bench/web`: the website against a register of RESOLVED_BENCH_WEB_COUNT (default 100,000) generated decisions
 * of 300-1,500 words (generate-register.ts) on PGlite, everything over HTTP on 127.0.0.1 (RESOLVED_BENCH_WEB_PHASES
 * chooses among start, search, pages and relevance; all by default):
 *
 *   1. the register: imported once through importBatch (then tidyAfterBulkImport, as `resolved import` does)
 *      into bench/.cache/web-<count>-g<GENERATOR_VERSION>, and reused by later runs (migrated to the latest
 *      schema when the server opens it);
 *   2. start: `npm start` on that data directory, until GET / answers 200 (three runs, the median);
 *   3. search: a fixed mix of searches (SEARCH_MIX) on /decisions, one at a time, after a warm-up round:
 *      latency p50/p95 by kind and overall; the same on /api/v1/decisions;
 *   4. decision pages: requests/s for /decisions/:id (50 decisions) with 8 keep-alive connections, side by
 *      side with the same bytes served as static files by the same server (bench-server.mjs);
 *   5. cached: the same decision pages (served from the page cache: no database query) against a bare node:http
 *      server sending the same bytes (bare-server.mjs), with the same load client and connections, alternately
 *      for RESOLVED_BENCH_WEB_CACHED_ROUNDS rounds (default 3): the issue 12 target is ≥ 50% of the bare rate;
 *   6. memory: the server's resident set after all that (VmRSS) and its peak (VmHWM);
 *   7. relevance: for each text search in the mix, its first page against the exact ranking (every match
 *      ranked by the site's own relevance, the search's RANK, in one naive ranked query), and the naive
 *      query's own time.
 */

export const GENERATOR_VERSION = 2;
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CHUNK = 10_000;

export type SearchKind = "rare word" | "common word" | "phrase" | "several words" | "with filters" | "browse";

/** The searches, as a reader would type them (the query string of /decisions). */
export const SEARCH_MIX: ReadonlyArray<{ kind: SearchKind; query: string }> = [
  { kind: "rare word", query: "q=Wynyard" },
  { kind: "rare word", query: "q=allotments" },
  { kind: "rare word", query: "q=Ofsted" },
  { kind: "rare word", query: "q=incineration" },
  { kind: "rare word", query: "q=gritting" },
  { kind: "rare word", query: "q=Portrack" },
  { kind: "common word", query: "q=council" },
  { kind: "common word", query: "q=budget" },
  { kind: "common word", query: "q=report" },
  { kind: "common word", query: "q=services" },
  { kind: "common word", query: "q=housing" },
  { kind: "phrase", query: 'q="leisure centre"' },
  { kind: "phrase", query: 'q="temporary accommodation"' },
  { kind: "phrase", query: 'q="street lighting"' },
  { kind: "phrase", query: 'q="care leavers"' },
  { kind: "phrase", query: 'q="council tax"' },
  { kind: "several words", query: "q=school transport policy" },
  { kind: "several words", query: "q=flood defences Billingham" },
  { kind: "several words", query: "q=homelessness rough sleeping" },
  { kind: "several words", query: "q=children placements fostering Thornaby" },
  { kind: "with filters", query: "q=budget&body=Cabinet" },
  { kind: "with filters", query: "q=housing&from=2020-01-01&to=2022-12-31" },
  { kind: "with filters", query: "q=council&status=effective" },
  { kind: "with filters", query: "q=parking&callIn=no" },
  { kind: "with filters", query: "q=council&sort=date" },
  { kind: "with filters", query: "q=Ofsted&page=3" },
  { kind: "with filters", query: "q=children&key=no&from=2015-01-01" },
  { kind: "browse", query: "" },
  { kind: "browse", query: "status=published" },
  { kind: "browse", query: "body=Cabinet&page=50" },
  { kind: "browse", query: "from=2010-01-01&to=2010-12-31" },
];

const SEARCH_ROUNDS = Number(process.env.RESOLVED_BENCH_WEB_ROUNDS ?? 10);
const LOAD_SECONDS = Number(process.env.RESOLVED_BENCH_WEB_SECONDS ?? 10);
const LOAD_CONNECTIONS = 8;
const PAGES = 50;
const CACHED_ROUNDS = Number(process.env.RESOLVED_BENCH_WEB_CACHED_ROUNDS ?? 3);

export interface LatencySummary {
  kind: string;
  requests: number;
  p50: number;
  p95: number;
  max: number;
}

export interface RelevanceCheck {
  query: string;
  matches: number;
  strategy: string;
  /** Of the exact top 10, how many are on the first page (20) the site shows. */
  top10OnFirstPage: number;
  /** Of the site's first 10, how many are in the exact top 10. */
  firstTenInTop10: number;
  /** The relevance of the site's first 10 (the search's rank, summed) as a share of the exact top 10's. */
  rankAttained: number;
  naiveMs: number;
}

export interface WebBenchOutcome {
  count: number;
  register: { seconds: number; reused: boolean; averageWords: number; databaseBytes: number };
  startMs: number[];
  searchPage: LatencySummary[];
  searchApi: LatencySummary[];
  decisionPage: LoadReport | null;
  staticFile: LoadReport | null;
  /** Cached decision pages and a bare node:http server with the same bytes, round by round. */
  cachedVsBare: Array<{ page: LoadReport; bare: LoadReport; pageCpuUs: number; bareCpuUs: number }>;
  rss: { currentMiB: number; peakMiB: number };
  relevance: RelevanceCheck[];
  naiveP95: number;
}

export async function runWebBench(
  count = Number(process.env.RESOLVED_BENCH_WEB_COUNT ?? 100_000),
): Promise<WebBenchOutcome> {
  const dataDir = registerDataDir(count);
  const register = await prepareRegister(dataDir, count);

  const phases = new Set(
    (process.env.RESOLVED_BENCH_WEB_PHASES ?? "start,search,pages,cached,relevance").split(","),
  );
  const startMs: number[] = [];
  if (phases.has("start")) for (let run = 0; run < 3; run++) startMs.push(await timeNpmStart(dataDir));

  const staticDir = await mkdtemp(join(tmpdir(), "resolved-bench-static-"));
  const server = await startBenchServer(dataDir, staticDir);
  const outcome: WebBenchOutcome = {
    count,
    register,
    startMs,
    searchPage: [],
    searchApi: [],
    decisionPage: null,
    staticFile: null,
    cachedVsBare: [],
    rss: { currentMiB: 0, peakMiB: 0 },
    relevance: [],
    naiveP95: 0,
  };
  try {
    if (phases.has("search")) {
      outcome.searchPage = await measureSearches(server.port, "/decisions");
      outcome.searchApi = await measureSearches(server.port, "/api/v1/decisions");
    }
    const ids = spreadIds(count, PAGES);
    if (phases.has("pages") || phases.has("cached")) {
      for (const id of ids) {
        const page = await fetchBytes(server.port, `/decisions/${id}`);
        if (page.status !== 200) throw new Error(`/decisions/${id}: HTTP ${page.status}`);
        await writeFile(join(staticDir, `decision-${id}.html`), page.body);
      }
    }
    if (phases.has("pages")) {
      outcome.decisionPage = await runLoad(
        server.port,
        ids.map((id) => `/decisions/${id}`),
      );
      outcome.staticFile = await runLoad(
        server.port,
        ids.map((id) => `/bench-static/decision-${id}.html`),
      );
    }
    if (phases.has("cached")) {
      const bare = await startChild(join(ROOT, "bench", "web", "bare-server.mjs"), [staticDir], {});
      try {
        const paths = ids.map((id) => `/decisions/${id}`);
        for (let round = 0; round < CACHED_ROUNDS; round++) {
          const [page, pageCpuUs] = await withCpuPerRequest(server.child.pid!, () =>
            runLoad(server.port, paths),
          );
          const [bareLoad, bareCpuUs] = await withCpuPerRequest(bare.child.pid!, () =>
            runLoad(bare.port, paths),
          );
          outcome.cachedVsBare.push({ page, bare: bareLoad, pageCpuUs, bareCpuUs });
          progress(
            `cached: round ${round + 1}: ${page.perSecond.toFixed(0)} requests/s against ` +
              `${outcome.cachedVsBare.at(-1)!.bare.perSecond.toFixed(0)} bare`,
          );
        }
      } finally {
        await bare.stop();
      }
    }
    outcome.rss = await residentSet(server.child.pid!);
    await server.stop();
    if (phases.has("relevance")) Object.assign(outcome, await checkRelevance(dataDir));
    return outcome;
  } finally {
    await server.stop();
    await rm(staticDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// 1. The register

/** Where the generated register of `count` decisions is kept between runs. */
export function registerDataDir(count: number): string {
  return join(ROOT, "bench", ".cache", `web-${count}-g${GENERATOR_VERSION}`);
}

/** Imports the generated register into `dataDir`, unless a complete one is there already. */
export async function prepareRegister(dataDir: string, count: number): Promise<WebBenchOutcome["register"]> {
  const readyFile = join(dataDir, "bench-ready.json");
  if (existsSync(readyFile)) {
    const ready = JSON.parse(await readFile(readyFile, "utf8")) as WebBenchOutcome["register"];
    return { ...ready, reused: true };
  }
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database);
    let words = 0;
    let seconds = 0;
    const reports: BatchReport[] = [];
    for (let start = 0; start < count; start += CHUNK) {
      const chunk = generateRegisterChunk(start, Math.min(CHUNK, count - start), count);
      words += chunk.words.reduce((sum, n) => sum + n, 0);
      const begin = process.hrtime.bigint();
      const entries = await importBatch(database, chunk.inputs, {
        actor: "bench",
        onBatch: (report) => reports.push(report),
      });
      seconds += Number(process.hrtime.bigint() - begin) / 1e9;
      const failed = entries.find((entry) => entry.error !== undefined);
      if (failed) throw new Error(`bench/web: a generated document failed: ${String(failed.error)}`);
      progress(`register: ${Math.min(count, start + CHUNK)}/${count} in ${seconds.toFixed(0)} s`);
    }
    const begin = process.hrtime.bigint();
    await tidyAfterBulkImport(database);
    seconds += Number(process.hrtime.bigint() - begin) / 1e9;
    const databaseBytes = await databaseSize(database);
    const ready = { seconds, reused: false, averageWords: Math.round(words / count), databaseBytes };
    await database.close();
    await writeFile(readyFile, JSON.stringify(ready));
    return ready;
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function databaseSize(database: Database): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`
    select pg_database_size(current_database())::text as bytes`.execute(database.db);
  return Number(rows[0]!.bytes);
}

// ---------------------------------------------------------------------------------------------------------
// 2. Start

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Milliseconds from spawning `npm start` to the first 200 from GET /. */
async function timeNpmStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const begin = process.hrtime.bigint();
  const child = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    env: { ...process.env, RESOLVED_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1" },
    stdio: "ignore",
    detached: true,
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error("bench/web: npm start did not answer within 60 s");
      if (child.exitCode !== null) throw new Error(`bench/web: npm start exited with ${child.exitCode}`);
      const answer = await fetchBytes(port, "/").catch(() => null);
      if (answer?.status === 200) return Number(process.hrtime.bigint() - begin) / 1e6;
      await new Promise((done) => setTimeout(done, 10));
    }
  } finally {
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The server under test

export interface BenchServer {
  port: number;
  child: ChildProcess;
  stop: () => Promise<void>;
}

export async function startBenchServer(
  dataDir: string,
  staticDir: string,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  return startChild(join(ROOT, "bench", "web", "bench-server.mjs"), [staticDir], {
    RESOLVED_DATA_DIR: dataDir,
    ...env,
  });
}

/** A server script in a process of its own that tells its port over IPC (bench-server.mjs, bare-server.mjs). */
export async function startChild(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<BenchServer> {
  const child = fork(script, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    execArgv: (process.env.RESOLVED_BENCH_SERVER_FLAGS ?? "").split(" ").filter(Boolean),
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const port = await new Promise<number>((resolvePort, reject) => {
    child.once("message", (message: { port: number }) => resolvePort(message.port));
    child.once("exit", (code) => reject(new Error(`bench/web: the server exited with ${code}`)));
  });
  let stopped = false;
  return {
    port,
    child,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export function fetchBytes(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolveFetch, reject) => {
    const request = httpGet({ host: "127.0.0.1", port, path, agent: false, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolveFetch({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

// ---------------------------------------------------------------------------------------------------------
// 3. Search latency

function encodeQuery(query: string): string {
  return query
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const [name, value = ""] = pair.split("=");
      return `${name}=${encodeURIComponent(value)}`;
    })
    .join("&");
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarise(kind: string, samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    kind,
    requests: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/**
 * A session cookie (not a valid one: the visitor stays anonymous) on each search, so the server's response cache
 * (src/web/shared/register-responses.ts), which never serves a request carrying one, is passed by and every
 * search is run: the figures are those of a search nobody asked before.
 */
const PAST_THE_CACHE = { cookie: "resolved_session=bench-uncached" };

export async function measureSearches(port: number, path: string): Promise<LatencySummary[]> {
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  for (let round = 0; round <= SEARCH_ROUNDS; round++) {
    for (const { kind, query } of SEARCH_MIX) {
      const url = `${path}?${encodeQuery(query)}`;
      const begin = process.hrtime.bigint();
      const { status } = await fetchBytes(port, url, PAST_THE_CACHE);
      const ms = Number(process.hrtime.bigint() - begin) / 1e6;
      if (status !== 200) throw new Error(`bench/web: ${url}: HTTP ${status}`);
      if (round === 0) continue; // the warm-up round
      all.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    }
  }
  return [...[...byKind].map(([kind, samples]) => summarise(kind, samples)), summarise("all", all)];
}

// ---------------------------------------------------------------------------------------------------------
// 4. Decision pages against static files

export function spreadIds(count: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 + Math.floor(((i + 0.5) * count) / n));
}

export async function runLoad(
  port: number,
  paths: string[],
  headers: Record<string, string> = {},
): Promise<LoadReport> {
  const child = fork(join(ROOT, "bench", "web", "load-client.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const plan: LoadPlan = {
    port,
    paths,
    connections: LOAD_CONNECTIONS,
    seconds: LOAD_SECONDS,
    warmupSeconds: 2,
    headers,
  };
  const report = await new Promise<LoadReport>((resolveReport, reject) => {
    child.once("message", (message: LoadReport) => resolveReport(message));
    child.once("exit", (code) => reject(new Error(`bench/web: the load client exited with ${code}`)));
    child.send(plan);
  });
  if (report.errors > 0) throw new Error(`bench/web: ${report.errors} failed requests: ${report.firstError}`);
  return report;
}

/**
 * The server's CPU time (user and system, /proc/<pid>/stat) per request answered during `load`, in µs: on a
 * machine shared with other work, requests/s swing with what else runs, CPU time per request much less.
 */
async function withCpuPerRequest(
  pid: number,
  load: () => Promise<LoadReport>,
): Promise<[LoadReport, number]> {
  const before = await cpuTicks(pid);
  const report = await load();
  const ticks = (await cpuTicks(pid)) - before;
  return [report, (ticks * 1e6) / CLOCK_TICKS_PER_SECOND / Math.max(1, report.allRequests)];
}

/** USER_HZ on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces, in parentheses): utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

// ---------------------------------------------------------------------------------------------------------
// 6. Memory

export async function residentSet(pid: number): Promise<WebBenchOutcome["rss"]> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { currentMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

// ---------------------------------------------------------------------------------------------------------
// 7. Relevance against the naive ranked query

async function checkRelevance(dataDir: string): Promise<{ relevance: RelevanceCheck[]; naiveP95: number }> {
  const database = await openDatabase({ dataDir });
  const relevance: RelevanceCheck[] = [];
  const naiveTimes: number[] = [];
  try {
    const at = new Date();
    for (const { query } of SEARCH_MIX) {
      const params = new URLSearchParams(encodeQuery(query));
      const q = params.get("q");
      if (!q || params.size > 1) continue;
      const naive = async () => {
        const begin = process.hrtime.bigint();
        const { rows } = await sql<{ id: number; matches: number; rank: number }>`
          select d.id, count(*) over ()::int as matches,
            ((d.search_head @@ tq)::int + ts_rank_cd(d.search, tq, 32))::float8 as rank
          from decision d, websearch_to_tsquery('english'::regconfig, ${q}::text) tq
          where d.search @@ tq and d.status <> 'draft' and d.published_on <= current_date
          order by (d.search_head @@ tq)::int + ts_rank_cd(d.search, tq, 32) desc,
            d.meeting_date desc, d.published_on desc, d.id desc
          limit 20`.execute(database.db);
        naiveTimes.push(Number(process.hrtime.bigint() - begin) / 1e6);
        return rows;
      };
      await naive();
      const exact = await naive();
      await naive();
      const site = await searchDecisions(database.db, { q }, at, { snippets: false });
      const exactTop10 = new Set(exact.slice(0, 10).map((row) => row.id));
      const siteIds = site.items.map((item) => item.id);
      relevance.push({
        query: q,
        matches: exact[0]?.matches ?? 0,
        strategy: site.strategy,
        top10OnFirstPage: [...exactTop10].filter((id) => siteIds.includes(id)).length,
        firstTenInTop10: siteIds.slice(0, 10).filter((id) => exactTop10.has(id)).length,
        rankAttained:
          sum(site.items.slice(0, 10).map((item) => item.rank ?? 0)) /
          Math.max(Number.MIN_VALUE, sum(exact.slice(0, 10).map((row) => Number(row.rank)))),
        naiveMs: naiveTimes[naiveTimes.length - 2]!,
      });
    }
  } finally {
    await database.close();
  }
  const sorted = naiveTimes.slice().sort((a, b) => a - b);
  return { relevance, naiveP95: percentile(sorted, 95) };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function progress(message: string): void {
  if (!process.env.RESOLVED_BENCH_QUIET) console.error(`bench/web ${message}`);
}
