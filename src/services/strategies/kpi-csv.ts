import { defuseFormula, quoteCsvCell, undefuseFormula } from "../../domain/csv-cell.js";
import { CsvError, parse } from "csv-parse/sync";
import { DocumentError, NotFoundError, type ValidationError } from "../../domain/errors.js";
import {
  compareQuarters,
  formatQuarter,
  parseQuarter,
  type FinancialQuarter,
} from "../../domain/financial-period.js";
import type { Database, Executor } from "../../storage/database.js";
import { appendAuditEntries, type AuditEntry } from "../audit/audit-log.js";
import { auditLabelOf, enterableKpiIds, type KpiEnterer } from "./kpi-editors.js";
import { decimalOf, writeKpiValue } from "./kpis.js";

/**
 * KPI values as CSV, both ways: `kpi,period,actual,target,commentary` (RFC 4180, UTF-8; a byte order mark is
 * accepted and written, so that spreadsheets read it as UTF-8).
 *
 * Import: every row is checked before anything is written; any bad row and nothing is imported, each problem
 * reported with its line and column (the field's position in its row, from 1). A row sets its quarter's actual,
 * target and commentary as given: an empty cell is no figure. Figures may have thousands separators (1,234.5) and
 * a leading £ or trailing %. Rows whose figures are already stored are left alone (and not audited).
 * Export: every KPI's values (or one strategy's), by code then quarter. A commentary a spreadsheet would read as
 * a formula (=, +, -, @, a tab or carriage return first) is written after an apostrophe, which the import takes
 * off again (src/domain/csv-cell.ts).
 */

export const KPI_CSV_COLUMNS = ["kpi", "period", "actual", "target", "commentary"] as const;
const REQUIRED = ["kpi", "period", "actual"] as const;
/** Beyond this many problems the rest are summed up in one line. */
const MAX_PROBLEMS = 50;

export interface CsvProblem {
  line: number;
  column: number;
  message: string;
}

/** A CSV file with bad rows: every problem (up to 50), each with its line and column. Nothing was imported. */
export class KpiCsvError extends DocumentError {
  constructor(readonly problems: CsvProblem[]) {
    const first = problems[0]!;
    super(first.message, first.line, first.column);
  }
}

export interface KpiImportSummary {
  /** Quarters with no figures before. */
  entered: number;
  /** Quarters whose figures or commentary changed. */
  changed: number;
  unchanged: number;
}

interface ParsedRow {
  line: number;
  kpiId: number;
  code: string;
  period: FinancialQuarter;
  actual: string | null;
  target: string | null;
  commentary: string;
}

/**
 * Imports KPI values from CSV text, all or nothing, in one transaction. `actor`: the account importing (a row for a
 * KPI it may not enter is a problem of that row: kpi-editors.ts), or the operator's audit label (the command line).
 */
export async function importKpiValues(
  database: Database,
  councilId: number,
  csv: string,
  enterer: KpiEnterer,
): Promise<KpiImportSummary> {
  const records = readCsv(csv);
  const actor = auditLabelOf(enterer);
  return database.transaction(async (trx) => {
    const rows = await checkRows(trx, councilId, records, await enterableKpiIds(trx, enterer));
    const summary: KpiImportSummary = { entered: 0, changed: 0, unchanged: 0 };
    const audit: AuditEntry[] = [];
    for (const row of rows) {
      const entry = await writeKpiValue(
        trx,
        { id: row.kpiId, code: row.code, councilId },
        row.period,
        { actual: row.actual, target: row.target, commentary: row.commentary },
        actor,
      );
      if (entry === null) summary.unchanged++;
      else {
        audit.push({ ...entry, details: { ...entry.details, line: row.line } });
        summary[entry.action === "kpi-value.entered" ? "entered" : "changed"]++;
      }
    }
    await appendAuditEntries(trx, audit);
    return summary;
  });
}

interface CsvRecord {
  line: number;
  cells: string[];
}

function readCsv(csv: string): CsvRecord[] {
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With info, each record comes as { record, info } (the library's types do not follow the option).
    parsed = parse(csv, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (error instanceof CsvError) {
      // An unclosed quote swallows the rest of the file: one problem, where the parser stopped.
      const column = typeof error.column === "number" ? error.column + 1 : 1;
      throw new KpiCsvError([{ line: Number(error.lines) || 1, column, message: csvMessage(error) }]);
    }
    throw error;
  }
  // info.lines is the line a record ends on; a quoted cell may hold line breaks, so count back to its first line.
  return parsed.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    cells: record,
  }));
}

function csvMessage(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return 'a quoted cell is never closed (a missing "), so the rest of the file cannot be read';
    case "INVALID_OPENING_QUOTE":
      return 'a quote inside a cell that does not start with one: quote the whole cell and double the quote ("")';
    default:
      return `not valid CSV: ${error.message}`;
  }
}

async function checkRows(
  trx: Executor,
  councilId: number,
  records: CsvRecord[],
  enterable: "all" | Set<number>,
): Promise<ParsedRow[]> {
  const header = records[0];
  if (!header)
    throw new KpiCsvError([
      { line: 1, column: 1, message: `the file is empty: expected the header ${KPI_CSV_COLUMNS.join(",")}` },
    ]);
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const problems: CsvProblem[] = [];
  names.forEach((name, i) => {
    if (!(KPI_CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        line: header.line,
        column: i + 1,
        message: `"${name.slice(0, 40)}" is not a column; the columns are ${KPI_CSV_COLUMNS.join(",")}`,
      });
    } else if (names.indexOf(name) !== i) {
      problems.push({ line: header.line, column: i + 1, message: `column ${name} is given twice` });
    }
  });
  for (const name of REQUIRED) {
    if (!names.includes(name)) {
      problems.push({
        line: header.line,
        column: names.length + 1,
        message: `the header has no ${name} column (the columns are ${KPI_CSV_COLUMNS.join(",")})`,
      });
    }
  }
  if (problems.length > 0) throw new KpiCsvError(problems);
  const at = (name: string) => names.indexOf(name);

  const kpis = await trx
    .selectFrom("kpi")
    .select(["id", "code"])
    .where("councilId", "=", councilId)
    .execute();
  const byCode = new Map(kpis.map((k) => [k.code, k]));
  const byLowerCode = new Map(kpis.map((k) => [k.code.toLowerCase(), k]));
  const seen = new Map<string, number>();
  const rows: ParsedRow[] = [];

  for (const record of records.slice(1)) {
    const cell = (name: string) => (at(name) < 0 ? "" : (record.cells[at(name)] ?? "").trim());
    const problem = (name: string, message: string) =>
      problems.push({ line: record.line, column: at(name) + 1, message });
    if (record.cells.length > names.length) {
      problems.push({
        line: record.line,
        column: names.length + 1,
        message: `${record.cells.length} cells where the header has ${names.length}`,
      });
      continue;
    }
    const before = problems.length;
    const code = cell("kpi");
    const kpi = byCode.get(code) ?? byLowerCode.get(code.toLowerCase());
    if (code === "") problem("kpi", "kpi: the KPI's code is missing");
    else if (!kpi) problem("kpi", `kpi: no KPI "${code.slice(0, 40)}" in this council's strategies`);
    else if (enterable !== "all" && !enterable.has(kpi.id))
      problem("kpi", `kpi: you may not enter the values of KPI ${kpi.code}`);
    let period: FinancialQuarter | undefined;
    try {
      period = parseQuarter(cell("period"), "period");
    } catch (error) {
      problem("period", (error as ValidationError).message);
    }
    const figureIn = (name: "actual" | "target"): string | null => {
      const text = cell(name)
        .replace(/^£/, "")
        .replace(/%$/, "")
        .replace(/,(?=\d{3}(\D|$))/g, "");
      if (text === "") return null;
      try {
        return decimalOf(text, name);
      } catch {
        problem(
          name,
          `${name}: "${cell(name).slice(0, 40)}" is not a number (write 72.5; leave the cell empty for none)`,
        );
        return null;
      }
    };
    const actual = figureIn("actual");
    const target = figureIn("target");
    if (problems.length === before && actual === null && target === null) {
      problem("actual", "actual: give the actual, the target or both");
    }
    const commentary = undefuseFormula(cell("commentary"));
    if (commentary.length > 4_000) problem("commentary", "commentary: at most 4,000 characters");
    if (kpi && period) {
      const key = `${kpi.id} ${formatQuarter(period)}`;
      const first = seen.get(key);
      if (first !== undefined)
        problem("period", `period: ${kpi.code} ${formatQuarter(period)} is given already, on line ${first}`);
      else seen.set(key, record.line);
    }
    if (problems.length === before && kpi && period) {
      rows.push({ line: record.line, kpiId: kpi.id, code: kpi.code, period, actual, target, commentary });
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (problems.length > 0) {
    if (problems.length >= MAX_PROBLEMS) {
      const last = problems[problems.length - 1]!;
      problems.push({ line: last.line, column: 1, message: `stopped after ${MAX_PROBLEMS} problems` });
    }
    throw new KpiCsvError(problems);
  }
  return rows;
}

/** The council's KPI values as CSV (with the header and a byte order mark); one strategy's, by its slug or id. */
export async function exportKpiValues(db: Executor, councilId: number, strategy?: string): Promise<string> {
  let query = db
    .selectFrom("kpiValue")
    .innerJoin("kpi", "kpi.id", "kpiValue.kpiId")
    .innerJoin("strategyPriority", "strategyPriority.id", "kpi.priorityId")
    .innerJoin("strategy", "strategy.id", "strategyPriority.strategyId")
    .select([
      "kpi.code",
      "kpiValue.startYear",
      "kpiValue.quarter",
      "kpiValue.actual",
      "kpiValue.target",
      "kpiValue.commentary",
    ])
    .where("kpi.councilId", "=", councilId);
  if (strategy !== undefined) {
    const text = strategy.trim();
    const found = await db
      .selectFrom("strategy")
      .select("id")
      .where("councilId", "=", councilId)
      .where((eb) =>
        /^\d{1,9}$/.test(text) ? eb("id", "=", Number(text)) : eb("slug", "=", text.toLowerCase()),
      )
      .executeTakeFirst();
    if (!found) throw new NotFoundError(`no strategy "${text.slice(0, 80)}" (see resolved strategy list)`);
    query = query.where("strategy.id", "=", found.id);
  }
  const rows = await query
    .orderBy("kpi.code")
    .orderBy("kpiValue.startYear")
    .orderBy("kpiValue.quarter")
    .execute();
  rows.sort(
    (a, b) =>
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      compareQuarters(
        { startYear: a.startYear, quarter: a.quarter as 1 },
        { startYear: b.startYear, quarter: b.quarter as 1 },
      ),
  );
  const lines = [KPI_CSV_COLUMNS.join(",")];
  for (const row of rows) {
    const period = formatQuarter({
      startYear: row.startYear,
      quarter: row.quarter as FinancialQuarter["quarter"],
    });
    // The figures may be negative ("-3.5"): only the commentary, free text, is defused.
    const commentary = defuseFormula(row.commentary);
    lines.push(
      [row.code, period, row.actual ?? "", row.target ?? "", commentary].map(quoteCsvCell).join(","),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
