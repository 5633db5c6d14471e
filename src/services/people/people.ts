import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Database, Executor } from "../../storage/database.js";
import type { PersonRole } from "../../storage/schema.js";
import { checkId } from "../argument-checks.js";
import { appendAudit } from "../audit/audit-log.js";
import { DEFAULT_COUNCIL, findOrCreateCouncil } from "../councils/councils.js";
import { findCouncil, matchCouncil } from "../councils/find-council.js";
import { type MembershipView, membershipsOf } from "./memberships.js";
import { type PersonInput, checkPerson, refuseProblems } from "./person-input.js";

/**
 * People: councillors (ward, party, a cabinet member's portfolio) and officers (job title), with the bodies
 * they sit on. Adding or changing one is checked as a whole (every problem at once), written and audited in
 * one transaction.
 */

export interface PersonSummary {
  id: number;
  councilId: number;
  name: string;
  role: PersonRole;
  ward: string | null;
  party: string | null;
  portfolio: string | null;
  jobTitle: string | null;
  /** The memberships that hold on the date asked about. */
  currentMemberships: MembershipView[];
}

export interface PersonDetail extends PersonSummary {
  council: { id: number; slug: string; name: string };
  /** Every membership, current ones first, then the newest. */
  memberships: MembershipView[];
  /** Whether an account stands for this person (a councillor who signs in). */
  hasAccount: boolean;
}

export interface PeopleFilter {
  councilId?: number;
  role?: PersonRole;
  /** Which memberships are current: today, as a UK date. */
  on: IsoDate;
}

/** People by name (then id), with their current memberships. */
export async function listPeople(db: Executor, filter: PeopleFilter): Promise<PersonSummary[]> {
  const rows = await db
    .selectFrom("person")
    .select(["id", "councilId", "name", "role", "ward", "party", "portfolio", "jobTitle"])
    .$if(filter.councilId !== undefined, (q) => q.where("councilId", "=", filter.councilId!))
    .$if(filter.role !== undefined, (q) => q.where("role", "=", filter.role!))
    .orderBy("name")
    .orderBy("id")
    .execute();
  const memberships = await membershipsOf(
    db,
    rows.map((row) => row.id),
    filter.on,
  );
  return rows.map((row) => ({
    ...row,
    currentMemberships: (memberships.get(row.id) ?? []).filter((m) => m.current),
  }));
}

/** The councillors, for the public list. */
export function listCouncillors(db: Executor, filter: Omit<PeopleFilter, "role">): Promise<PersonSummary[]> {
  return listPeople(db, { ...filter, role: "councillor" });
}

/** One person with every membership; NotFoundError when there is none (or not in `councilId`, when given). */
export async function getPerson(
  db: Executor,
  id: number,
  on: IsoDate,
  scope: { councilId?: number } = {},
): Promise<PersonDetail> {
  checkId(id, "person");
  const row = await db
    .selectFrom("person")
    .innerJoin("council", "council.id", "person.councilId")
    .leftJoin("account", "account.personId", "person.id")
    .select([
      "person.id",
      "person.councilId",
      "person.name",
      "person.role",
      "person.ward",
      "person.party",
      "person.portfolio",
      "person.jobTitle",
      "council.slug as councilSlug",
      "council.name as councilName",
      "account.id as accountId",
    ])
    .where("person.id", "=", id)
    .executeTakeFirst();
  if (!row || (scope.councilId !== undefined && row.councilId !== scope.councilId)) {
    throw new NotFoundError(`no person ${id}`);
  }
  const memberships = (await membershipsOf(db, [id], on)).get(id) ?? [];
  const { councilSlug, councilName, accountId, ...person } = row;
  return {
    ...person,
    council: { id: row.councilId, slug: councilSlug, name: councilName },
    memberships,
    currentMemberships: memberships.filter((m) => m.current),
    hasAccount: accountId !== null,
  };
}

/**
 * Adds a person to a council: its id, or (the command line) the council named or the default one, found as
 * `councilIdForPeople` finds it. Every problem with the input is a PersonInputError (a ValidationError),
 * found before anything is written.
 */
export async function createPerson(
  database: Database,
  council: number | { ref?: string; defaultSlug: string },
  input: PersonInput,
  actor: string,
): Promise<{ id: number; councilId: number }> {
  const { fields, problems } = checkPerson(input);
  refuseProblems(problems);
  return database.transaction(async (trx) => {
    const councilId =
      typeof council === "number"
        ? council
        : await councilIdForPeople(trx, council.ref, council.defaultSlug, actor);
    const found = await trx.selectFrom("council").select("id").where("id", "=", councilId).executeTakeFirst();
    if (!found) throw new NotFoundError(`no council ${councilId}`);
    const row = await trx
      .insertInto("person")
      .values({ councilId, ...fields })
      .returning("id")
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "person.created",
      entity: "person",
      entityId: row.id,
      councilId,
      details: { ...fields },
    });
    return { id: row.id, councilId };
  });
}

/**
 * Replaces a person's details (name, role, ward, party, portfolio, job title), audited with before and after.
 * A person whose account holds the councillor role stays a councillor.
 */
export async function updatePerson(
  database: Database,
  id: number,
  input: PersonInput,
  actor: string,
  scope: { councilId?: number } = {},
): Promise<{ id: number; changed: boolean }> {
  checkId(id, "person");
  const { fields, problems } = checkPerson(input);
  refuseProblems(problems);
  return database.transaction(async (trx) => {
    const before = await trx
      .selectFrom("person")
      .select(["id", "councilId", "name", "role", "ward", "party", "portfolio", "jobTitle"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!before || (scope.councilId !== undefined && before.councilId !== scope.councilId)) {
      throw new NotFoundError(`no person ${id}`);
    }
    if (fields.role !== "councillor" && before.role === "councillor") {
      const councillorAccount = await trx
        .selectFrom("account")
        .innerJoin("accountRole", "accountRole.accountId", "account.id")
        .select("account.email")
        .where("account.personId", "=", id)
        .where("accountRole.role", "=", "councillor")
        .executeTakeFirst();
      if (councillorAccount) {
        refuseProblems([
          {
            field: "role",
            message: `${before.name} signs in as a councillor (${councillorAccount.email}), so stays a councillor`,
          },
        ]);
      }
    }
    const { id: _id, councilId, ...old } = before;
    const changed = (Object.keys(fields) as Array<keyof typeof fields>).filter(
      (key) => fields[key] !== old[key],
    );
    if (changed.length === 0) return { id, changed: false };
    await trx.updateTable("person").set(fields).where("id", "=", id).execute();
    await appendAudit(trx, {
      actor,
      action: "person.updated",
      entity: "person",
      entityId: id,
      councilId,
      details: {
        before: Object.fromEntries(changed.map((key) => [key, old[key]])),
        after: Object.fromEntries(changed.map((key) => [key, fields[key]])),
      },
    });
    return { id, changed: true };
  });
}

/**
 * The council people are added to from the command line: the one named (slug or name), else the default
 * council, else the register's only council; with no council yet, the default council is created (as the
 * first `resolved user add` does).
 */
export async function councilIdForPeople(
  trx: Executor,
  ref: string | undefined,
  defaultSlug: string,
  actor: string,
): Promise<number> {
  const rows = await trx.selectFrom("council").select(["id", "slug", "name"]).orderBy("slug").execute();
  const defaultName = defaultSlug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : defaultSlug;
  let slug: string | null;
  if (ref !== undefined) {
    slug = matchCouncil(ref, rows);
    if (slug === null && matchCouncil(ref, [{ slug: defaultSlug, name: defaultName }]) === null) {
      return (await findCouncil(trx, ref)).id; // NotFoundError, listing the councils there are
    }
  } else if (rows.some((row) => row.slug === defaultSlug)) {
    slug = defaultSlug;
  } else if (rows.length === 1) {
    slug = rows[0]!.slug;
  } else if (rows.length === 0) {
    slug = null;
  } else {
    throw new ValidationError(
      `The register has several councils (${rows.map((r) => r.slug).join(", ")}); say which with --council`,
      "council",
    );
  }
  const found = rows.find((row) => row.slug === slug);
  if (found) return found.id;
  return (await findOrCreateCouncil(trx, { slug: defaultSlug, name: defaultName }, actor)).council.id;
}
