import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { endAccountSessions } from "../sessions/session-store.js";
import { guarded, type AccountGuard } from "./account-guard.js";
import { accountRoles } from "./account-input.js";
import { linkPerson } from "./account-people.js";
import { toAccount, type Account } from "./account-rows.js";
import { findAccountById } from "./accounts.js";

/**
 * The admin's changes to an existing account, from the workspace: its roles, enabling it again, ending its
 * sessions. Each is audited (before and after) in the transaction that makes it; a change that is refused
 * writes nothing.
 */

/** The account with this id (in the guard's council); NotFoundError when there is none. */
export async function getAccountById(db: Executor, id: number, guard: AccountGuard = {}): Promise<Account> {
  const account = await findAccountById(db, id);
  if (account === null) throw new NotFoundError(`No account ${id}`);
  return guarded(account, guard);
}

/**
 * Gives the account exactly these roles (at least one). Made a councillor, an account without a person
 * record gets one (linked by name, as createAccount does); one that stands for an officer is refused, as a
 * councillor's account is the councillor's own person record. Taking the councillor role away keeps the link
 * (the person may appear in published records). An admin cannot take away their own admin role.
 */
export async function setAccountRoles(
  database: Database,
  id: number,
  roles: readonly string[],
  actor: string,
  guard: AccountGuard = {},
): Promise<{ account: Account; changed: boolean }> {
  const after = accountRoles(roles);
  return database.transaction(async (trx) => {
    const account = await getAccountById(trx, id, guard);
    const before = account.roles;
    if (guard.actingAccountId === account.id && before.includes("admin") && !after.includes("admin")) {
      throw new ValidationError(
        "You cannot remove your own Administrator role: another administrator must, so the council is never left without one",
        "role",
      );
    }
    if (before.length === after.length && before.every((role, i) => role === after[i])) {
      return { account, changed: false };
    }
    let personId = account.personId;
    let personCreated = false;
    if (after.includes("councillor") && !before.includes("councillor")) {
      if (personId === null) {
        const linked = await linkPerson(trx, {
          councilId: account.councilId,
          name: account.name,
          role: "councillor",
          ward: null,
          party: null,
          portfolio: null,
          jobTitle: null,
        });
        personId = linked.personId;
        personCreated = linked.created;
        await trx.updateTable("account").set({ personId }).where("id", "=", account.id).execute();
      } else {
        const person = await trx
          .selectFrom("person")
          .select("role")
          .where("id", "=", personId)
          .executeTakeFirstOrThrow();
        if (person.role !== "councillor") {
          throw new ValidationError(
            `${account.name}'s account stands for an officer; a councillor needs an account of their own`,
            "role",
          );
        }
      }
    }
    await trx.deleteFrom("accountRole").where("accountId", "=", account.id).execute();
    await trx
      .insertInto("accountRole")
      .values(after.map((role) => ({ accountId: account.id, role })))
      .execute();
    const row = await trx
      .updateTable("account")
      .set({ updatedAt: new Date() })
      .where("id", "=", account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "account.roles-changed",
      entity: "account",
      entityId: account.id,
      councilId: account.councilId,
      details: {
        email: account.email,
        before: { roles: before, personId: account.personId },
        after: { roles: after, personId },
        personCreated,
      },
    });
    return { account: await toAccount(trx, row), changed: true };
  });
}

/** Lets a disabled account sign in and use its tokens again (revoked tokens stay revoked). */
export async function enableAccount(
  database: Database,
  id: number,
  actor: string,
  guard: AccountGuard = {},
): Promise<{ account: Account; changed: boolean }> {
  return database.transaction(async (trx) => {
    const account = await getAccountById(trx, id, guard);
    if (account.disabledAt === null) return { account, changed: false };
    const row = await trx
      .updateTable("account")
      .set({ disabledAt: null })
      .where("id", "=", account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "account.enabled",
      entity: "account",
      entityId: account.id,
      councilId: account.councilId,
      details: {
        email: account.email,
        before: { disabledAt: account.disabledAt.toISOString() },
        after: { disabledAt: null },
      },
    });
    return { account: await toAccount(trx, row), changed: true };
  });
}

/** Ends every session of the account (signed out everywhere), audited; how many there were. */
export async function signOutEverywhere(
  database: Database,
  id: number,
  actor: string,
  guard: AccountGuard = {},
): Promise<number> {
  return database.transaction(async (trx) => {
    const account = await getAccountById(trx, id, guard);
    const ended = await endAccountSessions(trx, account.id);
    await appendAudit(trx, {
      actor,
      action: "account.signed-out-everywhere",
      entity: "account",
      entityId: account.id,
      councilId: account.councilId,
      details: { email: account.email, sessionsEnded: ended },
    });
    return ended;
  });
}
