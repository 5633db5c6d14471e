import { crc32, deflateRawSync } from "node:zlib";
import { inflateSync, unzipSync, Zip, type Unzipped, type ZipInputFile } from "fflate";

/**
 * ZIP for Word documents, over fflate: reading an archive (to find a document's parts, and to
 * re-pack a .docx with one part replaced, see docx-to-text.ts) and writing one (our Word
 * downloads). What fflate leaves to us: telling "not a zip" from "a damaged zip" in our own words
 * (ZipFormatError), checking each entry against its CRC-32 (fflate does not), refusing an entry
 * that would inflate past MAX_ENTRY_SIZE (a zip bomb) before it is inflated, and dating entries
 * from the caller rather than the clock, so the same parts make the same bytes. ZIP64 and
 * encrypted entries are refused: Word does not write them for documents of this size.
 */

export class ZipFormatError extends Error {}

/** An entry, or the archive, would inflate past the limits below: a zip bomb rather than a damaged file. */
export class ZipTooLargeError extends ZipFormatError {}

/** The limit an archive's entries are held to once inflated, for messages. */
export const MAX_ZIP_ENTRY_MB = 64;

export interface ZipEntry {
  name: string;
  /** How `raw` holds the bytes: 0 = stored, 8 = deflated. Entries read by `readZip` are stored. */
  method: number;
  /** CRC-32 of the uncompressed bytes, as the archive (or the caller) declares it. */
  crc: number;
  compressedSize: number;
  /** Uncompressed size, as declared. */
  size: number;
  raw: Uint8Array;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/**
 * An entry inflating to more than this is a zip bomb, not part of a decision record: the importer reads no file
 * over 64 MB (extract/index.ts), and a part that big unpacked is XML or padding, never a photograph (which does
 * not compress). docx-to-text.ts refuses a text part over 32 MB before reading it.
 */
const MAX_ENTRY_SIZE = MAX_ZIP_ENTRY_MB * 1024 * 1024;
/** fflate inflates every entry at once, so the whole archive is bounded too. */
const MAX_TOTAL_SIZE = 2 * MAX_ENTRY_SIZE;
/** Entries of archives we write are dated this day unless the caller gives one. */
const DEFAULT_DATE = "1980-01-01";

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

interface Declared {
  crc: number;
  encrypted: boolean;
}

/**
 * What the central directory declares of each entry, in its order (the order in which fflate
 * offers the entries to its filter): the CRC, which fflate reads past, and the encryption flag.
 */
function centralDirectory(bytes: Uint8Array): Declared[] {
  if (bytes.length < 22) throw new ZipFormatError("too short to be a zip archive");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = bytes.length - 22;
  while (eocd >= earliest && view.getUint32(eocd, true) !== EOCD_SIGNATURE) eocd--;
  if (eocd < earliest) throw new ZipFormatError("no end of central directory record");
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new ZipFormatError("ZIP64 is not supported");
  const declared: Declared[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError("central directory is damaged");
    }
    declared.push({
      crc: view.getUint32(at + 16, true),
      encrypted: (view.getUint16(at + 8, true) & 1) === 1,
    });
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return declared;
}

/**
 * The archive's entries, inflated; throws ZipFormatError when the archive is cut short or damaged,
 * or an entry is too large. Each entry is checked against its CRC when its bytes are read.
 */
export function readZip(bytes: Uint8Array): Map<string, ZipEntry> {
  const declared = centralDirectory(bytes);
  const listed: Array<{ name: string; crc: number; size: number }> = [];
  let total = 0;
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        const entry = declared[listed.length];
        if (!entry) throw new ZipFormatError("central directory is damaged");
        if (entry.encrypted) throw new ZipFormatError(`entry ${file.name} is encrypted`);
        if (file.compression !== 0 && file.compression !== 8) {
          throw new ZipFormatError(
            `entry ${file.name} uses unsupported compression method ${file.compression}`,
          );
        }
        total += file.originalSize;
        if (file.originalSize > MAX_ENTRY_SIZE || total > MAX_TOTAL_SIZE) {
          throw new ZipTooLargeError(`entry ${file.name} is too large`);
        }
        listed.push({ name: file.name, crc: entry.crc, size: file.originalSize });
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    // fflate's own errors: deflate data that cannot be inflated, headers that point nowhere.
    throw new ZipFormatError(
      `the archive is damaged (${error instanceof Error ? error.message : "unreadable"})`,
    );
  }
  const entries = new Map<string, ZipEntry>();
  for (const { name, crc, size } of listed) {
    const raw = files[name] ?? new Uint8Array(0);
    entries.set(name, { name, method: 0, crc, compressedSize: raw.length, size, raw });
  }
  return entries;
}

/** The entry's uncompressed bytes, checked against its size and CRC. */
export function entryBytes(entry: ZipEntry): Uint8Array {
  if (entry.size > MAX_ENTRY_SIZE) throw new ZipTooLargeError(`entry ${entry.name} is too large`);
  let data: Uint8Array;
  if (entry.method === 0) {
    data = entry.raw;
  } else if (entry.method === 8) {
    try {
      data = inflateSync(entry.raw, { out: new Uint8Array(entry.size) });
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

/** A new entry holding `data` deflated (with zlib: several times faster than fflate's own deflate). */
export function deflatedEntry(name: string, data: Uint8Array): ZipEntry {
  const raw = deflateRawSync(data);
  return { name, method: 8, crc: crc32(data), compressedSize: raw.length, size: data.length, raw };
}

/**
 * Writes the entries as a zip archive, in the order given, copying their bytes as they are (stored
 * or deflated), every entry dated `date` (YYYY-MM-DD, from 1980). A zip entry's date is local time,
 * and fflate reads it from a Date in the machine's time zone: noon on that day, made in local time,
 * gives the same bytes in every time zone (midnight may not exist where clocks change at midnight).
 */
export function writeZip(entries: Iterable<ZipEntry>, options: { date?: string } = {}): Uint8Array {
  const day = (text: string) => /^(19[89]\d|20\d\d)-(\d\d)-(\d\d)$/.exec(text);
  const date = day(options.date ?? DEFAULT_DATE) ?? day(DEFAULT_DATE)!;
  const mtime = new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 12);
  const out: { chunks: Uint8Array[]; error?: Error } = { chunks: [] };
  // fflate's streaming writer takes entries whose bytes are ready (its documented ZipInputFile),
  // and calls back synchronously when every entry's bytes are given at once.
  const zip = new Zip((error, chunk) => {
    if (error) out.error = error;
    else out.chunks.push(chunk);
  });
  for (const entry of entries) {
    const file: ZipInputFile = {
      filename: entry.name,
      size: entry.size,
      crc: entry.crc,
      compression: entry.method,
      mtime,
    };
    zip.add(file);
    file.ondata!(null, entry.raw as Uint8Array<ArrayBuffer>, true);
  }
  zip.end();
  if (out.error) throw out.error;
  // A plain array of its own (Buffer.concat may hand out a slice of a shared pool).
  const bytes = new Uint8Array(out.chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of out.chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
