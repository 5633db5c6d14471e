import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DocumentError } from "../domain/errors.js";

export const DOCUMENT_EXTENSIONS = [".txt", ".text", ".pdf", ".docx", ".html", ".htm"];

/**
 * Expands the paths given on a command line: files stay as given (in order), folders become the
 * documents inside them, sorted by name so a batch is processed in a predictable order.
 */
export async function listDocumentFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    // One at a time, not push(...list): a spread of a folder of 150,000 files overflows the stack.
    if (info?.isDirectory()) for (const file of await documentsIn(path)) files.push(file);
    else files.push(path);
  }
  return files;
}

async function documentsIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
    throw new DocumentError(`cannot read folder ${folder}: ${(error as Error).message}`);
  });
  return entries
    .filter((e) => e.isFile() && DOCUMENT_EXTENSIONS.some((ext) => e.name.toLowerCase().endsWith(ext)))
    .map((e) => join(e.parentPath, e.name))
    .sort(BY_NAME.compare);
}

/** localeCompare(b, "en") as one collator: the same order, without making a collator for every comparison. */
const BY_NAME = new Intl.Collator("en");
