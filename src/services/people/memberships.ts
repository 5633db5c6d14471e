import { sql } from "kysely";
import { ConflictError, NotFoundError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Database, Executor } from "../../storage/database.js";
import type { BodyKind, MembershipRole, PersonRole } from "../../storage/schema.js";
import { checkId } from "../argument-checks.js";
import { appendAudit } from "../audit/audit-log.js";
import {
  type FieldProblem,
  type MembershipInput,
  checkEndDate,
  checkMembership,
  refuseProblems,
} from "./person-input.js";

/**
 * Who sits on which body, and as what, over time. A membership runs from its start date to its end date, both
 * days included; no end date means it has not ended. A membership recorded without a start date (older data)
 * counts as having started before any date asked about. So "the Cabinet on 12 March 2019" is the memberships
 * that had started by then and had not yet ended.
 */

export interface MembershipView {
  id: number;
  bodyId: number;
  bodyName: string;
  bodyKind: BodyKind;
  role: MembershipRole;
  startedOn: IsoDate | null;
  endedOn: IsoDate | null;
  /** Whether it held on the date the caller asked about (today, for a person's page). */
  current: boolean;
}

/** Chair first, then vice-chair, then members. */
const ROLE_ORDER = sql<number>`case body_membership.role when 'chair' then 0 when 'vice-chair' then 1 else 2 end`;

export function heldOn(
  membership: { startedOn: IsoDate | null; endedOn: IsoDate | null },
  on: IsoDate,
): boolean {
  return (
    (membership.startedOn === null || membership.startedOn <= on) &&
    (membership.endedOn === null || membership.endedOn >= on)
  );
}

/** Every membership of these people, newest first, marked current or not on `on`; by person id. */
export async function membershipsOf(
  db: Executor,
  personIds: readonly number[],
  on: IsoDate,
): Promise<Map<number, MembershipView[]>> {
  const byPerson = new Map<number, MembershipView[]>();
  if (personIds.length === 0) return byPerson;
  const rows = await db
    .selectFrom("bodyMembership")
    .innerJoin("body", "body.id", "bodyMembership.bodyId")
    .select([
      "bodyMembership.id",
      "bodyMembership.personId",
      "bodyMembership.bodyId",
      "body.name as bodyName",
      "body.kind as bodyKind",
      "bodyMembership.role",
      "bodyMembership.startedOn",
      "bodyMembership.endedOn",
    ])
    .where("bodyMembership.personId", "in", [...personIds])
    .orderBy(sql`body_membership.ended_on is null`, "desc")
    .orderBy("bodyMembership.startedOn", (ob) => ob.desc().nullsLast())
    .orderBy("body.name")
    .orderBy("bodyMembership.id")
    .execute();
  for (const row of rows) {
    const { personId, ...membership } = row;
    const list = byPerson.get(personId) ?? [];
    list.push({ ...membership, current: heldOn(membership, on) });
    byPerson.set(personId, list);
  }
  return byPerson;
}

export interface BodyMember {
  personId: number;
  name: string;
  personRole: PersonRole;
  ward: string | null;
  party: string | null;
  portfolio: string | null;
  /** Their role on the body. */
  role: MembershipRole;
  startedOn: IsoDate | null;
  endedOn: IsoDate | null;
}

/** The body's members on a date (a decision's meeting date): chair, vice-chair, then members by name. */
export async function bodyMembersOn(db: Executor, bodyId: number, on: IsoDate): Promise<BodyMember[]> {
  checkId(bodyId, "body");
  return db
    .selectFrom("bodyMembership")
    .innerJoin("person", "person.id", "bodyMembership.personId")
    .select([
      "person.id as personId",
      "person.name",
      "person.role as personRole",
      "person.ward",
      "person.party",
      "person.portfolio",
      "bodyMembership.role",
      "bodyMembership.startedOn",
      "bodyMembership.endedOn",
    ])
    .where("bodyMembership.bodyId", "=", bodyId)
    .where((eb) =>
      eb.or([eb("bodyMembership.startedOn", "is", null), eb("bodyMembership.startedOn", "<=", on)]),
    )
    .where((eb) => eb.or([eb("bodyMembership.endedOn", "is", null), eb("bodyMembership.endedOn", ">=", on)]))
    .orderBy(ROLE_ORDER)
    .orderBy("person.name")
    .orderBy("person.id")
    .execute();
}

export interface MembershipScope {
  /** Only a person of this council (an admin's): anyone else's is "not found". */
  councilId?: number;
}

/**
 * Adds a membership of a body to a person, audited in the same transaction. The body is found in the person's
 * council, by id or by name; an unknown body, or a period that overlaps the person's other membership of the
 * same body, is a ValidationError naming the field.
 */
export async function addMembership(
  database: Database,
  personId: number,
  input: MembershipInput,
  actor: string,
  scope: MembershipScope = {},
): Promise<MembershipView> {
  checkId(personId, "person");
  const { fields, problems } = checkMembership(input);
  refuseProblems(problems);
  return database.transaction(async (trx) => {
    const person = await personInScope(trx, personId, scope);
    const body = await findBodyFor(trx, person.councilId, fields.body);
    const overlapping = await trx
      .selectFrom("bodyMembership")
      .select(["startedOn", "endedOn"])
      .where("personId", "=", personId)
      .where("bodyId", "=", body.id)
      .where((eb) => eb.or([eb("endedOn", "is", null), eb("endedOn", ">=", fields.from)]))
      .$if(fields.to !== null, (q) =>
        q.where((eb) => eb.or([eb("startedOn", "is", null), eb("startedOn", "<=", fields.to!)])),
      )
      .executeTakeFirst();
    if (overlapping) {
      const since = overlapping.startedOn ? ` from ${overlapping.startedOn}` : "";
      const until = overlapping.endedOn ? ` to ${overlapping.endedOn}` : " (not ended)";
      refuseProblems([
        {
          field: "from",
          message: `${person.name} is already a member of ${body.name}${since}${until}: end that membership first, or choose dates that do not overlap`,
        },
      ]);
    }
    const row = await trx
      .insertInto("bodyMembership")
      .values({ bodyId: body.id, personId, role: fields.role, startedOn: fields.from, endedOn: fields.to })
      .returning(["id", "bodyId", "role", "startedOn", "endedOn"])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "membership.added",
      entity: "body_membership",
      entityId: row.id,
      councilId: person.councilId,
      details: {
        personId,
        person: person.name,
        bodyId: body.id,
        body: body.name,
        role: row.role,
        startedOn: row.startedOn,
        endedOn: row.endedOn,
      },
    });
    return {
      ...row,
      bodyName: body.name,
      bodyKind: body.kind,
      current: heldOn(row, fields.from),
    };
  });
}

/** Ends a membership that has not ended yet, on `to` (the last day it held), audited. */
export async function endMembership(
  database: Database,
  membershipId: number,
  to: string | null | undefined,
  actor: string,
  scope: MembershipScope & { personId?: number } = {},
): Promise<MembershipView> {
  checkId(membershipId, "membership");
  return database.transaction(async (trx) => {
    const membership = await trx
      .selectFrom("bodyMembership")
      .innerJoin("body", "body.id", "bodyMembership.bodyId")
      .innerJoin("person", "person.id", "bodyMembership.personId")
      .select([
        "bodyMembership.id",
        "bodyMembership.bodyId",
        "bodyMembership.personId",
        "bodyMembership.role",
        "bodyMembership.startedOn",
        "bodyMembership.endedOn",
        "body.name as bodyName",
        "body.kind as bodyKind",
        "person.name as personName",
        "person.councilId",
      ])
      .where("bodyMembership.id", "=", membershipId)
      .executeTakeFirst();
    if (
      !membership ||
      (scope.councilId !== undefined && membership.councilId !== scope.councilId) ||
      (scope.personId !== undefined && membership.personId !== scope.personId)
    ) {
      throw new NotFoundError(`no membership ${membershipId}`);
    }
    if (membership.endedOn !== null) {
      throw new ConflictError(
        `That membership of ${membership.bodyName} already ended on ${membership.endedOn}`,
      );
    }
    const problems: FieldProblem[] = checkEndDate(to, membership.startedOn);
    refuseProblems(problems);
    const endedOn = (to ?? "").trim();
    await trx.updateTable("bodyMembership").set({ endedOn }).where("id", "=", membershipId).execute();
    await appendAudit(trx, {
      actor,
      action: "membership.ended",
      entity: "body_membership",
      entityId: membershipId,
      councilId: membership.councilId,
      details: {
        personId: membership.personId,
        person: membership.personName,
        body: membership.bodyName,
        before: { endedOn: null },
        after: { endedOn },
      },
    });
    return {
      id: membership.id,
      bodyId: membership.bodyId,
      bodyName: membership.bodyName,
      bodyKind: membership.bodyKind,
      role: membership.role,
      startedOn: membership.startedOn,
      endedOn,
      current: false,
    };
  });
}

async function personInScope(
  trx: Executor,
  personId: number,
  scope: MembershipScope,
): Promise<{ id: number; name: string; councilId: number }> {
  const person = await trx
    .selectFrom("person")
    .select(["id", "name", "councilId"])
    .where("id", "=", personId)
    .executeTakeFirst();
  if (!person || (scope.councilId !== undefined && person.councilId !== scope.councilId)) {
    throw new NotFoundError(`no person ${personId}`);
  }
  return person;
}

async function findBodyFor(
  trx: Executor,
  councilId: number,
  ref: number | string,
): Promise<{ id: number; name: string; kind: BodyKind }> {
  // A form names the body by id, the command line by name (any case).
  const query = trx.selectFrom("body").select(["id", "name", "kind"]).where("councilId", "=", councilId);
  const body = await (
    typeof ref === "number"
      ? query.where("id", "=", Number.isSafeInteger(ref) && ref > 0 && ref < 2 ** 31 ? ref : 0)
      : query.where(sql<string>`lower(name)`, "=", ref.trim().toLowerCase())
  ).executeTakeFirst();
  if (body) return body;
  const known = await trx
    .selectFrom("body")
    .select("name")
    .where("councilId", "=", councilId)
    .orderBy("name")
    .execute();
  const list =
    known.length > 0
      ? `the council's bodies are: ${known.map((b) => b.name).join(", ")}`
      : "the council has no bodies yet";
  refuseProblems([
    {
      field: "body",
      message:
        typeof ref === "number"
          ? `There is no such body in the council (${list})`
          : `There is no body called "${ref}" (${list})`,
    },
  ]);
  throw new Error("unreachable");
}
