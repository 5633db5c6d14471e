import { sql, type Kysely } from "kysely";

/**
 * Tells the planner what a full-text match costs.
 *
 * `tsvector @@ tsquery` (the function ts_match_vq) is declared as cheap as comparing two integers, but testing
 * it against a decision unpacks that decision's search vector: kilobytes, compressed and stored out of line,
 * tens of microseconds each. So the planner would rather read decisions by another index (publication date,
 * the register's order) and test every one of them than ask the full-text index which ones match: at 100,000
 * decisions, a second instead of a hundredth of one. Declared at its real order of cost (100 times the default),
 * it is tested only on the rows an index has already chosen.
 *
 * Changing a built-in function needs a superuser (PGlite always is). Where the migrating role is not one, this
 * is skipped with a notice: searches still work, and still avoid reading the whole table (search/
 * turns sequential scans off), but may be slower on a large register. A superuser can apply it at any time:
 *   ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) COST 100;
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await setCost(db, 100);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setCost(db, 1);
}

async function setCost(db: Kysely<unknown>, cost: number): Promise<void> {
  await sql
    .raw(
      `do $$
      begin
        alter function pg_catalog.ts_match_vq(tsvector, tsquery) cost ${cost};
      exception when insufficient_privilege then
        raise notice 'resolved: not a superuser, so the cost of full-text matching was left as it was';
      end
      $$`,
    )
    .execute(db);
}
