import { crc32, inflateRawSync } from "node:zlib";

/**
 * Just enough ZIP to read and re-pack a Word document: the central directory, stored and
 * deflated entries. Our own (about a hundred lines) rather than a dependency, because we need
 * to tell "not a zip" from "a damaged zip" in our own words, and to re-pack a .docx with one
 * part replaced (see docx-to-text.ts). ZIP64 and encrypted entries are refused: Word does not
 * write them for documents of this size.
 */

export class ZipFormatError extends Error {}

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** The entry's bytes as stored in the archive (compressed when method is 8). */
  raw: Uint8Array;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** A document's XML part inflating to more than this is a zip bomb, not a decision record. */
const MAX_ENTRY_SIZE = 256 * 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

function findEndOfCentralDirectory(view: DataView): number {
  const earliest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= earliest; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) return at;
  }
  throw new ZipFormatError("no end of central directory record");
}

/** Lists the archive's entries; throws ZipFormatError when the archive is cut short or damaged. */
export function readZip(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 22) throw new ZipFormatError("too short to be a zip archive");
  const eocd = findEndOfCentralDirectory(view);
  const count = view.getUint16(eocd + 10, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new ZipFormatError("ZIP64 is not supported");

  const entries = new Map<string, ZipEntry>();
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError("central directory is damaged");
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressedSize = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;

    if (flags & 0x1) throw new ZipFormatError(`entry ${name} is encrypted`);
    if (localOffset + 30 > bytes.length || view.getUint32(localOffset, true) !== LOCAL_SIGNATURE) {
      throw new ZipFormatError(`entry ${name} is damaged`);
    }
    const dataStart =
      localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataStart + compressedSize > bytes.length) throw new ZipFormatError(`entry ${name} is cut short`);
    entries.set(name, {
      name,
      method,
      crc,
      compressedSize,
      size,
      raw: bytes.subarray(dataStart, dataStart + compressedSize),
    });
  }
  return entries;
}

/** The entry's uncompressed bytes, checked against its CRC. */
export function entryBytes(entry: ZipEntry): Uint8Array {
  if (entry.size > MAX_ENTRY_SIZE) throw new ZipFormatError(`entry ${entry.name} is too large`);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = entry.raw;
  } else if (entry.method === 8) {
    try {
      data = inflateRawSync(entry.raw, { maxOutputLength: Math.max(entry.size, 1) });
    } catch {
      throw new ZipFormatError(`entry ${entry.name} cannot be decompressed`);
    }
  } else {
    throw new ZipFormatError(`entry ${entry.name} uses unsupported compression method ${entry.method}`);
  }
  if (data.length !== entry.size || crc32(data) !== entry.crc) {
    throw new ZipFormatError(`entry ${entry.name} is damaged (checksum mismatch)`);
  }
  return data;
}

export function entryText(entry: ZipEntry): string {
  return new TextDecoder().decode(entryBytes(entry));
}

/** A new entry holding `data` uncompressed. */
export function storedEntry(name: string, data: Uint8Array): ZipEntry {
  return { name, method: 0, crc: crc32(data), compressedSize: data.length, size: data.length, raw: data };
}

/** Writes the entries as a zip archive, copying their stored bytes as they are. */
export function writeZip(entries: Iterable<ZipEntry>): Uint8Array {
  const encoder = new TextEncoder();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  let count = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL_SIGNATURE, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true); // names are UTF-8
    lv.setUint16(8, entry.method, true);
    lv.setUint32(14, entry.crc, true);
    lv.setUint32(18, entry.compressedSize, true);
    lv.setUint32(22, entry.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);

    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, CENTRAL_SIGNATURE, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, entry.method, true);
    cv.setUint32(16, entry.crc, true);
    cv.setUint32(20, entry.compressedSize, true);
    cv.setUint32(24, entry.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);

    locals.push(local, entry.raw);
    centrals.push(central);
    offset += local.length + entry.raw.length;
    count++;
  }
  const directorySize = centrals.reduce((n, c) => n + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, EOCD_SIGNATURE, true);
  ev.setUint16(8, count, true);
  ev.setUint16(10, count, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  return Buffer.concat([...locals, ...centrals, eocd]);
}
