import { describe, expect, it } from "vitest";
import { createPageCache, NONCE_PLACEHOLDER } from "../../../src/web/shared/page-cache.js";

const page = (text: string) => `<script nonce="${NONCE_PLACEHOLDER}"></script><p>${text}</p>`;
const at = (iso: string) => new Date(iso);

describe("the page cache", () => {
  it("serves a page with each response's own nonce in place of the placeholder", () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    cache.set("1", page("one"), "7", at("2026-11-24T10:00:00Z"), at("2026-11-24T10:01:00Z"));
    expect(cache.get("1", "7", at("2026-11-24T10:00:30Z"), "abc")?.toString()).toBe(
      '<script nonce="abc"></script><p>one</p>',
    );
    expect(cache.get("1", "7", at("2026-11-24T10:00:59Z"), "xyz")?.toString()).toBe(
      '<script nonce="xyz"></script><p>one</p>',
    );
    expect(cache.get("2", "7", at("2026-11-24T10:00:30Z"), "abc")).toBeUndefined();
  });

  it("misses, and forgets the page, once the register has changed", () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    cache.set("1", page("one"), "7", at("2026-11-24T10:00:00Z"), at("2026-11-24T10:01:00Z"));
    expect(cache.get("1", "8", at("2026-11-24T10:00:30Z"), "n")).toBeUndefined();
    expect(cache.get("1", "7", at("2026-11-24T10:00:30Z"), "n")).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it("misses outside the time the page is true for: from its minute until it changes by itself", () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    cache.set("1", page("one"), "7", at("2026-11-24T10:00:00Z"), at("2026-11-24T10:01:00Z"));
    // A clock set back (a test pinning an earlier time) must not see a page rendered later.
    expect(cache.get("1", "7", at("2026-11-24T09:59:59Z"), "n")).toBeUndefined();
    cache.set("1", page("one"), "7", at("2026-11-24T10:00:00Z"), at("2026-11-24T10:01:00Z"));
    expect(cache.get("1", "7", at("2026-11-24T10:01:00Z"), "n")).toBeUndefined();
  });

  it("keeps at most maxBytes of pages, dropping the least recently used first", () => {
    const html = page("x".repeat(1000));
    // Kept as UTF-8, without the placeholder.
    const size = Buffer.byteLength(html.replace(NONCE_PLACEHOLDER, ""));
    const cache = createPageCache({ maxBytes: size * 3 });
    const from = at("2026-11-24T10:00:00Z");
    const until = at("2026-11-24T10:01:00Z");
    const now = at("2026-11-24T10:00:10Z");
    for (const key of ["a", "b", "c"]) cache.set(key, html, "1", from, until);
    expect(cache.get("a", "1", now, "n")).toBeDefined(); // a is now the most recently used
    cache.set("d", html, "1", from, until);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(size * 3);
    expect(cache.get("b", "1", now, "n")).toBeUndefined();
    for (const key of ["a", "c", "d"]) expect(cache.get(key, "1", now, "n"), key).toBeDefined();
    // A page larger than the whole cache is not kept, and evicts nothing.
    cache.set("huge", page("y".repeat(size * 4)), "1", from, until);
    expect(cache.get("huge", "1", now, "n")).toBeUndefined();
    expect(cache.size).toBe(3);
  });
});
