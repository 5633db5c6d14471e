import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { UnavailableError } from "../domain/errors.js";
import type { QueryAnswer, WorkerReply, WorkerRequest, WorkerStart } from "./pglite-thread-protocol.js";

/**
 * PGlite in a thread of its own. PGlite is PostgreSQL compiled to WebAssembly: a query runs on the thread that
 * called it, so on the main thread every query stopped every other request (measured: 49 requests/s under mixed
 * load at 20 connections, each request alone 2-50 ms). Here the main thread only posts the query and gets the
 * rows back, and renders pages meanwhile.
 *
 * `PgliteThread` has the part of PGlite's interface the rest of storage uses (query, exec, listen, dumpDataDir,
 * close, closed), so kysely-pglite-dialect drives it as it drives PGlite. Values come back as PGlite gives them
 * (the parsers run in the worker), except that structured cloning turns a Buffer into a Uint8Array: bytea
 * columns are made Buffers again here, without copying.
 */

const BYTEA = 17;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The worker: the build's .js beside this file, or, run from the TypeScript sources (tests, benches), the .ts
 * source loaded through tsx, which a worker must register for itself.
 */
function startWorker(workerData: WorkerStart): Worker {
  const built = new URL("./pglite-worker.js", import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData });
  const source = new URL("./pglite-worker.ts", import.meta.url).href;
  // tsx's ESM entry (its package exports give require() the CommonJS one, which cannot register hooks here).
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source)});`;
  return new Worker(code, { eval: true, workerData });
}

function rebuildError(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message ?? "the embedded database failed"));
  for (const [key, value] of Object.entries(fields)) {
    if (key !== "message" && key !== "stack") Object.assign(error, { [key]: value });
  }
  return error;
}

export class PgliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #closed = false;
  #failure: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Starts the thread and opens the database in `dataDir` there; rejects with PGlite's error if it cannot. */
  static async open(dataDir: string): Promise<PgliteThread> {
    const worker = startWorker({ dataDir });
    const thread = new PgliteThread(worker);
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the database thread stopped (exit code ${code})`));
      worker.once("error", reject);
      worker.once("exit", onExit);
      worker.once("message", (reply: WorkerReply) => {
        worker.off("error", reject);
        worker.off("exit", onExit);
        if (reply.kind === "ready") resolve();
        else if (reply.kind === "failed") reject(rebuildError(reply.error));
        else reject(new Error(`the database thread said ${reply.kind} before it was ready`));
      });
    });
    worker.on("message", (reply: WorkerReply) => thread.#receive(reply));
    worker.on("error", (error) => thread.#fail(error));
    worker.on("exit", (code) => thread.#fail(new Error(`the database thread stopped (exit code ${code})`)));
    return thread;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<{ rows: T[]; affectedRows?: number | undefined; fields: QueryAnswer["fields"] }> {
    const answer = (await this.#call({ op: "query", sql, params })) as QueryAnswer;
    const bytea = answer.fields.filter((field) => field.dataTypeID === BYTEA).map((field) => field.name);
    if (bytea.length > 0) {
      for (const row of answer.rows) {
        for (const name of bytea) {
          const value = row[name];
          if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
            row[name] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
          }
        }
      }
    }
    return answer as { rows: T[]; affectedRows?: number; fields: QueryAnswer["fields"] };
  }

  async exec(sql: string): Promise<void> {
    await this.#call({ op: "exec", sql });
  }

  /** As PGlite's listen: `callback` gets each notification on `channel`; the function returned stops it. */
  async listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>> {
    let callbacks = this.#listeners.get(channel);
    if (!callbacks) {
      callbacks = new Set();
      this.#listeners.set(channel, callbacks);
      await this.#call({ op: "listen", channel });
    }
    callbacks.add(callback);
    return async () => {
      const current = this.#listeners.get(channel);
      if (!current?.delete(callback) || current.size > 0) return;
      this.#listeners.delete(channel);
      if (!this.#closed) await this.#call({ op: "unlisten", channel });
    };
  }

  /** A gzipped tar of the data directory, as PGlite's dumpDataDir("gzip") gives it. */
  async dumpDataDir(_compression?: "gzip"): Promise<Blob> {
    const bytes = (await this.#call({ op: "dump" })) as ArrayBuffer;
    return new Blob([bytes], { type: "application/x-gzip" });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#failure === null) await this.#call({ op: "close" });
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  #call(request: DistributiveOmit<WorkerRequest, "id">): Promise<unknown> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new Error("the embedded database is closed"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #receive(reply: WorkerReply): void {
    if (reply.kind === "notification") {
      for (const callback of this.#listeners.get(reply.channel) ?? []) callback(reply.payload);
      return;
    }
    if (reply.kind !== "answer") return;
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.error) pending.reject(rebuildError(reply.error));
    else pending.resolve(reply.value);
  }

  /** The thread died (out of memory, a WebAssembly trap): every query waiting, and every later one, fails. */
  #fail(error: Error): void {
    if (this.#closed) return;
    this.#failure ??= new UnavailableError(
      `The embedded database stopped (${error.message}); restart Resolved to open it again`,
      { cause: error },
    );
    for (const pending of this.#pending.values()) pending.reject(this.#failure);
    this.#pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
