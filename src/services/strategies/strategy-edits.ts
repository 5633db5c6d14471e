import { z } from "zod";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import { KPI_POLARITIES, KPI_UNITS } from "../../domain/kpi.js";
import type { Database, Executor } from "../../storage/database.js";
import type { JsonObject } from "../../storage/schema.js";
import { appendAudit } from "../audit/audit-log.js";
import { insertKpi } from "./kpi-insert.js";
import { agreeingDecision } from "./strategies.js";
import { firstDayOf, lastDayOf, newKpiSchema, periodBound, validationErrorOf } from "./strategy-input.js";

/**
 * Changing a strategy after it was created: its title, owner, period and agreeing decision; its priorities (add,
 * rename, reorder, remove one with no KPIs); its KPIs (add, change, move to another of its priorities, remove one
 * with no values). Each change is one transaction, audited with what was before and what is after.
 */

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

export const strategyChangesSchema = z
  .object({
    title: text(300).optional(),
    owner: z.string().trim().max(300).nullable().optional().meta({ description: "Empty or null: none" }),
    period: z.object({ from: periodBound, to: periodBound }).strict().optional(),
    agreedBy: z
      .union([z.number().int().positive(), z.string().trim().max(100)])
      .nullable()
      .optional()
      .meta({ description: "The agreeing decision's number or record id; null or empty: none" }),
  })
  .strict()
  .meta({ description: "The fields to change; those left out stay as they are" });

export const newPrioritySchema = z
  .object({
    title: text(500),
    position: z.number().int().positive().optional().meta({ description: "Left out: last" }),
  })
  .strict();

export const priorityChangesSchema = z
  .object({
    title: text(500).optional(),
    position: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "Moves it; the others follow in order" }),
  })
  .strict();

export const addKpiSchema = newKpiSchema
  .extend({ priorityId: z.number().int().positive().meta({ description: "The priority it comes under" }) })
  .strict();

export const kpiChangesSchema = z
  .object({
    name: text(300).optional(),
    definition: z.string().trim().max(4_000).optional(),
    unit: z.enum(KPI_UNITS, { error: `must be one of ${KPI_UNITS.join(", ")}` }).optional(),
    polarity: z.enum(KPI_POLARITIES, { error: `must be one of ${KPI_POLARITIES.join(", ")}` }).optional(),
    dataSource: z.string().trim().max(1_000).optional(),
    priorityId: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "Moves the KPI to another priority of its strategy" }),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationErrorOf(parsed.error);
  return parsed.data;
}

async function strategyRow(db: Executor, councilId: number, ref: number | string) {
  const text = String(ref).trim();
  const row = await db
    .selectFrom("strategy")
    .select(["id", "slug", "title", "owner", "periodFrom", "periodTo", "agreedByDecisionId"])
    .where("councilId", "=", councilId)
    .where((eb) =>
      /^\d{1,9}$/.test(text) ? eb("id", "=", Number(text)) : eb("slug", "=", text.toLowerCase()),
    )
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`no strategy "${text.slice(0, 80)}"`);
  return row;
}

async function prioritiesOf(db: Executor, strategyId: number) {
  return db
    .selectFrom("strategyPriority")
    .select(["id", "position", "title"])
    .where("strategyId", "=", strategyId)
    .orderBy("position")
    .forUpdate()
    .execute();
}

/** Writes positions 1..n in the order given; via free positions first, as (strategy, position) is unique. */
async function renumber(db: Executor, ids: readonly number[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await db
      .updateTable("strategyPriority")
      .set({ position: 10_000 + i })
      .where("id", "=", id)
      .execute();
  }
  for (const [i, id] of ids.entries()) {
    await db
      .updateTable("strategyPriority")
      .set({ position: i + 1 })
      .where("id", "=", id)
      .execute();
  }
}

function changed(before: JsonObject, after: JsonObject): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}

/** Changes a strategy's title, owner, period or agreeing decision; `changed` false when nothing did. */
export async function updateStrategy(
  database: Database,
  councilId: number,
  ref: number | string,
  input: unknown,
  actor: string,
): Promise<{ id: number; slug: string; changed: boolean }> {
  const changes = parse(strategyChangesSchema, input);
  return database.transaction(async (trx) => {
    const row = await strategyRow(trx, councilId, ref);
    const before = {
      title: row.title,
      owner: row.owner,
      periodFrom: row.periodFrom,
      periodTo: row.periodTo,
      agreedByDecisionId: row.agreedByDecisionId,
    };
    const after = { ...before };
    if (changes.title !== undefined) after.title = changes.title;
    if (changes.owner !== undefined) after.owner = changes.owner || null;
    if (changes.period !== undefined) {
      after.periodFrom = firstDayOf(changes.period.from);
      after.periodTo = lastDayOf(changes.period.to);
      if (after.periodTo < after.periodFrom) {
        throw new ValidationError(
          `period.to: ${changes.period.to} is before period.from ${changes.period.from}`,
          "period.to",
        );
      }
    }
    if (changes.agreedBy !== undefined) {
      after.agreedByDecisionId =
        changes.agreedBy === null || changes.agreedBy === ""
          ? null
          : await agreeingDecision(trx, councilId, changes.agreedBy);
    }
    if (!changed(before, after)) return { id: row.id, slug: row.slug, changed: false };
    await trx.updateTable("strategy").set(after).where("id", "=", row.id).execute();
    await appendAudit(trx, {
      actor,
      action: "strategy.changed",
      entity: "strategy",
      entityId: row.id,
      councilId,
      details: { before, after },
    });
    return { id: row.id, slug: row.slug, changed: true };
  });
}

/** Adds a priority (last, or at the position given: those from there move down one). */
export async function addPriority(
  database: Database,
  councilId: number,
  ref: number | string,
  input: unknown,
  actor: string,
): Promise<{ id: number; position: number }> {
  const priority = parse(newPrioritySchema, input);
  return database.transaction(async (trx) => {
    const strategy = await strategyRow(trx, councilId, ref);
    const existing = await prioritiesOf(trx, strategy.id);
    if (existing.length >= 50)
      throw new ValidationError("title: a strategy has at most 50 priorities", "title");
    const row = await trx
      .insertInto("strategyPriority")
      .values({ strategyId: strategy.id, position: 20_000, title: priority.title })
      .returning("id")
      .executeTakeFirstOrThrow();
    const at = Math.min(priority.position ?? existing.length + 1, existing.length + 1);
    const order = existing.map((p) => p.id);
    order.splice(at - 1, 0, row.id);
    await renumber(trx, order);
    await appendAudit(trx, {
      actor,
      action: "strategy-priority.created",
      entity: "strategy",
      entityId: strategy.id,
      councilId,
      details: { priorityId: row.id, title: priority.title, position: at },
    });
    return { id: row.id, position: at };
  });
}

async function priorityOf(db: Executor, strategyId: number, priorityId: number) {
  const row = (await prioritiesOf(db, strategyId)).find((p) => p.id === priorityId);
  if (!row) throw new NotFoundError(`no priority ${priorityId} in this strategy`);
  return row;
}

/** Renames a priority or moves it to another position (the others keep their order). */
export async function updatePriority(
  database: Database,
  councilId: number,
  ref: number | string,
  priorityId: number,
  input: unknown,
  actor: string,
): Promise<{ changed: boolean }> {
  const changes = parse(priorityChangesSchema, input);
  return database.transaction(async (trx) => {
    const strategy = await strategyRow(trx, councilId, ref);
    const existing = await prioritiesOf(trx, strategy.id);
    const row = await priorityOf(trx, strategy.id, priorityId);
    const before = { title: row.title, position: row.position };
    const after = {
      title: changes.title ?? row.title,
      position: Math.min(changes.position ?? row.position, existing.length),
    };
    if (!changed(before, after)) return { changed: false };
    if (after.title !== before.title) {
      await trx
        .updateTable("strategyPriority")
        .set({ title: after.title })
        .where("id", "=", row.id)
        .execute();
    }
    if (after.position !== before.position) {
      const order = existing.map((p) => p.id).filter((id) => id !== row.id);
      order.splice(after.position - 1, 0, row.id);
      await renumber(trx, order);
    }
    await appendAudit(trx, {
      actor,
      action: "strategy-priority.changed",
      entity: "strategy",
      entityId: strategy.id,
      councilId,
      details: { priorityId: row.id, before, after },
    });
    return { changed: true };
  });
}

/** Removes a priority with no KPIs (ConflictError otherwise); the later ones move up. */
export async function removePriority(
  database: Database,
  councilId: number,
  ref: number | string,
  priorityId: number,
  actor: string,
): Promise<void> {
  await database.transaction(async (trx) => {
    const strategy = await strategyRow(trx, councilId, ref);
    const existing = await prioritiesOf(trx, strategy.id);
    const row = await priorityOf(trx, strategy.id, priorityId);
    const kpis = await trx.selectFrom("kpi").select("code").where("priorityId", "=", row.id).execute();
    if (kpis.length > 0) {
      throw new ConflictError(
        `priority "${row.title}" still has KPIs (${kpis.map((k) => k.code).join(", ")}): move or remove them first`,
      );
    }
    await trx.deleteFrom("strategyPriority").where("id", "=", row.id).execute();
    await renumber(
      trx,
      existing.map((p) => p.id).filter((id) => id !== row.id),
    );
    await appendAudit(trx, {
      actor,
      action: "strategy-priority.removed",
      entity: "strategy",
      entityId: strategy.id,
      councilId,
      details: { priorityId: row.id, before: { title: row.title, position: row.position } },
    });
  });
}

/** Adds a KPI under one of the strategy's priorities; ConflictError when the council already uses its code. */
export async function addKpi(
  database: Database,
  councilId: number,
  ref: number | string,
  input: unknown,
  actor: string,
): Promise<{ id: number; code: string }> {
  const kpi = parse(addKpiSchema, input);
  return database.transaction(async (trx) => {
    const strategy = await strategyRow(trx, councilId, ref);
    const priority = await priorityOf(trx, strategy.id, kpi.priorityId).catch((error: unknown) => {
      if (error instanceof NotFoundError)
        throw new ValidationError(`priorityId: ${error.message}`, "priorityId");
      throw error;
    });
    const taken = await trx
      .selectFrom("kpi")
      .select("code")
      .where("councilId", "=", councilId)
      .where((eb) => eb(eb.fn("lower", ["code"]), "=", kpi.code.toLowerCase()))
      .executeTakeFirst();
    if (taken)
      throw new ConflictError(
        `code: KPI code ${taken.code} is already used by another of the council's KPIs`,
      );
    const { id, audit } = await insertKpi(
      trx,
      { councilId, strategyId: strategy.id, priority },
      kpi,
      actor,
      (e) => `enteredBy.${e}`,
    );
    await appendAudit(trx, audit);
    return { id, code: kpi.code };
  });
}

async function kpiRow(db: Executor, councilId: number, code: string) {
  const text = code.trim();
  const base = db
    .selectFrom("kpi")
    .innerJoin("strategyPriority", "strategyPriority.id", "kpi.priorityId")
    .select([
      "kpi.id",
      "kpi.code",
      "kpi.name",
      "kpi.definition",
      "kpi.unit",
      "kpi.polarity",
      "kpi.dataSource",
      "kpi.priorityId",
      "strategyPriority.strategyId",
    ])
    .where("kpi.councilId", "=", councilId);
  const row =
    (await base.where("kpi.code", "=", text).executeTakeFirst()) ??
    (await base.where((eb) => eb(eb.fn("lower", ["kpi.code"]), "=", text.toLowerCase())).executeTakeFirst());
  if (!row) throw new NotFoundError(`no KPI "${text.slice(0, 40)}"`);
  return row;
}

/** Changes a KPI's name, definition, unit, polarity or data source, or moves it to another priority of its strategy. */
export async function updateKpi(
  database: Database,
  councilId: number,
  code: string,
  input: unknown,
  actor: string,
): Promise<{ code: string; changed: boolean }> {
  const changes = parse(kpiChangesSchema, input);
  return database.transaction(async (trx) => {
    const row = await kpiRow(trx, councilId, code);
    const { id, code: kpiCode, strategyId, ...before } = row;
    const after = { ...before };
    for (const key of ["name", "definition", "unit", "polarity", "dataSource", "priorityId"] as const) {
      if (changes[key] !== undefined) (after as Record<string, unknown>)[key] = changes[key];
    }
    if (after.priorityId !== before.priorityId) {
      await priorityOf(trx, strategyId, after.priorityId).catch((error: unknown) => {
        if (error instanceof NotFoundError) {
          throw new ValidationError(
            `priorityId: no priority ${after.priorityId} in ${kpiCode}'s strategy`,
            "priorityId",
          );
        }
        throw error;
      });
    }
    if (!changed(before, after)) return { code: kpiCode, changed: false };
    await trx.updateTable("kpi").set(after).where("id", "=", id).execute();
    await appendAudit(trx, {
      actor,
      action: "kpi.changed",
      entity: "kpi",
      entityId: id,
      councilId,
      details: { code: kpiCode, before, after },
    });
    return { code: kpiCode, changed: true };
  });
}

/** Removes a KPI that has no values; ConflictError saying so otherwise. */
export async function removeKpi(
  database: Database,
  councilId: number,
  code: string,
  actor: string,
): Promise<void> {
  await database.transaction(async (trx) => {
    const row = await kpiRow(trx, councilId, code);
    const values = await trx
      .selectFrom("kpiValue")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("kpiId", "=", row.id)
      .executeTakeFirstOrThrow();
    if (Number(values.n) > 0) {
      throw new ConflictError(
        `KPI ${row.code} has values for ${Number(values.n)} quarter(s), so it cannot be removed: the record of them stays`,
      );
    }
    await trx.deleteFrom("kpi").where("id", "=", row.id).execute();
    const { id, strategyId, ...before } = row;
    await appendAudit(trx, {
      actor,
      action: "kpi.removed",
      entity: "kpi",
      entityId: id,
      councilId,
      details: { strategyId, before },
    });
  });
}
