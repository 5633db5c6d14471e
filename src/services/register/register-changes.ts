import { onRegisterChangeCommitted, type Database } from "../../storage/database.js";
import { registerChangeStamp } from "./register-stamp.js";

/**
 * Knowing that the register changed without asking the database on every request.
 *
 * Every change to the register writes an audit entry in its transaction, and the audit log's trigger sends a
 * notification on REGISTER_CHANGED_CHANNEL when such a transaction commits (migration
 * 2026-12-07T1000-register-change-notify). This process listens (Database.listen) and counts the changes in
 * memory, so a cache can check "has anything changed since I rendered this?" at no cost:
 *
 *   - PGlite: one process owns the database (the data directory's lock), so every change is made in this
 *     process, and PGlite tells the listener before the committing call returns. The same trigger, rather than
 *     a hook in Database.transaction, catches every write however it is made (inside a transaction or not, a
 *     restore, SQL typed at the CLI), and is the same code path as on a server.
 *   - A PostgreSQL server: several processes (two `resolved serve`, the CLI importing while one runs) share it;
 *     the server tells each listening process when the writer commits, within a millisecond or so on one host.
 *
 * The process that makes a change also counts it as it commits (onRegisterChangeCommitted, from the audit log's
 * append), so on a server it shows it on the very next request it answers, before the notification is back.
 *
 * While the listening connection is down (the server restarting), nothing can be known from memory: `stamp()`
 * then asks the database (registerChangeStamp, one index probe) as before, and when it listens again the count
 * moves on, so nothing cached before or during the gap is served after it.
 */

export const REGISTER_CHANGED_CHANNEL = "resolved_register_changed";

export interface RegisterChanges {
  /**
   * A text equal to an earlier one only if the register has not changed in between: from memory while this
   * process is told of every change (a string), from the database otherwise (a promise). Take it before
   * reading what a cache keeps, so a change committed while reading makes the entry stale, never the reverse.
   */
  stamp(): string | Promise<string>;
  /** Whether stamps come from memory (every change is being heard). */
  readonly live: boolean;
  /** Called after each change heard, and when listening resumes; returns a function that stops it. */
  onChange(listener: () => void): () => void;
  /** Stops listening. Safe to call twice. */
  close(): Promise<void>;
}

export async function watchRegisterChanges(
  database: Database,
  options: { onError?: (error: Error) => void } = {},
): Promise<RegisterChanges> {
  let generation = 0;
  let live = false;
  const listeners = new Set<() => void>();
  const changed = () => {
    generation++;
    for (const listener of listeners) listener();
  };
  const listener = await database.listen(REGISTER_CHANGED_CHANNEL, {
    notify: changed,
    live: (now) => {
      // Both ways the count moves on: what was cached while heard from memory, or stamped by the database while
      // deaf, never matches a stamp taken after.
      live = now;
      changed();
    },
    error: (error) => options.onError?.(error),
  });
  // Any database's change in this process counts (tests open several): counting too often only costs a render.
  const stopCounting = onRegisterChangeCommitted(changed);
  return {
    stamp: () => (live ? `live:${generation}` : registerChangeStamp(database.db).then((max) => `db:${max}`)),
    get live() {
      return live;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close: async () => {
      stopCounting();
      await listener.close();
    },
  };
}
