import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const root = new URL("../../", import.meta.url).pathname;
const builtMain = join(root, "dist/cli/main.js");
const lockDir = join(root, "dist/.build-lock");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  try {
    return statSync(builtMain).mtimeMs >= newestSource(join(root, "src"));
  } catch {
    return false;
  }
}

/**
 * Builds dist/ when src/ is newer (`npm test` builds first; this covers running one test file alone).
 * Test files run in parallel, so a lock directory makes one of them build and the others wait.
 */
export async function ensureCliBuilt(): Promise<void> {
  for (let attempt = 0; attempt < 600 && !isFresh(); attempt++) {
    try {
      mkdirSync(join(root, "dist"), { recursive: true });
      mkdirSync(lockDir);
    } catch {
      await sleep(200);
      continue;
    }
    try {
      if (!isFresh()) execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: root, stdio: "pipe" });
    } finally {
      rmdirSync(lockDir);
    }
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `resolved` as a user would: a separate process, real files, real environment. */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(root, "bin/resolved.js"), ...args],
      { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
