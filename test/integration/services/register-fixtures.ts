import { readFile } from "node:fs/promises";
import { RECORD_FORMAT_VERSION, type DecisionRecord } from "../../../src/domain/decision-record.js";
import { parseSingleDecision } from "../../../src/import/parse-document.js";
import { findOrCreateCouncil } from "../../../src/services/councils/index.js";
import { decisionColumnsFromRecord } from "../../../src/services/decisions/index.js";
import type { Database } from "../../../src/storage/database.js";
import type { DecisionStatus as PublicationState } from "../../../src/storage/schema.js";

/**
 * Decisions for the register tests, inserted row by row (council, body, meeting, decision, decision_version and,
 * optionally, the source document) without the importer, so these tests do not depend on it.
 */

export const FIXTURE_ACTOR = "test:fixtures";

/** A Stockton Cabinet decision published Mon 20 Nov 2017, call-in to midnight ending Fri 24 Nov 2017. */
export function stocktonRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const outcome = {
    kind: "RESOLVED",
    text: "that the Medium Term Financial Plan update be noted.",
    items: [],
  };
  const record: DecisionRecord = {
    formatVersion: RECORD_FORMAT_VERSION,
    council: "Stockton-on-Tees Borough Council",
    body: "Cabinet",
    documentType: "Cabinet Decision Record",
    recordId: "D170042",
    meetingDate: "2017-11-16",
    title: "Medium Term Financial Plan Update",
    record: "Consideration was given to a report on the Medium Term Financial Plan.",
    outcome,
    outcomes: [outcome],
    reasons: "To keep the budget balanced.",
    alternatives: "None.",
    conflictsOfInterest: "None.",
    dispensations: "N/A",
    callIn: { deadline: "2017-11-24", text: "Midnight, 24 November 2017" },
    signedBy: "Proper Officer",
    publishedOn: "2017-11-20",
    source: null,
    ...overrides,
  };
  if (overrides.outcomes && !overrides.outcome)
    record.outcome = overrides.outcomes[0] as DecisionRecord["outcome"];
  return record;
}

/** Every outcome RECOMMENDED: a recommendation to Council, not subject to call-in. */
export function recommendationRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const outcome = { kind: "RECOMMENDED", text: "to Council that the budget be approved.", items: [] };
  return stocktonRecord({
    recordId: "D170043",
    title: "Budget 2018/19",
    outcome,
    outcomes: [outcome],
    callIn: { deadline: null, text: "Not applicable" },
    ...overrides,
  });
}

export interface SeedOptions {
  /** Stored publication state (default published). */
  status?: PublicationState;
  /** Keep the original bytes as the source document of version 1. */
  source?: { bytes: Uint8Array; fileName: string; mediaType: string };
  createdBy?: string;
}

export interface SeededDecision {
  id: number;
  councilId: number;
  bodyId: number;
}

/** Inserts the record as a decision with version 1 (one transaction: the current-version key is deferred). */
export async function seedDecision(
  database: Database,
  record: DecisionRecord,
  options: SeedOptions = {},
): Promise<SeededDecision> {
  return database.transaction(async (trx) => {
    const { council } = await findOrCreateCouncil(trx, { name: record.council }, FIXTURE_ACTOR);
    const existingBody = await trx
      .selectFrom("body")
      .select("id")
      .where("councilId", "=", council.id)
      .where("name", "=", record.body)
      .executeTakeFirst();
    const body =
      existingBody ??
      (await trx
        .insertInto("body")
        .values({ councilId: council.id, name: record.body, kind: "executive" })
        .returning("id")
        .executeTakeFirstOrThrow());
    const meeting = await trx
      .insertInto("meeting")
      .values({ bodyId: body.id, date: record.meetingDate, status: "held" })
      .returning("id")
      .executeTakeFirstOrThrow();
    let sourceDocumentId: number | null = null;
    if (options.source) {
      const document = await trx
        .insertInto("sourceDocument")
        .values({
          bytes: options.source.bytes,
          fileName: options.source.fileName,
          mediaType: options.source.mediaType,
          importedBy: FIXTURE_ACTOR,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      sourceDocumentId = document.id;
    }
    const decision = await trx
      .insertInto("decision")
      .values({
        councilId: council.id,
        bodyId: body.id,
        meetingId: meeting.id,
        ...decisionColumnsFromRecord(record),
        status: options.status ?? "published",
        currentVersion: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("decisionVersion")
      .values({
        decisionId: decision.id,
        version: 1,
        record: JSON.stringify(record),
        sourceDocumentId,
        createdBy: options.createdBy ?? FIXTURE_ACTOR,
      })
      .execute();
    return { id: decision.id, councilId: council.id, bodyId: body.id };
  });
}

/** A correction: version N+1 with a reason, the decision's fields moved to it (what decision-versions will do). */
export async function seedCorrection(
  database: Database,
  decisionId: number,
  record: DecisionRecord,
  reason: string,
): Promise<number> {
  return database.transaction(async (trx) => {
    const current = await trx
      .selectFrom("decision")
      .select("currentVersion")
      .where("id", "=", decisionId)
      .executeTakeFirstOrThrow();
    const version = current.currentVersion + 1;
    await trx
      .insertInto("decisionVersion")
      .values({ decisionId, version, record: JSON.stringify(record), reason, createdBy: FIXTURE_ACTOR })
      .execute();
    await trx
      .updateTable("decision")
      .set({ ...decisionColumnsFromRecord(record), currentVersion: version })
      .where("id", "=", decisionId)
      .execute();
    return version;
  });
}

const FIXTURES = new URL("../../fixtures/text/", import.meta.url);

/** A text fixture parsed by the real parser and seeded with its bytes as the source document. */
export async function seedFixture(
  database: Database,
  name: string,
  options: SeedOptions = {},
): Promise<SeededDecision & { record: DecisionRecord }> {
  const bytes = await readFile(new URL(name, FIXTURES));
  const { record } = await parseSingleDecision(bytes, name);
  const seeded = await seedDecision(database, record, {
    source: { bytes, fileName: name, mediaType: "text/plain" },
    ...options,
  });
  return { ...seeded, record };
}
