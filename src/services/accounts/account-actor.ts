import type { Account } from "./account-rows.js";

/**
 * Who is making a change through the workspace or the API, as services need them: the council they act for,
 * the name a record is signed with, their person record (a councillor's), and how the audit log names them.
 */
export interface Actor {
  accountId: number;
  councilId: number;
  name: string;
  personId: number | null;
  /** The audit log's `actor`: "account 12 (jane.smith@council.example)". */
  label: string;
}

/**
 * Who acts for a council where no account need stand behind it: an account's Actor (web, API), or the CLI and
 * the example loader, named by a label ("cli:jane", "resolved:examples") and acting for one council.
 */
export type CouncilActor = Pick<Actor, "label" | "councilId">;

export function actorFor(account: Account): Actor {
  return {
    accountId: account.id,
    councilId: account.councilId,
    name: account.name,
    personId: account.personId,
    label: `account ${account.id} (${account.email})`,
  };
}
