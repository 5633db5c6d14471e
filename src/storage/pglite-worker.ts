import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_SESSION_SETUP, pgliteParsers } from "./backend-values.js";
import type { WorkerReply, WorkerRequest, WorkerStart } from "./pglite-thread-protocol.js";

/**
 * The embedded database's own thread (see pglite-thread.ts): PGlite runs here, so the main thread renders pages
 * and answers requests while a query runs. Requests are answered one at a time, in order; a notification is
 * posted before the answer to the query whose commit sent it, as PGlite itself tells listeners before that
 * query's promise resolves.
 */

const port = parentPort;
if (port === null) throw new Error("pglite-worker.ts runs as a worker thread only");
const start = workerData as WorkerStart;

const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  // DatabaseError's code, detail, constraint, ...: what callers look at (unique violations, lost locks).
  const fields: Record<string, unknown> = { message: error.message, name: error.name, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === "string" || typeof value === "number") fields[key] = value;
  }
  return fields;
}

let pglite: PGlite;
try {
  pglite = await PGlite.create({ dataDir: start.dataDir, parsers: pgliteParsers });
  // One session for the lifetime of the instance, so session settings stick.
  await pglite.exec(PGLITE_SESSION_SETUP);
  post({ kind: "ready" });
} catch (error) {
  post({ kind: "failed", error: errorFields(error) });
  process.exit(0);
}

const unlisteners = new Map<string, () => Promise<void>>();

async function handle(request: WorkerRequest): Promise<void> {
  try {
    switch (request.op) {
      case "query": {
        const result = await pglite.query(request.sql, request.params);
        post({
          kind: "answer",
          id: request.id,
          value: {
            rows: result.rows,
            affectedRows: result.affectedRows,
            fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
          },
        });
        return;
      }
      case "exec":
        await pglite.exec(request.sql);
        post({ kind: "answer", id: request.id, value: null });
        return;
      case "listen": {
        const channel = request.channel;
        if (!unlisteners.has(channel)) {
          const unlisten = await pglite.listen(channel, (payload) =>
            post({ kind: "notification", channel, payload }),
          );
          unlisteners.set(channel, unlisten);
        }
        post({ kind: "answer", id: request.id, value: null });
        return;
      }
      case "unlisten": {
        const unlisten = unlisteners.get(request.channel);
        unlisteners.delete(request.channel);
        if (unlisten && !pglite.closed) await unlisten();
        post({ kind: "answer", id: request.id, value: null });
        return;
      }
      case "dump": {
        const blob = await pglite.dumpDataDir("gzip");
        const bytes = await blob.arrayBuffer();
        post({ kind: "answer", id: request.id, value: bytes }, [bytes]);
        return;
      }
      case "close":
        if (!pglite.closed) await pglite.close();
        post({ kind: "answer", id: request.id, value: null });
        return;
    }
  } catch (error) {
    post({ kind: "answer", id: request.id, error: errorFields(error) });
  }
}

// One request at a time, in the order sent: the main thread's driver already hands out the one connection in
// turn, and listen/dump/close must not overlap a query either.
let queue: Promise<void> = Promise.resolve();
port.on("message", (request: WorkerRequest) => {
  queue = queue.then(() => handle(request));
});
