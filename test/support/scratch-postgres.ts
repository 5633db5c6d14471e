import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;

/**
 * A PostgreSQL cluster of a test's own (scripts/start-test-postgres.sh in a directory and on a port nobody else
 * uses), for tests that stop and restart the server under a running process. Not the shared test server: stopping
 * that would fail every other file running at the same time.
 */
export interface ScratchPostgres {
  readonly url: string;
  readonly port: number;
  /** Starts it (again): the data directory is kept across stops. */
  start(): Promise<void>;
  /** pg_ctl stop: "fast" ends sessions and checkpoints, "immediate" aborts like a crash (recovery at start). */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** Stops it and deletes its directory. */
  remove(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function serverBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    if (existsSync(join(base, version, "bin", "pg_ctl"))) return join(base, version, "bin");
  }
  return "";
}

/** pg_ctl as the cluster's owner: ourselves, or `postgres` when the tests run as root (as the script does). */
async function pgCtl(args: string[]): Promise<void> {
  const bin = serverBin();
  const pgCtlPath = bin ? join(bin, "pg_ctl") : "pg_ctl";
  const [command, commandArgs] =
    process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", pgCtlPath, ...args]] : [pgCtlPath, args];
  await run(command, commandArgs);
}

export async function startScratchPostgres(dir: string, port?: number): Promise<ScratchPostgres> {
  const chosen = port ?? (await freePort());
  // Durable: a test that crashes the server (stop -m immediate) counts what its commits left.
  const env = { ...process.env, RESOLVED_TEST_PG_PORT: String(chosen), RESOLVED_TEST_PG_DURABLE: "true" };
  const start = async () => {
    await run("bash", [join(root, "scripts/start-test-postgres.sh"), dir], { env });
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${chosen}/postgres`,
    port: chosen,
    start,
    async stop(mode) {
      await pgCtl(["-D", dir, "-m", mode, "-w", "stop"]);
    },
    async remove() {
      await run("bash", [join(root, "scripts/stop-test-postgres.sh"), dir, "--remove"], { env });
    },
  };
}
