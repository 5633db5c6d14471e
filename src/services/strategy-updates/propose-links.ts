import type { DecisionRecord } from "../../domain/decision-record.js";
import { formatQuarter, type FinancialQuarter } from "../../domain/financial-period.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { slugify } from "../../domain/slug.js";
import {
  agreedStrategy,
  nameOfTitle,
  periodCovers,
  quarterlyUpdate,
  strategyKey,
  type AgreedStrategy,
  type QuarterlyUpdate,
} from "../../domain/strategy-reading.js";
import { MONTH_NAMES } from "../../domain/uk-time.js";
import type { Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";

/**
 * Linking decisions to strategies as the records say (issue 10), in the transaction that stores the decision
 * (import, bulk import, publication, a new version) or the strategy (createStrategy):
 *
 * - a record that agrees a strategy the council does not have yet (by agreeing decision, or by the same title:
 *   "2017-20" is "2017-2020") creates it, origin 'found-in-record': title and period from the record, no owner,
 *   no priorities, to be filled in when its JSON is imported with `agreedBy` naming that decision;
 * - a quarterly performance update is proposed as the update of the strategy it names (whose period covers the
 *   quarter), or, naming none, of the council's strategy with the title's subject ("Children's Services
 *   Performance Update" ↔ "Children's Services Strategy") in force in that quarter. An officer confirms or
 *   rejects (review-updates.ts); a rejected pairing is never proposed again, a confirmed one never changed here.
 *
 * Proposals follow from the record, which the decision's own audit entry names; creating a strategy is audited.
 */

interface CouncilStrategy {
  id: number;
  title: string;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  agreedByDecisionId: number | null;
  origin: "defined" | "found-in-record";
}

interface DecisionFacts {
  id: number;
  councilId: number;
  title: string;
  meetingDate: IsoDate;
  status: string;
}

async function councilStrategies(trx: Executor, councilId: number): Promise<CouncilStrategy[]> {
  return trx
    .selectFrom("strategy")
    .select(["id", "title", "periodFrom", "periodTo", "agreedByDecisionId", "origin"])
    .where("councilId", "=", councilId)
    .orderBy("periodFrom", "desc")
    .orderBy("id")
    .execute();
}

/** "16 November 2017". */
export function dateInWords(date: IsoDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

const keyOf = (s: CouncilStrategy) => {
  const name = nameOfTitle(s.title, { from: s.periodFrom, to: s.periodTo });
  return strategyKey(name.subject, name.period);
};

/** A free slug for a new strategy of the council: the title's, then "-2", "-3"... */
async function freeSlug(trx: Executor, councilId: number, title: string): Promise<string> {
  const base = slugify(title, 76) || "strategy";
  const taken = new Set(
    (
      await trx
        .selectFrom("strategy")
        .select("slug")
        .where("councilId", "=", councilId)
        .where("slug", "like", `${base}%`)
        .execute()
    ).map((r) => r.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

/**
 * The strategy a decision agrees: nothing when the council has it already (by this agreeing decision, or by the
 * same title, then recorded as agreed by this decision if it named none); created otherwise. Returns its id.
 */
async function strategyAgreedBy(
  trx: Executor,
  decision: DecisionFacts,
  agreed: AgreedStrategy,
  strategies: CouncilStrategy[],
  actor: string,
): Promise<number | null> {
  if (strategies.some((s) => s.agreedByDecisionId === decision.id)) return null;
  const key = strategyKey(agreed.subject, agreed.period);
  const same = strategies.find((s) => keyOf(s) === key);
  if (same) {
    if (same.agreedByDecisionId !== null) return null;
    await trx
      .updateTable("strategy")
      .set({ agreedByDecisionId: decision.id })
      .where("id", "=", same.id)
      .execute();
    await appendAudit(trx, {
      actor,
      action: "strategy.agreed-by-found",
      entity: "strategy",
      entityId: same.id,
      councilId: decision.councilId,
      details: {
        before: { agreedByDecisionId: null },
        after: { agreedByDecisionId: decision.id },
        phrase: agreed.phrase,
      },
    });
    same.agreedByDecisionId = decision.id;
    return same.id;
  }
  if (agreed.period === null) return null; // a strategy needs its period; an officer adds it from JSON
  const slug = await freeSlug(trx, decision.councilId, agreed.title);
  const row = await trx
    .insertInto("strategy")
    .values({
      councilId: decision.councilId,
      slug,
      title: agreed.title,
      periodFrom: agreed.period.from,
      periodTo: agreed.period.to,
      owner: null,
      agreedByDecisionId: decision.id,
      origin: "found-in-record",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    actor,
    action: "strategy.found-in-record",
    entity: "strategy",
    entityId: row.id,
    councilId: decision.councilId,
    details: {
      slug,
      title: agreed.title,
      periodFrom: agreed.period.from,
      periodTo: agreed.period.to,
      agreedByDecisionId: decision.id,
      phrase: agreed.phrase,
    },
  });
  strategies.push({
    id: row.id,
    title: agreed.title,
    periodFrom: agreed.period.from,
    periodTo: agreed.period.to,
    agreedByDecisionId: decision.id,
    origin: "found-in-record",
  });
  return row.id;
}

interface Proposal {
  strategyId: number;
  quarter: FinancialQuarter;
  foundBy: string;
}

/** The strategies a quarterly update is an update of, with why, per the module comment. */
export function proposalsFor(
  update: QuarterlyUpdate,
  meetingDate: IsoDate,
  strategies: readonly CouncilStrategy[],
): Proposal[] {
  const quarterText = `${update.quarterFrom}, read as ${formatQuarter(update.quarter)}`;
  const meeting = `meeting ${dateInWords(meetingDate)}`;
  const covering = strategies.filter((s) =>
    periodCovers({ from: s.periodFrom, to: s.periodTo }, update.quarter),
  );
  const named: { strategy: CouncilStrategy; title: string }[] = [];
  for (const strategy of covering) {
    const own = nameOfTitle(strategy.title, { from: strategy.periodFrom, to: strategy.periodTo });
    const name = update.strategies.find(
      (n) =>
        n.subject === own.subject &&
        (n.period === null || (n.period.from === own.period?.from && n.period.to === own.period.to)),
    );
    if (name) named.push({ strategy, title: name.title });
  }
  // Several named (the update mentions a related strategy too): the one the title is about, when one is.
  const about = named.filter(
    ({ strategy }) =>
      nameOfTitle(strategy.title, { from: strategy.periodFrom, to: strategy.periodTo }).subject ===
      update.subject,
  );
  const chosen = about.length > 0 ? about : named;
  if (chosen.length > 0) {
    return chosen.map(({ strategy, title }) => ({
      strategyId: strategy.id,
      quarter: update.quarter,
      foundBy: `${quarterText}; text names the ${title}; ${meeting}`,
    }));
  }
  if (update.subject === null) return [];
  const bySubject = covering.filter(
    (s) => nameOfTitle(s.title, { from: s.periodFrom, to: s.periodTo }).subject === update.subject,
  );
  // The latest to start, when periods overlap (a refreshed strategy replacing the old one mid-year).
  const strategy = [...bySubject].sort((a, b) => b.periodFrom.localeCompare(a.periodFrom))[0];
  if (!strategy) return [];
  return [
    {
      strategyId: strategy.id,
      quarter: update.quarter,
      foundBy: `${quarterText}; the title's subject matches the ${strategy.title}, in force in ${formatQuarter(update.quarter)}; ${meeting}`,
    },
  ];
}

/** Inserts proposals not rejected before and not already there (whatever their status); how many were added. */
async function insertProposals(trx: Executor, decisionId: number, proposals: Proposal[]): Promise<number> {
  let added = 0;
  for (const proposal of proposals) {
    const rejected = await trx
      .selectFrom("strategyUpdateRejection")
      .select("decisionId")
      .where("decisionId", "=", decisionId)
      .where("strategyId", "=", proposal.strategyId)
      .executeTakeFirst();
    if (rejected) continue;
    const inserted = await trx
      .insertInto("strategyUpdate")
      .values({
        strategyId: proposal.strategyId,
        decisionId,
        startYear: proposal.quarter.startYear,
        quarter: proposal.quarter.quarter,
        foundBy: proposal.foundBy,
      })
      .onConflict((oc) => oc.columns(["decisionId", "strategyId"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted) added++;
  }
  return added;
}

async function decisionFacts(trx: Executor, ids: readonly number[]): Promise<Map<number, DecisionFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom("decision")
    .select(["id", "councilId", "title", "meetingDate", "status"])
    .where("id", "in", ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Reads new (or newly published, or re-versioned) decisions' records: creates the strategies they agree, then
 * proposes the quarterly updates among them, and among the council's other decisions for a new strategy. Drafts
 * are skipped (publication links them). One call for a whole batch: agreements first, so an update imported in
 * the same batch as its strategy finds it.
 */
export async function linkDecisionsToStrategies(
  trx: Executor,
  decisions: readonly { decisionId: number; record: DecisionRecord }[],
  actor: string,
): Promise<{ strategiesCreated: number; proposed: number }> {
  const read = decisions
    .map(({ decisionId, record }) => ({
      decisionId,
      agreed: agreedStrategy(record),
      update: quarterlyUpdate(record),
    }))
    .filter((r) => r.agreed !== null || r.update !== null);
  if (read.length === 0) return { strategiesCreated: 0, proposed: 0 };
  const facts = await decisionFacts(
    trx,
    read.map((r) => r.decisionId),
  );
  const byCouncil = new Map<number, CouncilStrategy[]>();
  const strategiesOf = async (councilId: number) => {
    let list = byCouncil.get(councilId);
    if (!list) byCouncil.set(councilId, (list = await councilStrategies(trx, councilId)));
    return list;
  };
  const created: number[] = [];
  for (const { decisionId, agreed } of read) {
    const decision = facts.get(decisionId);
    if (!agreed || !decision || decision.status !== "published") continue;
    const before = (await strategiesOf(decision.councilId)).length;
    const id = await strategyAgreedBy(trx, decision, agreed, await strategiesOf(decision.councilId), actor);
    if (id !== null && (await strategiesOf(decision.councilId)).length > before) created.push(id);
  }
  let proposed = 0;
  const inBatch = new Set<number>();
  for (const { decisionId, update } of read) {
    const decision = facts.get(decisionId);
    if (!update || !decision || decision.status !== "published") continue;
    inBatch.add(decisionId);
    const proposals = proposalsFor(update, decision.meetingDate, await strategiesOf(decision.councilId));
    proposed += await insertProposals(trx, decisionId, proposals);
  }
  for (const id of created) proposed += await proposeUpdatesForStrategy(trx, id, inBatch);
  return { strategiesCreated: created.length, proposed };
}

/** Re-reads one decision (its current record) and proposes its links: the entry for a single decision. */
export async function proposeStrategyLinks(
  trx: Executor,
  decisionId: number,
  actor = "system",
): Promise<number> {
  const row = await trx
    .selectFrom("decision")
    .innerJoin("decisionVersion", (join) =>
      join
        .onRef("decisionVersion.decisionId", "=", "decision.id")
        .onRef("decisionVersion.version", "=", "decision.currentVersion"),
    )
    .select("decisionVersion.record")
    .where("decision.id", "=", decisionId)
    .executeTakeFirst();
  if (!row) return 0;
  return (await linkDecisionsToStrategies(trx, [{ decisionId, record: row.record }], actor)).proposed;
}

/**
 * After a new version of a decision: its proposed links are read again from the new record (confirmed ones are
 * people's and kept); a strategy found in its record follows a corrected title or period.
 */
export async function relinkDecision(
  trx: Executor,
  decisionId: number,
  record: DecisionRecord,
  actor: string,
): Promise<void> {
  const agreed = agreedStrategy(record);
  const stub = await trx
    .selectFrom("strategy")
    .select(["id", "title", "periodFrom", "periodTo", "councilId"])
    .where("agreedByDecisionId", "=", decisionId)
    .where("origin", "=", "found-in-record")
    .executeTakeFirst();
  if (
    stub &&
    agreed?.period &&
    (agreed.title !== stub.title ||
      agreed.period.from !== stub.periodFrom ||
      agreed.period.to !== stub.periodTo)
  ) {
    await trx
      .updateTable("strategy")
      .set({ title: agreed.title, periodFrom: agreed.period.from, periodTo: agreed.period.to })
      .where("id", "=", stub.id)
      .execute();
    await appendAudit(trx, {
      actor,
      action: "strategy.re-read",
      entity: "strategy",
      entityId: stub.id,
      councilId: stub.councilId,
      details: {
        agreedByDecisionId: decisionId,
        before: { title: stub.title, periodFrom: stub.periodFrom, periodTo: stub.periodTo },
        after: { title: agreed.title, periodFrom: agreed.period.from, periodTo: agreed.period.to },
      },
    });
    await trx
      .deleteFrom("strategyUpdate")
      .where("strategyId", "=", stub.id)
      .where("status", "=", "proposed")
      .execute();
    await proposeUpdatesForStrategy(trx, stub.id);
  }
  await trx
    .deleteFrom("strategyUpdate")
    .where("decisionId", "=", decisionId)
    .where("status", "=", "proposed")
    .execute();
  await linkDecisionsToStrategies(trx, [{ decisionId, record }], actor);
}

/** Performance-like titles, to read only the decisions that may be quarterly updates. */
const UPDATE_TITLE = String.raw`(\mQ[1-4]\M|quarter|performance|monitoring)`;

/**
 * Proposes, for a strategy (new, or whose title changed), the council's published decisions that are its
 * quarterly updates: those considered from its start until a year after its end. `skip`: decisions already read.
 */
export async function proposeUpdatesForStrategy(
  trx: Executor,
  strategyId: number,
  skip: ReadonlySet<number> = new Set(),
): Promise<number> {
  const strategy = await trx
    .selectFrom("strategy")
    .select(["id", "councilId", "periodFrom", "periodTo"])
    .where("id", "=", strategyId)
    .executeTakeFirst();
  if (!strategy) return 0;
  const until = `${Number(strategy.periodTo.slice(0, 4)) + 1}${strategy.periodTo.slice(4)}`;
  const rows = await trx
    .selectFrom("decision")
    .innerJoin("decisionVersion", (join) =>
      join
        .onRef("decisionVersion.decisionId", "=", "decision.id")
        .onRef("decisionVersion.version", "=", "decision.currentVersion"),
    )
    .select(["decision.id", "decision.meetingDate", "decisionVersion.record"])
    .where("decision.councilId", "=", strategy.councilId)
    .where("decision.status", "=", "published")
    .where("decision.meetingDate", ">=", strategy.periodFrom)
    .where("decision.meetingDate", "<=", until)
    .where("decision.title", "~*", UPDATE_TITLE)
    .orderBy("decision.meetingDate")
    .orderBy("decision.id")
    .execute();
  const strategies = await councilStrategies(trx, strategy.councilId);
  let proposed = 0;
  for (const row of rows) {
    if (skip.has(row.id)) continue;
    const update = quarterlyUpdate(row.record);
    if (!update) continue;
    const proposals = proposalsFor(update, row.meetingDate, strategies).filter(
      (p) => p.strategyId === strategyId,
    );
    proposed += await insertProposals(trx, row.id, proposals);
  }
  return proposed;
}

/**
 * The strategy found in a record that a strategy defined from JSON fills in: the one agreed by `agreedBy`, else
 * one with the same title (subject and period); only 'found-in-record' strategies with no priorities yet.
 */
export async function foundStrategyFor(
  trx: Executor,
  councilId: number,
  agreedBy: number | null,
  title: string,
  period: { from: IsoDate; to: IsoDate },
) {
  const stubs = await trx
    .selectFrom("strategy")
    .select(["id", "slug", "title", "periodFrom", "periodTo", "agreedByDecisionId", "origin"])
    .where("councilId", "=", councilId)
    .where("origin", "=", "found-in-record")
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom("strategyPriority").select("id").whereRef("strategyId", "=", "strategy.id")),
      ),
    )
    .orderBy("id")
    .execute();
  const own = nameOfTitle(title, period);
  const key = strategyKey(own.subject, own.period);
  return (
    (agreedBy === null ? undefined : stubs.find((s) => s.agreedByDecisionId === agreedBy)) ??
    stubs.find(
      (s) =>
        keyOf(s) === key &&
        (agreedBy === null || s.agreedByDecisionId === null || s.agreedByDecisionId === agreedBy),
    )
  );
}
