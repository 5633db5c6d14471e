import type { Executor } from "../../storage/database.js";
import { findAccountByEmail } from "../accounts/accounts.js";
import type { Account } from "../accounts/account-rows.js";

export type SingleSignOnAccount = { account: Account } | { refused: string };

/**
 * The account a provider's verified email address signs in to: an existing one only (single sign-on opens no
 * new accounts: an administrator adds them, with their roles), and not a disabled one. Accounts with or without
 * a password alike.
 */
export async function accountForVerifiedEmail(db: Executor, email: string): Promise<SingleSignOnAccount> {
  const account = await findAccountByEmail(db, email);
  if (account === null) return { refused: "no account has this email address" };
  if (account.disabledAt !== null) return { refused: "the account is disabled" };
  return { account };
}
