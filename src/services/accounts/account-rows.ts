import { ROLES, type Role } from "../../domain/roles.js";
import type { Executor } from "../../storage/database.js";
import type { AccountRow } from "../../storage/schema.js";

/** Someone who may sign in, as the rest of the program sees them: never the password hash. */
export interface Account {
  id: number;
  /** Lower-case; the sign-in name. */
  email: string;
  name: string;
  /** In the order of ROLES (src/domain/roles.ts). */
  roles: Role[];
  /** The account's person record: always set for a councillor. */
  personId: number | null;
  councilId: number;
  /** When the account was disabled; a disabled account cannot sign in or use its tokens. */
  disabledAt: Date | null;
  /** False for an account that signs in only through single sign-on. */
  hasPassword: boolean;
}

/** Rows as Accounts, with their roles (one more query for all of them). */
export async function toAccounts(db: Executor, rows: readonly AccountRow[]): Promise<Account[]> {
  if (rows.length === 0) return [];
  const roleRows = await db
    .selectFrom("accountRole")
    .select(["accountId", "role"])
    .where(
      "accountId",
      "in",
      rows.map((row) => row.id),
    )
    .execute();
  return rows.map((row) => {
    const held = new Set(roleRows.filter((r) => r.accountId === row.id).map((r) => r.role));
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      roles: ROLES.filter((role) => held.has(role)),
      personId: row.personId,
      councilId: row.councilId,
      disabledAt: row.disabledAt,
      hasPassword: row.passwordHash !== null,
    };
  });
}

export async function toAccount(db: Executor, row: AccountRow): Promise<Account> {
  return (await toAccounts(db, [row]))[0] as Account;
}

/** The account's row by its (already lower-cased) email, or undefined. */
export function accountRowByEmail(db: Executor, email: string): Promise<AccountRow | undefined> {
  return db.selectFrom("account").selectAll().where("email", "=", email).executeTakeFirst();
}
