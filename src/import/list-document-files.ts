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
    if (info?.isDirectory()) files.push(...(await documentsIn(path)));
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
    .sort((a, b) => a.localeCompare(b, "en"));
}
