import { ConflictError, NotFoundError, PermissionError, ValidationError } from "../../domain/errors.js";
import type { Role } from "../../domain/roles.js";
import type { Database, Executor } from "../../storage/database.js";
import { normaliseEmail } from "../accounts/account-input.js";
import { appendAudit } from "../audit/audit-log.js";

/**
 * Who may enter a KPI's values: officers and admins any KPI's; a service manager the KPIs that name them (the
 * kpi_editor rows); nobody else. The command line runs as the machine's operator, who is trusted as for every
 * other command: the services take the audit label alone (a string) for them, and an account for everyone else.
 */

/** Someone entering values through the workspace or the API: their account, and how the audit log names them. */
export interface AccountEnterer {
  accountId: number;
  roles: readonly Role[];
  /** The audit log's actor. */
  label: string;
}

/** An account (checked against the KPI's list), or the operator's audit label (trusted: the command line). */
export type KpiEnterer = AccountEnterer | string;

export function auditLabelOf(enterer: KpiEnterer): string {
  return typeof enterer === "string" ? enterer : enterer.label;
}

/** Officers and admins may enter any KPI's values. */
function entersAny(enterer: KpiEnterer): boolean {
  return typeof enterer === "string" || enterer.roles.some((r) => r === "officer" || r === "admin");
}

/** The KPIs (ids) an enterer may enter values for: "all", or those naming a service manager. */
export async function enterableKpiIds(db: Executor, enterer: KpiEnterer): Promise<"all" | Set<number>> {
  if (entersAny(enterer)) return "all";
  const account = enterer as AccountEnterer;
  if (!account.roles.includes("service-manager")) return new Set();
  const rows = await db
    .selectFrom("kpiEditor")
    .select("kpiId")
    .where("accountId", "=", account.accountId)
    .execute();
  return new Set(rows.map((r) => r.kpiId));
}

/** PermissionError naming the KPI unless the enterer may enter its values. */
export async function assertMayEnter(
  db: Executor,
  kpi: { id: number; code: string },
  enterer: KpiEnterer,
): Promise<void> {
  const ids = await enterableKpiIds(db, enterer);
  if (ids === "all" || ids.has(kpi.id)) return;
  throw new PermissionError(
    `You may not enter the values of KPI ${kpi.code}: officers, admins and the service managers it names may`,
  );
}

export interface KpiEditor {
  accountId: number;
  email: string;
  name: string;
}

/** The accounts a KPI names, by name. */
export async function listKpiEditors(db: Executor, kpiId: number): Promise<KpiEditor[]> {
  return db
    .selectFrom("kpiEditor")
    .innerJoin("account", "account.id", "kpiEditor.accountId")
    .select(["account.id as accountId", "account.email", "account.name"])
    .where("kpiEditor.kpiId", "=", kpiId)
    .orderBy("account.name")
    .orderBy("account.id")
    .execute();
}

/** An account of the council by email; ValidationError on `field` when there is none. */
export async function councilAccountByEmail(
  db: Executor,
  councilId: number,
  email: string,
  field: string,
): Promise<{ id: number; email: string; name: string }> {
  let normal: string;
  try {
    normal = normaliseEmail(email);
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(`${field}: ${error.message}`, field);
    throw error;
  }
  const row = await db
    .selectFrom("account")
    .select(["id", "email", "name"])
    .where("councilId", "=", councilId)
    .where("email", "=", normal)
    .executeTakeFirst();
  if (!row) throw new ValidationError(`${field}: no account ${normal} in this council`, field);
  return row;
}

async function kpiOf(db: Executor, councilId: number, code: string) {
  const text = code.trim();
  const row =
    (await db
      .selectFrom("kpi")
      .select(["id", "code"])
      .where("councilId", "=", councilId)
      .where("code", "=", text)
      .executeTakeFirst()) ??
    (await db
      .selectFrom("kpi")
      .select(["id", "code"])
      .where("councilId", "=", councilId)
      .where((eb) => eb(eb.fn("lower", ["code"]), "=", text.toLowerCase()))
      .executeTakeFirst());
  if (!row) throw new NotFoundError(`no KPI "${text.slice(0, 40)}"`);
  return row;
}

/** Names an account (by email) as one who may enter the KPI's values, audited; ConflictError when it is already. */
export async function addKpiEditor(
  database: Database,
  councilId: number,
  code: string,
  email: string,
  actor: string,
): Promise<KpiEditor> {
  return database.transaction(async (trx) => {
    const kpi = await kpiOf(trx, councilId, code);
    const account = await councilAccountByEmail(trx, councilId, email, "email");
    const inserted = await trx
      .insertInto("kpiEditor")
      .values({ kpiId: kpi.id, accountId: account.id })
      .onConflict((oc) => oc.doNothing())
      .returning("kpiId")
      .executeTakeFirst();
    if (!inserted) throw new ConflictError(`${account.email} already enters the values of ${kpi.code}`);
    await appendAudit(trx, {
      actor,
      action: "kpi.editor-added",
      entity: "kpi",
      entityId: kpi.id,
      councilId,
      details: { code: kpi.code, accountId: account.id, email: account.email },
    });
    return { accountId: account.id, email: account.email, name: account.name };
  });
}

/** Takes an account off a KPI's list, audited; NotFoundError when it is not on it. */
export async function removeKpiEditor(
  database: Database,
  councilId: number,
  code: string,
  accountId: number,
  actor: string,
): Promise<void> {
  await database.transaction(async (trx) => {
    const kpi = await kpiOf(trx, councilId, code);
    const removed = await trx
      .deleteFrom("kpiEditor")
      .where("kpiId", "=", kpi.id)
      .where("accountId", "=", accountId)
      .returning("accountId")
      .executeTakeFirst();
    if (!removed) throw new NotFoundError(`account ${accountId} does not enter the values of ${kpi.code}`);
    const account = await trx
      .selectFrom("account")
      .select("email")
      .where("id", "=", accountId)
      .executeTakeFirst();
    await appendAudit(trx, {
      actor,
      action: "kpi.editor-removed",
      entity: "kpi",
      entityId: kpi.id,
      councilId,
      details: { code: kpi.code, accountId, email: account?.email ?? null },
    });
  });
}
