import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

/** `resolved serve` from the built CLI, as an operator runs it: its own process, real sockets. */
export interface ServeProcess {
  /** "http://127.0.0.1:PORT". */
  readonly baseUrl: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stderr (its JSON log lines) so far. */
  log(): string;
  /** Whether it is still running. */
  alive(): boolean;
  /** SIGTERM, then its exit code (SIGKILL after 10 s). */
  stop(): Promise<number | null>;
}

/** Starts `resolved serve --host 127.0.0.1 --port 0` with `env`, and waits until it listens (or fails). */
export async function startServeProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(root, "bin/resolved.js"), "serve", "--host", "127.0.0.1", "--port", "0"],
    { cwd: root, env: { ...process.env, LOG_LEVEL: "info", ...env }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  let exitCode: number | null = null;
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exited = true;
      exitCode = code;
      resolve(code);
    }),
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in ${timeoutMs} ms:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      stderr += chunk;
      const match = /serving the register at (http:\/\/[^\s"]+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${stderr}`));
    });
  });
  return {
    baseUrl,
    child,
    log: () => stderr,
    alive: () => !exited,
    async stop() {
      if (exited) return exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      try {
        return await exit;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
