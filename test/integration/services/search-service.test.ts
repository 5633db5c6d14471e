import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { getDecision } from "../../../src/services/decisions/index.js";
import { refreshStatusTimelines } from "../../../src/services/decisions/status-timeline.js";
import {
  decisionItemsByIds,
  listCallInCutoffs,
  type SearchOptions,
  type SearchQuery,
  type SearchResult,
} from "../../../src/services/search/index.js";
import { searchDecisions } from "../../../src/web/shared/search-markup.js";
import { useTestDatabase } from "../backends.js";
import { AT, NEXT_CUTOFF, seedRegister, type SeededRegister } from "../search-seed.js";

const t = useTestDatabase({ reset: "manual" });
let seeded: SeededRegister;

beforeAll(async () => {
  await t.resetDatabase();
  seeded = await seedRegister(t.database);
});

const search = (query: SearchQuery, options?: SearchOptions, at: Date = AT) =>
  searchDecisions(t.db, query, at, options);

/** Every result of a search, page by page through the cursors. */
async function walk(query: SearchQuery, options?: SearchOptions): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const result: SearchResult = await search({ ...query, cursor }, options);
    ids.push(...result.items.map((item) => item.id));
    cursor = result.nextCursor ?? undefined;
    pages += 1;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  return { ids, pages };
}

describe("searchDecisions", () => {
  it("browses every public decision, newest meeting first, with exact totals", async () => {
    const result = await search({ limit: 100 });
    expect(result.strategy).toBe("browse");
    expect(result.totalExact).toBe(true);
    expect(result.total).toBe(seeded.all.length);
    expect(new Set(result.items.map((item) => item.id))).toEqual(new Set(seeded.all));
    const dates = result.items.map((item) => item.meetingDate);
    expect(dates).toEqual([...dates].sort().reverse());
    for (const item of result.items) {
      expect(item.rank).toBeNull();
      expect(item.snippet).not.toContain("<mark>");
    }
  });

  it("derives each decision's status as decision-service does", async () => {
    const result = await search({ limit: 100 });
    for (const item of result.items) {
      const detail = await getDecision(t.db, item.id, AT);
      expect(item.status, `decision ${item.id}`).toBe(detail.status?.status ?? null);
      expect(item.statusUntil?.getTime() ?? null).toBe(detail.status?.until?.getTime() ?? null);
      expect(item.subjectToCallIn).toBe(detail.callIn?.subjectToCallIn ?? null);
      expect(item.callInCutoff).toBe(detail.callIn?.cutoff ?? null);
    }
    const statuses = new Set(result.items.map((item) => item.status));
    expect(statuses).toContain("published");
    expect(statuses).toContain("effective");
    expect(statuses).toContain("recommended-to-council");
  });

  it("ranks a title match above a match in the record only", async () => {
    const result = await search({ q: "zebra" });
    expect(result.strategy).toBe("ranked");
    expect(result.items.map((item) => item.id)).toEqual([seeded.extra.zebraTitle, seeded.extra.zebraBody]);
    const [title, body] = result.items;
    expect(title!.rank!).toBeGreaterThan(body!.rank!);
    expect(title!.titleHtml).toBe("<mark>Zebra</mark> Crossings Programme 2027");
    expect(body!.snippet).toContain("<mark>zebra</mark> crossing");
  });

  it("escapes the text of snippets and titles, marking only the matches", async () => {
    const result = await search({ q: "quokka" });
    expect(result.items.map((item) => item.id)).toEqual([seeded.extra.script]);
    const item = result.items[0]!;
    expect(item.snippet).toContain(
      "<mark>quokka</mark>&quot;)&lt;/script&gt; submitted to the <mark>quokka</mark>",
    );
    const more = await search({ q: "escapes typed" });
    expect(more.items[0]!.snippet).toContain("&amp; shows it as text");
    expect(item.snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
    expect(item.titleHtml).toBe("Website &lt;b&gt;Accessibility&lt;/b&gt; Statement");

    const byTitle = await search({ q: "accessibility" });
    expect(byTitle.items[0]!.titleHtml).toBe(
      "Website &lt;b&gt;<mark>Accessibility</mark>&lt;/b&gt; Statement",
    );
  });

  it("cuts snippets around the first match, with ellipses where text is left out", async () => {
    const result = await search({ q: "energy advice" });
    expect(result.items.length).toBeGreaterThan(0);
    const snippet = result.items[0]!.snippet;
    expect(snippet).toMatch(/<mark>energy<\/mark> <mark>advice<\/mark>/i);
    expect(snippet.startsWith("… ")).toBe(true);
    expect(snippet.split(" ").length).toBeLessThan(60);
  });

  it("takes any input as words to search for, never as SQL", async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from decision`.execute(t.db);
    for (const q of [
      "'); drop table decision; --",
      '"unbalanced quote',
      "it's o'clock '",
      "&|!",
      "!!! ::: *** (( ))",
      "a & b | !c <-> d",
      "\\x00 \\' \\\"",
      "SELECT * FROM decision WHERE 1=1",
      "-council",
      "the",
      "x".repeat(200),
      "emoji 🏛️ ünïcödé",
    ]) {
      const result = await search({ q });
      expect(result.total, q).toBeGreaterThanOrEqual(0);
    }
    const nul = await search({ q: "flood\u0000risk" });
    expect(nul.total).toBeGreaterThan(0);
    const after = await sql<{ n: number }>`select count(*)::int as n from decision`.execute(t.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it("finds nothing for a query with no words to look for, and says so", async () => {
    for (const q of ["the", "&|!", "-council"]) {
      const result = await search({ q });
      expect(result).toMatchObject({ total: 0, items: [], queryHasTerms: false });
    }
    expect((await search({ q: "council" })).queryHasTerms).toBe(true);
    expect((await search({})).queryHasTerms).toBeNull();
  });

  it("understands phrases, alternatives and exclusions", async () => {
    const phrase = await search({ q: '"home to school transport"' });
    expect(phrase.total).toBeGreaterThan(0);
    const all = await search({ q: "transport" });
    const excluded = await search({ q: "transport -school" });
    expect(excluded.total).toBeLessThan(all.total);
    const either = await search({ q: "zebra or quokka" });
    expect(new Set(either.items.map((i) => i.id))).toEqual(
      new Set([seeded.extra.zebraTitle, seeded.extra.zebraBody, seeded.extra.script]),
    );
  });

  describe("filters", () => {
    it("by meeting date, inclusive", async () => {
      const result = await search({ from: "2026-11-12", to: "2026-11-12", limit: 100 });
      expect(result.total).toBe(3);
      for (const item of result.items) expect(item.meetingDate).toBe("2026-11-12");
    });

    it("by body, whatever the case", async () => {
      const cabinet = await search({ body: "CABINET", limit: 100 });
      expect(cabinet.total).toBe(seeded.all.length);
      expect((await search({ body: "Planning Committee" })).total).toBe(0);
    });

    it("by status at the instant asked about", async () => {
      const open = await search({ status: "published", limit: 100 });
      expect(open.total).toBeGreaterThan(0);
      for (const item of open.items) expect(item.status).toBe("published");
      // After the cutoff, the same decisions are in effect.
      const later = await search({ status: "published", limit: 100 }, {}, new Date("2026-11-27T00:00:00Z"));
      expect(later.items.map((i) => i.id)).not.toEqual(expect.arrayContaining(open.items.map((i) => i.id)));
      const recommended = await search({ status: "recommended-to-council" });
      expect(recommended.items.map((i) => i.title)).toContain("Treasury Management Mid-Year Review 2026/27");
    });

    it("by subject to call-in", async () => {
      const yes = await search({ callIn: "yes", limit: 100 });
      const no = await search({ callIn: "no", limit: 100 });
      expect(yes.total + no.total).toBe(seeded.all.length);
      for (const item of yes.items) expect(item.subjectToCallIn).toBe(true);
      for (const item of no.items) expect(item.subjectToCallIn).toBe(false);
    });

    it("by key decision", async () => {
      await t.db
        .updateTable("decision")
        .set({ keyDecision: true })
        .where("id", "=", seeded.extra.zebraTitle)
        .execute();
      try {
        const key = await search({ key: "yes" });
        expect(key.items.map((i) => i.id)).toEqual([seeded.extra.zebraTitle]);
        expect((await search({ key: "no" })).total).toBe(seeded.all.length - 1);
      } finally {
        await t.db
          .updateTable("decision")
          .set({ keyDecision: false })
          .where("id", "=", seeded.extra.zebraTitle)
          .execute();
      }
    });

    it("combined with words", async () => {
      const result = await search({ q: "zebra", status: "published", from: "2026-11-19", callIn: "yes" });
      expect(result.items.map((i) => i.id)).toEqual([seeded.extra.zebraTitle, seeded.extra.zebraBody]);
      expect((await search({ q: "zebra", to: "2026-01-01" })).total).toBe(0);
    });

    it("refuses values that are not valid", async () => {
      await expect(search({ from: "2026-13-01" })).rejects.toMatchObject({ field: "from" });
      await expect(search({ from: "2026-12-01", to: "2026-11-01" })).rejects.toMatchObject({ field: "to" });
      await expect(search({ status: "draft" })).rejects.toMatchObject({ field: "status" });
      await expect(search({ limit: 0 })).rejects.toMatchObject({ field: "limit" });
      await expect(search({ cursor: "not-a-cursor" })).rejects.toMatchObject({ field: "cursor" });
    });
  });

  describe("pages and cursors", () => {
    const queries: SearchQuery[] = [
      {},
      { q: "council" },
      { q: "council", sort: "date" },
      { status: "effective" },
      { q: "the council -zebra", from: "2026-01-01" },
    ];

    it("walk every result exactly once", async () => {
      for (const query of queries) {
        const everything = await search({ ...query, limit: 100 });
        const walked = await walk({ ...query, limit: 2 });
        expect(walked.ids, JSON.stringify(query)).toEqual(everything.items.map((item) => item.id));
        expect(new Set(walked.ids).size).toBe(walked.ids.length);
        expect(walked.ids.length).toBe(everything.total);
      }
    });

    it("and so do page numbers", async () => {
      for (const query of queries) {
        const everything = await search({ ...query, limit: 100 });
        const ids: number[] = [];
        for (let page = 1; page <= 100; page++) {
          const result = await search({ ...query, limit: 3, page });
          ids.push(...result.items.map((item) => item.id));
          if (result.items.length < 3) break;
        }
        expect(ids, JSON.stringify(query)).toEqual(everything.items.map((item) => item.id));
      }
    });

    it("rank candidates when there are many matches, then list the rest by date, each once", async () => {
      const tuning = { rankAllMax: 3, countMax: 3, headMax: 2, headWindow: 4, headKeep: 2, recent: 2 };
      const exact = await search({ q: "council", limit: 100 });
      const bounded = await search({ q: "council", limit: 100 }, { tuning });
      expect(bounded.strategy).toBe("candidates");
      expect(bounded.totalExact).toBe(false);
      expect(bounded.total).toBeGreaterThanOrEqual(4);
      expect(new Set(bounded.items.map((i) => i.id))).toEqual(new Set(exact.items.map((i) => i.id)));
      // Candidates (ranked) first: ranks never increase among them; the rest follow in date order.
      const walked = await walk({ q: "council", limit: 2 }, { tuning });
      expect(walked.ids).toEqual(bounded.items.map((i) => i.id));
      const paged: number[] = [];
      for (let page = 1; page < 50; page++) {
        const result = await search({ q: "council", limit: 2, page }, { tuning });
        paged.push(...result.items.map((i) => i.id));
        if (result.items.length < 2) break;
      }
      expect(paged).toEqual(walked.ids);
      // The best title match is a candidate even when it is not recent.
      const zebra = await search(
        { q: "zebra or flood" },
        { tuning: { ...tuning, rankAllMax: 1, recent: 1 } },
      );
      expect(zebra.strategy).toBe("candidates");
      expect(zebra.items[0]!.title).toMatch(/Zebra|Flood/);
    });

    it("refuses a cursor from another search", async () => {
      const first = await search({ q: "council", limit: 2 });
      expect(first.nextCursor).not.toBeNull();
      await expect(search({ q: "zebra", cursor: first.nextCursor! })).rejects.toMatchObject({
        field: "cursor",
        message: expect.stringContaining("different search"),
      });
    });
  });

  it("says when the first status change after `at` is, so caches can expire by then", async () => {
    const result = await search({});
    expect(result.nextStatusChange?.toISOString()).toBe(NEXT_CUTOFF.toISOString());
  });

  it("follows the status when a call-in request arrives (kept fresh by triggers)", async () => {
    const id = seeded.extra.zebraBody;
    const [request] = await t.db
      .insertInto("callInRequest")
      .values({ decisionId: id, receivedAt: new Date("2026-11-21T10:00:00Z"), grounds: "[]", valid: true })
      .returning("id")
      .execute();
    try {
      const calledIn = await search({ status: "called-in" });
      expect(calledIn.items.map((i) => i.id)).toEqual([id]);
      expect((await getDecision(t.db, id, AT)).status?.status).toBe("called-in");
    } finally {
      await t.db.deleteFrom("callInRequest").where("id", "=", request!.id).execute();
    }
    expect((await search({ status: "called-in" })).total).toBe(0);
    expect(await refreshStatusTimelines(t.db)).toBe(0);
  });

  it("leaves out drafts, and decisions published after `at`", async () => {
    const early = new Date("2026-11-19T12:00:00Z");
    const result = await search({ limit: 100 }, {}, early);
    for (const item of result.items) expect(item.publishedOn! <= "2026-11-19").toBe(true);
    expect(result.total).toBeLessThan(seeded.all.length);
    const items = await decisionItemsByIds(t.db, seeded.all, early);
    expect(items.length).toBe(result.total);
  });

  it("lists call-in cutoffs to come or recently passed, soonest first", async () => {
    const { items } = await listCallInCutoffs(t.db, {}, AT);
    expect(items.length).toBeGreaterThan(0);
    const cutoffs = items.map((item) => Date.parse(item.callInCutoff!));
    expect(cutoffs).toEqual([...cutoffs].sort((a, b) => a - b));
    for (const cutoff of cutoffs) expect(cutoff).toBeGreaterThanOrEqual(AT.getTime() - 60 * 86_400_000);
    expect(items.some((item) => item.callInCutoff === "2026-11-27T00:00:00+00:00")).toBe(true);
  });
});
