import fc from "fast-check";
import {
  attempt,
  binaryMutation,
  cpuBoundSeconds,
  isOneClearLine,
  LONG_LINE_SHAPES,
  type LongLineShape,
  loadSeeds,
  mutate,
  type Mutation,
  textMutation,
} from "../../test/fixtures/generate/hostile-documents.js";

/**
 * The importer's long fuzz run (`npm run bench -- fuzz`): many more hostile documents than the unit suite
 * (test/unit/import/import-fuzz.test.ts) draws, from the same generators, with counts per kind of damage for
 * docs/reliability.md, and the timings of over-long lines. RESOLVED_FUZZ_RUNS sets the documents per fixture
 * (default 40); RESOLVED_FUZZ_SEED the seed.
 */

export interface FuzzRow {
  op: Mutation["op"];
  cases: number;
  parsed: number;
  refused: number;
  crashed: number;
  /** Over cpuBoundSeconds for its size. */
  slow: number;
  maxCpuSeconds: number;
  unclear: number;
}

export interface LongLineTiming {
  where: string;
  shape: LongLineShape | "a URL";
  characters: number;
  cpuSeconds: number;
  wallSeconds: number;
  outcome: string;
}

export interface FuzzBenchResult {
  seed: number;
  fixtures: number;
  rows: FuzzRow[];
  failures: string[];
  heapGrowthMiB: number;
  maxRssMiB: number;
  longLines: LongLineTiming[];
}

export async function runFuzzBench(
  runsPerFixture = Number(process.env.RESOLVED_FUZZ_RUNS ?? 40),
  seed = Number(process.env.RESOLVED_FUZZ_SEED ?? 20261204),
): Promise<FuzzBenchResult> {
  const seeds = await loadSeeds();
  const rows = new Map<Mutation["op"], FuzzRow>();
  const failures: string[] = [];
  const heapBefore = process.memoryUsage().heapUsed;
  for (const [index, s] of seeds.entries()) {
    const mutations = fc.sample(s.binary ? binaryMutation() : textMutation(), {
      numRuns: runsPerFixture,
      seed: seed + index,
    });
    for (const mutation of mutations) {
      const result = await attempt(mutate(s, mutation));
      const row = rows.get(mutation.op) ?? {
        op: mutation.op,
        cases: 0,
        parsed: 0,
        refused: 0,
        crashed: 0,
        slow: 0,
        maxCpuSeconds: 0,
        unclear: 0,
      };
      rows.set(mutation.op, row);
      row.cases++;
      row[result.outcome]++;
      row.maxCpuSeconds = Math.max(row.maxCpuSeconds, result.cpuSeconds);
      const slow = result.cpuSeconds > cpuBoundSeconds(result.bytes);
      const unclear = result.outcome === "refused" && !isOneClearLine(result.detail);
      if (slow) row.slow++;
      if (unclear) row.unclear++;
      if (slow || unclear || result.outcome === "crashed") {
        failures.push(
          `${s.fileName} ${JSON.stringify(mutation).slice(0, 200)}: ${result.outcome} in ` +
            `${result.cpuSeconds.toFixed(2)} s CPU: ${result.detail.split("\n")[0]}`,
        );
      }
    }
  }
  const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  return {
    seed,
    fixtures: seeds.length,
    rows: [...rows.values()],
    failures,
    heapGrowthMiB,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    longLines: await longLineTimings(seeds),
  };
}

/** The probe's cases: one over-long line in a text file, and a valid proforma with a long URL in a section. */
async function longLineTimings(seeds: Awaited<ReturnType<typeof loadSeeds>>): Promise<LongLineTiming[]> {
  const proforma = seeds.find((s) => s.fileName === "mtfp-decision-proforma.txt")!;
  const text = new TextDecoder().decode(proforma.bytes);
  const timings: LongLineTiming[] = [];
  const inSection = (line: string) => text.replace("None.\n\n5.", `See ${line} for details.\n\n5.`);
  const run = async (where: string, shape: LongLineTiming["shape"], characters: number, document: string) => {
    const result = await attempt({ bytes: new TextEncoder().encode(document), fileName: "record.txt" });
    const outcome = result.outcome === "parsed" ? `read (${result.detail})` : result.outcome;
    timings.push({
      where,
      shape,
      characters,
      outcome,
      cpuSeconds: result.cpuSeconds,
      wallSeconds: result.wallSeconds,
    });
  };
  await run("a valid proforma, in section 4", "a URL", 60_000, inSection(LONG_LINE_SHAPES["a URL"](60_000)));
  for (const characters of [100_000, 400_000, 5_000_000]) {
    await run(
      "a text file of one line",
      "a run of spaces",
      characters,
      LONG_LINE_SHAPES["a run of spaces"](characters),
    );
    for (const shape of ["one word", "a run of spaces", "words"] as const) {
      await run(
        "a valid proforma, in section 4",
        shape,
        characters,
        inSection(LONG_LINE_SHAPES[shape](characters)),
      );
    }
  }
  return timings;
}
