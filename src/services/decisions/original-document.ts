import { sql } from "kysely";
import { ukDateOf } from "../../domain/uk-time.js";
import type { Executor } from "../../storage/database.js";

/** A public decision's original document, as imported (for /decisions/:id/original). */

export interface OriginalDocument {
  decisionId: number;
  version: number;
  fileName: string;
  mediaType: string;
  sha256: string;
  bytes: Buffer;
}

/**
 * The original document a public decision's version (default: the current one) was imported from; null when
 * there is no such public decision or version, or it has no original.
 */
export async function getOriginalDocument(
  db: Executor,
  decisionId: number,
  at: Date,
  version?: number,
): Promise<OriginalDocument | null> {
  if (!Number.isInteger(decisionId) || decisionId < 1 || decisionId > 2_147_483_647) return null;
  const { rows } = await sql<{
    version: number;
    fileName: string;
    mediaType: string;
    sha256: string;
    bytes: Buffer;
  }>`
    select v.version, s.file_name, s.media_type, s.sha256, s.bytes
    from decision d
    join decision_version v on v.decision_id = d.id and v.version = coalesce(${version ?? null}::int, d.current_version)
    join source_document s on s.id = v.source_document_id
    where d.id = ${decisionId}::int and d.status <> 'draft' and d.published_on <= ${ukDateOf(at)}::date`.execute(
    db,
  );
  const row = rows[0];
  if (!row) return null;
  return { decisionId, ...row, bytes: Buffer.from(row.bytes) };
}
