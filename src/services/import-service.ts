import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { sql } from "kysely";
import type { DecisionRecord } from "../domain/decision-record.js";
import type { IsoDate } from "../domain/iso-date.js";
import { DocumentError, NotFoundError, ValidationError } from "../domain/errors.js";
import { listDocumentFiles } from "../import/list-document-files.js";
import { parseDocument } from "../import/parse-document.js";
import type { ParsedRecord } from "../import/proforma-parser.js";
import type { Database, Executor } from "../storage/database.js";
import type { BodyKind } from "../storage/schema.js";
import { declarationRows, insertDeclarations } from "./declarations.js";
import { appendAudit, appendAuditEntries, type AuditEntry } from "./audit.js";
import { batchSizeOf, inOverlappingBatches, parseInputs, storeParsedBatch } from "./bulk-import.js";
import { tidyAfterBulkImport } from "./register-maintenance.js";
import {
  DEFAULT_COUNCIL,
  findOrCreateCouncil,
  getCouncil,
  slugForCouncilName,
  type Council,
} from "./council-service.js";
import {
  addDecisionVersion,
  callInFactsFor,
  type CallInFacts,
  decisionColumnsFromRecord,
  duplicateRecordId,
  recordContentKey,
} from "./decision-versions.js";

/**
 * Importing a council's document into the register: parse it, then in ONE transaction find or create the
 * council, body and meeting, keep the original bytes, and add the decision (version 1) or a new version of the
 * decision it records. Importing the same file again writes nothing.
 */

export type ImportOutcome = "imported" | "unchanged" | "new-version";

export interface ImportWarning {
  /** 1-based line in the text extracted from the document, when known. */
  line?: number;
  message: string;
}

export interface ImportResult {
  outcome: ImportOutcome;
  decisionId: number;
  /** The version this document is (for "unchanged", the version it matched). */
  version: number;
  recordId: string | null;
  title: string;
  /** Everything the person importing should look at: the parser's warnings, then the register's checks. */
  warnings: string[];
  /** The same warnings with the line each refers to, where known (for `FILE:LINE: warning: ...`). */
  warningDetails: ImportWarning[];
}

export interface ImportInput {
  bytes: Uint8Array;
  /** The original's name, kept with its bytes; a base name is best ("D080067.pdf"). */
  fileName: string;
  /** Where the document was published, if known. */
  sourceUrl?: string;
}

export interface ImportOptions {
  /** Council slug. Default: the council the record names, else `defaultCouncil`. */
  council?: string;
  /** The configured default council (RESOLVED_COUNCIL), for records that do not name theirs. */
  defaultCouncil?: string;
  /** Who is importing, for the audit log and the stored original. */
  actor: string;
}

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Parses `input` (outside any transaction) and stores it (inside one). Throws DocumentError for a document that
 * is not a decision record, ValidationError / NotFoundError for options that cannot be used, ConflictError when
 * another import of the same record committed first (its identifier is taken); nothing is written then.
 */
export async function importDocument(
  database: Database,
  input: ImportInput,
  options: ImportOptions,
): Promise<ImportResult> {
  checkImportOptions(options);
  const parsed = await parseDocument(input.bytes, input.fileName);
  const record = parsed.record;
  const sha256 = record.source?.sha256;
  if (!sha256) throw new Error("parseDocument returned a record without its source");
  const parseWarnings = parseWarningsOf(parsed);

  return database.transaction(async (trx) => {
    const target = resolveCouncil(record, options);
    const existingCouncil = await findCouncil(trx, target.slug);
    const ownWarnings = councilWarnings(record, options, target, existingCouncil?.name);
    const result = (
      outcome: ImportOutcome,
      decisionId: number,
      version: number,
      extra: ImportWarning[],
    ): ImportResult =>
      importResult(record, outcome, decisionId, version, [...parseWarnings, ...ownWarnings, ...extra]);

    // Read-only first: a file already in the register must write nothing at all.
    const existingBody = existingCouncil ? await findBody(trx, existingCouncil.id, record.body) : undefined;
    const match = existingCouncil
      ? (await findDecisions(trx, existingCouncil.id, [{ bodyId: existingBody?.id, record }]))[0]
      : undefined;
    if (existingCouncil && match) {
      const [sameFile] = await findSameFileVersions(trx, [{ decisionId: match.id, sha256 }]);
      if (sameFile !== undefined) {
        return result(
          "unchanged",
          match.id,
          sameFile,
          unchangedWarnings(existingCouncil, record, match, sameFile),
        );
      }
      const current = await trx
        .selectFrom("decisionVersion")
        .select("record")
        .where("decisionId", "=", match.id)
        .where("version", "=", match.currentVersion)
        .executeTakeFirstOrThrow();
      if (recordContentKey(current.record) === recordContentKey(record)) {
        // Different bytes (a re-saved PDF, say) but the same record: nothing to add.
        const facts = callInFactsFor(existingCouncil, record, { urgent: match.urgent });
        return result("unchanged", match.id, match.currentVersion, facts.warnings);
      }
    }

    const council = existingCouncil ?? (await createCouncil(trx, target, options.actor));
    const body = existingBody ?? (await createBody(trx, council, record.body, options.actor));
    const meeting = await findOrCreateMeeting(trx, council, body.id, record.meetingDate, options.actor);
    const sourceDocumentId = await storeOriginal(trx, input, record, options.actor);

    if (match) {
      const added = await addDecisionVersion(trx, match.id, record, {
        reason: `Re-imported from ${input.fileName}: differs from version ${match.currentVersion}`,
        sourceDocumentId,
        actor: options.actor,
      });
      // The importer also files the decision under the record's body and meeting (a corrected meeting date),
      // and publishes a draft: imported records are published ones.
      if (match.bodyId !== body.id || match.meetingId !== meeting.id || match.status === "draft") {
        await trx
          .updateTable("decision")
          .set({
            bodyId: body.id,
            meetingId: meeting.id,
            ...(match.status === "draft" && { status: "published" as const }),
          })
          .where("id", "=", match.id)
          .execute();
      }
      return result("new-version", match.id, added.version, added.warnings);
    }

    const facts = callInFactsFor(council, record);
    let decisionId: number;
    try {
      const inserted = await trx
        .insertInto("decision")
        .values(newDecisionRow(council.id, body.id, meeting.id, record, facts))
        .returning("id")
        .executeTakeFirstOrThrow();
      decisionId = inserted.id;
    } catch (error) {
      throw duplicateRecordId(error, record, council) ?? error;
    }
    // The decision's current_version foreign key is deferred: checked when this transaction commits.
    await trx
      .insertInto("decisionVersion")
      .values(firstVersionRow(decisionId, record, sourceDocumentId, options.actor))
      .execute();
    await insertDeclarations(trx, declarationRows(decisionId, record));
    await appendAudit(
      trx,
      importedAuditEntry({
        council,
        decisionId,
        fileName: input.fileName,
        record,
        sourceDocumentId,
        facts,
        actor: options.actor,
      }),
    );
    return result("imported", decisionId, 1, facts.warnings);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The pieces of an import, shared with the bulk importer (bulk-import.ts) so both follow the same rules.

/** The parser's warnings as import warnings. */
export function parseWarningsOf(parsed: Pick<ParsedRecord, "warnings">): ImportWarning[] {
  return parsed.warnings.map((w) => ({
    ...(w.line !== undefined && { line: w.line }),
    message: w.message,
  }));
}

/** When `--council` files a record under another council than the one it names: say so. */
export function councilWarnings(
  record: DecisionRecord,
  options: Pick<ImportOptions, "council">,
  target: CouncilTarget,
  existingCouncilName: string | undefined,
): ImportWarning[] {
  if (record.council && slugForCouncilName(record.council) !== target.slug && options.council) {
    return [
      {
        ...lineOf(record, "council"),
        message: `the record names ${record.council}; imported into ${existingCouncilName ?? target.slug} as asked (--council ${target.slug})`,
      },
    ];
  }
  return [];
}

export function importResult(
  record: DecisionRecord,
  outcome: ImportOutcome,
  decisionId: number,
  version: number,
  warningDetails: ImportWarning[],
): ImportResult {
  return {
    outcome,
    decisionId,
    version,
    recordId: record.recordId,
    title: record.title,
    warnings: warningDetails.map((w) => w.message),
    warningDetails,
  };
}

/** The warnings for a file that is already version `fileVersion` of the decision it matched. */
export function unchangedWarnings(
  council: Council,
  record: DecisionRecord,
  match: Pick<MatchedDecision, "currentVersion" | "urgent">,
  fileVersion: number,
): ImportWarning[] {
  const facts = callInFactsFor(council, record, { urgent: match.urgent });
  const older =
    fileVersion < match.currentVersion
      ? [
          {
            message:
              `this file is version ${fileVersion} of the decision; the register holds version ` +
              `${match.currentVersion}, which is left as it is`,
          },
        ]
      : [];
  return [...facts.warnings, ...older];
}

/** The decision row for a record imported for the first time (version 1, published). */
export function newDecisionRow(
  councilId: number,
  bodyId: number,
  meetingId: number,
  record: DecisionRecord,
  facts: CallInFacts,
) {
  return {
    councilId,
    bodyId,
    meetingId,
    ...decisionColumnsFromRecord(record),
    status: "published" as const,
    notSubjectToCallIn: facts.notSubjectToCallIn,
    expectedCallInDeadline: facts.expectedCallInDeadline,
    deadlineMismatch: facts.deadlineMismatch,
    currentVersion: 1,
  };
}

export function firstVersionRow(
  decisionId: number,
  record: DecisionRecord,
  sourceDocumentId: number,
  actor: string,
) {
  return {
    decisionId,
    version: 1,
    record: JSON.stringify(record),
    reason: null,
    sourceDocumentId,
    createdBy: actor,
  };
}

/** The original document's row; sha256 and size are computed by the database. */
export function sourceDocumentRow(input: ImportInput, record: DecisionRecord, actor: string) {
  return {
    bytes: input.bytes,
    mediaType: record.source?.mediaType ?? "application/octet-stream",
    fileName: input.fileName,
    sourceUrl: input.sourceUrl ?? null,
    importedBy: actor,
  };
}

export function importedAuditEntry(imported: {
  council: Pick<Council, "id">;
  decisionId: number;
  fileName: string;
  record: DecisionRecord;
  sourceDocumentId: number;
  facts: CallInFacts;
  actor: string;
}): AuditEntry {
  const { record, facts } = imported;
  return {
    actor: imported.actor,
    action: "decision.imported",
    entity: "decision",
    entityId: imported.decisionId,
    councilId: imported.council.id,
    details: {
      version: 1,
      fileName: imported.fileName,
      sha256: record.source?.sha256 ?? null,
      sourceDocumentId: imported.sourceDocumentId,
      recordId: record.recordId,
      title: record.title,
      ...(facts.deadlineMismatch && {
        deadlineMismatch: true,
        callInDeadline: record.callIn.deadline,
        expectedCallInDeadline: facts.expectedCallInDeadline,
      }),
    },
  };
}

/** Throws ValidationError for options no document could be imported with (checked again by each import). */
export function checkImportOptions(options: Pick<ImportOptions, "council">): void {
  if (options.council !== undefined && !SLUG_PATTERN.test(options.council)) {
    throw new ValidationError(
      `"${options.council}" is not a council slug (lower-case words joined by hyphens, e.g. stockton-on-tees)`,
      "council",
    );
  }
}

export interface CouncilTarget {
  slug: string;
  /** The name to give the council if it has to be created. */
  name: string | undefined;
}

/** The council a record goes to: the one asked for, else the one it names, else the default. */
export function resolveCouncil(
  record: DecisionRecord,
  options: Pick<ImportOptions, "council" | "defaultCouncil">,
): CouncilTarget {
  if (options.council !== undefined) {
    const slug = options.council;
    const named = record.council && slugForCouncilName(record.council) === slug ? record.council : undefined;
    return { slug, name: named ?? (slug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : undefined) };
  }
  if (record.council) return { slug: slugForCouncilName(record.council), name: record.council };
  const slug = options.defaultCouncil ?? DEFAULT_COUNCIL.slug;
  return { slug, name: slug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : undefined };
}

export async function findCouncil(trx: Executor, slug: string): Promise<Council | undefined> {
  const row = await trx.selectFrom("council").select("id").where("slug", "=", slug).executeTakeFirst();
  return row ? getCouncil(trx, slug) : undefined;
}

/**
 * A council is created on first sight only when we know its name: the record names it, or it is the default.
 * A slug given on the command line that matches neither is more likely a typo than a new council.
 */
export async function createCouncil(trx: Executor, target: CouncilTarget, actor: string): Promise<Council> {
  if (target.name === undefined) {
    const known = await trx.selectFrom("council").select("slug").orderBy("slug").execute();
    const hint =
      known.length > 0
        ? `known councils: ${known.map((c) => c.slug).join(", ")}`
        : "the register has no councils yet";
    throw new NotFoundError(
      `no council "${target.slug}" (${hint}); add the council first, or import without --council to use the council the record names`,
    );
  }
  const { council } = await findOrCreateCouncil(trx, { slug: target.slug, name: target.name }, actor);
  return council;
}

export interface BodyRef {
  id: number;
}

export async function findBody(trx: Executor, councilId: number, name: string): Promise<BodyRef | undefined> {
  return trx
    .selectFrom("body")
    .select("id")
    .where("councilId", "=", councilId)
    .where("name", "=", name)
    .executeTakeFirst();
}

/** Executive decisions are made by the executive, one of its members, or an officer. */
export function bodyKindFor(name: string): BodyKind {
  if (/^(?:the\s+)?(?:cabinet|executive)(?:\s+(?:meeting|committee))?$/i.test(name.trim()))
    return "executive";
  if (/\b(?:cabinet|executive|portfolio)\s+member\b|^(?:the\s+)?(?:leader|mayor)\b/i.test(name)) {
    return "individual-member";
  }
  if (/\b(?:officer|director|head of|chief executive|manager)\b/i.test(name)) return "officer";
  return "executive";
}

export async function createBody(
  trx: Executor,
  council: Pick<Council, "id">,
  name: string,
  actor: string,
): Promise<BodyRef> {
  const kind = bodyKindFor(name);
  const row = await trx
    .insertInto("body")
    .values({ councilId: council.id, name, kind })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    actor,
    action: "body.created",
    entity: "body",
    entityId: row.id,
    councilId: council.id,
    details: { name, kind, via: "import" },
  });
  return row;
}

async function findOrCreateMeeting(
  trx: Executor,
  council: Pick<Council, "id">,
  bodyId: number,
  date: IsoDate,
  actor: string,
): Promise<{ id: number }> {
  const existing = (await findMeetings(trx, bodyId, [date])).get(date);
  if (existing) return existing;
  return (await createMeetings(trx, council, bodyId, [date], actor)).get(date)!;
}

/** The meeting a record of `bodyId` on each date is filed under: the first one held that day, not cancelled. */
export async function findMeetings(
  trx: Executor,
  bodyId: number,
  dates: readonly IsoDate[],
): Promise<Map<IsoDate, { id: number }>> {
  const found = new Map<IsoDate, { id: number }>();
  if (dates.length === 0) return found;
  const rows = await trx
    .selectFrom("meeting")
    .select(["id", "date"])
    .where("bodyId", "=", bodyId)
    .where("date", "in", [...new Set(dates)])
    .where("status", "<>", "cancelled")
    .orderBy("id")
    .execute();
  for (const row of rows) if (!found.has(row.date)) found.set(row.date, { id: row.id });
  return found;
}

/** Creates a held meeting of `bodyId` on each (distinct) date, each audited, in the order given. */
export async function createMeetings(
  trx: Executor,
  council: Pick<Council, "id">,
  bodyId: number,
  dates: readonly IsoDate[],
  actor: string,
): Promise<Map<IsoDate, { id: number }>> {
  const created = new Map<IsoDate, { id: number }>();
  const distinct = [...new Set(dates)];
  if (distinct.length === 0) return created;
  const rows = await trx
    .insertInto("meeting")
    .values(distinct.map((date) => ({ bodyId, date, status: "held" as const })))
    .returning(["id", "date"])
    .execute();
  for (const row of rows) created.set(row.date, { id: row.id });
  await appendAuditEntries(
    trx,
    distinct.map((date) => ({
      actor,
      action: "meeting.created",
      entity: "meeting",
      entityId: created.get(date)!.id,
      councilId: council.id,
      details: { bodyId, date, status: "held", via: "import" },
    })),
  );
  return created;
}

export interface MatchedDecision {
  id: number;
  /** The decision's identifier: when not null, the record matched it by identifier. */
  recordId: string | null;
  bodyId: number;
  meetingId: number | null;
  currentVersion: number;
  status: "draft" | "published" | "withdrawn";
  urgent: boolean;
}

/** What findDecisions needs to know of a record: its body (undefined when the council has none by that name). */
export interface DecisionWanted {
  bodyId: number | undefined;
  record: Pick<DecisionRecord, "recordId" | "meetingDate" | "title">;
}

/**
 * The decision each record is a version of (undefined when none), in the order given: the council's decision
 * with the same identifier when the record has one; otherwise (or when no decision has that identifier yet)
 * one without an identifier from the same body and meeting date, with the same title (ignoring case and runs
 * of spaces), the oldest if several. Two queries whatever the number of records.
 */
export async function findDecisions(
  trx: Executor,
  councilId: number,
  wanted: readonly DecisionWanted[],
): Promise<(MatchedDecision | undefined)[]> {
  const columns = ["id", "recordId", "bodyId", "meetingId", "currentVersion", "status", "urgent"] as const;
  const matched = (row: MatchedDecision): MatchedDecision => ({
    id: row.id,
    recordId: row.recordId,
    bodyId: row.bodyId,
    meetingId: row.meetingId,
    currentVersion: row.currentVersion,
    status: row.status,
    urgent: row.urgent,
  });
  const found: (MatchedDecision | undefined)[] = wanted.map(() => undefined);
  const recordIds = [
    ...new Set(wanted.flatMap((w) => (w.record.recordId === null ? [] : [w.record.recordId]))),
  ];
  if (recordIds.length > 0) {
    const rows = await trx
      .selectFrom("decision")
      .select(columns)
      .where("councilId", "=", councilId)
      .where("recordId", "in", recordIds)
      .execute();
    const byId = new Map(rows.map((row) => [row.recordId, matched(row)]));
    wanted.forEach((w, i) => {
      if (w.record.recordId !== null) found[i] = byId.get(w.record.recordId);
    });
  }
  const byTitle = wanted.flatMap((w, i) =>
    found[i] === undefined && w.bodyId !== undefined ? [{ i, bodyId: w.bodyId, record: w.record }] : [],
  );
  if (byTitle.length === 0) return found;
  const titleKey = sql<string>`lower(regexp_replace(btrim(title), '\\s+', ' ', 'g'))`;
  const rows = await trx
    .selectFrom("decision")
    .select([...columns, "meetingDate", titleKey.as("titleKey")])
    .where("councilId", "=", councilId)
    .where("bodyId", "in", [...new Set(byTitle.map((w) => w.bodyId))])
    .where("meetingDate", "in", [...new Set(byTitle.map((w) => w.record.meetingDate))])
    .where("recordId", "is", null)
    .where(titleKey, "in", [...new Set(byTitle.map((w) => normaliseTitle(w.record.title)))])
    .orderBy("id")
    .execute();
  const key = (bodyId: number, date: IsoDate, title: string) => JSON.stringify([bodyId, date, title]);
  const oldest = new Map<string, MatchedDecision>();
  for (const row of rows) {
    const k = key(row.bodyId, row.meetingDate, row.titleKey);
    if (!oldest.has(k)) oldest.set(k, matched(row));
  }
  for (const w of byTitle) {
    found[w.i] = oldest.get(key(w.bodyId, w.record.meetingDate, normaliseTitle(w.record.title)));
  }
  return found;
}

/** A title as findDecisions compares it: trimmed, runs of spaces as one, lower case. */
export function normaliseTitle(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * For each (decision, file) pair, the highest version of the decision that was read from a file with these
 * bytes (sha256), or undefined: such a file is already in the register.
 */
export async function findSameFileVersions(
  trx: Executor,
  pairs: readonly { decisionId: number; sha256: string }[],
): Promise<(number | undefined)[]> {
  if (pairs.length === 0) return [];
  const rows = await trx
    .selectFrom("decisionVersion as v")
    .innerJoin("sourceDocument as s", "s.id", "v.sourceDocumentId")
    .select(["v.decisionId", "v.version", "s.sha256"])
    .where("v.decisionId", "in", [...new Set(pairs.map((p) => p.decisionId))])
    .where("s.sha256", "in", [...new Set(pairs.map((p) => p.sha256))])
    .execute();
  const highest = new Map<string, number>();
  for (const row of rows) {
    const k = `${row.decisionId} ${row.sha256}`;
    highest.set(k, Math.max(highest.get(k) ?? 0, row.version));
  }
  return pairs.map((p) => highest.get(`${p.decisionId} ${p.sha256}`));
}

/** The original bytes, stored once: the same bytes imported again (even for another decision) reuse the row. */
async function storeOriginal(
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

function lineOf(record: DecisionRecord, field: "council"): { line?: number } {
  const line = record.source?.lines[field];
  return line === undefined ? {} : { line };
}

// ---------------------------------------------------------------------------------------------------------
// Batches

export interface FileImport {
  /** The path as listed (a file given, or one found in a folder given). */
  file: string;
  result?: ImportResult;
  /** Why the file was not imported (DocumentError, ValidationError, ...); nothing of it was written. */
  error?: unknown;
}

export type ImportProgress = (progress: { done: number; total: number; file: string }) => void;

/** From this many files on, importFiles stores them in batches (importBatch) rather than one at a time. */
export const BATCH_IMPORT_MIN_FILES = 50;

export interface ImportFilesOptions extends ImportOptions {
  sourceUrl?: string;
  /** Files per batch transaction when importing in batches (default 500). */
  batchSize?: number;
  /** Import in batches from this many files on (default BATCH_IMPORT_MIN_FILES); 1 always, Infinity never. */
  batchFrom?: number;
}

/**
 * Imports every document in `paths` (files, and folders read recursively), in order, with the outcome of
 * importing each in its own transaction: a failure is recorded against its file, writes nothing of it, and the
 * batch goes on (an unusable `council` option refuses the whole batch with a ValidationError). Many files are
 * stored in batches (see bulk-import.ts: same results, far faster). `onProgress` is called before each file is
 * read (done = files handled so far; in batches, read and parsed) and once at the end (done = total).
 */
export async function importFiles(
  database: Database,
  paths: readonly string[],
  options: ImportFilesOptions,
  onProgress: ImportProgress = () => {},
): Promise<FileImport[]> {
  // A bad option spoils every file alike: refuse the batch.
  checkImportOptions(options);
  // Listed first, so progress can say "n of total"; a folder that cannot be read is a failure in its place.
  const entries: { file: string; listError?: unknown }[] = [];
  for (const path of paths) {
    try {
      entries.push(...(await listDocumentFiles([path])).map((file) => ({ file })));
    } catch (error) {
      entries.push({ file: path, listError: error });
    }
  }
  const total = entries.length;
  const inputFor = async (file: string): Promise<ImportInput> => {
    const input: ImportInput = { bytes: await readDocument(file), fileName: basename(file) };
    if (options.sourceUrl !== undefined) input.sourceUrl = options.sourceUrl;
    return input;
  };
  const { batchSize: _batchSize, batchFrom = BATCH_IMPORT_MIN_FILES, ...importOptions } = options;
  let results: FileImport[];
  if (total >= batchFrom) {
    results = await importFilesInBatches(
      database,
      entries,
      importOptions,
      batchSizeOf(options),
      inputFor,
      onProgress,
    );
    // Many new decisions: derive their status timelines and refresh the planner's statistics now, not on the
    // first search.
    if (results.some((entry) => entry.result !== undefined && entry.result.outcome !== "unchanged")) {
      await tidyAfterBulkImport(database);
    }
  } else {
    results = [];
    for (const [index, entry] of entries.entries()) {
      const { file } = entry;
      onProgress({ done: index, total, file });
      if (entry.listError !== undefined) {
        results.push({ file, error: entry.listError });
        continue;
      }
      try {
        results.push({ file, result: await importDocument(database, await inputFor(file), importOptions) });
      } catch (error) {
        results.push({ file, error });
      }
    }
  }
  if (total > 0) onProgress({ done: total, total, file: entries[total - 1]!.file });
  return results;
}

async function importFilesInBatches(
  database: Database,
  entries: readonly { file: string; listError?: unknown }[],
  options: ImportOptions,
  size: number,
  inputFor: (file: string) => Promise<ImportInput>,
  onProgress: ImportProgress,
): Promise<FileImport[]> {
  const total = entries.length;
  const results: FileImport[] = entries.map(({ file }) => ({ file }));
  await inOverlappingBatches(
    Math.ceil(total / size),
    async (k) => {
      // Read and parse; a file that cannot be listed or read fails here, in its place.
      const slots: number[] = [];
      const inputs: ImportInput[] = [];
      for (let index = k * size; index < Math.min(total, (k + 1) * size); index++) {
        const { file, listError } = entries[index]!;
        onProgress({ done: index, total, file });
        if (listError !== undefined) {
          results[index]!.error = listError;
          continue;
        }
        try {
          inputs.push(await inputFor(file));
          slots.push(index);
        } catch (error) {
          results[index]!.error = error;
        }
      }
      return { slots, parsed: await parseInputs(inputs) };
    },
    async ({ slots, parsed }) => {
      const stored = await storeParsedBatch(database, parsed, options);
      stored.forEach((entry, i) => Object.assign(results[slots[i]!]!, entry));
    },
  );
  return results;
}

async function readDocument(file: string): Promise<Uint8Array> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DocumentError(
      error.code === "ENOENT"
        ? "no such file"
        : error.code === "EISDIR"
          ? "is a folder"
          : `cannot read the file (${error.code ?? error.message})`,
    );
  });
}
