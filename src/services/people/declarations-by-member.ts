import { sql } from "kysely";
import { signatoryKey } from "../../domain/call-in-request.js";
import type { InterestCategory } from "../../domain/interest-category.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import { checkId } from "../argument-checks.js";

/**
 * The register of declarations by member: every interest a person declared in a public decision (not a
 * draft, and published by `today`). A declaration counts as theirs when it names them by person id, or, for
 * records imported from documents (where the declaration holds only the name as written), when the name
 * written is theirs once "Councillor"/"Cllr", case and spacing are set aside ("Cllr  MARGARET Aldridge" is
 * Margaret Aldridge): the same rule that tells call-in signatories apart (signatoryKey). Only declarations in
 * their own council's decisions count; a declaration tied to another person by id is never matched by name.
 */

export interface MemberDeclaration {
  id: number;
  decisionId: number;
  title: string;
  bodyName: string;
  meetingDate: IsoDate;
  publishedOn: IsoDate;
  /** As written in the record. */
  personName: string;
  category: InterestCategory;
  nature: string;
  /** How it was tied to the person: their id on the declaration, or their name as written. */
  matchedBy: "person" | "name";
}

/**
 * The name as written, keyed like signatoryKey: white space trimmed and collapsed, lower case, a leading
 * "Cllr", "Cllr." or "Councillor" dropped. Kept in step with signatoryKey by the tests.
 */
const NAME_KEY = sql<string>`regexp_replace(
  lower(regexp_replace(regexp_replace(doi.person_name, '^\\s+|\\s+$', '', 'g'), '\\s+', ' ', 'g')),
  '^(cllr\\.?|councillor) ', '')`;

export async function declarationsByMember(
  db: Executor,
  personId: number,
  today: IsoDate,
): Promise<MemberDeclaration[]> {
  checkId(personId, "person");
  const person = await db
    .selectFrom("person")
    .select(["id", "name", "councilId"])
    .where("id", "=", personId)
    .executeTakeFirst();
  if (!person) return [];
  const key = signatoryKey(person.name);
  const { rows } = await sql<Omit<MemberDeclaration, "matchedBy"> & { byPerson: boolean }>`
    select doi.id, doi.decision_id as "decisionId", d.title, b.name as "bodyName",
           d.meeting_date as "meetingDate", d.published_on as "publishedOn",
           doi.person_name as "personName", doi.category, doi.nature,
           (doi.person_id is not null) as "byPerson"
    from declaration_of_interest doi
    join decision d on d.id = doi.decision_id
    join body b on b.id = d.body_id
    where d.status <> 'draft' and d.published_on <= ${today}::date
      and (doi.person_id = ${person.id}::int
           or (doi.person_id is null and d.council_id = ${person.councilId}::int and ${NAME_KEY} = ${key}))
    order by d.meeting_date desc, d.id desc, doi.id`.execute(db);
  return rows.map(({ byPerson, ...row }) => ({ ...row, matchedBy: byPerson ? "person" : "name" }));
}
