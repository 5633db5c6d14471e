import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { DatabaseSchema } from "../../src/storage/schema.js";
import type { WrittenDocument } from "./write-documents.js";

/**
 * What the register must hold after an import was killed at any moment, in SQL over the schema
 * (src/storage/schema.ts and the migrations): every decision whole (its versions, each with its original whose
 * bytes give its SHA-256, the record naming that original, its search vectors, the audit entry of its import,
 * a status timeline or the mark to derive one), or absent; nothing twice; every original one of the files
 * imported, with the file's SHA-256. Each check counts the rows that break it: all must be 0.
 */

export interface RegisterState {
  decisions: number;
  versions: number;
  originals: number;
  auditEntries: number;
  /** Decisions whose status timeline is still to be derived (an import killed before it tidied up). */
  timelinesPending: number;
  /** Each broken rule with how many rows break it; empty when the register is consistent. */
  problems: string[];
}

const RULES: { what: string; count: RawBuilder<{ n: number }> }[] = [
  {
    what: "decisions without their current version",
    count: sql<{ n: number }>`select count(*)::int as n from decision d where not exists (
      select 1 from decision_version v where v.decision_id = d.id and v.version = d.current_version)`,
  },
  {
    what: "decisions whose versions are not 1 to the current one",
    count: sql<{ n: number }>`select count(*)::int as n from decision d where (
      select count(distinct v.version) from decision_version v
      where v.decision_id = d.id and v.version between 1 and d.current_version) <> d.current_version
      or exists (select 1 from decision_version v where v.decision_id = d.id and v.version > d.current_version)`,
  },
  {
    what: "versions without their original document",
    count: sql<{ n: number }>`select count(*)::int as n from decision_version v
      where v.source_document_id is null
      or not exists (select 1 from source_document s where s.id = v.source_document_id)`,
  },
  {
    what: "originals whose bytes do not give their SHA-256 or size",
    count: sql<{ n: number }>`select count(*)::int as n from source_document
      where sha256 <> encode(sha256(bytes), 'hex') or size <> length(bytes)`,
  },
  {
    what: "versions whose record names another original",
    count: sql<{
      n: number;
    }>`select count(*)::int as n from decision_version v join source_document s on s.id = v.source_document_id
      where v.record -> 'source' ->> 'sha256' is distinct from s.sha256`,
  },
  {
    what: "originals no version refers to",
    count: sql<{ n: number }>`select count(*)::int as n from source_document s
      where not exists (select 1 from decision_version v where v.source_document_id = s.id)`,
  },
  {
    what: "decisions with an empty search vector",
    count: sql<{
      n: number;
    }>`select count(*)::int as n from decision where length(search) = 0 or length(search_head) = 0`,
  },
  {
    what: "decisions without the audit entry of their import",
    count: sql<{ n: number }>`select count(*)::int as n from decision d where not exists (
      select 1 from audit_log a
      where a.entity = 'decision' and a.entity_id = d.id::text and a.action = 'decision.imported')`,
  },
  {
    what: "import audit entries of decisions not in the register",
    count: sql<{ n: number }>`select count(*)::int as n from audit_log a
      where a.action = 'decision.imported'
      and not exists (select 1 from decision d where d.id::text = a.entity_id)`,
  },
  {
    what: "decisions imported twice (audit)",
    count: sql<{ n: number }>`select count(*)::int as n from (select entity_id from audit_log
      where action = 'decision.imported' group by entity_id having count(*) > 1) twice`,
  },
  {
    what: "decisions with neither a status timeline nor a mark to derive one",
    count: sql<{ n: number }>`select count(*)::int as n from decision d
      where not exists (select 1 from derived.decision_status_period p where p.decision_id = d.id)
      and not exists (select 1 from derived.decision_dirty m where m.decision_id = d.id)`,
  },
  {
    what: "record identifiers held by more than one decision",
    count: sql<{ n: number }>`select count(*)::int as n from (select council_id, record_id from decision
      where record_id is not null group by council_id, record_id having count(*) > 1) twice`,
  },
  {
    what: "files stored as more than one original",
    count: sql<{ n: number }>`select count(*)::int as n from (select file_name from source_document
      group by file_name having count(*) > 1) twice`,
  },
];

/** Whole or absent: the rules above, and every original one of `files` with the file's SHA-256. */
export async function checkWholeOrAbsent(
  db: Kysely<DatabaseSchema>,
  files: readonly WrittenDocument[],
): Promise<RegisterState> {
  const problems: string[] = [];
  for (const rule of RULES) {
    const { rows } = await rule.count.execute(db);
    const n = rows[0]?.n ?? -1;
    if (n !== 0) problems.push(`${rule.what}: ${n}`);
  }
  const byName = new Map(files.map((file) => [file.fileName, file]));
  const { rows: current } = await sql<{ recordId: string | null; fileName: string; sha256: string }>`
    select d.record_id as "recordId", s.file_name as "fileName", s.sha256
    from decision d
    join decision_version v on v.decision_id = d.id and v.version = d.current_version
    join source_document s on s.id = v.source_document_id`.execute(db);
  let strangers = 0;
  let otherBytes = 0;
  let misfiled = 0;
  for (const row of current) {
    const file = byName.get(row.fileName);
    if (!file) strangers++;
    else if (file.sha256 !== row.sha256) otherBytes++;
    else if (`${row.recordId}.txt` !== row.fileName) misfiled++;
  }
  if (strangers > 0) problems.push(`decisions whose original is none of the files: ${strangers}`);
  if (otherBytes > 0) problems.push(`originals whose SHA-256 differs from their file's: ${otherBytes}`);
  if (misfiled > 0) problems.push(`decisions filed from another record's document: ${misfiled}`);

  const { rows } = await sql<{
    decisions: number;
    versions: number;
    originals: number;
    auditEntries: number;
    timelinesPending: number;
  }>`
    select (select count(*)::int from decision) as decisions,
      (select count(*)::int from decision_version) as versions,
      (select count(*)::int from source_document) as originals,
      (select count(*)::int from audit_log) as "auditEntries",
      (select count(distinct decision_id)::int from derived.decision_dirty) as "timelinesPending"`.execute(
    db,
  );
  return { ...rows[0]!, problems };
}

export interface CompleteState extends RegisterState {
  /** Originals compared byte for byte with their files. */
  comparedByteForByte: number;
}

/**
 * After an import ran to the end: whole or absent, and complete: one decision and one original for each file,
 * every original equal to its file byte for byte.
 */
export async function checkComplete(
  db: Kysely<DatabaseSchema>,
  dir: string,
  files: readonly WrittenDocument[],
): Promise<CompleteState> {
  const state = await checkWholeOrAbsent(db, files);
  const problems = [...state.problems];
  if (state.decisions !== files.length) {
    problems.push(`${state.decisions} decisions for ${files.length} files`);
  }
  if (state.originals !== files.length) {
    problems.push(`${state.originals} originals for ${files.length} files`);
  }
  const seen = new Set<string>();
  let differing = 0;
  let compared = 0;
  const page = 500;
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom("sourceDocument")
      .select(["id", "fileName", "bytes"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(page)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      seen.add(row.fileName);
      const onDisk = await readFile(join(dir, row.fileName)).catch(() => undefined);
      if (!onDisk || !Buffer.from(row.bytes).equals(onDisk)) differing++;
      compared++;
    }
    after = rows[rows.length - 1]!.id;
  }
  const missing = files.filter((file) => !seen.has(file.fileName)).length;
  if (differing > 0) problems.push(`originals that differ from their file: ${differing}`);
  if (missing > 0) problems.push(`files with no original in the register: ${missing}`);
  return { ...state, problems, comparedByteForByte: compared };
}
