import { mkdtemp, readFile, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listCommitments, suggestFulfilments } from "../../../src/services/commitments/index.js";
import {
  EXAMPLE_STRATEGIES_DIR,
  EXAMPLE_STRATEGY_FILES,
  importExampleRecordsIfEmpty,
} from "../../../src/services/register/index.js";
import { getStrategy, listStrategies } from "../../../src/services/strategies/index.js";
import { updatesForStrategy } from "../../../src/services/strategy-updates/index.js";
import { useTestDatabase } from "../backends.js";

// `npm start` on an empty register: the example records, then the example strategy's life (examples/strategies/):
// the strategy, its KPI values and the promises later reports kept, confirmed as an officer would.

const t = useTestDatabase();
const TODAY = "2026-12-04";

const fulfilments = (
  JSON.parse(await readFile(join(EXAMPLE_STRATEGIES_DIR, EXAMPLE_STRATEGY_FILES.fulfilments), "utf8")) as {
    fulfilments: Array<{ promisedIn: string; promise: string; keptBy: string }>;
  }
).fulfilments;

describe("the example strategy on first start", () => {
  it("adds the strategy agreed by the example record, its KPI values and the confirmed fulfilments", async () => {
    const summary = await importExampleRecordsIfEmpty(t.database, { actor: "test:examples" });
    expect(summary.failed).toBe(0);
    expect(summary.strategy?.fulfilments).toBe(fulfilments.length);
    const councilId = (await t.database.db.selectFrom("council").select("id").executeTakeFirstOrThrow()).id;

    const summaries = await listStrategies(t.database.db, councilId);
    // The 2023-2026 strategy the JSON defines (filling in the one found in its agreeing record, not a second),
    // and the strategies later example records agree, found in those records.
    expect(summaries.map((s) => [s.title, s.origin]).sort()).toEqual([
      ["Children's Services Strategy 2023-2026", "defined"],
      ["Children's Services Strategy 2026-29", "found-in-record"],
      ["Sufficiency Strategy 2025-2028", "found-in-record"],
    ]);
    const defined = summaries.find((s) => s.origin === "defined")!;
    const strategy = await getStrategy(t.database.db, councilId, defined.slug);
    expect(strategy.agreedBy?.recordId).toBe("CAB/19/23");
    const kpis = strategy.priorities.flatMap((p) => p.kpis);
    expect(kpis.length).toBe(8);
    for (const kpi of kpis) expect(kpi.latest?.period, kpi.code).toBe("2025-26 Q4");
    // Its four quarterly updates of 2025-26, found in the records and confirmed as an officer would.
    const updates = await updatesForStrategy(t.database.db, strategy.id);
    expect(updates.map((u) => [u.period, u.decision.recordId, u.status])).toEqual([
      ["2025-26 Q1", "CAB/44/25", "confirmed"],
      ["2025-26 Q2", "CAB/5/26", "confirmed"],
      ["2025-26 Q3", "CAB/21/26", "confirmed"],
      ["2025-26 Q4", "CAB/39/26", "confirmed"],
    ]);
    expect(summary.strategy?.updates).toBe(4);

    const done = await listCommitments(t.database.db, { councilId, status: "done" }, TODAY);
    expect(done).toHaveLength(fulfilments.length);
    for (const fulfilment of fulfilments) {
      const source = summary.files.find((f) => f.file.endsWith(fulfilment.promisedIn))!.result!.decisionId;
      const keptBy = summary.files.find((f) => f.file.endsWith(fulfilment.keptBy))!.result!.decisionId;
      const commitment = done.find((c) => c.decisionId === source && c.text.startsWith(fulfilment.promise));
      expect(commitment?.fulfilledBy?.id, fulfilment.promise).toBe(keptBy);
    }
    // The rest of the example updates' promises were never kept: overdue, as the example's story says.
    const overdue = await listCommitments(t.database.db, { councilId, status: "overdue" }, TODAY);
    expect(overdue.some((c) => c.text.startsWith("The Youth Justice Plan 2026/27"))).toBe(true);
  });

  it("confirms, for each example fulfilment, the decision Resolved itself suggests first", async () => {
    // Re-import without the fulfilments, to see the suggestions an officer would have been shown.
    const directory = await mkdtemp(join(tmpdir(), "resolved-example-strategy-"));
    await cp(EXAMPLE_STRATEGIES_DIR, directory, { recursive: true });
    await writeFile(join(directory, EXAMPLE_STRATEGY_FILES.fulfilments), JSON.stringify({ fulfilments: [] }));
    const summary = await importExampleRecordsIfEmpty(t.database, {
      actor: "test:examples",
      strategiesDir: directory,
    });
    expect(summary.strategy?.fulfilments).toBe(0);
    for (const fulfilment of fulfilments) {
      const source = summary.files.find((f) => f.file.endsWith(fulfilment.promisedIn))!.result!.decisionId;
      const keptBy = summary.files.find((f) => f.file.endsWith(fulfilment.keptBy))!.result!.decisionId;
      const commitment = await t.database.db
        .selectFrom("commitment")
        .select("id")
        .where("decisionId", "=", source)
        .where("text", "like", `${fulfilment.promise}%`)
        .executeTakeFirstOrThrow();
      const [best] = await suggestFulfilments(t.database.db, commitment.id);
      expect(best?.decisionId, fulfilment.promise).toBe(keptBy);
    }
  });

  it("names the file and the entry when a fulfilment names a record that is not there, and logs it", async () => {
    const directory = await mkdtemp(join(tmpdir(), "resolved-example-strategy-"));
    await cp(EXAMPLE_STRATEGIES_DIR, directory, { recursive: true });
    await writeFile(
      join(directory, EXAMPLE_STRATEGY_FILES.fulfilments),
      JSON.stringify({
        fulfilments: [{ promisedIn: "2099-01-01-missing.txt", promise: "A report", keptBy: "x.txt" }],
      }),
    );
    const warnings: string[] = [];
    const summary = await importExampleRecordsIfEmpty(t.database, {
      actor: "test:examples",
      strategiesDir: directory,
      log: (level, message, details) => {
        if (level === "warn") warnings.push(`${message}: ${String(details?.reason)}`);
      },
    });
    expect(summary.imported).toBe(17);
    expect(summary.strategy).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringContaining(
        'fulfilments.0.promisedIn: no example record "2099-01-01-missing.txt" was imported',
      ),
    ]);
  });
});
