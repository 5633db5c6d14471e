import type { IsoDate } from "../../domain/iso-date.js";

/** The rows of a search in result order, before they are loaded: what orders them and what pages them. */

export interface OrderedRow {
  id: number;
  meetingDate: IsoDate;
  publishedOn: IsoDate | null;
  rank: number | null;
  phase: 0 | 1 | null;
}

/** Compares two rows in the order of the results (negative: a comes first). */
export function compareRanked(a: OrderedRow, b: OrderedRow): number {
  return (
    (b.rank ?? 0) - (a.rank ?? 0) ||
    compareDates(b.meetingDate, a.meetingDate) ||
    compareDates(b.publishedOn ?? "", a.publishedOn ?? "") ||
    b.id - a.id
  );
}

export function compareDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows after the cursor's key (or from `offset`), at most `want` of them, from rows in result order. */
export function sliceAfter(
  rows: OrderedRow[],
  key: unknown[] | undefined,
  offset: number,
  want: number,
  strategy: "ranked" | "candidates",
): OrderedRow[] {
  if (!key) return rows.slice(offset, offset + want);
  const k = strategy === "ranked" ? key : key.slice(1);
  const marker: OrderedRow = {
    rank: k[0] as number,
    meetingDate: k[1] as IsoDate,
    publishedOn: k[2] as IsoDate | null,
    id: k[3] as number,
    phase: 0,
  };
  const start = rows.findIndex((row) => compareRanked(marker, row) < 0);
  return start === -1 ? [] : rows.slice(start, start + want);
}
