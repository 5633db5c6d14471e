import { seededRandom } from "../test/fixtures/generate/seeded-random.js";

/** The seeded generator (mulberry32) the tests' fixtures use too, so every benchmark run measures the same data. */
export { seededRandom };

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
