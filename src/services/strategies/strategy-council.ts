import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { parseRagRule, type RagRule } from "../../domain/kpi-rag.js";
import type { Database, Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { findCouncilBySlug } from "../councils/councils.js";
import { findCouncil } from "../councils/find-council.js";

/**
 * Which council's strategies: the one named (slug or name), else the default council, else the register's only
 * council. Reading never creates a council (creating a strategy from the command line does, through people's
 * councilIdForPeople, as the first `resolved person add` does).
 */
export async function councilIdForStrategies(
  db: Executor,
  ref: string | undefined,
  defaultSlug: string,
): Promise<number> {
  if (ref !== undefined) return (await findCouncil(db, ref)).id;
  const found = await findCouncilBySlug(db, defaultSlug);
  if (found) return found.id;
  const rows = await db.selectFrom("council").select(["id", "slug"]).orderBy("slug").execute();
  if (rows.length === 1) return rows[0]!.id;
  if (rows.length === 0) throw new NotFoundError("the register has no council yet");
  throw new ValidationError(
    `The register has several councils (${rows.map((r) => r.slug).join(", ")}); say which with --council`,
    "council",
  );
}

/** The council's RAG rule (src/domain/kpi-rag.ts). */
export async function ragRuleFor(db: Executor, councilId: number): Promise<RagRule> {
  const row = await db
    .selectFrom("council")
    .select("kpiRagRule")
    .where("id", "=", councilId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no council ${councilId}`);
  return parseRagRule(row.kpiRagRule, "council.kpiRagRule");
}

/** Sets the council's RAG rule, audited with before and after; `changed` false when it was already so. */
export async function setRagRule(
  database: Database,
  councilId: number,
  input: unknown,
  actor: string,
): Promise<{ rule: RagRule; changed: boolean }> {
  const rule = parseRagRule(input);
  return database.transaction(async (trx) => {
    const before = await ragRuleFor(trx, councilId);
    if (JSON.stringify(before) === JSON.stringify(rule)) return { rule, changed: false };
    await trx
      .updateTable("council")
      .set({ kpiRagRule: JSON.stringify(rule) })
      .where("id", "=", councilId)
      .execute();
    await appendAudit(trx, {
      actor,
      action: "council.kpi-rag-rule-changed",
      entity: "council",
      entityId: councilId,
      councilId,
      details: { before: { ...before }, after: { ...rule } },
    });
    return { rule, changed: true };
  });
}
