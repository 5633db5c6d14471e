import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDocumentFiles } from "../../../src/import/list-document-files.js";

/** A national host's archive: more files in one folder than a function call takes arguments. */
const FILES = 150_000;

describe("listDocumentFiles", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "resolved-list-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("lists documents inside folders, sorted by name, other files left out, files given kept in place", async () => {
    const folder = join(work, "small");
    await mkdir(join(folder, "2024"), { recursive: true });
    for (const name of ["b.txt", "A.PDF", "notes.odt", "2024/c.docx", "2024/d.html", "a.htm"]) {
      await writeFile(join(folder, name), "x");
    }
    const single = join(work, "single.txt");
    await writeFile(single, "x");
    expect(await listDocumentFiles([single, folder])).toEqual([
      single,
      join(folder, "2024", "c.docx"),
      join(folder, "2024", "d.html"),
      join(folder, "a.htm"),
      join(folder, "A.PDF"),
      join(folder, "b.txt"),
    ]);
  });

  it(`lists a folder of ${FILES.toLocaleString("en-GB")} documents`, { timeout: 120_000 }, async () => {
    const folder = join(work, "many");
    await mkdir(folder);
    for (let from = 0; from < FILES; from += 5_000) {
      await Promise.all(
        Array.from({ length: Math.min(5_000, FILES - from) }, (_, i) =>
          writeFile(join(folder, `D${String(from + i).padStart(6, "0")}.txt`), ""),
        ),
      );
    }
    const files = await listDocumentFiles([folder]);
    expect(files).toHaveLength(FILES);
    expect(files[0]).toBe(join(folder, "D000000.txt"));
    expect(files.at(-1)).toBe(join(folder, `D${String(FILES - 1).padStart(6, "0")}.txt`));
  });
});
