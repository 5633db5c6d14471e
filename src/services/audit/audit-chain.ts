import { createHash } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../storage/database.js";
import type { DatabaseSchema } from "../../storage/schema.js";

/**
 * The audit log's and the decision versions' hash chains, recomputed here independently of the database's
 * triggers (migration 2026-12-04T1000-audit-chain, which defines the format; this file must agree with it byte
 * for byte):
 *
 *   hash = hex(sha256("resolved.<table>.v1" || field(prev_hash) || field(column) || …))
 *   field(null) = 0x00 'N'      field(text) = 0x00 'V' || UTF-8 bytes
 *
 * with integers in decimal, instants in UTC with microseconds, jsonb as PostgreSQL's canonical jsonb::text.
 * The audit log is one chain in id order; each decision's versions are a chain in version order.
 *
 * What it proves: a row changed or removed behind the application's back (triggers disabled, a superuser's
 * UPDATE) no longer fits the chain. What it cannot prove: someone who rewrites every hash after the change, with
 * the chain head, leaves a consistent chain; note the head (`head` below) elsewhere to catch that.
 */

export type ChainTable = "audit_log" | "decision_version";

export const GENESIS_HASH = "0".repeat(64);

const NULL_FIELD = Buffer.from([0x00, 0x4e]);
const VALUE_MARK = Buffer.from([0x00, 0x56]);

/** The hash of one row, given the previous row's hash and the row's columns as text (null for SQL null). */
export function chainHash(table: ChainTable, prevHash: string, columns: readonly (string | null)[]): string {
  const hash = createHash("sha256").update(`resolved.${table}.v1`, "utf8");
  for (const value of [prevHash, ...columns]) {
    if (value === null) hash.update(NULL_FIELD);
    else hash.update(VALUE_MARK).update(value, "utf8");
  }
  return hash.digest("hex");
}

export interface ChainMismatch {
  table: ChainTable;
  /** The row's id (audit_log.id or decision_version.id). */
  id: number;
  /** What the chain gives at this point. */
  expected: string;
  /** What the row holds. */
  found: string;
  /**
   * "changed": the row's content no longer gives the hash it holds (expected: the hash recomputed).
   * "unlinked": the row does not follow the row before it (expected: that row's hash; found: prev_hash): a row
   *   between them was removed, or the row before was rewritten along with its hash.
   * "head": the audit chain's recorded last entry (derived.audit_chain_head) is not the last entry there is:
   *   entries were removed from the end (id: the recorded last one) or added without the trigger.
   */
  problem: "changed" | "unlinked" | "head";
  /** The row before it in its chain, or null for the first. */
  previousId: number | null;
  /** When the row was written (null when it is missing). */
  at: Date | null;
  /** What the row records: the audit action ("decision.imported"), or "decision 12 version 2". */
  what: string;
}

export interface AuditChainReport {
  ok: boolean;
  /** Audit entries read. */
  entries: number;
  /** Decision versions read. */
  versions: number;
  firstMismatch: null | ChainMismatch;
  /** The audit chain's last entry as the database records it, or null for an empty log. */
  head: { id: number; hash: string } | null;
}

/** Rows per page: a register may hold millions of audit entries, read a page at a time. */
const PAGE_SIZE = 2000;

/**
 * Recomputes both chains and reports the first row that does not fit (the audit log first, then the decision
 * versions, decision by decision), with how many rows were read. Reads one snapshot (a read-only,
 * repeatable-read transaction), so writers carrying on meanwhile do not confuse it.
 */
export async function verifyAuditChain(database: Database): Promise<AuditChainReport> {
  return database.transaction(async (trx) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    const db = trx.withoutPlugins();
    const head = await readHead(db);
    const audit = await verifyAuditLog(db, head);
    const versions = await verifyVersions(db);
    const firstMismatch = audit.mismatch ?? versions.mismatch;
    return {
      ok: firstMismatch === null,
      entries: audit.rows,
      versions: versions.rows,
      firstMismatch,
      head: head.lastId === 0 ? null : { id: head.lastId, hash: head.lastHash },
    };
  });
}

interface ChainHead {
  lastId: number;
  lastHash: string;
}

async function readHead(db: Kysely<DatabaseSchema>): Promise<ChainHead> {
  const { rows } = await sql<{ last_id: number; last_hash: string }>`
    select last_id, last_hash from derived.audit_chain_head`.execute(db);
  const row = rows[0];
  // The migration writes the one row and nothing deletes it: without it, every entry there is counts as added
  // behind the trigger's back.
  return row ? { lastId: row.last_id, lastHash: row.last_hash } : { lastId: 0, lastHash: GENESIS_HASH };
}

interface ChainResult {
  rows: number;
  mismatch: ChainMismatch | null;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  council_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

async function verifyAuditLog(db: Kysely<DatabaseSchema>, head: ChainHead): Promise<ChainResult> {
  let rows = 0;
  let mismatch: ChainMismatch | null = null;
  let previous: { id: number; hash: string } | null = null;
  let sawHead = head.lastId === 0;
  for (let after = 0; ;) {
    // Columns as text, exactly as the triggers hash them.
    const { rows: page } = await sql<AuditRow>`
      select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, actor, action, entity,
             entity_id, council_id::text as council_id, details::text as details, prev_hash, hash
      from audit_log where id > ${after} order by id limit ${PAGE_SIZE}`.execute(db);
    for (const row of page) {
      rows++;
      if (mismatch === null) {
        const expectedPrev = previous?.hash ?? GENESIS_HASH;
        const computed = chainHash("audit_log", row.prev_hash, [
          String(row.id),
          row.at,
          row.actor,
          row.action,
          row.entity,
          row.entity_id,
          row.council_id,
          row.details,
        ]);
        const found = (
          problem: ChainMismatch["problem"],
          expected: string,
          value: string,
        ): ChainMismatch => ({
          table: "audit_log",
          id: row.id,
          expected,
          found: value,
          problem,
          previousId: previous?.id ?? null,
          at: new Date(row.at),
          what: row.action,
        });
        if (row.prev_hash !== expectedPrev) mismatch = found("unlinked", expectedPrev, row.prev_hash);
        else if (row.hash !== computed) mismatch = found("changed", computed, row.hash);
        else if (sawHead) mismatch = found("head", head.lastHash, row.hash);
        else if (row.id === head.lastId) {
          sawHead = true;
          if (row.hash !== head.lastHash) mismatch = found("head", head.lastHash, row.hash);
        }
      }
      previous = { id: row.id, hash: row.hash };
    }
    if (page.length < PAGE_SIZE) break;
    after = page[page.length - 1]!.id;
  }
  if (mismatch === null && !sawHead) {
    mismatch = {
      table: "audit_log",
      id: head.lastId,
      expected: head.lastHash,
      found: previous?.hash ?? GENESIS_HASH,
      problem: "head",
      previousId: previous?.id ?? null,
      at: null,
      what: "(missing)",
    };
  }
  return { rows, mismatch };
}

interface VersionRow {
  id: number;
  decision_id: number;
  version: number;
  record: string;
  reason: string | null;
  source_document_id: string | null;
  created_at: string;
  created_by: string | null;
  prev_hash: string;
  hash: string;
}

async function verifyVersions(db: Kysely<DatabaseSchema>): Promise<ChainResult> {
  let rows = 0;
  let mismatch: ChainMismatch | null = null;
  let previous: { id: number; decisionId: number; hash: string } | null = null;
  for (let after: [number, number] = [0, 0]; ;) {
    const { rows: page } = await sql<VersionRow>`
      select id, decision_id, version, record::text as record, reason,
             source_document_id::text as source_document_id,
             to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at, created_by,
             prev_hash, hash
      from decision_version where (decision_id, version) > (${after[0]}, ${after[1]})
      order by decision_id, version limit ${PAGE_SIZE}`.execute(db);
    for (const row of page) {
      rows++;
      const before = previous?.decisionId === row.decision_id ? previous : null;
      if (mismatch === null) {
        const expectedPrev = before?.hash ?? GENESIS_HASH;
        const computed = chainHash("decision_version", row.prev_hash, [
          String(row.id),
          String(row.decision_id),
          String(row.version),
          row.record,
          row.reason,
          row.source_document_id,
          row.created_at,
          row.created_by,
        ]);
        const found = (
          problem: ChainMismatch["problem"],
          expected: string,
          value: string,
        ): ChainMismatch => ({
          table: "decision_version",
          id: row.id,
          expected,
          found: value,
          problem,
          previousId: before?.id ?? null,
          at: new Date(row.created_at),
          what: `decision ${row.decision_id} version ${row.version}`,
        });
        if (row.prev_hash !== expectedPrev) mismatch = found("unlinked", expectedPrev, row.prev_hash);
        else if (row.hash !== computed) mismatch = found("changed", computed, row.hash);
      }
      previous = { id: row.id, decisionId: row.decision_id, hash: row.hash };
    }
    if (page.length < PAGE_SIZE) break;
    const last = page[page.length - 1]!;
    after = [last.decision_id, last.version];
  }
  return { rows, mismatch };
}
