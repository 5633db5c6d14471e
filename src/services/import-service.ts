import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { sql } from "kysely";
import type { DecisionRecord } from "../domain/decision-record.js";
import { DocumentError, NotFoundError, ValidationError } from "../domain/errors.js";
import { listDocumentFiles } from "../import/list-document-files.js";
import { parseDocument } from "../import/parse-document.js";
import type { Database, Executor } from "../storage/database.js";
import type { BodyKind } from "../storage/schema.js";
import { appendAudit } from "./audit.js";
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
  const parseWarnings: ImportWarning[] = parsed.warnings.map((w) => ({
    ...(w.line !== undefined && { line: w.line }),
    message: w.message,
  }));

  return database.transaction(async (trx) => {
    const target = resolveCouncil(record, options);
    const existingCouncil = await findCouncil(trx, target.slug);
    const ownWarnings: ImportWarning[] = [];
    if (record.council && slugForCouncilName(record.council) !== target.slug && options.council) {
      ownWarnings.push({
        ...lineOf(record, "council"),
        message: `the record names ${record.council}; imported into ${existingCouncil?.name ?? target.slug} as asked (--council ${target.slug})`,
      });
    }
    const result = (
      outcome: ImportOutcome,
      decisionId: number,
      version: number,
      extra: ImportWarning[],
    ): ImportResult => {
      const warningDetails = [...parseWarnings, ...ownWarnings, ...extra];
      return {
        outcome,
        decisionId,
        version,
        recordId: record.recordId,
        title: record.title,
        warnings: warningDetails.map((w) => w.message),
        warningDetails,
      };
    };

    // Read-only first: a file already in the register must write nothing at all.
    const existingBody = existingCouncil ? await findBody(trx, existingCouncil.id, record.body) : undefined;
    const match = existingCouncil
      ? await findDecision(trx, existingCouncil.id, existingBody?.id, record)
      : undefined;
    if (existingCouncil && match) {
      const sameFile = await trx
        .selectFrom("decisionVersion as v")
        .innerJoin("sourceDocument as s", "s.id", "v.sourceDocumentId")
        .select("v.version")
        .where("v.decisionId", "=", match.id)
        .where("s.sha256", "=", sha256)
        .orderBy("v.version", "desc")
        .executeTakeFirst();
      const facts = callInFactsFor(existingCouncil, record, { urgent: match.urgent });
      if (sameFile) {
        const older =
          sameFile.version < match.currentVersion
            ? [
                {
                  message:
                    `this file is version ${sameFile.version} of the decision; the register holds version ` +
                    `${match.currentVersion}, which is left as it is`,
                },
              ]
            : [];
        return result("unchanged", match.id, sameFile.version, [...facts.warnings, ...older]);
      }
      const current = await trx
        .selectFrom("decisionVersion")
        .select("record")
        .where("decisionId", "=", match.id)
        .where("version", "=", match.currentVersion)
        .executeTakeFirstOrThrow();
      if (recordContentKey(current.record) === recordContentKey(record)) {
        // Different bytes (a re-saved PDF, say) but the same record: nothing to add.
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
        .values({
          councilId: council.id,
          bodyId: body.id,
          meetingId: meeting.id,
          ...decisionColumnsFromRecord(record),
          status: "published",
          notSubjectToCallIn: facts.notSubjectToCallIn,
          expectedCallInDeadline: facts.expectedCallInDeadline,
          deadlineMismatch: facts.deadlineMismatch,
          currentVersion: 1,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      decisionId = inserted.id;
    } catch (error) {
      throw duplicateRecordId(error, record, council) ?? error;
    }
    // The decision's current_version foreign key is deferred: checked when this transaction commits.
    await trx
      .insertInto("decisionVersion")
      .values({
        decisionId,
        version: 1,
        record: JSON.stringify(record),
        reason: null,
        sourceDocumentId,
        createdBy: options.actor,
      })
      .execute();
    await appendAudit(trx, {
      actor: options.actor,
      action: "decision.imported",
      entity: "decision",
      entityId: decisionId,
      councilId: council.id,
      details: {
        version: 1,
        fileName: input.fileName,
        sha256,
        sourceDocumentId,
        recordId: record.recordId,
        title: record.title,
        ...(facts.deadlineMismatch && {
          deadlineMismatch: true,
          callInDeadline: record.callIn.deadline,
          expectedCallInDeadline: facts.expectedCallInDeadline,
        }),
      },
    });
    return result("imported", decisionId, 1, facts.warnings);
  });
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

interface CouncilTarget {
  slug: string;
  /** The name to give the council if it has to be created. */
  name: string | undefined;
}

function resolveCouncil(record: DecisionRecord, options: ImportOptions): CouncilTarget {
  if (options.council !== undefined) {
    const slug = options.council;
    const named = record.council && slugForCouncilName(record.council) === slug ? record.council : undefined;
    return { slug, name: named ?? (slug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : undefined) };
  }
  if (record.council) return { slug: slugForCouncilName(record.council), name: record.council };
  const slug = options.defaultCouncil ?? DEFAULT_COUNCIL.slug;
  return { slug, name: slug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : undefined };
}

async function findCouncil(trx: Executor, slug: string): Promise<Council | undefined> {
  const row = await trx.selectFrom("council").select("id").where("slug", "=", slug).executeTakeFirst();
  return row ? getCouncil(trx, slug) : undefined;
}

/**
 * A council is created on first sight only when we know its name: the record names it, or it is the default.
 * A slug given on the command line that matches neither is more likely a typo than a new council.
 */
async function createCouncil(trx: Executor, target: CouncilTarget, actor: string): Promise<Council> {
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

interface BodyRef {
  id: number;
}

async function findBody(trx: Executor, councilId: number, name: string): Promise<BodyRef | undefined> {
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

async function createBody(trx: Executor, council: Council, name: string, actor: string): Promise<BodyRef> {
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
  council: Council,
  bodyId: number,
  date: string,
  actor: string,
): Promise<{ id: number }> {
  const existing = await trx
    .selectFrom("meeting")
    .select("id")
    .where("bodyId", "=", bodyId)
    .where("date", "=", date)
    .where("status", "<>", "cancelled")
    .orderBy("id")
    .executeTakeFirst();
  if (existing) return existing;
  const row = await trx
    .insertInto("meeting")
    .values({ bodyId, date, status: "held" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await appendAudit(trx, {
    actor,
    action: "meeting.created",
    entity: "meeting",
    entityId: row.id,
    councilId: council.id,
    details: { bodyId, date, status: "held", via: "import" },
  });
  return row;
}

interface MatchedDecision {
  id: number;
  bodyId: number;
  meetingId: number | null;
  currentVersion: number;
  status: "draft" | "published" | "withdrawn";
  urgent: boolean;
}

/**
 * The decision a record is a version of: the council's decision with the same identifier when the record has
 * one; otherwise (or when no decision has that identifier yet) one without an identifier from the same body and
 * meeting date, with the same title (ignoring case and runs of spaces).
 */
async function findDecision(
  trx: Executor,
  councilId: number,
  bodyId: number | undefined,
  record: DecisionRecord,
): Promise<MatchedDecision | undefined> {
  const columns = ["id", "bodyId", "meetingId", "currentVersion", "status", "urgent"] as const;
  if (record.recordId !== null) {
    const byId = await trx
      .selectFrom("decision")
      .select(columns)
      .where("councilId", "=", councilId)
      .where("recordId", "=", record.recordId)
      .executeTakeFirst();
    if (byId) return byId;
  }
  if (bodyId === undefined) return undefined;
  return trx
    .selectFrom("decision")
    .select(columns)
    .where("councilId", "=", councilId)
    .where("bodyId", "=", bodyId)
    .where("meetingDate", "=", record.meetingDate)
    .where("recordId", "is", null)
    .where(
      sql<string>`lower(regexp_replace(btrim(title), '\\s+', ' ', 'g'))`,
      "=",
      normaliseTitle(record.title),
    )
    .orderBy("id")
    .executeTakeFirst();
}

function normaliseTitle(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
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
    .values({
      bytes: input.bytes,
      mediaType: record.source?.mediaType ?? "application/octet-stream",
      fileName: input.fileName,
      sourceUrl: input.sourceUrl ?? null,
      importedBy: actor,
    })
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

/**
 * Imports every document in `paths` (files, and folders read recursively), each in its own transaction, in
 * order. A failure is recorded against its file and the batch goes on (an unusable `council` option refuses the
 * whole batch with a ValidationError). `onProgress` is called before each file
 * (done = files finished so far) and once at the end (done = total).
 */
export async function importFiles(
  database: Database,
  paths: readonly string[],
  options: ImportOptions & { sourceUrl?: string },
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
  const results: FileImport[] = [];
  const total = entries.length;
  for (const [index, entry] of entries.entries()) {
    const { file } = entry;
    onProgress({ done: index, total, file });
    if (entry.listError !== undefined) {
      results.push({ file, error: entry.listError });
      continue;
    }
    try {
      const bytes = await readDocument(file);
      const input: ImportInput = { bytes, fileName: basename(file) };
      if (options.sourceUrl !== undefined) input.sourceUrl = options.sourceUrl;
      results.push({ file, result: await importDocument(database, input, options) });
    } catch (error) {
      results.push({ file, error });
    }
  }
  if (total > 0) onProgress({ done: total, total, file: entries[total - 1]!.file });
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
