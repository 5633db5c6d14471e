import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import { errorCode } from "../../storage/error-details.js";
import { appendAudit } from "../audit/audit-log.js";
import { DEFAULT_COUNCIL, findOrCreateCouncil } from "../councils/councils.js";
import { findCouncil, matchCouncil } from "../councils/find-council.js";
import { accountName, accountRoles, normaliseEmail, optionalText } from "./account-input.js";
import { linkPerson } from "./account-people.js";
import { accountRowByEmail, toAccount, toAccounts, type Account } from "./account-rows.js";
import { hashPassword, passwordMatches, verifyDummyPassword } from "./password-hashing.js";
import { checkPassword } from "./password-rules.js";

/**
 * Accounts: who may sign in, and with which roles. Passwords are checked against the password rules and kept
 * only as argon2id hashes; they are never logged, audited or returned. Every change is audited in the same
 * transaction; a change that fails validation writes nothing.
 */

export interface NewAccount {
  email: string;
  name: string;
  /** One or more of ROLES; anything else is a ValidationError on "role". */
  roles: readonly string[];
  /** The first password; null or absent for an account that signs in only through single sign-on. */
  password?: string | null;
  /**
   * The council (slug or name, as `findCouncil` takes). Absent: the default council if the register has it,
   * else the register's only council; with none yet, the default council is created (first admin of a new
   * install).
   */
  council?: string;
  /** The council used when `council` is absent (the configured RESOLVED_COUNCIL); default stockton-on-tees. */
  defaultCouncil?: string;
  /** Councillors only. */
  ward?: string | null;
  party?: string | null;
  /** A cabinet member's portfolio; councillors only. */
  portfolio?: string | null;
  /** An officer's post; gives a non-councillor account a person record (role officer). */
  jobTitle?: string | null;
  /** Who is doing this, for the audit log. */
  actor: string;
}

export async function createAccount(database: Database, input: NewAccount): Promise<Account> {
  // Everything that can be checked without the database is checked before anything is written.
  const email = normaliseEmail(input.email);
  const name = accountName(input.name);
  const roles = accountRoles(input.roles);
  const councillor = roles.includes("councillor");
  const ward = optionalText(input.ward, "ward");
  const party = optionalText(input.party, "party");
  const portfolio = optionalText(input.portfolio, "portfolio");
  const jobTitle = optionalText(input.jobTitle, "job-title");
  if (!councillor) {
    for (const [field, value] of [
      ["ward", ward],
      ["party", party],
      ["portfolio", portfolio],
    ] as const) {
      if (value !== null) throw new ValidationError(`Only a councillor has a ${field}`, field);
    }
  } else if (jobTitle !== null) {
    throw new ValidationError("A councillor has no job title; give a cabinet portfolio instead", "job-title");
  }
  const password = input.password ?? null;
  if (password !== null) {
    const refused = checkPassword(password, { email, name });
    if (refused) throw refused;
  }
  const passwordHash = password === null ? null : await hashPassword(password);

  try {
    return await database.transaction(async (trx) => {
      if (await accountRowByEmail(trx, email)) {
        throw new ConflictError(`There is already an account for ${email}`);
      }
      const councilId = await accountCouncilId(trx, input, input.actor);
      const person =
        councillor || jobTitle !== null
          ? await linkPerson(trx, {
              councilId,
              name,
              role: councillor ? "councillor" : "officer",
              ward,
              party,
              portfolio,
              jobTitle,
            })
          : null;
      const row = await trx
        .insertInto("account")
        .values({ councilId, email, name, personId: person?.personId ?? null, passwordHash })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("accountRole")
        .values(roles.map((role) => ({ accountId: row.id, role })))
        .execute();
      await appendAudit(trx, {
        actor: input.actor,
        action: "account.created",
        entity: "account",
        entityId: row.id,
        councilId,
        details: {
          email,
          name,
          roles,
          personId: person?.personId ?? null,
          personCreated: person?.created ?? false,
          hasPassword: passwordHash !== null,
        },
      });
      return toAccount(trx, row);
    });
  } catch (error) {
    // Two people adding the same email at once: the unique constraint decides, and says the same thing.
    if (errorCode(error) === "23505" && /account_email/.test(String((error as Error).message))) {
      throw new ConflictError(`There is already an account for ${email}`);
    }
    throw error;
  }
}

async function accountCouncilId(trx: Executor, input: NewAccount, actor: string): Promise<number> {
  const defaultSlug = input.defaultCouncil ?? DEFAULT_COUNCIL.slug;
  const defaultName = defaultSlug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : defaultSlug;
  const rows = await trx.selectFrom("council").select(["id", "slug", "name"]).orderBy("slug").execute();
  const wanted = input.council?.trim();
  let slug: string | null;
  if (wanted !== undefined) {
    slug = matchCouncil(wanted, rows);
    if (slug === null && matchCouncil(wanted, [{ slug: defaultSlug, name: defaultName }]) === null) {
      return (await findCouncil(trx, wanted)).id; // throws NotFoundError, listing the councils there are
    }
  } else if (rows.some((row) => row.slug === defaultSlug)) {
    slug = defaultSlug;
  } else if (rows.length === 1) {
    slug = (rows[0] as { slug: string }).slug;
  } else if (rows.length === 0) {
    slug = null;
  } else {
    throw new ValidationError(
      `The register has several councils (${rows.map((r) => r.slug).join(", ")}); say which`,
      "council",
    );
  }
  const found = rows.find((row) => row.slug === slug);
  if (found) return found.id;
  // The default council before anything was imported: made as an import would make it.
  return (await findOrCreateCouncil(trx, { slug: defaultSlug, name: defaultName }, actor)).council.id;
}

/** Every account, by email. */
export async function listAccounts(db: Executor): Promise<Account[]> {
  const rows = await db.selectFrom("account").selectAll().orderBy("email").execute();
  return toAccounts(db, rows);
}

/** The account with this email (any case), or null. */
export async function findAccountByEmail(db: Executor, email: string): Promise<Account | null> {
  const row = await accountRowByEmail(db, email.trim().toLowerCase());
  return row ? toAccount(db, row) : null;
}

export async function findAccountById(db: Executor, id: number): Promise<Account | null> {
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const row = await db.selectFrom("account").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toAccount(db, row) : null;
}

/**
 * The account if `password` is its password and it is not disabled; otherwise null, whatever the reason (so a
 * caller cannot tell, and cannot tell anyone else, which emails have accounts). An unknown email, or an account
 * without a password, costs the same argon2 work as a real check, so the time taken does not tell either.
 */
export async function verifyPassword(db: Executor, email: string, password: string): Promise<Account | null> {
  const row = await accountRowByEmail(db, email.trim().toLowerCase());
  if (!row || row.passwordHash === null) {
    await verifyDummyPassword(password);
    return null;
  }
  if (!(await passwordMatches(row.passwordHash, password))) return null;
  if (row.disabledAt !== null) return null;
  return toAccount(db, row);
}

/** Sets (after the password rules) or, with null, removes an account's password (single sign-on only). */
export async function setPassword(
  database: Database,
  email: string,
  password: string | null,
  actor: string,
): Promise<Account> {
  const account = await getAccount(database.db, email);
  if (password !== null) {
    const refused = checkPassword(password, account);
    if (refused) throw refused;
  }
  const passwordHash = password === null ? null : await hashPassword(password);
  return database.transaction(async (trx) => {
    const row = await trx
      .updateTable("account")
      .set({ passwordHash })
      .where("id", "=", account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: password === null ? "account.password-removed" : "account.password-set",
      entity: "account",
      entityId: row.id,
      councilId: row.councilId,
      details: { email: row.email },
    });
    return toAccount(trx, row);
  });
}

/**
 * Disables an account: it can no longer sign in or use its API tokens (open sessions end on their next
 * request). Kept, not deleted, so the audit log's entries still name someone. Disabling twice changes nothing.
 */
export async function disableAccount(database: Database, email: string, actor: string): Promise<Account> {
  const account = await getAccount(database.db, email);
  if (account.disabledAt !== null) return account;
  return database.transaction(async (trx) => {
    const row = await trx
      .updateTable("account")
      .set({ disabledAt: new Date() })
      .where("id", "=", account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "account.disabled",
      entity: "account",
      entityId: row.id,
      councilId: row.councilId,
      details: { email: row.email },
    });
    return toAccount(trx, row);
  });
}

/** The account with this email; NotFoundError when there is none. */
export async function getAccount(db: Executor, email: string): Promise<Account> {
  const account = await findAccountByEmail(db, email);
  if (account === null) throw new NotFoundError(`No account for ${email.trim().toLowerCase()}`);
  return account;
}
