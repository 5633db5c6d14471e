import { ConflictError, ValidationError } from "../../domain/errors.js";
import { formatQuarter, parseQuarter } from "../../domain/financial-period.js";
import type { Database, Executor } from "../../storage/database.js";
import type { CouncilActor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";
import { lockCommitment, type LockedCommitment } from "./commitment-lock.js";

/**
 * Officers managing a commitment: its owner and due quarter, dated progress notes (a history), dropping it with
 * a reason (shown publicly) and reopening one dropped or wrongly marked done. Each is audited in the same
 * transaction, with what it was before and after. An officer acts for their own council only: another
 * council's commitment (or one of a draft decision) is "not found". The CLI acts as any council's officer.
 */

/** Who acts, as these services need them: the web and API pass an account's Actor, the CLI its own. */
export type CommitmentActor = CouncilActor;

const OWNER_MAX = 200;
const NOTE_MAX = 2000;
const REASON_MAX = 2000;

export interface CommitmentChanges {
  /** Who is responsible, as free text ("Director of Children's Services"); null or "" clears it. */
  owner?: string | null;
  /** The due financial quarter, "2017-18 Q3". */
  due?: string;
}

/** Trimmed, single-spaced text; ValidationError naming `field` when empty (if required) or too long. */
function cleanText(value: unknown, field: string, max: number, required: boolean): string {
  if (value !== undefined && value !== null && typeof value !== "string") {
    throw new ValidationError(`${field}: must be text`, field);
  }
  const text = (value ?? "").replace(/\r\n?/g, "\n").trim();
  if (required && text === "")
    throw new ValidationError(`${field}: enter ${describe[field] ?? field}`, field);
  if (text.length > max) throw new ValidationError(`${field}: must be ${max} characters or fewer`, field);
  if (/\p{Cc}/u.test(text.replace(/[\n\t]/g, ""))) {
    throw new ValidationError(`${field}: must not contain control characters`, field);
  }
  return text;
}

const describe: Record<string, string> = {
  note: "what progress has been made",
  reason: "why the commitment is dropped",
};

function checkedChanges(changes: CommitmentChanges) {
  const owner =
    changes.owner === undefined ? undefined : cleanText(changes.owner, "owner", OWNER_MAX, false) || null;
  if (owner && owner.includes("\n")) throw new ValidationError("owner: must be one line", "owner");
  const due = changes.due === undefined ? undefined : parseQuarter(changes.due, "due");
  if (due && (due.startYear < 1900 || due.startYear > 2998)) {
    throw new ValidationError("due: must be a quarter from 1900-01 Q1 to 2998-99 Q4", "due");
  }
  return { owner, due };
}

async function applyChanges(
  trx: Executor,
  row: LockedCommitment,
  { owner, due }: ReturnType<typeof checkedChanges>,
  actor: CommitmentActor,
): Promise<boolean> {
  const before: Record<string, string | null> = {};
  const after: Record<string, string | null> = {};
  const set: { owner?: string | null; dueStartYear?: number; dueQuarter?: number; duePhrase?: string } = {};
  if (owner !== undefined && owner !== row.owner) {
    before.owner = row.owner;
    after.owner = owner;
    set.owner = owner;
  }
  if (due && (due.startYear !== row.dueStartYear || due.quarter !== row.dueQuarter)) {
    const was = formatQuarter({ startYear: row.dueStartYear, quarter: row.dueQuarter as 1 | 2 | 3 | 4 });
    before.due = was;
    after.due = formatQuarter(due);
    set.dueStartYear = due.startYear;
    set.dueQuarter = due.quarter;
    // The quarter no longer comes from the record's words: say so where those words are shown.
    set.duePhrase = `set by an officer (was ${was})`;
  }
  if (Object.keys(set).length === 0) return false;
  await trx.updateTable("commitment").set(set).where("id", "=", row.id).execute();
  await appendAudit(trx, {
    actor: actor.label,
    action: "commitment.updated",
    entity: "commitment",
    entityId: row.id,
    councilId: row.councilId,
    details: { decisionId: row.decisionId, text: row.text, before, after },
  });
  return true;
}

async function applyDrop(trx: Executor, row: LockedCommitment, reason: string, actor: CommitmentActor) {
  if (row.status !== "open") {
    throw new ConflictError(
      row.status === "dropped"
        ? `commitment ${row.id} is already dropped`
        : `commitment ${row.id} is done; reopen it before dropping it`,
    );
  }
  await trx
    .updateTable("commitment")
    .set({ status: "dropped", droppedReason: reason })
    .where("id", "=", row.id)
    .execute();
  await appendAudit(trx, {
    actor: actor.label,
    action: "commitment.dropped",
    entity: "commitment",
    entityId: row.id,
    councilId: row.councilId,
    details: {
      decisionId: row.decisionId,
      text: row.text,
      before: { status: row.status },
      after: { status: "dropped", droppedReason: reason },
    },
  });
}

async function applyReopen(trx: Executor, row: LockedCommitment, actor: CommitmentActor) {
  if (row.status === "open") throw new ConflictError(`commitment ${row.id} is already open`);
  if (row.fulfilledBy !== null) {
    await trx
      .deleteFrom("commitmentSuggestionReview")
      .where("commitmentId", "=", row.id)
      .where("decisionId", "=", row.fulfilledBy)
      .where("verdict", "=", "confirmed")
      .execute();
  }
  await trx
    .updateTable("commitment")
    .set({ status: "open", droppedReason: null, fulfilledBy: null, confirmedBy: null, confirmedAt: null })
    .where("id", "=", row.id)
    .execute();
  await appendAudit(trx, {
    actor: actor.label,
    action: "commitment.reopened",
    entity: "commitment",
    entityId: row.id,
    councilId: row.councilId,
    details: {
      decisionId: row.decisionId,
      text: row.text,
      before: { status: row.status, fulfilledBy: row.fulfilledBy, droppedReason: row.droppedReason },
      after: { status: "open" },
    },
  });
}

/** Sets the owner and/or the due quarter; nothing changed is not audited. Returns whether anything changed. */
export async function updateCommitment(
  database: Database,
  commitmentId: number,
  changes: CommitmentChanges,
  actor: CommitmentActor,
): Promise<{ changed: boolean }> {
  return changeCommitment(database, commitmentId, changes, actor);
}

export interface CommitmentChangeRequest extends CommitmentChanges {
  /** "dropped" (with a reason) or "open" (reopen a dropped or done one). */
  status?: "open" | "dropped";
  /** Why it is dropped: required with status "dropped", and only then. */
  reason?: string;
}

/**
 * Owner, due quarter and status in one transaction (the API's PATCH): all or nothing. Dropping needs a reason;
 * a reason without dropping is a mistake, not ignored. Asking for the status it has is a ConflictError.
 */
export async function changeCommitment(
  database: Database,
  commitmentId: number,
  changes: CommitmentChangeRequest,
  actor: CommitmentActor,
): Promise<{ changed: boolean }> {
  const details = checkedChanges(changes);
  const status = changes.status;
  if (status !== undefined && status !== "open" && status !== "dropped") {
    throw new ValidationError('status: must be "dropped" (with a reason) or "open" (to reopen)', "status");
  }
  let reason: string | undefined;
  if (status === "dropped") reason = cleanText(changes.reason, "reason", REASON_MAX, true);
  else if (changes.reason !== undefined) {
    throw new ValidationError('reason: give a reason only when dropping (status "dropped")', "reason");
  }
  return database.transaction(async (trx) => {
    const row = await lockCommitment(trx, commitmentId, actor);
    let changed = await applyChanges(trx, row, details, actor);
    if (status === "dropped") await applyDrop(trx, row, reason!, actor);
    if (status === "open") await applyReopen(trx, row, actor);
    changed ||= status !== undefined;
    return { changed };
  });
}

/** Adds a dated progress note (the commitment keeps the latest in its `progress` column too). */
export async function recordProgress(
  database: Database,
  commitmentId: number,
  note: string,
  actor: CommitmentActor,
  now: Date = new Date(),
): Promise<{ commitmentId: number; note: string; recordedAt: Date }> {
  const text = cleanText(note, "note", NOTE_MAX, true);
  return database.transaction(async (trx) => {
    const row = await lockCommitment(trx, commitmentId, actor);
    await trx
      .insertInto("commitmentProgress")
      .values({ commitmentId, note: text, recordedBy: actor.label, recordedAt: now })
      .execute();
    await trx.updateTable("commitment").set({ progress: text }).where("id", "=", commitmentId).execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "commitment.progress-recorded",
      entity: "commitment",
      entityId: commitmentId,
      councilId: row.councilId,
      details: { decisionId: row.decisionId, text: row.text, note: text, recordedAt: now.toISOString() },
    });
    return { commitmentId, note: text, recordedAt: now };
  });
}

/** Drops an open commitment, with the reason shown publicly. ConflictError when it is done or dropped. */
export async function dropCommitment(
  database: Database,
  commitmentId: number,
  reason: string,
  actor: CommitmentActor,
): Promise<{ changed: boolean }> {
  return changeCommitment(database, commitmentId, { status: "dropped", reason }, actor);
}

/**
 * Opens a dropped commitment again, or one wrongly marked done: the fulfilment (and its confirmed verdict, so
 * that decision may be suggested again, or rejected) and the drop reason are cleared. ConflictError when open.
 */
export async function reopenCommitment(
  database: Database,
  commitmentId: number,
  actor: CommitmentActor,
): Promise<{ changed: boolean }> {
  return changeCommitment(database, commitmentId, { status: "open" }, actor);
}
