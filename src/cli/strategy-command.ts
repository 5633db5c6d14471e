import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { DocumentError, ResolvedError, ValidationError } from "../domain/errors.js";
import { describeRagRule } from "../domain/kpi-rag.js";
import { councilIdForPeople } from "../services/people/index.js";
import {
  councilIdForStrategies,
  createStrategy,
  exportKpiValues,
  importKpiValues,
  KpiCsvError,
  listStrategies,
  ragRuleFor,
  setRagRule,
} from "../services/strategies/index.js";
import type { CliIo } from "./cli-io.js";
import { printJson, table, truncate } from "./cli-output.js";
import { locateJsonPath } from "./json-location.js";
import { describeError } from "./report-error.js";
import { registerStrategyShowCommands } from "./strategy-show-command.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * Strategies and their KPIs from the command line: `strategy import FILE.json`, `strategy list`,
 * `kpi import FILE.csv` and `kpi export [--strategy SLUG]`. A file's problems are printed as
 * `FILE:LINE:COLUMN: message` (a CSV file: every bad row; nothing is imported), exit 1. The command line runs as
 * the machine's operator, trusted as for every other command: `kpi import` may enter any KPI's values (the web and
 * the API pass the signed-in account instead, which the services check against the KPI's list).
 */
export function registerStrategyCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const strategy = program
    .command("strategy")
    .description("strategies the council agreed, with priorities and KPIs");

  strategy
    .command("import")
    .description(
      "create a strategy, its priorities and KPIs from JSON (the shape POST /api/v1/strategies takes)",
    )
    .argument("<file>", 'the JSON file; "-" reads standard input')
    .option("--council <council>", "the council (default: the configured default council)")
    .option("--json", "print the new strategy's id and slug as JSON")
    .action(async (file: string, options: { council?: string; json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const name = file === "-" ? "<stdin>" : file;
          let text = "";
          try {
            text = (await readText(io, file)).replace(/^\uFEFF/, "");
            const input = parseJson(text);
            const councilId = await ctx.database.transaction((trx) =>
              councilIdForPeople(trx, options.council, ctx.config.defaultCouncil, cliActor()),
            );
            const result = await createStrategy(ctx.database, councilId, input, cliActor());
            if (options.json) printJson(io, result);
            else io.stdout(`Strategy ${result.id} created: ${result.slug}, with ${result.kpiCount} KPIs.\n`);
            return 0;
          } catch (error) {
            if (!(error instanceof ResolvedError)) throw error;
            const at =
              error instanceof ValidationError && error.field
                ? locateJsonPath(text, error.field.split("."))
                : null;
            const where = at ? `${name}:${at.line}:${at.column}: ` : `${name}: `;
            io.stderr(at ? `${where}${error.message}\n` : `${describeError(error, name)}\n`);
            return 1;
          }
        }),
      ),
    );

  strategy
    .command("list")
    .description("the council's strategies, newest first")
    .option("--council <council>", "the council (default: the configured default council)")
    .option("--json", "print a JSON array")
    .action(async (options: { council?: string; json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const councilId = await councilIdForStrategies(
            ctx.database.db,
            options.council,
            ctx.config.defaultCouncil,
          );
          const strategies = await listStrategies(ctx.database.db, councilId);
          if (options.json) printJson(io, strategies);
          else if (strategies.length === 0)
            io.stdout("No strategies yet (add one with resolved strategy import).\n");
          else {
            io.stdout(
              table(
                ["ID", "SLUG", "PERIOD", "PRIORITIES", "KPIS", "AGREED BY", "TITLE"],
                strategies.map((s) => [
                  String(s.id),
                  s.slug,
                  `${s.periodFrom} to ${s.periodTo}`,
                  String(s.priorityCount),
                  String(s.kpiCount),
                  s.agreedBy ? (s.agreedBy.recordId ?? String(s.agreedBy.id)) : "",
                  truncate(s.title, 60),
                ]),
              ),
            );
          }
          return 0;
        }),
      ),
    );

  registerStrategyShowCommands(strategy, io, setExitCode);

  const kpi = program.command("kpi").description("KPI values, quarter by quarter");

  kpi
    .command("import")
    .description("enter KPI values from CSV: kpi,period,actual,target,commentary (all rows or none)")
    .argument("<file>", 'the CSV file; "-" reads standard input')
    .option("--council <council>", "the council (default: the configured default council)")
    .action(async (file: string, options: { council?: string }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const name = file === "-" ? "<stdin>" : file;
          try {
            const csv = await readText(io, file);
            const councilId = await councilIdForStrategies(
              ctx.database.db,
              options.council,
              ctx.config.defaultCouncil,
            );
            const summary = await importKpiValues(ctx.database, councilId, csv, cliActor());
            io.stdout(
              `KPI values: ${summary.entered} entered, ${summary.changed} changed, ${summary.unchanged} unchanged.\n`,
            );
            return 0;
          } catch (error) {
            if (error instanceof KpiCsvError) {
              for (const p of error.problems) io.stderr(`${name}:${p.line}:${p.column}: ${p.message}\n`);
              io.stderr("resolved: nothing was imported\n");
              return 1;
            }
            if (error instanceof DocumentError) {
              io.stderr(`${describeError(error, name)}\n`);
              return 1;
            }
            throw error;
          }
        }),
      ),
    );

  kpi
    .command("export")
    .description("write KPI values as CSV (kpi,period,actual,target,commentary), as kpi import reads them")
    .option("--strategy <slug>", "one strategy's KPIs only (its slug or id)")
    .option("--council <council>", "the council (default: the configured default council)")
    .action(async (options: { strategy?: string; council?: string }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const councilId = await councilIdForStrategies(
            ctx.database.db,
            options.council,
            ctx.config.defaultCouncil,
          );
          io.stdout(await exportKpiValues(ctx.database.db, councilId, options.strategy));
          return 0;
        }),
      ),
    );
  kpi
    .command("rule")
    .description(
      "show the council's RAG rule, or set it: --amber-percent N (the default, 10) or --improving-amber",
    )
    .option("--amber-percent <n>", "amber when worse than the target by no more than N% of it")
    .option("--improving-amber", "amber only when better than the same quarter last year")
    .option("--council <council>", "the council (default: the configured default council)")
    .action(async (options: { amberPercent?: string; improvingAmber?: boolean; council?: string }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const councilId = await councilIdForStrategies(
            ctx.database.db,
            options.council,
            ctx.config.defaultCouncil,
          );
          if (options.amberPercent !== undefined && options.improvingAmber) {
            throw new ValidationError("give --amber-percent or --improving-amber, not both", "rule");
          }
          if (options.amberPercent !== undefined || options.improvingAmber) {
            const percent = Number(options.amberPercent);
            const rule = options.improvingAmber
              ? { kind: "improving-amber" }
              : {
                  kind: "tolerance",
                  amberPercent: Number.isFinite(percent) ? percent : options.amberPercent,
                };
            const { changed } = await setRagRule(ctx.database, councilId, rule, cliActor());
            io.stdout(changed ? "RAG rule changed.\n" : "RAG rule unchanged.\n");
          }
          io.stdout(`RAG: ${describeRagRule(await ragRuleFor(ctx.database.db, councilId))}.\n`);
          return 0;
        }),
      ),
    );
}

async function readText(io: CliIo, file: string): Promise<string> {
  const bytes =
    file === "-"
      ? await io.readStdin()
      : await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new DocumentError(
            error.code === "ENOENT" ? "no such file" : `cannot read the file (${error.code})`,
          );
        });
  return bytes.toString("utf8");
}

/** JSON, or a DocumentError at the line and column where it stops being JSON. */
export function parseJson(text: string): unknown {
  const clean = text.replace(/^\uFEFF/, "");
  if (clean.trim() === "") throw new DocumentError("the file is empty (expected a JSON strategy)", 1, 1);
  try {
    return JSON.parse(clean);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : clean.length;
    const before = clean.slice(0, offset).split("\n");
    throw new DocumentError(
      `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, "")}`,
      before.length,
      before[before.length - 1]!.length + 1,
    );
  }
}
