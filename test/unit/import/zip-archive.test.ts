import { crc32, deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  entryText,
  readZip,
  storedEntry,
  writeZip,
  ZipFormatError,
  type ZipEntry,
} from "../../../src/import/extract/zip-archive.js";

const text = (value: string) => new TextEncoder().encode(value);

function deflatedEntry(name: string, value: string): ZipEntry {
  const data = text(value);
  const raw = deflateRawSync(data);
  return { name, method: 8, crc: crc32(data), compressedSize: raw.length, size: data.length, raw };
}

function archive(): Uint8Array {
  return writeZip([
    storedEntry("[Content_Types].xml", text("<Types/>")),
    deflatedEntry("word/document.xml", `<w:document>${"Gŵyl Dewi ".repeat(50)}</w:document>`),
  ]);
}

/** Offsets of the headers that name `name`: its local header and its central directory record. */
function headers(bytes: Uint8Array, name: string): { local: number; central: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at++) {
    const signature = view.getUint32(at, true);
    const nameAt = signature === 0x04034b50 ? at + 30 : signature === 0x02014b50 ? at + 46 : -1;
    if (nameAt < 0) continue;
    if (new TextDecoder().decode(bytes.subarray(nameAt, nameAt + name.length)) === name) found.push(at);
  }
  return { local: found[0]!, central: found[1]! };
}

describe("zip archives", () => {
  it("reads back what it writes, stored and deflated, in order", () => {
    const entries = readZip(archive());
    expect([...entries.keys()]).toEqual(["[Content_Types].xml", "word/document.xml"]);
    expect(entryText(entries.get("[Content_Types].xml")!)).toBe("<Types/>");
    expect(entryText(entries.get("word/document.xml")!)).toContain("Gŵyl Dewi Gŵyl Dewi");
    // Re-packed, as the Word importer does, it reads the same again.
    const again = readZip(writeZip(entries.values()));
    expect(entryText(again.get("word/document.xml")!)).toBe(entryText(entries.get("word/document.xml")!));
  });

  it("writes the same bytes every time, dated as asked", () => {
    expect(archive()).toEqual(archive());
    const dated = writeZip([storedEntry("a.xml", text("<a/>"))], { date: "2024-06-19" });
    const view = new DataView(dated.buffer, dated.byteOffset, dated.byteLength);
    const date = view.getUint16(12, true);
    expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31]).toEqual([2024, 6, 19]);
  });

  it("refuses an entry declared larger than 64 MiB before inflating it (a zip bomb)", () => {
    const bytes = archive().slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const { local, central } = headers(bytes, "word/document.xml");
    view.setUint32(local + 22, 65 * 2 ** 20, true);
    view.setUint32(central + 24, 65 * 2 ** 20, true);
    expect(() => readZip(bytes)).toThrow(/too large/);
    expect(() => readZip(bytes)).toThrow(ZipFormatError);
  });

  it("finds an entry damaged in the archive by its checksum", () => {
    const bytes = archive().slice();
    const { local } = headers(bytes, "[Content_Types].xml");
    bytes[local + 30 + "[Content_Types].xml".length + 2]! ^= 0xff;
    const entry = readZip(bytes).get("[Content_Types].xml")!;
    expect(() => entryText(entry)).toThrow(/checksum/);
    expect(() => entryText(entry)).toThrow(ZipFormatError);
  });

  it("tells an archive cut short or a file that is no archive by ZipFormatError", () => {
    const bytes = archive();
    expect(() => readZip(bytes.subarray(0, bytes.length - 30))).toThrow(ZipFormatError);
    expect(() => readZip(bytes.subarray(0, 100))).toThrow(ZipFormatError);
    expect(() => readZip(text("PK not really a zip archive, only text"))).toThrow(ZipFormatError);
  });
});
