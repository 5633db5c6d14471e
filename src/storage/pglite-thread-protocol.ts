/** The messages between the main thread and the embedded database's thread (pglite-thread.ts, pglite-worker.ts). */

export interface WorkerStart {
  dataDir: string;
}

export type WorkerRequest =
  | { op: "query"; id: number; sql: string; params: unknown[] }
  | { op: "exec"; id: number; sql: string }
  | { op: "listen"; id: number; channel: string }
  | { op: "unlisten"; id: number; channel: string }
  | { op: "dump"; id: number }
  | { op: "close"; id: number };

export interface QueryAnswer {
  rows: Record<string, unknown>[];
  affectedRows?: number | undefined;
  fields: Array<{ name: string; dataTypeID: number }>;
}

export type WorkerReply =
  | { kind: "ready" }
  | { kind: "failed"; error: Record<string, unknown> }
  | { kind: "notification"; channel: string; payload: string }
  | { kind: "answer"; id: number; value?: unknown; error?: Record<string, unknown> };
