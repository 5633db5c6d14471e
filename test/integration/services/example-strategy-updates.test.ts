import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { importExampleRecordsIfEmpty } from "../../../src/services/register/index.js";
import { createStrategy, listStrategies } from "../../../src/services/strategies/index.js";
import {
  strategyLinksForDecision,
  updatesForStrategy,
} from "../../../src/services/strategy-updates/index.js";
import { useTestDatabase } from "../backends.js";

// The project's examples, as `npm start` loads them: the records, then the strategy's JSON. The strategy the
// 2023 record agreed is filled in by the JSON, and each 2025-26 quarterly update is proposed as its update.

const t = useTestDatabase();

describe("the examples' strategy and its quarterly updates", () => {
  it("links each 2025-26 quarterly update to the Children's Services Strategy 2023-2026", async () => {
    const summary = await importExampleRecordsIfEmpty(t.database, {
      actor: "test",
      peopleFile: null,
      strategiesDir: null, // the strategy JSON is imported below, by hand
    });
    expect(summary.failed).toBe(0);
    const council = await t.database.db.selectFrom("council").select("id").executeTakeFirstOrThrow();
    const found = await listStrategies(t.database.db, council.id);
    expect(found.map((s) => s.title).sort()).toEqual([
      "Children's Services Strategy 2023-2026",
      "Children's Services Strategy 2026-29",
      "Sufficiency Strategy 2025-2028",
    ]);

    const json: unknown = JSON.parse(
      await readFile(
        new URL("../../../examples/strategies/childrens-services-strategy-2023-26.json", import.meta.url),
        "utf8",
      ),
    );
    const { id } = await createStrategy(t.database, council.id, json, "test");
    const strategies = await listStrategies(t.database.db, council.id);
    expect(strategies).toHaveLength(3);
    const strategy = strategies.find((s) => s.id === id)!;
    expect(strategy).toMatchObject({
      title: "Children's Services Strategy 2023-2026",
      agreedBy: { recordId: "CAB/19/23" },
    });
    expect(strategy.kpiCount).toBeGreaterThan(0);

    const updates = await updatesForStrategy(t.database.db, id);
    expect(updates.map((u) => [u.period, u.decision.recordId, u.status])).toEqual([
      ["2025-26 Q1", "CAB/44/25", "proposed"],
      ["2025-26 Q2", "CAB/5/26", "proposed"],
      ["2025-26 Q3", "CAB/21/26", "proposed"],
      ["2025-26 Q4", "CAB/39/26", "proposed"],
    ]);
    // The 2026-27 Q1 update is the new strategy's, not this one's.
    const next = strategies.find((s) => s.title === "Children's Services Strategy 2026-29")!;
    expect((await updatesForStrategy(t.database.db, next.id)).map((u) => u.period)).toEqual(["2026-27 Q1"]);
    // The Q2 update names the Sufficiency Strategy too, but is about Children's Services.
    const links = await strategyLinksForDecision(t.database.db, updates[1]!.decision.id);
    expect(links.updateOf.map((l) => l.strategy.title)).toEqual(["Children's Services Strategy 2023-2026"]);
  });
});
