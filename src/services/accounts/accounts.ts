import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import { errorCode } from "../../storage/error-details.js";
import { appendAudit } from "../audit/audit-log.js";
import { DEFAULT_COUNCIL, findOrCreateCouncil } from "../councils/councils.js";
import { findCouncil, matchCouncil } from "../councils/find-council.js";
import { accountName, accountRoles, normaliseEmail, optionalText } from "./account-input.js";
import { linkPerson } from "./account-people.js";
import { endAccountSessions } from "../sessions/session-store.js";
import { guarded, type AccountGuard } from "./account-guard.js";
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
  /** The council by id (the web: the admin's own council); takes precedence over `council`. */
  councilId?: number;
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

/**
 * Every problem with a new account's details that can be found without the database, each naming its field
 * (a form shows them all at once; createAccount stops at the first).
 */
export function newAccountProblems(input: Omit<NewAccount, "actor">): ValidationError[] {
  const problems: ValidationError[] = [];
  const checked = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(error);
      return undefined;
    }
  };
  const email = checked(() => normaliseEmail(input.email));
  const name = checked(() => accountName(input.name));
  const roles = checked(() => accountRoles(input.roles));
  const councillor = roles?.includes("councillor") ?? false;
  const ward = checked(() => optionalText(input.ward, "ward"));
  const party = checked(() => optionalText(input.party, "party"));
  const portfolio = checked(() => optionalText(input.portfolio, "portfolio"));
  const jobTitle = checked(() => optionalText(input.jobTitle, "job-title"));
  if (roles !== undefined && !councillor) {
    for (const [field, value] of [
      ["ward", ward],
      ["party", party],
      ["portfolio", portfolio],
    ] as const) {
      if (value) problems.push(new ValidationError(`Only a councillor has a ${field}`, field));
    }
  } else if (councillor && jobTitle) {
    problems.push(
      new ValidationError("A councillor has no job title; give a cabinet portfolio instead", "job-title"),
    );
  }
  const password = input.password ?? null;
  if (password !== null) {
    const refused = checkPassword(password, { email: email ?? null, name: name ?? null });
    if (refused) problems.push(refused);
  }
  return problems;
}

export async function createAccount(database: Database, input: NewAccount): Promise<Account> {
  // Everything that can be checked without the database is checked before anything is written.
  const [problem] = newAccountProblems(input);
  if (problem) throw problem;
  const email = normaliseEmail(input.email);
  const name = accountName(input.name);
  const roles = accountRoles(input.roles);
  const councillor = roles.includes("councillor");
  const ward = optionalText(input.ward, "ward");
  const party = optionalText(input.party, "party");
  const portfolio = optionalText(input.portfolio, "portfolio");
  const jobTitle = optionalText(input.jobTitle, "job-title");
  const password = input.password ?? null;
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
  if (input.councilId !== undefined) {
    const council = await trx
      .selectFrom("council")
      .select("id")
      .where("id", "=", input.councilId)
      .executeTakeFirst();
    if (!council) throw new NotFoundError(`No council ${input.councilId}`);
    return council.id;
  }
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

/** Every account, by email; with `councilId`, that council's only. */
export async function listAccounts(db: Executor, options: { councilId?: number } = {}): Promise<Account[]> {
  let query = db.selectFrom("account").selectAll().orderBy("email");
  if (options.councilId !== undefined) query = query.where("councilId", "=", options.councilId);
  return toAccounts(db, await query.execute());
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
 * Disables an account: it can no longer sign in or use its API tokens, and its sessions end, all in the
 * transaction that disables it (so from the next request on). Kept, not deleted, so the audit log's entries
 * still name someone. Disabling twice changes nothing. With a guard (the workspace): an account of another
 * council is not found, and an admin cannot disable their own account.
 */
export async function disableAccount(
  database: Database,
  email: string,
  actor: string,
  guard: AccountGuard = {},
): Promise<Account> {
  const account = guarded(await getAccount(database.db, email), guard);
  if (guard.actingAccountId === account.id) {
    throw new ValidationError(
      "You cannot disable your own account: another administrator must, so the council is never left without one",
      "account",
    );
  }
  if (account.disabledAt !== null) return account;
  return database.transaction(async (trx) => {
    const row = await trx
      .updateTable("account")
      .set({ disabledAt: new Date() })
      .where("id", "=", account.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const sessionsEnded = await endAccountSessions(trx, account.id);
    await appendAudit(trx, {
      actor,
      action: "account.disabled",
      entity: "account",
      entityId: row.id,
      councilId: row.councilId,
      details: { email: row.email, sessionsEnded },
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
