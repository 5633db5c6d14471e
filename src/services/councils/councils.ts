import { type CallInRule, STOCKTON_CALL_IN_RULE, parseCallInRule } from "../../domain/call-in-rule.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { slugify } from "../../domain/slug.js";
import type { Executor } from "../../storage/database.js";
import type { JsonObject } from "../../storage/schema.js";
import { appendAudit } from "../audit/audit-log.js";

export interface Council {
  id: number;
  slug: string;
  name: string;
  /** The rule with the council's closure days filled in from its non-working days. */
  callInRule: CallInRule;
  minCallInSignatories: number;
  keyDecisionThreshold: number | null;
}

export const DEFAULT_COUNCIL = {
  slug: "stockton-on-tees",
  name: "Stockton-on-Tees Borough Council",
  callInRule: STOCKTON_CALL_IN_RULE,
  // Stockton's constitution as published gives no figure; three is common (see docs) and configurable.
  minCallInSignatories: 3,
  keyDecisionThreshold: 500_000,
} as const;

/** "Stockton-on-Tees Borough Council" → "stockton-on-tees": the name without its kind of council. */
export function slugForCouncilName(name: string): string {
  const core = name
    .replace(/\b(?:metropolitan\s+)?(?:borough|county|district|city|town|unitary)?\s*council$/i, "")
    .replace(/^(?:the\s+)?(?:london\s+borough|royal\s+borough|borough|city)\s+of\s+/i, "")
    .trim();
  return slugify(core || name);
}

/** The council with this slug, or undefined when the register has none. */
export async function findCouncilBySlug(db: Executor, slug: string): Promise<Council | undefined> {
  const row = await db.selectFrom("council").selectAll().where("slug", "=", slug).executeTakeFirst();
  return row ? toCouncil(db, row) : undefined;
}

/** The council with this slug; NotFoundError (listing the councils there are) when the register has none. */
export async function getCouncil(db: Executor, slug: string): Promise<Council> {
  const council = await findCouncilBySlug(db, slug);
  if (council) return council;
  const known = await db.selectFrom("council").select("slug").orderBy("slug").execute();
  throw new NotFoundError(`no council "${slug}" (${knownCouncils(known)})`);
}

/** The council with this id (an account's council); NotFoundError when there is none. */
export async function getCouncilById(db: Executor, id: number): Promise<Council> {
  const row = await db.selectFrom("council").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`there is no council ${id}`);
  return toCouncil(db, row);
}

/** What to tell someone who named a council the register does not have: the ones it has. */
export function knownCouncils(
  councils: ReadonlyArray<{ slug: string }>,
  whenNone = "the register has no councils yet",
): string {
  return councils.length > 0 ? `known councils: ${councils.map((c) => c.slug).join(", ")}` : whenNone;
}

export async function listCouncils(db: Executor): Promise<Council[]> {
  const rows = await db.selectFrom("council").selectAll().orderBy("name").execute();
  return Promise.all(rows.map((row) => toCouncil(db, row)));
}

async function toCouncil(
  db: Executor,
  row: {
    id: number;
    slug: string;
    name: string;
    callInRule: JsonObject;
    minCallInSignatories: number;
    keyDecisionThreshold: number | null;
  },
): Promise<Council> {
  const closures = await db
    .selectFrom("councilNonWorkingDay")
    .select("day")
    .where("councilId", "=", row.id)
    .orderBy("day")
    .execute();
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    callInRule: parseCallInRule({ ...row.callInRule, closureDays: closures.map((c) => c.day) }),
    minCallInSignatories: row.minCallInSignatories,
    keyDecisionThreshold: row.keyDecisionThreshold,
  };
}

/**
 * The council a record belongs to, created on first sight. A new council gets the default (Stockton)
 * rule, and the caller is told so it can ask the user to set the real one.
 */
export async function findOrCreateCouncil(
  db: Executor,
  wanted: { slug?: string; name?: string | null },
  actor: string,
): Promise<{ council: Council; created: boolean }> {
  const slug = wanted.slug ?? (wanted.name ? slugForCouncilName(wanted.name) : DEFAULT_COUNCIL.slug);
  const existing = await findCouncilBySlug(db, slug);
  if (existing) return { council: existing, created: false };
  const isDefault = slug === DEFAULT_COUNCIL.slug;
  const name = wanted.name ?? (isDefault ? DEFAULT_COUNCIL.name : slug);
  const { closureDays: _closureDays, ...rule } = DEFAULT_COUNCIL.callInRule;
  const row = await db
    .insertInto("council")
    .values({
      slug,
      name,
      callInRule: JSON.stringify(rule),
      minCallInSignatories: DEFAULT_COUNCIL.minCallInSignatories,
      keyDecisionThreshold: isDefault ? DEFAULT_COUNCIL.keyDecisionThreshold : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await appendAudit(db, {
    actor,
    action: "council.created",
    entity: "council",
    entityId: row.id,
    councilId: row.id,
    details: { slug, name },
  });
  return { council: await toCouncil(db, row), created: true };
}

export interface CouncilRuleChange {
  rule?: Partial<Omit<CallInRule, "closureDays" | "timeZone">>;
  minCallInSignatories?: number;
  /** Replaces the council's closure days. */
  closureDays?: IsoDate[];
}

/** Changes a council's call-in rule; validated as a whole, audited with the before and after. */
export async function setCouncilRule(
  db: Executor,
  slug: string,
  change: CouncilRuleChange,
  actor: string,
): Promise<Council> {
  const before = await getCouncil(db, slug);
  const { closureDays: _c, timeZone: _t, ...currentRule } = before.callInRule;
  const rule = parseCallInRule({
    ...currentRule,
    ...change.rule,
    closureDays: change.closureDays ?? before.callInRule.closureDays,
  });
  const minCallInSignatories = change.minCallInSignatories ?? before.minCallInSignatories;
  if (!Number.isInteger(minCallInSignatories) || minCallInSignatories < 1 || minCallInSignatories > 100) {
    throw new ValidationError(
      "minimum signatories must be a whole number from 1 to 100",
      "minCallInSignatories",
    );
  }
  const { closureDays, timeZone: _tz, ...storedRule } = rule;
  await db
    .updateTable("council")
    .set({ callInRule: JSON.stringify(storedRule), minCallInSignatories })
    .where("id", "=", before.id)
    .execute();
  if (change.closureDays) {
    await db.deleteFrom("councilNonWorkingDay").where("councilId", "=", before.id).execute();
    if (closureDays.length > 0) {
      await db
        .insertInto("councilNonWorkingDay")
        .values([...new Set(closureDays)].map((day) => ({ councilId: before.id, day })))
        .execute();
    }
  }
  const after = await getCouncil(db, slug);
  await appendAudit(db, {
    actor,
    action: "council.rule-changed",
    entity: "council",
    entityId: before.id,
    councilId: before.id,
    details: {
      before: { ...before.callInRule, minCallInSignatories: before.minCallInSignatories },
      after: { ...after.callInRule, minCallInSignatories: after.minCallInSignatories },
    } as unknown as JsonObject,
  });
  return after;
}
