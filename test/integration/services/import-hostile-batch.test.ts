import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DocumentError } from "../../../src/domain/errors.js";
import { importBatch, importFiles, type ImportInput } from "../../../src/services/import/index.js";
import {
  attempt,
  binaryMutation,
  isOneClearLine,
  LONG_LINE_SHAPES,
  loadSeeds,
  mutate,
  textMutation,
  zipBomb,
} from "../../fixtures/generate/hostile-documents.js";
import { useTestDatabase } from "../backends.js";

/**
 * Good files are never lost when bad ones sit beside them: council records of every format, interleaved with
 * hostile documents (damaged fixtures drawn by fast-check, a zip bomb named .docx, a 1 MB line, random bytes
 * named .pdf), imported together in batches, one by one, and as files from a folder, leave the register exactly
 * as importing the good files alone does; each bad file fails alone with a DocumentError in one line.
 */

const t = useTestDatabase();
const actor = "test";
const FIXTURES = new URL("../../fixtures/", import.meta.url);
const GOOD_FOLDERS = ["text", "pdf", "docx", "html"];

let work = "";
const good: ImportInput[] = [];
const bad: ImportInput[] = [];
/** Good and bad interleaved: two or three bad files before each good one. */
let mixed: Array<ImportInput & { good: boolean }> = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "resolved-hostile-"));
  for (const folder of GOOD_FOLDERS) {
    for (const name of (await readdir(new URL(`${folder}/`, FIXTURES))).sort()) {
      good.push({
        fileName: name,
        bytes: new Uint8Array(await readFile(new URL(`${folder}/${name}`, FIXTURES))),
      });
    }
  }
  // Hostile documents from every format and layout, kept when they are refused on their own (a mutation that
  // leaves a readable record, e.g. a repeated blank line, is not a bad file).
  const seeds = await loadSeeds();
  const candidates: ImportInput[] = [
    { fileName: "board-pack.docx", bytes: zipBomb(40, "truthful") },
    { fileName: "notes.txt", bytes: new TextEncoder().encode(LONG_LINE_SHAPES["random printable"](2 ** 20)) },
    mutate(seeds[0]!, { op: "random bytes", length: 50_000, seed: 7, header: "pdf" }),
  ];
  for (const [index, seed] of seeds.entries()) {
    const mutations = fc.sample(seed.binary ? binaryMutation() : textMutation({ longLines: 200_000 }), {
      numRuns: 3,
      seed: 20261204 + index,
    });
    for (const mutation of mutations) candidates.push(mutate(seed, mutation));
  }
  for (const [index, candidate] of candidates.entries()) {
    if ((await attempt(candidate)).outcome !== "refused") continue;
    bad.push({ ...candidate, fileName: `bad-${String(index).padStart(3, "0")}-${candidate.fileName}` });
  }
  mixed = [];
  let b = 0;
  for (const [index, input] of good.entries()) {
    for (let k = 0; k < 2 + (index % 2) && b < bad.length; k++) mixed.push({ ...bad[b++]!, good: false });
    mixed.push({ ...input, good: true });
  }
  while (b < bad.length) mixed.push({ ...bad[b++]!, good: false });
}, 600_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** What the register holds, independent of row ids and order. */
async function register() {
  const decisions = await t.db.selectFrom("decision").select(["title", "recordId"]).execute();
  // By content: importFiles names the originals after the files written for it.
  const originals = await t.db.selectFrom("sourceDocument").select(["sha256"]).execute();
  return {
    decisions: decisions.map((d) => `${d.recordId ?? "-"} ${d.title}`).sort(),
    originals: originals.map((o) => o.sha256).sort(),
  };
}

async function goodAlone() {
  await t.resetDatabase();
  const entries = await importBatch(t.database, good, { actor });
  expect(entries.every((e) => e.result?.outcome === "imported")).toBe(true);
  return register();
}

function expectBadRefused(errors: unknown[]): void {
  expect(errors).toHaveLength(bad.length);
  for (const error of errors) {
    expect(error).toBeInstanceOf(DocumentError);
    expect(isOneClearLine((error as Error).message), (error as Error).message).toBe(true);
  }
}

describe("a batch of good files among hostile ones", () => {
  it("has bad files of every kind of damage beside good files of every format", () => {
    console.log(`hostile batch: ${good.length} good files among ${bad.length} bad ones`);
    expect(good.length).toBeGreaterThanOrEqual(10);
    expect(bad.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(bad.map((b) => b.fileName.replace(/.*\./, "")));
    expect([...kinds]).toEqual(expect.arrayContaining(["txt", "html", "pdf", "docx"]));
  });

  it.each([1, 4, 500])(
    "keeps every good file when imported in batches of %i",
    async (batchSize) => {
      const expected = await goodAlone();
      await t.resetDatabase();
      const entries = await importBatch(t.database, mixed, { actor, batchSize });
      expect(entries).toHaveLength(mixed.length);
      mixed.forEach((input, i) => {
        if (input.good) expect(entries[i]!.result?.outcome, input.fileName).toBe("imported");
        else expect(entries[i]!.result, input.fileName).toBeUndefined();
      });
      expectBadRefused(entries.filter((_, i) => !mixed[i]!.good).map((e) => e.error));
      expect(await register()).toEqual(expected);
    },
    600_000,
  );

  it("keeps every good file when imported from files, one by one and in batches", async () => {
    const expected = await goodAlone();
    const paths: string[] = [];
    for (const [i, input] of mixed.entries()) {
      const path = join(work, `${String(i).padStart(3, "0")}-${input.fileName}`);
      await writeFile(path, input.bytes);
      paths.push(path);
    }
    for (const batchFrom of [Number.POSITIVE_INFINITY, 1]) {
      await t.resetDatabase();
      const results = await importFiles(t.database, paths, { actor, batchFrom, batchSize: 7 });
      expect(results.map((r) => r.file)).toEqual(paths);
      results.forEach((r, i) => {
        if (mixed[i]!.good) expect(r.result?.outcome, r.file).toBe("imported");
      });
      expectBadRefused(results.filter((_, i) => !mixed[i]!.good).map((r) => r.error));
      expect(await register()).toEqual(expected);
    }
  }, 600_000);
});
