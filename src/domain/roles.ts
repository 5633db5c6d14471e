/**
 * What a signed-in person may do, by role (an account may hold several):
 *
 * - officer: democratic services: meetings, drafts, corrections;
 * - proper-officer: publishes decision records (one who also drafts holds the officer role too);
 * - councillor: starts and signs call-in requests (the account is also the councillor's person record);
 * - scrutiny-chair: records scrutiny outcomes and consents to urgency;
 * - admin: people, accounts and the council's settings (call-in rule, signatory threshold, closure days);
 * - service-manager: enters the values of the KPIs that name them (officers and admins may enter any KPI's).
 *
 * The public needs no account.
 */
export const ROLES = [
  "officer",
  "proper-officer",
  "councillor",
  "scrutiny-chair",
  "admin",
  "service-manager",
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
