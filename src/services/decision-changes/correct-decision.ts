import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import { decisionRecordSchema } from "../../domain/decision-record.js";
import { pathOfNul } from "../../domain/nul-text.js";
import type { Database } from "../../storage/database.js";
import type { Actor } from "../accounts/account-actor.js";
import { type AddedDecisionVersion, addDecisionVersion } from "./corrections.js";

/**
 * A correction of a published record by an officer: the whole corrected record and the reason, as a new
 * version. Drafts are changed as drafts (ConflictError here); another council's decision is not found.
 */
export async function correctDecision(
  database: Database,
  decisionId: number,
  input: { record: unknown; reason: unknown },
  actor: Actor,
): Promise<AddedDecisionVersion> {
  const given = input.record;
  if (given === null || typeof given !== "object" || Array.isArray(given)) {
    throw new ValidationError("record: give the whole corrected record (an object)", "record");
  }
  const nul = pathOfNul({ record: given, reason: input.reason });
  if (nul !== null) throw new ValidationError(`${nul}: must not contain the NUL character`, nul);
  const checked = decisionRecordSchema.safeParse({ source: null, ...given });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = ["record", ...(issue?.path.map(String) ?? [])].join(".");
    throw new ValidationError(`${field}: ${issue?.message ?? "invalid"}`, field);
  }
  const reason = typeof input.reason === "string" ? input.reason : "";
  return database.transaction(async (trx) => {
    const row = await trx
      .selectFrom("decision")
      .select(["id", "status", "councilId"])
      .where("id", "=", decisionId)
      .executeTakeFirst();
    if (!row || row.councilId !== actor.councilId)
      throw new NotFoundError(`there is no decision ${decisionId}`);
    if (row.status === "draft") {
      throw new ConflictError(`decision ${decisionId} is a draft: change the draft rather than correct it`);
    }
    return addDecisionVersion(trx, decisionId, checked.data, { reason, actor: actor.label });
  });
}
