import { randomBytes } from "node:crypto";

/**
 * Rendered pages kept in memory, for pages that are read far more often than they change (a decision's page).
 *
 * An entry is served only while all of these hold:
 *   - the register has not changed since it was rendered (the same `stamp`: see registerChangeStamp);
 *   - the clock is within [validFrom, validUntil): from when it was rendered (the start of that minute, when
 *     the page shows the time in minutes) until the next moment what it says changes by itself (the next
 *     minute, a call-in cutoff); a clock set back (tests pin it) misses too;
 *   - it is still among the most recently used, within `maxBytes` in all.
 *
 * Pages carry a per-response CSP nonce, so they are stored with a placeholder in its place (NONCE_PLACEHOLDER)
 * and each response gets its own nonce put in.
 */

/**
 * What a cached page has where the response's CSP nonce goes: random for each process, so no page text can
 * contain it by chance or by design.
 */
export const NONCE_PLACEHOLDER = `nonce-placeholder-${randomBytes(12).toString("hex")}`;

interface Entry {
  /** The page in UTF-8, cut where the nonce goes. */
  parts: Buffer[];
  stamp: string;
  validFrom: number;
  validUntil: number;
  bytes: number;
}

export interface PageCache {
  /** The page (UTF-8) with `nonce` in place, or undefined when there is no usable entry. */
  get(key: string, stamp: string, now: Date, nonce: string): Buffer | undefined;
  /** Keeps `html` (rendered with NONCE_PLACEHOLDER as its nonce) for [validFrom, validUntil) and this stamp. */
  set(key: string, html: string, stamp: string, validFrom: Date, validUntil: Date): void;
  readonly size: number;
  readonly bytes: number;
}

export function createPageCache(options: { maxBytes: number }): PageCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const drop = (key: string, entry: Entry) => {
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
      // One buffer a response, outside the JavaScript heap: at a thousand pages a second, strings would keep
      // the garbage collector behind and the heap growing.
      const between = Buffer.from(nonce, "utf8");
      return Buffer.concat(entry.parts.flatMap((part, i) => (i === 0 ? [part] : [between, part])));
    },
    set(key, html, stamp, validFrom, validUntil) {
      const parts = html.split(NONCE_PLACEHOLDER).map((part) => Buffer.from(part, "utf8"));
      const size = parts.reduce((total, part) => total + part.length, 0);
      if (size > options.maxBytes) return;
      const old = entries.get(key);
      if (old) drop(key, old);
      entries.set(key, {
        parts,
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
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
