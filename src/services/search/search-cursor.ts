import { createHash } from "node:crypto";
import { ValidationError } from "../../domain/errors.js";
import { isValidIsoDate, type IsoDate } from "../../domain/iso-date.js";
import type { OrderedRow } from "./search-order.js";
import type { ResolvedQuery } from "./search-query.js";
import type { SearchStrategy } from "./search-result.js";

// Cursors: opaque to clients, base64url JSON inside. A cursor names the last result of a page by its sort key,
// so the next page starts after it even when decisions are added in between.

export type DateKey = [meetingDate: IsoDate, publishedOn: IsoDate | null, id: number];

export interface CursorData {
  v: 1;
  /** The search it belongs to: a hash of the filters and sort. */
  h: string;
  s: SearchStrategy;
  /** ranked: [rank, ...DateKey]; candidates: [phase, rank | null, ...DateKey]; browse/date: DateKey. */
  k: unknown[];
}

export function searchHash(resolved: ResolvedQuery): string {
  const identity = [
    resolved.q ?? "",
    resolved.from ?? "",
    resolved.to ?? "",
    resolved.body?.toLowerCase() ?? "",
    resolved.status ?? "",
    String(resolved.callIn ?? ""),
    String(resolved.key ?? ""),
    resolved.sort,
  ];
  return createHash("sha256").update(JSON.stringify(identity)).digest("base64url").slice(0, 12);
}

export function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify(data)).toString("base64url");
}

/** The error for a cursor that cannot be used: the searches' and the meeting list's (meeting-pages.ts). */
export function badCursor(reason: string): ValidationError {
  return new ValidationError(
    `cursor: ${reason}; follow links.next, or leave the cursor out to start again`,
    "cursor",
  );
}

const STRATEGIES: readonly SearchStrategy[] = ["browse", "date", "ranked", "candidates"];

export function decodeCursor(text: string, hash: string): CursorData {
  let data: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
    data = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw badCursor("is not one this service gave");
  }
  const cursor = data as Partial<CursorData>;
  if (
    typeof cursor !== "object" ||
    cursor === null ||
    cursor.v !== 1 ||
    typeof cursor.h !== "string" ||
    !STRATEGIES.includes(cursor.s as SearchStrategy) ||
    !Array.isArray(cursor.k)
  ) {
    throw badCursor("is not one this service gave");
  }
  if (cursor.h !== hash) throw badCursor("belongs to a different search (the filters or sort have changed)");
  const k = cursor.k;
  const isDateKey = (key: unknown[]) =>
    key.length === 3 &&
    typeof key[0] === "string" &&
    isValidIsoDate(key[0]) &&
    (key[1] === null || (typeof key[1] === "string" && isValidIsoDate(key[1]))) &&
    Number.isInteger(key[2]);
  const valid =
    cursor.s === "ranked"
      ? k.length === 4 && Number.isFinite(k[0]) && isDateKey(k.slice(1))
      : cursor.s === "candidates"
        ? k.length === 5 &&
          (k[0] === 0 || k[0] === 1) &&
          (k[1] === null || Number.isFinite(k[1])) &&
          isDateKey(k.slice(2))
        : isDateKey(k);
  if (!valid) throw badCursor("is not one this service gave");
  return cursor as CursorData;
}

/** The cursor key naming `row`, the last of a page, in a search of this strategy. */
export function keyOf(row: OrderedRow, strategy: SearchStrategy): unknown[] {
  const dateKey: DateKey = [row.meetingDate, row.publishedOn, row.id];
  if (strategy === "ranked") return [row.rank, ...dateKey];
  if (strategy === "candidates") return [row.phase ?? 1, row.phase === 0 ? row.rank : null, ...dateKey];
  return dateKey;
}
