import type { z } from "zod";
import type { Executor } from "../../storage/database.js";
import type { AuditEntry } from "../audit/audit-log.js";
import { councilAccountByEmail } from "./kpi-editors.js";
import type { newKpiSchema } from "./strategy-input.js";

/**
 * A new KPI written under its priority, with the accounts its JSON names as entering its values ("enteredBy"),
 * for both a whole new strategy (createStrategy) and a KPI added to one (addKpi). Returns the audit entry for the
 * caller to append with the rest of its transaction's.
 */
export async function insertKpi(
  trx: Executor,
  target: { councilId: number; strategyId: number; priority: { id: number; title: string } },
  kpi: z.infer<typeof newKpiSchema>,
  actor: string,
  /** The field an unknown email is reported at: "enteredBy.0", or "priorities.1.kpis.2.enteredBy.0". */
  enteredByField: (index: number) => string,
): Promise<{ id: number; audit: AuditEntry }> {
  const { councilId, strategyId, priority } = target;
  const fields = {
    code: kpi.code,
    name: kpi.name,
    definition: kpi.definition ?? "",
    unit: kpi.unit,
    polarity: kpi.polarity,
    dataSource: kpi.dataSource ?? "",
  };
  const { id } = await trx
    .insertInto("kpi")
    .values({ councilId, priorityId: priority.id, ...fields })
    .returning("id")
    .executeTakeFirstOrThrow();
  const enteredBy: string[] = [];
  for (const [index, email] of (kpi.enteredBy ?? []).entries()) {
    const account = await councilAccountByEmail(trx, councilId, email, enteredByField(index));
    if (enteredBy.includes(account.email)) continue;
    await trx.insertInto("kpiEditor").values({ kpiId: id, accountId: account.id }).execute();
    enteredBy.push(account.email);
  }
  return {
    id,
    audit: {
      actor,
      action: "kpi.created",
      entity: "kpi",
      entityId: id,
      councilId,
      details: { strategyId, priority: priority.title, ...fields, enteredBy },
    },
  };
}
