import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateRegisterChunk } from "../web/generate-register.js";

export interface WrittenDocument {
  fileName: string;
  sha256: string;
  size: number;
}

/**
 * Writes `count` generated decision records (bench/web's register: proforma text, 300-1,500 words, one decision
 * a file, named by its record identifier) into `dir`, and returns each file's name and SHA-256, for checking the
 * register against. The same files for the same count and seed.
 */
export async function writeDocuments(dir: string, count: number, seed = 2026): Promise<WrittenDocument[]> {
  await mkdir(dir, { recursive: true });
  const written: WrittenDocument[] = [];
  const chunk = 1000;
  for (let start = 0; start < count; start += chunk) {
    const { inputs } = generateRegisterChunk(start, Math.min(chunk, count - start), count, seed);
    for (const input of inputs) {
      await writeFile(join(dir, input.fileName), input.bytes);
      written.push({
        fileName: input.fileName,
        sha256: createHash("sha256").update(input.bytes).digest("hex"),
        size: input.bytes.byteLength,
      });
    }
  }
  return written;
}
