import { randomBytes } from "node:crypto";

/**
 * Responses kept in memory, for those read far more often than they change: a decision's page, the home page,
 * and (register-responses.ts) a search's page, the API's answers and the feeds.
 *
 * An entry is served only while all of these hold:
 *   - the register has not changed since it was rendered (the same `stamp`: see registerChangeStamp);
 *   - the clock is within [validFrom, validUntil): from when it was rendered (the start of that minute, when
 *     the page shows the time in minutes) until the next moment what it says changes by itself (the next
 *     minute, a call-in cutoff); a clock set back (tests pin it) misses too;
 *   - it is still among the most recently used, within `maxBytes` in all (its key counted too).
 *
 * Pages carry a per-response CSP nonce, so they are stored with a placeholder in its place (NONCE_PLACEHOLDER)
 * and each response gets its own nonce put in. A body given as a string is such a page; one given as bytes
 * (JSON, a feed, CSV) has no nonce and is sent as it was kept. Each entry may carry what else its response
 * needs (`meta`: its content type, ETag, headers).
 */

/**
 * What a cached page has where the response's CSP nonce goes: random for each process, so no page text can
 * contain it by chance or by design.
 */
export const NONCE_PLACEHOLDER = `nonce-placeholder-${randomBytes(12).toString("hex")}`;

/** What an entry costs beyond its body and key (the Map's slot, the entry object): an estimate. */
const ENTRY_OVERHEAD_BYTES = 200;

interface Entry<M> {
  /** The body, cut where the nonce goes (a page), or whole (bytes). */
  parts: Buffer[];
  meta: M;
  stamp: string;
  validFrom: number;
  validUntil: number;
  bytes: number;
}

export interface CachedResponse<M> {
  /** The body with the nonce in place (a page), or as kept. */
  body: Buffer;
  meta: M;
}

export interface PageCache<M = undefined> {
  /** The entry with `nonce` in place, or undefined when there is no usable entry. */
  get(key: string, stamp: string, now: Date, nonce: string): CachedResponse<M> | undefined;
  /**
   * Keeps `body` for [validFrom, validUntil) and this stamp: a string is a page rendered with NONCE_PLACEHOLDER
   * as its nonce, bytes are kept as they are.
   */
  set(
    key: string,
    body: string | Buffer,
    stamp: string,
    validFrom: Date,
    validUntil: Date,
    ...meta: M extends undefined ? [] : [meta: M]
  ): void;
  /** The largest entry kept: a quarter of maxBytes, so that one never pushes out most of the others. */
  readonly maxEntryBytes: number;
  readonly size: number;
  readonly bytes: number;
}

export function createPageCache<M = undefined>(options: { maxBytes: number }): PageCache<M> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry<M>>();
  const maxEntryBytes = Math.floor(options.maxBytes / 4);
  let bytes = 0;

  const drop = (key: string, entry: Entry<M>) => {
    entries.delete(key);
    bytes -= entry.bytes;
  };

  return {
    get(key, stamp, now, nonce) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      const time = now.getTime();
      if (entry.stamp !== stamp || time < entry.validFrom || time >= entry.validUntil) {
        drop(key, entry);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      if (entry.parts.length === 1) return { body: entry.parts[0]!, meta: entry.meta };
      // One buffer a response, outside the JavaScript heap: at a thousand pages a second, strings would keep
      // the garbage collector behind and the heap growing.
      const between = Buffer.from(nonce, "utf8");
      const body = Buffer.concat(entry.parts.flatMap((part, i) => (i === 0 ? [part] : [between, part])));
      return { body, meta: entry.meta };
    },
    set(key, body, stamp, validFrom, validUntil, ...meta) {
      const parts =
        typeof body === "string"
          ? body.split(NONCE_PLACEHOLDER).map((part) => Buffer.from(part, "utf8"))
          : [body];
      const size =
        parts.reduce((total, part) => total + part.length, 0) + Buffer.byteLength(key) + ENTRY_OVERHEAD_BYTES;
      if (size > maxEntryBytes) return;
      const old = entries.get(key);
      if (old) drop(key, old);
      entries.set(key, {
        parts,
        meta: meta[0] as M,
        stamp,
        validFrom: validFrom.getTime(),
        validUntil: validUntil.getTime(),
        bytes: size,
      });
      bytes += size;
      for (const [oldest, entry] of entries) {
        if (bytes <= options.maxBytes) break;
        drop(oldest, entry);
      }
    },
    maxEntryBytes,
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
