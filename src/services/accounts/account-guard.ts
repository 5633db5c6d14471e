import { NotFoundError } from "../../domain/errors.js";
import type { Account } from "./account-rows.js";

/**
 * What the workspace adds to a change of an account: the admin's own council (an account of another council is
 * not found, as if it did not exist) and who the admin is (they may not disable their own account or take away
 * their own admin role, so a council is never left without an admin). The CLI, run by whoever runs the server,
 * gives none.
 */
export interface AccountGuard {
  councilId?: number;
  actingAccountId?: number;
}

/** The account, if the guard's council is its council; NotFoundError otherwise. */
export function guarded(account: Account, guard: AccountGuard): Account {
  if (guard.councilId !== undefined && account.councilId !== guard.councilId) {
    throw new NotFoundError(`No account ${account.id}`);
  }
  return account;
}
