import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { describeRagRule, type RagRule } from "../../domain/kpi-rag.js";
import { slugify } from "../../domain/slug.js";
import type { Database, Executor } from "../../storage/database.js";
import type { StrategyOrigin } from "../../storage/schema.js";
import { appendAuditEntries, type AuditEntry } from "../audit/audit-log.js";
import { foundStrategyFor, proposeUpdatesForStrategy } from "../strategy-updates/propose-links.js";
import { insertKpi } from "./kpi-insert.js";
import { KPI_COLUMNS, kpiViews, type KpiView } from "./kpi-views.js";
import { ragRuleFor } from "./strategy-council.js";
import { checkNewStrategy } from "./strategy-input.js";

/**
 * Strategies the council agreed: their priorities and the KPIs under them. A strategy is created whole (from the
 * JSON of `resolved strategy import` or `POST /api/v1/strategies`) in one transaction, audited entry by entry.
 * When a record already agreed it (a strategy 'found-in-record', named by `agreedBy` or by the same title), that
 * strategy is filled in rather than a second one created; either way the council's decisions are then searched
 * for its quarterly updates.
 */

export interface AgreedBy {
  id: number;
  recordId: string | null;
  title: string;
  meetingDate: IsoDate;
}

export interface StrategySummary {
  id: number;
  slug: string;
  title: string;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  owner: string | null;
  agreedBy: AgreedBy | null;
  /** 'found-in-record': created from the record that agreed it, its priorities and KPIs not yet given. */
  origin: StrategyOrigin;
  priorityCount: number;
  kpiCount: number;
}

export interface StrategyDetail extends StrategySummary {
  ragRule: RagRule;
  ragRuleText: string;
  priorities: Array<{ id: number; position: number; title: string; kpis: KpiView[] }>;
}

/** Creates a strategy with its priorities and KPIs; ValidationError naming the field, ConflictError on a taken code. */
export async function createStrategy(
  database: Database,
  councilId: number,
  input: unknown,
  actor: string,
): Promise<{ id: number; slug: string; kpiCount: number }> {
  const strategy = checkNewStrategy(input);
  const slug = strategy.slug ?? slugify(strategy.title, 80);
  if (slug === "")
    throw new ValidationError("slug: the title has no letters or digits to make a slug; give one", "slug");
  return database.transaction(async (trx) => {
    const council = await trx
      .selectFrom("council")
      .select("id")
      .where("id", "=", councilId)
      .executeTakeFirst();
    if (!council) throw new NotFoundError(`no council ${councilId}`);
    const agreedBy =
      strategy.agreedBy === undefined ? null : await agreeingDecision(trx, councilId, strategy.agreedBy);
    const found = await foundStrategyFor(trx, councilId, agreedBy, strategy.title, strategy.period);
    const taken = await trx
      .selectFrom("strategy")
      .select("id")
      .where("councilId", "=", councilId)
      .where("slug", "=", slug)
      .$if(found !== undefined, (qb) => qb.where("id", "<>", found!.id))
      .executeTakeFirst();
    if (taken) {
      throw new ConflictError(
        `slug: the council already has a strategy "${slug}" (${taken.id}); give another slug`,
      );
    }
    const codes = strategy.priorities.flatMap((p) => p.kpis.map((k) => k.code));
    if (codes.length > 0) {
      const existing = await trx
        .selectFrom("kpi")
        .select("code")
        .where("councilId", "=", councilId)
        .where((eb) =>
          eb(
            eb.fn("lower", ["code"]),
            "in",
            codes.map((c) => c.toLowerCase()),
          ),
        )
        .execute();
      if (existing.length > 0) {
        throw new ConflictError(
          `KPI code ${existing.map((e) => e.code).join(", ")} is already used by another of the council's KPIs`,
        );
      }
    }
    const fields = {
      slug,
      title: strategy.title,
      periodFrom: strategy.period.from,
      periodTo: strategy.period.to,
      owner: strategy.owner || null,
      agreedByDecisionId: agreedBy ?? found?.agreedByDecisionId ?? null,
    };
    const row = found
      ? await trx
          .updateTable("strategy")
          .set({ ...fields, origin: "defined" })
          .where("id", "=", found.id)
          .returning("id")
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto("strategy")
          .values({ councilId, ...fields })
          .returning("id")
          .executeTakeFirstOrThrow();
    const audit: AuditEntry[] = [
      found
        ? {
            actor,
            action: "strategy.filled-in",
            entity: "strategy",
            entityId: row.id,
            councilId,
            details: {
              before: {
                slug: found.slug,
                title: found.title,
                periodFrom: found.periodFrom,
                periodTo: found.periodTo,
                origin: "found-in-record",
              },
              after: { ...fields, origin: "defined" },
            },
          }
        : {
            actor,
            action: "strategy.created",
            entity: "strategy",
            entityId: row.id,
            councilId,
            details: fields,
          },
    ];
    for (const [index, priority] of strategy.priorities.entries()) {
      const p = await trx
        .insertInto("strategyPriority")
        .values({ strategyId: row.id, position: index + 1, title: priority.title })
        .returning("id")
        .executeTakeFirstOrThrow();
      for (const [k, kpi] of priority.kpis.entries()) {
        const created = await insertKpi(
          trx,
          { councilId, strategyId: row.id, priority: { id: p.id, title: priority.title } },
          kpi,
          actor,
          (e) => `priorities.${index}.kpis.${k}.enteredBy.${e}`,
        );
        audit.push(created.audit);
      }
    }
    await appendAuditEntries(trx, audit);
    await proposeUpdatesForStrategy(trx, row.id);
    return { id: row.id, slug, kpiCount: codes.length };
  });
}

/** The decision that agreed a strategy: a published decision of the council, by number or record id. */
export async function agreeingDecision(
  db: Executor,
  councilId: number,
  ref: number | string,
): Promise<number> {
  const text = String(ref).trim();
  const base = db
    .selectFrom("decision")
    .select("id")
    .where("councilId", "=", councilId)
    .where("status", "=", "published");
  const found =
    (/^\d{1,9}$/.test(text) ? await base.where("id", "=", Number(text)).executeTakeFirst() : undefined) ??
    (await base
      .where((eb) => eb(eb.fn("upper", ["recordId"]), "=", text.toUpperCase()))
      .orderBy("id")
      .executeTakeFirst());
  if (!found) {
    throw new ValidationError(
      `agreedBy: no published decision "${text}" in this council's register; give its number or record id`,
      "agreedBy",
    );
  }
  return found.id;
}

function summaries(db: Executor, councilId: number) {
  return db
    .selectFrom("strategy")
    .leftJoin("decision", "decision.id", "strategy.agreedByDecisionId")
    .select((eb) => [
      "strategy.id",
      "strategy.slug",
      "strategy.title",
      "strategy.periodFrom",
      "strategy.periodTo",
      "strategy.owner",
      "strategy.origin",
      "decision.id as decisionId",
      "decision.recordId as decisionRecordId",
      "decision.title as decisionTitle",
      "decision.meetingDate as decisionMeetingDate",
      eb
        .selectFrom("strategyPriority")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("strategyPriority.strategyId", "=", "strategy.id")
        .as("priorityCount"),
      eb
        .selectFrom("kpi")
        .innerJoin("strategyPriority as sp", "sp.id", "kpi.priorityId")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("sp.strategyId", "=", "strategy.id")
        .as("kpiCount"),
    ])
    .where("strategy.councilId", "=", councilId);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>["execute"]>>[number];

function summaryOf(row: SummaryRow): StrategySummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    owner: row.owner,
    origin: row.origin,
    agreedBy:
      row.decisionId === null
        ? null
        : {
            id: row.decisionId,
            recordId: row.decisionRecordId,
            title: row.decisionTitle!,
            meetingDate: row.decisionMeetingDate!,
          },
    priorityCount: Number(row.priorityCount ?? 0),
    kpiCount: Number(row.kpiCount ?? 0),
  };
}

/** The council's strategies, newest period first, then by title. */
export async function listStrategies(db: Executor, councilId: number): Promise<StrategySummary[]> {
  const rows = await summaries(db, councilId)
    .orderBy("strategy.periodFrom", "desc")
    .orderBy("strategy.title")
    .orderBy("strategy.id")
    .execute();
  return rows.map(summaryOf);
}

/** One strategy by id or slug, with its priorities, KPIs and their values judged by the council's rule. */
export async function getStrategy(
  db: Executor,
  councilId: number,
  ref: number | string,
): Promise<StrategyDetail> {
  const text = String(ref).trim();
  const row = /^\d{1,9}$/.test(text)
    ? await summaries(db, councilId).where("strategy.id", "=", Number(text)).executeTakeFirst()
    : await summaries(db, councilId).where("strategy.slug", "=", text.toLowerCase()).executeTakeFirst();
  if (!row) throw new NotFoundError(`no strategy "${text.slice(0, 80)}"`);
  const rule = await ragRuleFor(db, councilId);
  const priorities = await db
    .selectFrom("strategyPriority")
    .select(["id", "position", "title"])
    .where("strategyId", "=", row.id)
    .orderBy("position")
    .execute();
  const kpis =
    priorities.length === 0
      ? []
      : await db
          .selectFrom("kpi")
          .select([...KPI_COLUMNS, "kpi.priorityId"])
          .where(
            "kpi.priorityId",
            "in",
            priorities.map((p) => p.id),
          )
          .orderBy("kpi.id")
          .execute();
  const views = await kpiViews(db, kpis, rule);
  return {
    ...summaryOf(row),
    ragRule: rule,
    ragRuleText: describeRagRule(rule),
    priorities: priorities.map((p) => ({
      ...p,
      kpis: views.filter((_, i) => kpis[i]!.priorityId === p.id),
    })),
  };
}
