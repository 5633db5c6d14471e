import { attempt, loadSeeds, seededRandom } from "../../test/fixtures/generate/hostile-documents.js";

/**
 * A sweep for super-linear parsing (`RESOLVED_FUZZ_SWEEP=1 npm run bench -- fuzz`): every text and HTML fixture
 * gets a long line of each shape below, appended to or replacing each of up to 12 of its lines, at `small` and
 * at `big` characters. A case whose CPU time grows more than twice as fast as its size is reported: a linear
 * parser grows with the size, a quadratic one with its square. This is how the regexes fixed for issue 12 were
 * found; the shapes are runs of every kind of character a regex might repeat.
 */

const unit = (text: string) => (n: number) => text.repeat(Math.ceil(n / text.length)).slice(0, n);
const random = (alphabet: string, seed: number) => (n: number) => {
  const next = seededRandom(seed);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
};

export const SWEEP_SHAPES: Record<string, (n: number) => string> = {
  lower: unit("a"),
  upper: unit("A"),
  digits: unit("1"),
  spaces: (n) => `a${" ".repeat(n)}b`,
  tabs: (n) => `a${"\t".repeat(n)}b`,
  nbsp: unit("\u00a0"),
  dots: unit("."),
  dashes: unit("-"),
  "en dashes": unit("–"),
  colons: unit(":"),
  commas: unit(","),
  slashes: unit("/"),
  "(": unit("("),
  ")": unit(")"),
  "[": unit("["),
  "'": unit("'"),
  '"': unit('"'),
  "’": unit("’"),
  "£": unit("£"),
  "&": unit("&"),
  "<": unit("<"),
  "*": unit("*"),
  "•": unit("•"),
  _: unit("_"),
  "a-": unit("a-"),
  "a.": unit("a."),
  "1.": unit("1."),
  "1,": unit("1,"),
  "a ": unit("a "),
  "A ": unit("A "),
  "- ": unit("- "),
  ". ": unit(". "),
  "(a) ": unit("(a) "),
  "1/": unit("1/"),
  ":- ": unit(":- "),
  "ED ": unit("ED "),
  "Cllr Smith, ": unit("Cllr Smith, "),
  "1 January 2024 ": unit("1 January 2024 "),
  "RESOLVED ": unit("RESOLVED "),
  "(Key Decision ": unit("(Key Decision "),
  "Pages 5 ": unit("Pages 5 "),
  words: random("abcdefghij ", 7),
  mixed: random("aA1 .,-:()'/£", 9),
};

export interface SweepResult {
  cases: number;
  suspects: string[];
}

export async function runLineSweep(small = 32_000, big = 256_000): Promise<SweepResult> {
  const seeds = (await loadSeeds()).filter((s) => !s.binary);
  const encoder = new TextEncoder();
  const suspects: string[] = [];
  let cases = 0;
  const cpu = async (text: string, fileName: string) =>
    (await attempt({ bytes: encoder.encode(text), fileName })).cpuSeconds;
  for (const seed of seeds) {
    const lines = new TextDecoder().decode(seed.bytes).split("\n");
    const html = /\.html?$/.test(seed.fileName);
    const tag = /<(p|td|li|h\d|th|span|a)\b[^>]*>/;
    const candidates = lines.flatMap((line, i) => (!html || tag.test(line) ? [i] : []));
    const step = Math.max(1, Math.ceil(candidates.length / 12));
    const positions = candidates.filter((_, k) => k % step === 0);
    for (const [name, shape] of Object.entries(SWEEP_SHAPES)) {
      for (const at of positions) {
        for (const mode of ["append", "replace"] as const) {
          const make = (n: number) => {
            const out = lines.slice();
            const long = shape(n);
            out[at] = html
              ? out[at]!.replace(tag, (open) => (mode === "append" ? `${open} ${long} ` : `${open}${long}`))
              : mode === "append"
                ? `${out[at]} ${long}`
                : long;
            return out.join("\n");
          };
          const first = await cpu(make(small), seed.fileName);
          cases++;
          // Too fast to tell growth from noise: a quadratic case costs far more than this at `small`.
          if (first < 0.015) continue;
          const second = await cpu(make(big), seed.fileName);
          cases++;
          if (second > 0.1 && second / first > (2 * big) / small) {
            suspects.push(
              `${seed.fileName} line ${at + 1} (${mode}), ${name}: ${first.toFixed(3)} s → ${second.toFixed(3)} s CPU`,
            );
          }
        }
      }
    }
  }
  return { cases, suspects };
}
