import { type Kysely, type RawBuilder, sql } from "kysely";
import { DocumentError, ValidationError } from "../../domain/errors.js";
import { isValidIsoDate } from "../../domain/iso-date.js";
import type { Database } from "../../storage/database.js";
import { type DatabaseSchema, SERVER_STATE_TABLES, TABLE_NAMES } from "../../storage/schema.js";
import {
  REGISTER_FORMAT,
  REGISTER_FORMAT_VERSION,
  RegisterChecksums,
  RegisterReader,
  type RegisterHeader,
  type RegisterLine,
  type RegisterTrailer,
  type TableChecksum,
} from "./register-file.js";

/**
 * The whole register as JSON Lines, and back. The format (version 1):
 *
 *   line 1     {"format":"resolved-register","version":1,"exportedAt":"…Z","tables":[…],"rows":{"council":2,…}}
 *   then       {"table":"council","row":{"id":1,"slug":"stockton-on-tees",…}}   one line per row
 *
 * Tables come in foreign-key order (parents first), rows in primary-key order; a row holds every stored column
 * under its SQL name: bytea as base64, numeric as a decimal in a string ("72.5"), date as "YYYY-MM-DD",
 * timestamptz as an ISO instant in UTC with microseconds ("2026-11-22T12:00:00.123456Z", as precise as Postgres
 * keeps it), jsonb as JSON, identity ids as they are. Generated columns (source_document.sha256 and size, decision.search) are left out: the database
 * computes them again. The header's `rows` counts each table's rows, so a restore can tell a cut-short file.
 *
 * With checksums (backups, src/services/register/backup.ts), the header says so ("checksums":"trailer", so that
 * a file cut just before the trailer is refused too) and one more line ends the file, the trailer:
 *
 *   {"trailer":"resolved-register-checksums","algorithm":"sha256","header":"<hex>","tables":{"council":{"rows":2,"sha256":"<hex>"},…}}
 *
 * `header` is the SHA-256 of the header line's UTF-8 text; each table's `sha256` is that of its row lines, each
 * followed by "\n", in file order. A file with a trailer must match it, line for line, before anything is
 * loaded; and after loading, the restored tables read back (as an export would write them) must give the same
 * counts and checksums, or the restore is rolled back. A file without one is an ordinary export.
 *
 * The export reads one snapshot (a read-only, repeatable-read transaction), so it is consistent while others
 * write. A restore goes into an empty register in one transaction: all of it, or nothing.
 */

type ColumnKind = "bytea" | "date" | "timestamptz" | "jsonb" | "boolean" | "integer" | "numeric" | "text";

interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  /** A generated identity ("always" or "by default"). */
  identity: boolean;
}

interface TableInfo {
  name: string;
  /** Stored, non-generated columns, in table order. */
  columns: ColumnInfo[];
  primaryKey: string[];
}

const PAGE_SIZE = 200;

/**
 * Writes the register, one line at a time (without the newline); returns the header written, and with
 * `checksums` the trailer written after the rows.
 */
export async function exportRegister(
  database: Database,
  write: (line: string) => void | Promise<void>,
  options: { checksums?: boolean } = {},
): Promise<RegisterHeader & { trailer?: RegisterTrailer }> {
  return database.transaction(async (trx) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    const db = trx.withoutPlugins();
    const tables = await describeTables(db);
    const rows: Record<string, number> = {};
    for (const table of tables) {
      const { rows: counted } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table.name)}`.execute(db);
      rows[table.name] = counted[0]?.n ?? 0;
    }
    const header: RegisterHeader = {
      format: REGISTER_FORMAT,
      version: REGISTER_FORMAT_VERSION,
      exportedAt: new Date().toISOString(),
      tables: tables.map((t) => t.name),
      rows,
      ...(options.checksums && { checksums: "trailer" as const }),
    };
    const checksums = new RegisterChecksums();
    const headerLine = JSON.stringify(header);
    checksums.addHeader(headerLine);
    await write(headerLine);
    for (const table of tables) {
      checksums.startTable(table.name);
      for await (const row of readRows(db, table)) {
        const line = rowLine(table, row);
        checksums.addRow(table.name, line);
        await write(line);
      }
    }
    if (!options.checksums) return header;
    const trailer = checksums.trailer();
    await write(JSON.stringify(trailer));
    return { ...header, trailer };
  });
}

function rowLine(table: TableInfo, row: Record<string, unknown>): string {
  return JSON.stringify({ table: table.name, row } satisfies RegisterLine);
}

/** The restored tables as an export would write them now: their counts and checksums. */
async function readBackChecksums(
  db: Kysely<DatabaseSchema>,
  tables: TableInfo[],
): Promise<Record<string, TableChecksum>> {
  const checksums = new RegisterChecksums();
  for (const table of tables) {
    checksums.startTable(table.name);
    for await (const row of readRows(db, table)) checksums.addRow(table.name, rowLine(table, row));
  }
  return checksums.trailer().tables;
}

/** Every row of a table in primary-key order, a page at a time (originals can be large). */
async function* readRows(
  db: Kysely<DatabaseSchema>,
  table: TableInfo,
): AsyncGenerator<Record<string, unknown>> {
  const select = sql.join(table.columns.map((column) => selectExpression(column)));
  const key = sql.join(table.primaryKey.map((name) => sql.ref(name)));
  let after: unknown[] | undefined;
  for (;;) {
    const where =
      after === undefined ? sql`` : sql`where (${key}) > (${sql.join(after.map((v) => sql`${v}`))})`;
    const { rows } = await sql<Record<string, unknown>>`
      select ${select} from ${sql.table(table.name)} ${where} order by ${key} limit ${PAGE_SIZE}`.execute(db);
    for (const row of rows) yield exportRow(table, row);
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1]!;
    after = table.primaryKey.map((name) => last[name]);
  }
}

function selectExpression(column: ColumnInfo): RawBuilder<unknown> {
  const ref = sql.ref(column.name);
  // Microseconds in UTC: a JavaScript Date would lose the last three digits.
  if (column.kind === "timestamptz") {
    return sql`to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ${sql.id(column.name)}`;
  }
  return sql`${ref}`;
}

function exportRow(table: TableInfo, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const column of table.columns) {
    const value = row[column.name];
    out[column.name] =
      value === null || value === undefined
        ? null
        : column.kind === "bytea"
          ? Buffer.from(value as Uint8Array).toString("base64")
          : value;
  }
  return out;
}

/** The register's tables (those of TABLE_NAMES that exist), in foreign-key order, with their stored columns. */
async function describeTables(db: Kysely<DatabaseSchema>): Promise<TableInfo[]> {
  const { rows: columns } = await sql<{
    table: string;
    column: string;
    type: string;
    identity: string;
  }>`
    select table_name as "table", column_name as "column", data_type as "type", is_identity as "identity"
    from information_schema.columns
    where table_schema = current_schema() and is_generated = 'NEVER'
      and table_name in (${sql.join(TABLE_NAMES.map((name) => sql`${name}`))})
    order by table_name, ordinal_position`.execute(db);
  const { rows: keys } = await sql<{ table: string; column: string }>`
    select tc.table_name as "table", kcu.column_name as "column"
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.constraint_schema = tc.constraint_schema
     and kcu.table_name = tc.table_name
    where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY'
    order by tc.table_name, kcu.ordinal_position`.execute(db);

  const { rows: present } = await sql<{ name: string }>`
    select tablename as name from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely\\_%'`.execute(db);
  const unlisted = present
    .map((t) => t.name)
    .filter(
      (name) =>
        !(TABLE_NAMES as readonly string[]).includes(name) &&
        !(SERVER_STATE_TABLES as readonly string[]).includes(name),
    );
  if (unlisted.length > 0) {
    // A table the export would silently leave out: a bug to fix in TABLE_NAMES (src/storage/schema.ts).
    throw new Error(
      `export: table ${unlisted.join(", ")} is not in TABLE_NAMES, so it would not be exported`,
    );
  }

  const tables: TableInfo[] = [];
  for (const name of TABLE_NAMES) {
    const own = columns.filter((c) => c.table === name);
    if (own.length === 0) continue;
    const primaryKey = keys.filter((k) => k.table === name).map((k) => k.column);
    tables.push({
      name,
      columns: own.map((c) => ({
        name: c.column,
        kind: columnKind(name, c.column, c.type),
        identity: c.identity === "YES",
      })),
      // Every table of ours has a primary key; all columns would still give a stable order.
      primaryKey: primaryKey.length > 0 ? primaryKey : own.map((c) => c.column),
    });
  }
  return tables;
}

function columnKind(table: string, column: string, type: string): ColumnKind {
  switch (type) {
    case "bytea":
      return "bytea";
    case "date":
      return "date";
    case "timestamp with time zone":
      return "timestamptz";
    case "jsonb":
    case "json":
      return "jsonb";
    case "boolean":
      return "boolean";
    case "integer":
    case "smallint":
    case "bigint":
      return "integer";
    case "numeric":
      return "numeric";
    case "text":
    case "character varying":
      return "text";
    default:
      // A migration added a type the export does not know: better to stop than to write it wrongly.
      throw new Error(
        `export: column ${table}.${column} has type ${type}, which the register format does not cover`,
      );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Restore

export interface RestoreSummary {
  /** Rows restored per table, in the order restored. */
  rows: Record<string, number>;
  total: number;
  exportedAt: string;
}

/**
 * Loads an export into an empty register, in one transaction: any bad line (DocumentError with its line number)
 * or refusal leaves the database as it was. Refuses a register that already holds anything (ValidationError).
 * Identity ids are kept, and each identity's sequence is moved past the largest id. No audit entry is added:
 * the restored register, audit log included, is exactly the one exported. `actor` is reported back.
 */
export async function restoreRegister(
  database: Database,
  lines: AsyncIterable<string>,
  actor: string,
): Promise<RestoreSummary & { actor: string; verified: boolean }> {
  return database.transaction(async (trx) => {
    const db = trx.withoutPlugins();
    const tables = await describeTables(db);
    await refuseNonEmpty(db, tables);

    const byName = new Map(tables.map((t) => [t.name, t]));
    const reader = new RegisterReader((name) => byName.has(name));
    let currentTableIndex = -1;
    for await (const rawLine of lines) {
      const line = reader.read(rawLine);
      if (line === undefined) continue;
      const lineNumber = reader.lineNumber;
      const table = byName.get(line.table)!;
      const index = tables.indexOf(table);
      if (index < currentTableIndex) {
        throw new DocumentError(
          `rows of ${line.table} come after rows of ${tables[currentTableIndex]!.name}: the export must list tables in the order of its header`,
          lineNumber,
        );
      }
      currentTableIndex = index;
      await insertRow(db, table, line.row, lineNumber);
    }
    const { header, restored, checksums } = reader.finish("nothing was restored");
    const lineNumber = reader.lineNumber;

    for (const table of tables) {
      for (const column of table.columns.filter((c) => c.identity)) {
        await sql`
          select setval(pg_get_serial_sequence(${table.name}, ${column.name}), max_id)
          from (select max(${sql.ref(column.name)}) as max_id from ${sql.table(table.name)}) m
          where max_id is not null`.execute(db);
      }
    }
    // The decision ↔ decision_version foreign key is deferred: check it now, so a broken export fails here with a
    // message rather than at commit.
    try {
      await sql`set constraints all immediate`.execute(db);
    } catch (error) {
      throw new DocumentError(
        `the export is inconsistent: ${(error as Error).message}; nothing was restored`,
        lineNumber,
      );
    }
    await checkReadBack(db, tables, reader.trailer ? checksums : undefined, restored, lineNumber);
    const total = Object.values(restored).reduce((sum, n) => sum + n, 0);
    return {
      rows: restored,
      total,
      exportedAt: header.exportedAt,
      actor,
      verified: reader.trailer !== undefined,
    };
  });
}

/**
 * After loading, before commit: the restored tables read back as an export would write them. With a trailer,
 * each table's count and checksum must be the file's; without one, its count.
 */
async function checkReadBack(
  db: Kysely<DatabaseSchema>,
  tables: TableInfo[],
  expected: Record<string, TableChecksum> | undefined,
  restored: Record<string, number>,
  lineNumber: number,
): Promise<void> {
  const actual = await readBackChecksums(db, tables);
  for (const table of tables) {
    const got = actual[table.name]!;
    const want = expected?.[table.name];
    const wantRows = want?.rows ?? restored[table.name] ?? 0;
    if (got.rows !== wantRows || (want !== undefined && got.sha256 !== want.sha256)) {
      throw new DocumentError(
        `after loading, ${table.name} reads back ${got.rows === wantRows ? "differently from" : `${got.rows} rows, not the ${wantRows} of`} ` +
          "the file (its checksum does not match); nothing was restored",
        lineNumber,
      );
    }
  }
}

async function refuseNonEmpty(db: Kysely<DatabaseSchema>, tables: TableInfo[]): Promise<void> {
  const holding: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ any: boolean }>`
      select exists (select 1 from ${sql.table(table.name)}) as "any"`.execute(db);
    if (rows[0]?.any) holding.push(table.name);
  }
  if (holding.length > 0) {
    throw new ValidationError(
      `restore needs an empty register: this one already holds rows in ${holding.join(", ")}. ` +
        "Restore into a new database (another RESOLVED_DATA_DIR or DATABASE_URL).",
    );
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

async function insertRow(
  db: Kysely<DatabaseSchema>,
  table: TableInfo,
  row: Record<string, unknown>,
  lineNumber: number,
): Promise<void> {
  const columns = new Map(table.columns.map((c) => [c.name, c]));
  const unknown = Object.keys(row).filter((name) => !columns.has(name));
  if (unknown.length > 0) {
    throw new DocumentError(`${table.name} has no column ${unknown.join(", ")}`, lineNumber);
  }
  const names = Object.keys(row);
  if (names.length === 0) throw new DocumentError(`the ${table.name} row is empty`, lineNumber);
  const values = names.map((name) => sqlValue(table.name, columns.get(name)!, row[name], lineNumber));
  const overriding = table.columns.some((c) => c.identity && names.includes(c.name))
    ? sql`overriding system value`
    : sql``;
  try {
    await sql`
      insert into ${sql.table(table.name)} (${sql.join(names.map((n) => sql.id(n)))}) ${overriding}
      values (${sql.join(values)})`.execute(db);
  } catch (error) {
    throw new DocumentError(`${table.name} row not accepted: ${(error as Error).message}`, lineNumber);
  }
}

function sqlValue(
  table: string,
  column: ColumnInfo,
  value: unknown,
  lineNumber: number,
): RawBuilder<unknown> {
  const bad = (expected: string) =>
    new DocumentError(
      `${table}.${column.name} must be ${expected}, not ${JSON.stringify(value)}`,
      lineNumber,
    );
  if (value === null) return sql`null`;
  switch (column.kind) {
    case "bytea":
      if (typeof value !== "string" || !BASE64.test(value)) throw bad("base64 text");
      return sql`${Buffer.from(value, "base64")}`;
    case "date":
      if (typeof value !== "string" || !isValidIsoDate(value)) throw bad("a date written YYYY-MM-DD");
      return sql`${value}::date`;
    case "timestamptz":
      if (typeof value !== "string" || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
        throw bad("an ISO instant such as 2026-11-22T12:00:00.000000Z");
      }
      return sql`${value}::timestamptz`;
    case "jsonb":
      return sql`${JSON.stringify(value)}::jsonb`;
    case "boolean":
      if (typeof value !== "boolean") throw bad("true or false");
      return sql`${value}`;
    case "integer":
      if (!Number.isSafeInteger(value)) throw bad("a whole number");
      return sql`${value}`;
    case "numeric":
      // A decimal as text ("72.5"), exactly as stored: a JSON number could lose digits.
      if (typeof value !== "string" || !DECIMAL.test(value)) throw bad('a decimal as text, such as "72.5"');
      return sql`${value}::numeric`;
    case "text":
      if (typeof value !== "string") throw bad("text");
      return sql`${value}`;
  }
}
