import { sql } from "kysely";
import type { DecisionRecord } from "../../domain/decision-record.js";
import type { Executor } from "../../storage/database.js";
import { sourceDocumentRow } from "./import-rows.js";
import type { ImportInput } from "./import-types.js";

/** The original documents, byte for byte, each stored once. */

/** The original bytes, stored once: the same bytes imported again (even for another decision) reuse the row. */
export async function storeOriginal(
  trx: Executor,
  input: ImportInput,
  record: DecisionRecord,
  actor: string,
): Promise<number> {
  const inserted = await trx
    .insertInto("sourceDocument")
    .values(sourceDocumentRow(input, record, actor))
    .onConflict((oc) => oc.column("sha256").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const existing = await trx
    .selectFrom("sourceDocument")
    .select("id")
    .where("sha256", "=", record.source!.sha256)
    .executeTakeFirstOrThrow();
  return existing.id;
}

/**
 * The originals of several documents, each stored once (as storeOriginal): their source_document ids, in the
 * order given. `bytesAsHex` sends the bytes as hex text for the database to decode: PGlite's own bytea encoder
 * is slow (about 0.25 ms for a 3 kB document), while pg sends a Buffer as it is.
 */
export async function storeOriginals(
  trx: Executor,
  documents: readonly { input: ImportInput; record: DecisionRecord }[],
  actor: string,
  options: { bytesAsHex?: boolean } = {},
): Promise<number[]> {
  if (documents.length === 0) return [];
  const sha256Of = (d: { record: DecisionRecord }) => d.record.source!.sha256;
  const first = new Map<string, { input: ImportInput; record: DecisionRecord }>();
  for (const d of documents) if (!first.has(sha256Of(d))) first.set(sha256Of(d), d);
  const rows = [...first.values()].map((d) => {
    const row = sourceDocumentRow(d.input, d.record, actor);
    if (!options.bytesAsHex) return row;
    const hex = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength).toString("hex");
    return { ...row, bytes: sql<Uint8Array>`decode(${hex}, 'hex')` };
  });
  const inserted = await trx
    .insertInto("sourceDocument")
    .values(rows)
    .onConflict((oc) => oc.column("sha256").doNothing())
    .returning(["id", "sha256"])
    .execute();
  const ids = new Map(inserted.map((row) => [row.sha256, row.id]));
  const existing = [...first.keys()].filter((sha256) => !ids.has(sha256));
  if (existing.length > 0) {
    const found = await trx
      .selectFrom("sourceDocument")
      .select(["id", "sha256"])
      .where("sha256", "in", existing)
      .execute();
    for (const row of found) ids.set(row.sha256, row.id);
  }
  return documents.map((d) => {
    const id = ids.get(sha256Of(d));
    if (id === undefined) throw new Error(`the original ${d.input.fileName} was not stored`);
    return id;
  });
}
