import { NotFoundError } from "../../domain/errors.js";
import type { Account } from "../../services/accounts/index.js";
import { getDecision, type DecisionDetail } from "../../services/decisions/index.js";
import type { RouteDeps } from "../route-plugin.js";

/** A decision's (or a call-in request's) id as it may appear in an address. */
export const DECISION_ID = /^\d{1,9}$/;

/**
 * A published decision of the account's own council, as of the route's clock. Anything else is not found:
 * drafts are not shown here, and another council's decisions are not this account's business.
 */
export async function workspaceDecision(
  deps: RouteDeps,
  account: Account,
  id: string,
): Promise<DecisionDetail> {
  if (!DECISION_ID.test(id)) throw new NotFoundError(`no decision ${id}`);
  const decision = await getDecision(deps.database.db, Number(id), deps.now());
  if (decision.council.id !== account.councilId || decision.publicationState === "draft") {
    throw new NotFoundError(`no decision ${id}`);
  }
  return decision;
}
