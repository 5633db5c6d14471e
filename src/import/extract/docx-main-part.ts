import { entryText, type ZipEntry } from "./zip-archive.js";

/**
 * Where a Word document's body lives. Word writes word/document.xml, but the package format only
 * promises a part of the "document.main" content type, and some generators use another name.
 */
const MAIN_PART_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";

/** The main document part's name, or undefined when the archive is not a Word document. */
export function findMainPart(entries: ReadonlyMap<string, ZipEntry>): string | undefined {
  const types = entries.get("[Content_Types].xml");
  if (types) {
    try {
      for (const m of entryText(types).matchAll(/<Override\b[^>]*>/g)) {
        if (!m[0].includes(MAIN_PART_TYPE)) continue;
        const part = /PartName\s*=\s*"\/?([^"]+)"/.exec(m[0])?.[1];
        if (part !== undefined && entries.has(part)) return part;
      }
    } catch {
      // A damaged content-types part: fall back to the conventional name.
    }
  }
  return entries.has("word/document.xml") ? "word/document.xml" : undefined;
}
