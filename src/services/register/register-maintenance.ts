import { sql } from "kysely";
import type { Database } from "../../storage/database.js";
import { refreshStatusTimelines } from "../decisions/status-timeline.js";

/**
 * What a large import leaves for later, done at once, so the first reader after it does not pay for it:
 *
 *   - the status timelines of the new decisions (searches derive marked decisions before they answer: for
 *     100,000 new decisions that is seconds, which the import can spend instead of the first search);
 *   - fresh planner statistics (ANALYZE). PGlite runs no autovacuum, so without this its planner would go on
 *     estimating the register as it was before the import (empty, on a first import) and could pick a plan
 *     that reads every decision for a search that should read a few.
 *
 * Returns the number of decisions whose timelines were derived.
 */
export async function tidyAfterBulkImport(database: Database): Promise<number> {
  const derived = await refreshStatusTimelines(database.db);
  await sql`analyze`.execute(database.db);
  return derived;
}

/**
 * At start-up: timelines marked by a writer that did not refresh them (an import interrupted, another
 * program writing to the same server database) are derived in the background, so the first search does not
 * wait for them. Never fails the start: a search refreshes again before it answers.
 */
export function refreshInBackground(database: Database, onError: (error: unknown) => void): Promise<void> {
  return refreshStatusTimelines(database.db).then(
    () => undefined,
    (error: unknown) => {
      if (!database.closed) onError(error);
    },
  );
}
