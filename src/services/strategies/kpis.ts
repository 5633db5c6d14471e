import { sql } from "kysely";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { formatQuarter, parseQuarter, type FinancialQuarter } from "../../domain/financial-period.js";
import type { Database, Executor } from "../../storage/database.js";
import type { JsonObject } from "../../storage/schema.js";
import { appendAudit, type AuditEntry } from "../audit/audit-log.js";
import { assertMayEnter, auditLabelOf, type KpiEnterer } from "./kpi-editors.js";
import { KPI_COLUMNS, kpiViews, type KpiRow, type KpiView } from "./kpi-views.js";
import { ragRuleFor } from "./strategy-council.js";

/** A KPI's values: read one KPI with every quarter judged, set one quarter's figures. */

export interface KpiDetail extends KpiView {
  strategy: { id: number; slug: string; title: string };
  priority: { position: number; title: string };
}

/** Finds a KPI of the council by code (exactly, else ignoring case); NotFoundError naming it otherwise. */
export async function findKpi(
  db: Executor,
  councilId: number,
  code: string,
): Promise<
  KpiRow & {
    strategyId: number;
    strategySlug: string;
    strategyTitle: string;
    priorityPosition: number;
    priorityTitle: string;
  }
> {
  const text = String(code).trim();
  const base = db
    .selectFrom("kpi")
    .innerJoin("strategyPriority", "strategyPriority.id", "kpi.priorityId")
    .innerJoin("strategy", "strategy.id", "strategyPriority.strategyId")
    .select([
      ...KPI_COLUMNS,
      "strategy.id as strategyId",
      "strategy.slug as strategySlug",
      "strategy.title as strategyTitle",
      "strategyPriority.position as priorityPosition",
      "strategyPriority.title as priorityTitle",
    ])
    .where("kpi.councilId", "=", councilId);
  const row =
    (await base.where("kpi.code", "=", text).executeTakeFirst()) ??
    (await base.where((eb) => eb(eb.fn("lower", ["kpi.code"]), "=", text.toLowerCase())).executeTakeFirst());
  if (!row)
    throw new NotFoundError(`no KPI "${text.slice(0, 40)}" (see the KPI codes in resolved strategy list)`);
  return row;
}

/** One KPI with every quarter's figures, RAG and directions of travel. */
export async function getKpi(db: Executor, councilId: number, code: string): Promise<KpiDetail> {
  const row = await findKpi(db, councilId, code);
  const [view] = await kpiViews(db, [row], await ragRuleFor(db, councilId));
  return {
    ...view!,
    strategy: { id: row.strategyId, slug: row.strategySlug, title: row.strategyTitle },
    priority: { position: row.priorityPosition, title: row.priorityTitle },
  };
}

/**
 * One quarter's figures as entered: actual and target as decimals (numbers, or decimal text exactly as typed),
 * null for none. A field left out keeps what is stored (a new quarter: none, and no commentary).
 */
export interface KpiValueInput {
  actual?: number | string | null;
  target?: number | string | null;
  commentary?: string;
}

const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;

/** A figure as numeric text, or null; ValidationError naming the field otherwise. */
export function decimalOf(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new ValidationError(`${field}: must be a number`, field);
    const text = String(value);
    if (!DECIMAL.test(text)) throw new ValidationError(`${field}: ${text} is out of range`, field);
    return text;
  }
  if (typeof value === "string" && DECIMAL.test(value.trim())) return value.trim();
  throw new ValidationError(`${field}: must be a number such as 72.5, or null`, field);
}

interface StoredValue {
  actual: string | null;
  target: string | null;
  commentary: string;
}

/**
 * Writes one quarter's figures in the caller's transaction; returns the audit entry for it, or null when nothing
 * changed. Figures compare as numbers ("72.50" is 72.5).
 */
export async function writeKpiValue(
  trx: Executor,
  kpi: { id: number; code: string; councilId: number },
  period: FinancialQuarter,
  input: KpiValueInput,
  actor: string,
): Promise<AuditEntry | null> {
  const before = await trx
    .selectFrom("kpiValue")
    .select(["id", "actual", "target", "commentary"])
    .where("kpiId", "=", kpi.id)
    .where("startYear", "=", period.startYear)
    .where("quarter", "=", period.quarter)
    .forUpdate()
    .executeTakeFirst();
  const after: StoredValue = {
    actual: input.actual === undefined ? (before?.actual ?? null) : decimalOf(input.actual, "actual"),
    target: input.target === undefined ? (before?.target ?? null) : decimalOf(input.target, "target"),
    commentary: input.commentary === undefined ? (before?.commentary ?? "") : input.commentary.trim(),
  };
  if (after.actual === null && after.target === null) {
    throw new ValidationError("actual: give the actual, the target or both", "actual");
  }
  if (after.commentary.length > 4_000) {
    throw new ValidationError("commentary: at most 4,000 characters", "commentary");
  }
  const same = (a: string | null, b: string | null) =>
    a === null ? b === null : b !== null && Number(a) === Number(b);
  if (
    before &&
    same(before.actual, after.actual) &&
    same(before.target, after.target) &&
    before.commentary === after.commentary
  ) {
    return null;
  }
  await trx
    .insertInto("kpiValue")
    .values({
      kpiId: kpi.id,
      startYear: period.startYear,
      quarter: period.quarter,
      ...after,
      enteredBy: actor,
    })
    .onConflict((oc) =>
      oc
        .columns(["kpiId", "startYear", "quarter"])
        .doUpdateSet({ ...after, enteredBy: actor, enteredAt: sql`now()` }),
    )
    .execute();
  const shown = (v: StoredValue | undefined): JsonObject | null =>
    v ? { actual: v.actual, target: v.target, commentary: v.commentary } : null;
  return {
    actor,
    action: before ? "kpi-value.changed" : "kpi-value.entered",
    entity: "kpi",
    entityId: kpi.id,
    councilId: kpi.councilId,
    details: { code: kpi.code, period: formatQuarter(period), before: shown(before), after: shown(after) },
  };
}

/**
 * Sets one quarter's figures of a KPI, audited; returns the KPI with every quarter judged. `actor` is the account
 * entering them (PermissionError naming the KPI unless it may: kpi-editors.ts), or the operator's audit label.
 */
export async function setKpiValue(
  database: Database,
  councilId: number,
  code: string,
  period: string,
  input: KpiValueInput,
  actor: KpiEnterer,
): Promise<{ changed: boolean; kpi: KpiDetail }> {
  const quarter = parseQuarter(period, "period");
  for (const key of Object.keys(input)) {
    if (!["actual", "target", "commentary"].includes(key)) {
      throw new ValidationError(`${key}: is not a field of a KPI value (actual, target, commentary)`, key);
    }
  }
  if (input.commentary !== undefined && typeof input.commentary !== "string") {
    throw new ValidationError("commentary: must be text", "commentary");
  }
  return database.transaction(async (trx) => {
    const kpi = await findKpi(trx, councilId, code);
    await assertMayEnter(trx, kpi, actor);
    const entry = await writeKpiValue(
      trx,
      { id: kpi.id, code: kpi.code, councilId },
      quarter,
      input,
      auditLabelOf(actor),
    );
    if (entry) await appendAudit(trx, entry);
    return { changed: entry !== null, kpi: await getKpi(trx, councilId, kpi.code) };
  });
}
