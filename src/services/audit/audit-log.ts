import { noteRegisterChange, type Executor } from "../../storage/database.js";
import type { JsonObject } from "../../storage/schema.js";

export interface AuditEntry {
  /** Who did it: a user name, "cli:<os user>", "import", "system". */
  actor: string;
  /** What happened, as a dotted verb: "decision.imported", "council.rule-changed". */
  action: string;
  entity: string;
  entityId?: string | number | null;
  councilId?: number | null;
  details?: JsonObject;
}

/**
 * Appends to the audit log, in the caller's transaction so the entry and the change stand or fall together.
 * The database chains each entry to the one before (prev_hash, hash: see audit-chain.ts) as it is inserted.
 */
export async function appendAudit(db: Executor, entry: AuditEntry): Promise<void> {
  // The register's caches hear of it when it commits (see noteRegisterChange and register-changes.ts).
  const committed = noteRegisterChange();
  await db.insertInto("auditLog").values(auditRow(entry)).execute();
  committed?.();
}

/** Appends several entries in one statement, in order (bulk import); nothing for an empty list. */
export async function appendAuditEntries(db: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const committed = noteRegisterChange();
  await db.insertInto("auditLog").values(entries.map(auditRow)).execute();
  committed?.();
}

function auditRow(entry: AuditEntry) {
  return {
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    councilId: entry.councilId ?? null,
    details: JSON.stringify(entry.details ?? {}),
  };
}
