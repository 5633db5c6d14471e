import type { CallInGround } from "../../domain/call-in-request.js";
import type { Executor } from "../../storage/database.js";

/** Call-in requests as stored, read back for pages, the API and the CLI. */

export interface CallInRequestView {
  id: number;
  receivedAt: Date;
  /** In order of signing; the first made the request. */
  signatories: string[];
  /** The same, with when each signed and the person record (for those who signed online). */
  signatures: { name: string; personId: number | null; signedAt: Date }[];
  /** When the request was made (for a request signed online, receivedAt is when it became valid). */
  startedAt: Date;
  grounds: CallInGround[];
  /** As assessed when received; null while a request made online is still gathering signatures. */
  valid: boolean | null;
  /** Why it is invalid (empty when valid). */
  reasons: string[];
  assessedAt: Date | null;
  assessedBy: string | null;
  withdrawnAt: Date | null;
}

/** Grounds as stored in call_in_request.grounds: JSON text of the list; other text is read as one ground. */
export function parseStoredGrounds(text: string): CallInGround[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed as CallInGround[];
  } catch {
    // Not JSON: written some other way.
  }
  return [{ explanation: text } as CallInGround];
}

/** Reasons as stored in call_in_request.invalid_reason: one a line. */
export function parseStoredReasons(text: string | null): string[] {
  return (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export async function loadCallInRequests(db: Executor, decisionId: number): Promise<CallInRequestView[]> {
  const rows = await db
    .selectFrom("callInRequest")
    .selectAll()
    .where("decisionId", "=", decisionId)
    .orderBy("receivedAt")
    .orderBy("id")
    .execute();
  if (rows.length === 0) return [];
  const signatories = await db
    .selectFrom("callInSignatory")
    .select(["callInRequestId", "name", "personId", "createdAt"])
    .where(
      "callInRequestId",
      "in",
      rows.map((row) => row.id),
    )
    .orderBy("callInRequestId")
    .orderBy("position")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    receivedAt: row.receivedAt,
    signatories: signatories.filter((s) => s.callInRequestId === row.id).map((s) => s.name),
    signatures: signatories
      .filter((s) => s.callInRequestId === row.id)
      .map((s) => ({ name: s.name, personId: s.personId, signedAt: s.createdAt })),
    startedAt: row.createdAt,
    grounds: parseStoredGrounds(row.grounds),
    valid: row.valid,
    reasons: parseStoredReasons(row.invalidReason),
    assessedAt: row.assessedAt,
    assessedBy: row.assessedBy,
    withdrawnAt: row.withdrawnAt,
  }));
}
