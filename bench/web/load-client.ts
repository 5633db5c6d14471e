import { Agent, request } from "node:http";
import { seededRandom } from "../random.js";
import { withWords } from "./path-words.js";

/**
 * A bounded HTTP load on 127.0.0.1, in a process of its own (so it does not share the server's event loop):
 * `connections` keep-alive connections, each sending GET requests one after another, going round `paths`, for
 * `seconds` (after `warmupSeconds` not counted). A path may take words: WORDS in it is replaced, request by
 * request, with words drawn from `vocabulary`. Every response must be 200; the body is read in full.
 * Reports requests/s, bytes and latency percentiles to the parent over IPC. Only ever 127.0.0.1.
 */

export interface LoadPlan {
  port: number;
  paths: string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Sent with every request (a session cookie, for the signed-in pages). */
  headers?: Record<string, string>;
  /** Sent with the requests for one path only, on top of `headers` (a cookie for the signed-in pages). */
  pathHeaders?: Record<string, Record<string, string>>;
  /** Latency reported by group too: path → group name ("search", "decision page"). */
  groups?: Record<string, string>;
  /**
   * For the paths with WORDS in them: one to three of these words (URL-encoded) put in its place for each
   * request, so that most searches are distinct, as a long tail of visitors' are. Groups and headers go by the
   * path as given.
   */
  vocabulary?: readonly string[];
}

export interface GroupReport {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadReport {
  requests: number;
  /** Requests answered during the warm-up too: what the server's CPU time over the whole run was spent on. */
  allRequests: number;
  seconds: number;
  perSecond: number;
  bytesPerResponse: number;
  errors: number;
  firstError: string | null;
  p50Ms: number;
  p99Ms: number;
  /** By the plan's groups, when it has them. */
  groups?: Record<string, GroupReport>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(plan: LoadPlan): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  let next = 0;
  let counting = false;
  let stop = false;
  let requests = 0;
  let allRequests = 0;
  let bytes = 0;
  let errors = 0;
  let firstError: string | null = null;
  const latencies: number[] = [];
  const byGroup = new Map<string, number[]>();

  // Seeded: the same run of words each time (the order requests go in still varies with the server).
  const random = seededRandom(12);
  const get = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: plan.port,
          path: withWords(path, plan.vocabulary ?? [], random),
          agent,
          headers: { ...plan.headers, ...plan.pathHeaders?.[path] },
        },
        (res) => {
          let length = 0;
          res.on("data", (chunk: Buffer) => (length += chunk.length));
          res.on("end", () =>
            res.statusCode === 200 ? resolve(length) : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end();
    });

  async function connection(): Promise<void> {
    while (!stop) {
      const path = plan.paths[next++ % plan.paths.length]!;
      const begin = process.hrtime.bigint();
      try {
        const length = await get(path);
        allRequests++;
        if (counting) {
          requests++;
          bytes += length;
          const ms = Number(process.hrtime.bigint() - begin) / 1e6;
          latencies.push(ms);
          const group = plan.groups?.[path];
          if (group !== undefined) {
            const list = byGroup.get(group) ?? [];
            list.push(ms);
            byGroup.set(group, list);
          }
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
        if (errors > 100) stop = true;
      }
    }
  }

  const workers = Array.from({ length: plan.connections }, () => connection());
  await new Promise((resolve) => setTimeout(resolve, plan.warmupSeconds * 1000));
  counting = true;
  const begin = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, plan.seconds * 1000));
  counting = false;
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const groups: Record<string, GroupReport> = {};
  for (const [group, list] of byGroup) {
    list.sort((a, b) => a - b);
    groups[group] = { requests: list.length, p50Ms: percentile(list, 50), p99Ms: percentile(list, 99) };
  }
  return {
    requests,
    allRequests,
    seconds,
    perSecond: requests / seconds,
    bytesPerResponse: requests === 0 ? 0 : bytes / requests,
    errors,
    firstError,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ...(plan.groups && { groups }),
  };
}

process.once("message", (plan: LoadPlan) => {
  void run(plan).then((report) => {
    process.send?.(report, () => process.exit(0));
  });
});
