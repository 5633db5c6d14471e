import { createHash, type Hash } from "node:crypto";
import { DocumentError } from "../../domain/errors.js";

/**
 * A register file (see export-and-restore.ts for the format): its header, row lines and checksums trailer, the
 * checksums as they are counted while writing or reading, and reading a file line by line with every line
 * checked. Shared by export, restore and a backup's verification.
 */

export const REGISTER_FORMAT = "resolved-register";
export const REGISTER_FORMAT_VERSION = 1;

export interface RegisterHeader {
  format: typeof REGISTER_FORMAT;
  version: typeof REGISTER_FORMAT_VERSION;
  exportedAt: string;
  tables: string[];
  rows: Record<string, number>;
  /** "trailer": a checksums trailer ends the file (a backup); a file cut before it is refused. */
  checksums?: "trailer";
}

export const CHECKSUMS_TRAILER = "resolved-register-checksums";

export interface TableChecksum {
  rows: number;
  sha256: string;
}

export interface RegisterTrailer {
  trailer: typeof CHECKSUMS_TRAILER;
  algorithm: "sha256";
  /** SHA-256 of the header line. */
  header: string;
  tables: Record<string, TableChecksum>;
}

export interface RegisterLine {
  table: string;
  row: Record<string, unknown>;
}

/** SHA-256 of the header line and of each table's row lines (each with its "\n"), as the trailer holds them. */
export class RegisterChecksums {
  #header = "";
  readonly #tables = new Map<string, { rows: number; hash: Hash }>();

  addHeader(line: string): void {
    this.#header = createHash("sha256").update(line, "utf8").digest("hex");
  }

  /** A table with no rows is still listed (its checksum is that of nothing). */
  startTable(table: string): void {
    if (!this.#tables.has(table)) this.#tables.set(table, { rows: 0, hash: createHash("sha256") });
  }

  addRow(table: string, line: string): void {
    this.startTable(table);
    const entry = this.#tables.get(table)!;
    entry.rows++;
    entry.hash.update(line, "utf8").update("\n");
  }

  trailer(): RegisterTrailer {
    const tables: Record<string, TableChecksum> = {};
    for (const [name, { rows, hash }] of this.#tables) tables[name] = { rows, sha256: hash.digest("hex") };
    return { trailer: CHECKSUMS_TRAILER, algorithm: "sha256", header: this.#header, tables };
  }
}

/**
 * Reads an export's lines in order: the header, the rows, and the checksums trailer if there is one; counts and
 * checksums what it reads. Used by restore (which loads each row) and by a backup's verification (which does not).
 */
export class RegisterReader {
  header: RegisterHeader | undefined;
  trailer: RegisterTrailer | undefined;
  readonly #checksums = new RegisterChecksums();
  readonly #counts: Record<string, number> = {};
  #lineNumber = 0;

  constructor(private readonly isKnownTable: (name: string) => boolean) {}

  get lineNumber(): number {
    return this.#lineNumber;
  }

  /** The row a line holds; undefined for the header, the trailer or a blank line. */
  read(rawLine: string): RegisterLine | undefined {
    const lineNumber = ++this.#lineNumber;
    const text = rawLine.replace(/^\uFEFF/, "");
    if (text.trim() === "") return undefined;
    if (this.trailer !== undefined) {
      throw new DocumentError("a line after the checksums trailer, which must end the file", lineNumber);
    }
    const value = parseJsonLine(text, lineNumber);
    if (this.header === undefined) {
      this.header = checkHeader(value, lineNumber, this.isKnownTable);
      this.#checksums.addHeader(text);
      return undefined;
    }
    if (isObject(value) && "trailer" in value) {
      this.trailer = checkTrailer(value, lineNumber);
      return undefined;
    }
    const line = checkLine(value, lineNumber, this.header, this.isKnownTable);
    this.#checksums.addRow(line.table, text);
    this.#counts[line.table] = (this.#counts[line.table] ?? 0) + 1;
    return line;
  }

  /**
   * After the last line: the counts must be the header's, and the checksums the trailer's when there is one.
   * `consequence` ends the messages ("nothing was restored").
   */
  finish(consequence: string): {
    header: RegisterHeader;
    restored: Record<string, number>;
    checksums: Record<string, TableChecksum>;
  } {
    const lineNumber = this.#lineNumber;
    const header = this.header;
    if (header === undefined) {
      throw new DocumentError(
        "the file is empty: expected a register export (resolved export)",
        lineNumber || 1,
      );
    }
    for (const [name, expected] of Object.entries(header.rows)) {
      const got = this.#counts[name] ?? 0;
      if (got !== expected) {
        throw new DocumentError(
          `the export is incomplete: its header counts ${expected} rows of ${name}, the file holds ${got} ` +
            `(was it cut short?); ${consequence}`,
          lineNumber,
        );
      }
    }
    const read = this.#checksums.trailer();
    const trailer = this.trailer;
    if (header.checksums === "trailer" && trailer === undefined) {
      throw new DocumentError(
        `the checksums trailer that the header announces is missing (was the file cut short?); ${consequence}`,
        lineNumber,
      );
    }
    if (trailer !== undefined) {
      if (trailer.header !== read.header) {
        throw new DocumentError(
          `the header line does not match its checksum in the trailer (the file is damaged); ${consequence}`,
          1,
        );
      }
      const names = new Set([...Object.keys(trailer.tables), ...Object.keys(read.tables)]);
      for (const name of names) {
        const want = trailer.tables[name];
        const got = read.tables[name] ?? { rows: 0, sha256: createHash("sha256").digest("hex") };
        if (want === undefined || want.rows !== got.rows || want.sha256 !== got.sha256) {
          throw new DocumentError(
            `the rows of ${name} do not match their checksum in the trailer (the file is damaged); ${consequence}`,
            lineNumber,
          );
        }
      }
    }
    return { header, restored: { ...this.#counts }, checksums: read.tables };
  }
}

function checkTrailer(value: Record<string, unknown>, lineNumber: number): RegisterTrailer {
  const hex = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
  const tables = value.tables;
  if (
    value.trailer !== CHECKSUMS_TRAILER ||
    value.algorithm !== "sha256" ||
    !hex(value.header) ||
    !isObject(tables) ||
    !Object.values(tables).every(
      (t) => isObject(t) && Number.isSafeInteger(t.rows) && (t.rows as number) >= 0 && hex(t.sha256),
    )
  ) {
    throw new DocumentError(
      `the checksums trailer must be {"trailer":"${CHECKSUMS_TRAILER}","algorithm":"sha256","header":…,"tables":{…}}`,
      lineNumber,
    );
  }
  return value as unknown as RegisterTrailer;
}

function parseJsonLine(text: string, lineNumber: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DocumentError(`not valid JSON (${(error as Error).message})`, lineNumber);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkHeader(
  value: unknown,
  lineNumber: number,
  isKnownTable: (name: string) => boolean,
): RegisterHeader {
  if (!isObject(value) || value.format !== REGISTER_FORMAT) {
    throw new DocumentError(
      `not a register export: the first line must be the header {"format":"${REGISTER_FORMAT}",...} that resolved export writes`,
      lineNumber,
    );
  }
  if (value.version !== REGISTER_FORMAT_VERSION) {
    throw new DocumentError(
      `register format version ${JSON.stringify(value.version)} is not one this Resolved reads (it reads version ${REGISTER_FORMAT_VERSION})`,
      lineNumber,
    );
  }
  if (typeof value.exportedAt !== "string" || Number.isNaN(Date.parse(value.exportedAt))) {
    throw new DocumentError("the header's exportedAt must be an ISO instant", lineNumber);
  }
  const tables = value.tables;
  if (!Array.isArray(tables) || !tables.every((t): t is string => typeof t === "string")) {
    throw new DocumentError("the header's tables must be a list of table names", lineNumber);
  }
  const unknown = tables.filter((t) => !isKnownTable(t));
  if (unknown.length > 0) {
    throw new DocumentError(
      `the export has tables this register does not: ${unknown.join(", ")} (made by a newer Resolved?)`,
      lineNumber,
    );
  }
  const rows = value.rows;
  if (
    !isObject(rows) ||
    !Object.entries(rows).every(
      ([t, n]) => tables.includes(t) && Number.isSafeInteger(n) && (n as number) >= 0,
    )
  ) {
    throw new DocumentError("the header's rows must count the rows of each of its tables", lineNumber);
  }
  return {
    format: REGISTER_FORMAT,
    version: REGISTER_FORMAT_VERSION,
    exportedAt: value.exportedAt,
    tables,
    rows: rows as Record<string, number>,
    ...(value.checksums === "trailer" && { checksums: "trailer" as const }),
  };
}

function checkLine(
  value: unknown,
  lineNumber: number,
  header: RegisterHeader,
  isKnownTable: (name: string) => boolean,
): RegisterLine {
  if (!isObject(value) || typeof value.table !== "string" || !isObject(value.row)) {
    throw new DocumentError('expected a row: {"table":"…","row":{…}}', lineNumber);
  }
  if (!header.tables.includes(value.table) || !isKnownTable(value.table)) {
    throw new DocumentError(`table "${value.table}" is not one the header lists`, lineNumber);
  }
  const extra = Object.keys(value).filter((k) => k !== "table" && k !== "row");
  if (extra.length > 0)
    throw new DocumentError(`unexpected ${extra.join(", ")} beside table and row`, lineNumber);
  return { table: value.table, row: value.row };
}
