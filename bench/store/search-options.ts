import { sql } from "kysely";
import { decisionColumnsFromRecord } from "../../src/services/decisions/index.js";
import { parseInputs } from "../../src/services/import/index.js";
import { openDatabase, type Database } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { generateDocuments } from "./generate-documents.js";

/**
 * What decision.search (the full-text vector: title A, outcomes B, record and reasons C) costs when decisions
 * are inserted 500 at a time into PGlite, in each way it could be filled. Only the decision rows are written
 * (into an in-memory PGlite, with the current_version foreign key dropped), so the differences are the
 * vector's alone. Each variant runs `rounds` times on a fresh database; the best round is reported (the least
 * disturbed by other work on the machine).
 *
 *   generated   the schema as it is: a stored generated column, computed by the insert
 *   update      a plain column, filled by one UPDATE ... WHERE id = ANY(...) per batch after the insert
 *   given       a plain column, given the vectors already computed (by another PGlite, e.g. in a worker
 *               thread): the inserting thread's cost only
 *   compute     computing those vectors alone (what the other PGlite would spend, on another core)
 *   none        no search column at all: the floor
 */

export interface SearchOptionResult {
  variant: "generated" | "update" | "given" | "compute" | "none";
  msPerRecord: number;
}

const SEARCH_EXPRESSION = sql`setweight(to_tsvector('english'::regconfig, title), 'A')
  || setweight(to_tsvector('english'::regconfig,
       jsonb_path_query_array(outcomes, '$[*].text') || jsonb_path_query_array(outcomes, '$[*].items[*]')), 'B')
  || setweight(to_tsvector('english'::regconfig, record || ' ' || reasons), 'C')`;

export async function runSearchOptions(count = 3000, rounds = 3): Promise<SearchOptionResult[]> {
  const records = (await parseInputs(generateDocuments(0, count, 99))).map((p) => p.record!);
  const batches: (typeof records)[] = [];
  for (let i = 0; i < count; i += 500) batches.push(records.slice(i, i + 500));

  async function fresh(): Promise<{ database: Database; rows: (typeof records)[number][][]; ids: Ids }> {
    const database = await openDatabase({ inMemory: true });
    await migrateToLatest(database);
    const council = await database.db
      .insertInto("council")
      .values({ slug: "bench", name: "Bench", callInRule: "{}" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const body = await database.db
      .insertInto("body")
      .values({ councilId: council.id, name: "Cabinet", kind: "executive" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const meeting = await database.db
      .insertInto("meeting")
      .values({ bodyId: body.id, date: "2020-01-01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await sql`alter table decision drop constraint decision_current_version_fk`.execute(database.db);
    return { database, rows: batches, ids: { council: council.id, body: body.id, meeting: meeting.id } };
  }
  const row = (ids: Ids, record: (typeof records)[number]) => ({
    councilId: ids.council,
    bodyId: ids.body,
    meetingId: ids.meeting,
    ...decisionColumnsFromRecord(record),
    status: "published" as const,
    currentVersion: 1,
  });

  // The vectors as PostgreSQL computes them, for "given".
  const vectors: string[][] = [];
  {
    const { database, ids } = await fresh();
    for (const batch of batches) {
      const inserted = await database.db
        .insertInto("decision")
        .values(batch.map((r) => row(ids, r)))
        .returning(sql<string>`search::text`.as("search"))
        .execute();
      vectors.push(inserted.map((r) => r.search));
    }
    await database.close();
  }

  const variants: SearchOptionResult["variant"][] = ["generated", "update", "given", "compute", "none"];
  const best = new Map<SearchOptionResult["variant"], number>();
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) {
      const { database, ids } = await fresh();
      const db = database.db;
      if (variant === "update" || variant === "given") {
        await sql`alter table decision alter column search drop expression`.execute(db);
      }
      if (variant === "update")
        await sql`alter table decision alter column search set default ''::tsvector`.execute(db);
      if (variant === "none") await sql`alter table decision drop column search`.execute(db);
      const begin = process.hrtime.bigint();
      for (const [k, batch] of batches.entries()) {
        if (variant === "compute") {
          await sql`select (${SEARCH_EXPRESSION})::text from unnest(
              ${batch.map((r) => r.title)}::text[], ${batch.map((r) => JSON.stringify(r.outcomes))}::jsonb[],
              ${batch.map((r) => r.record)}::text[], ${batch.map((r) => r.reasons)}::text[]
            ) as t(title, outcomes, record, reasons)`.execute(db);
          continue;
        }
        const values = batch.map((r, i) =>
          variant === "given" ? { ...row(ids, r), search: vectors[k]![i]! } : row(ids, r),
        );
        const inserted = await db
          .insertInto("decision")
          .values(values as ReturnType<typeof row>[])
          .returning("id")
          .execute();
        if (variant === "update") {
          await sql`update decision set search = ${SEARCH_EXPRESSION} where id = any(${inserted.map((r) => r.id)}::int[])`.execute(
            db,
          );
        }
      }
      const ms = Number(process.hrtime.bigint() - begin) / 1e6 / count;
      best.set(variant, Math.min(best.get(variant) ?? Infinity, ms));
      await database.close();
    }
  }
  return variants.map((variant) => ({ variant, msPerRecord: best.get(variant)! }));
}

interface Ids {
  council: number;
  body: number;
  meeting: number;
}
