import { describe, expect, it } from "vitest";
import { createPageCache, NONCE_PLACEHOLDER } from "../../../src/web/shared/page-cache.js";

const page = (text: string) => `<script nonce="${NONCE_PLACEHOLDER}"></script><p>${text}</p>`;
const at = (iso: string) => new Date(iso);

describe("the page cache", () => {
  it("serves a page with each response's own nonce in place of the placeholder", () => {
    const cache = createPageCache({ maxBytes: 1_000_000 });
    cache.set("1", page("one"), "7", at("2026-11-24T10:00:00Z"), at("2026-11-24T10:01:00Z"));
    expect(cache.get("1", "7", at("2026-11-24T10:00:30Z"), "abc")?.body.toString()).toBe(
      '<script nonce="abc"></script><p>one</p>',
    );
    expect(cache.get("1", "7", at("2026-11-24T10:00:59Z"), "xyz")?.body.toString()).toBe(
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
    const from = at("2026-11-24T10:00:00Z");
    const until = at("2026-11-24T10:01:00Z");
    const now = at("2026-11-24T10:00:10Z");
    // What one entry costs: the page as UTF-8 without the placeholder, its key, and a little more.
    const probe = createPageCache({ maxBytes: 1_000_000 });
    probe.set("a", html, "1", from, until);
    const size = probe.bytes;
    expect(size).toBeGreaterThan(Buffer.byteLength(html.replace(NONCE_PLACEHOLDER, "")));
    const cache = createPageCache({ maxBytes: size * 4 });
    for (const key of ["a", "b", "c", "d"]) cache.set(key, html, "1", from, until);
    expect(cache.get("a", "1", now, "n")).toBeDefined(); // a is now the most recently used
    cache.set("e", html, "1", from, until);
    expect(cache.size).toBe(4);
    expect(cache.bytes).toBe(size * 4);
    expect(cache.get("b", "1", now, "n")).toBeUndefined();
    for (const key of ["a", "c", "d", "e"]) expect(cache.get(key, "1", now, "n"), key).toBeDefined();
    // A page larger than a quarter of the cache is not kept, and evicts nothing.
    cache.set("huge", page("y".repeat(size * 2)), "1", from, until);
    expect(cache.get("huge", "1", now, "n")).toBeUndefined();
    expect(cache.size).toBe(4);
  });

  it("keeps bytes (JSON, a feed) as they are, with what their response needs, and no nonce put in", () => {
    const cache = createPageCache<{ contentType: string }>({ maxBytes: 1_000_000 });
    const json = Buffer.from(`{"nonce":"${NONCE_PLACEHOLDER}"}`);
    cache.set("api", json, "7", at("2026-11-24T10:00:00Z"), at("2026-11-24T10:01:00Z"), {
      contentType: "application/json",
    });
    const hit = cache.get("api", "7", at("2026-11-24T10:00:30Z"), "abc");
    expect(hit?.body.equals(json)).toBe(true);
    expect(hit?.meta).toEqual({ contentType: "application/json" });
  });
});
