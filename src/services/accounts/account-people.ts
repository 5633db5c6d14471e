import { sql } from "kysely";
import type { PersonRole } from "../../storage/schema.js";
import type { Executor } from "../../storage/database.js";

/**
 * The person record an account stands for. A councillor's account is the councillor's person record: one
 * with the same name in the council (ignoring case and spacing) that has no account yet is linked, otherwise
 * one is made. An officer's account gets a person record when a job title is given (officers appear in
 * records by their post). Details given fill in what a linked record lacks; nothing already there is
 * overwritten (the person may appear in published records as they are).
 */

export interface PersonDetails {
  councilId: number;
  name: string;
  role: PersonRole;
  ward: string | null;
  party: string | null;
  portfolio: string | null;
  jobTitle: string | null;
}

export async function linkPerson(
  trx: Executor,
  details: PersonDetails,
): Promise<{ personId: number; created: boolean }> {
  const existing = await trx
    .selectFrom("person")
    .leftJoin("account", "account.personId", "person.id")
    .select("person.id")
    .where("person.councilId", "=", details.councilId)
    .where("person.role", "=", details.role)
    .where(
      sql<string>`lower(regexp_replace(btrim(person.name), '[[:space:]]+', ' ', 'g'))`,
      "=",
      details.name.toLowerCase(),
    )
    .where("account.id", "is", null)
    .orderBy("person.id")
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable("person")
      .set((eb) => ({
        ward: eb.fn.coalesce("ward", eb.val(details.ward)),
        party: eb.fn.coalesce("party", eb.val(details.party)),
        portfolio: eb.fn.coalesce("portfolio", eb.val(details.portfolio)),
        jobTitle: eb.fn.coalesce("jobTitle", eb.val(details.jobTitle)),
      }))
      .where("id", "=", existing.id)
      .execute();
    return { personId: existing.id, created: false };
  }
  const row = await trx
    .insertInto("person")
    .values({
      councilId: details.councilId,
      name: details.name,
      role: details.role,
      ward: details.ward,
      party: details.party,
      portfolio: details.portfolio,
      jobTitle: details.jobTitle,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { personId: row.id, created: true };
}
