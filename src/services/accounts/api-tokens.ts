import { createHash, randomBytes } from "node:crypto";
import { ConflictError, NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import { appendAudit } from "../audit/audit-log.js";
import { tokenLabel } from "./account-input.js";
import { toAccount, type Account } from "./account-rows.js";
import { getAccount } from "./accounts.js";

/**
 * API tokens: what programs send (`Authorization: Bearer rsv_…`) to act as an account. A token is 32 random
 * bytes, base64url, after "rsv_" so that logs and secret scanners can recognise one. Only its SHA-256 is
 * kept: a copy of the database (or an export) does not give anyone a working token. A token is shown once,
 * when made; it acts with its account's roles, and stops working the moment it is revoked or the account is
 * disabled. A fast hash is right here (unlike passwords): 256 random bits cannot be guessed.
 */

export const TOKEN_PREFIX = "rsv_";
const TOKEN_PATTERN = /^rsv_[A-Za-z0-9_-]{43}$/;
/** last_used_at is a hint for whoever tidies tokens up, not a log: written at most once a minute. */
const LAST_USED_PRECISION_MS = 60_000;

/** A token as listed: never the token, never its hash. */
export interface ApiTokenView {
  id: number;
  accountId: number;
  email: string;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** SHA-256 of the token as typed, in hex: what api_token.token_hash holds. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Makes a token for the account; `token` is returned here once and never again. */
export async function createApiToken(
  database: Database,
  email: string,
  label: string | null | undefined,
  actor: string,
): Promise<{ token: string; id: number }> {
  const name = tokenLabel(label);
  const account = await getAccount(database.db, email);
  if (account.disabledAt !== null) {
    throw new ConflictError(`The account for ${account.email} is disabled; it cannot have new tokens`);
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const id = await database.transaction(async (trx) => {
    const row = await trx
      .insertInto("apiToken")
      .values({ accountId: account.id, label: name, tokenHash: hashApiToken(token) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "api-token.created",
      entity: "api_token",
      entityId: row.id,
      councilId: account.councilId,
      details: { accountId: account.id, email: account.email, label: name },
    });
    return row.id;
  });
  return { token, id };
}

/**
 * Revokes a token, named by its id or by the token itself; it stops working at once. Revoking a revoked
 * token changes nothing. NotFoundError when there is no such token, or (with `of`, the workspace) when it is
 * not that account's or not of that council.
 */
export async function revokeApiToken(
  database: Database,
  idOrToken: number | string,
  actor: string,
  of: { accountId?: number; councilId?: number } = {},
): Promise<ApiTokenView> {
  const ref = typeof idOrToken === "number" ? String(idOrToken) : idOrToken.trim();
  return database.transaction(async (trx) => {
    const query = tokenViews(trx).forUpdate("apiToken");
    const row = ref.startsWith(TOKEN_PREFIX)
      ? await query.where("apiToken.tokenHash", "=", hashApiToken(ref)).executeTakeFirst()
      : await query.where("apiToken.id", "=", tokenId(ref)).executeTakeFirst();
    // Never echo something that might be a token.
    const outside =
      row !== undefined &&
      ((of.accountId !== undefined && row.accountId !== of.accountId) ||
        (of.councilId !== undefined && row.councilId !== of.councilId));
    if (!row || outside) {
      throw new NotFoundError(ref.startsWith(TOKEN_PREFIX) ? "No such token" : `No token ${ref}`);
    }
    if (row.revokedAt !== null) return row;
    const { revokedAt } = await trx
      .updateTable("apiToken")
      .set({ revokedAt: new Date() })
      .where("id", "=", row.id)
      .returning("revokedAt")
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor,
      action: "api-token.revoked",
      entity: "api_token",
      entityId: row.id,
      councilId: row.councilId,
      details: { accountId: row.accountId, email: row.email, label: row.label },
    });
    const { councilId: _councilId, ...view } = row;
    return { ...view, revokedAt };
  });
}

function tokenId(text: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new ValidationError(`"${text}" is not a token id (a whole number, from resolved token list)`, "id");
  }
  return Number(text);
}

function tokenViews(db: Executor) {
  return db
    .selectFrom("apiToken")
    .innerJoin("account", "account.id", "apiToken.accountId")
    .select([
      "apiToken.id",
      "apiToken.accountId",
      "account.email",
      "account.councilId",
      "apiToken.label",
      "apiToken.createdAt",
      "apiToken.lastUsedAt",
      "apiToken.revokedAt",
    ]);
}

/** Tokens, newest first: every one, or one account's. Never the tokens or their hashes. */
export async function listApiTokens(db: Executor, email?: string): Promise<ApiTokenView[]> {
  let query = tokenViews(db).orderBy("apiToken.id", "desc");
  if (email !== undefined) {
    const account = await getAccount(db, email);
    query = query.where("apiToken.accountId", "=", account.id);
  }
  const rows = await query.execute();
  return rows.map(({ councilId: _councilId, ...view }) => view);
}

/** When each of the council's accounts last used one of its tokens (accounts whose tokens never were: absent). */
export async function lastTokenUseByAccount(db: Executor, councilId: number): Promise<Map<number, Date>> {
  const rows = await db
    .selectFrom("apiToken")
    .innerJoin("account", "account.id", "apiToken.accountId")
    .select((eb) => ["apiToken.accountId", eb.fn.max("apiToken.lastUsedAt").as("lastUsedAt")])
    .where("account.councilId", "=", councilId)
    .where("apiToken.lastUsedAt", "is not", null)
    .groupBy("apiToken.accountId")
    .execute();
  return new Map(rows.map((row) => [row.accountId, new Date(row.lastUsedAt as Date | string)]));
}

/**
 * The account a token acts for, or null: not a token, unknown, revoked, or its account disabled. Notes when
 * it was used (at most once a minute, so busy programs do not write on every request).
 */
export async function findAccountByToken(db: Executor, token: string): Promise<Account | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const found = await db
    .selectFrom("apiToken")
    .innerJoin("account", "account.id", "apiToken.accountId")
    .select(["apiToken.id as tokenId", "apiToken.lastUsedAt"])
    .selectAll("account")
    .where("apiToken.tokenHash", "=", hashApiToken(token))
    .where("apiToken.revokedAt", "is", null)
    .executeTakeFirst();
  if (!found || found.disabledAt !== null) return null;
  const { tokenId: id, lastUsedAt, ...row } = found;
  const now = Date.now();
  if (lastUsedAt === null || now - lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
    await db
      .updateTable("apiToken")
      .set({ lastUsedAt: new Date(now) })
      .where("id", "=", id)
      .where((eb) =>
        eb.or([eb("lastUsedAt", "is", null), eb("lastUsedAt", "<=", new Date(now - LAST_USED_PRECISION_MS))]),
      )
      .execute();
  }
  return toAccount(db, row);
}
