import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ValidationError } from "../../domain/errors.js";
import type { Database } from "../../storage/database.js";
import type { CouncilActor } from "../accounts/account-actor.js";
import { confirmFulfilment } from "../commitments/review-suggestions.js";
import { createStrategy } from "../strategies/strategies.js";
import { importKpiValues } from "../strategies/kpi-csv.js";
import { confirmStrategyUpdate } from "../strategy-updates/review-updates.js";
import { updatesForStrategy } from "../strategy-updates/update-views.js";
import type { FileImport } from "../import/import-files.js";

/**
 * The example strategy's life (examples/strategies/, invented like the example records): the Children's Services
 * Strategy 2023-2026 as `resolved strategy import` reads it, its KPI values as `resolved kpi import` reads them,
 * the quarterly updates Resolved finds for it among the example records and the promises of those updates that
 * later reports kept, both as an officer would confirm them. Loaded
 * after the example records, through the same services an officer uses (checked and audited), so a newcomer's
 * register shows strategies, quarterly pages and commitments with their fulfilment links.
 */

export const EXAMPLE_STRATEGIES_DIR = fileURLToPath(
  new URL("../../../examples/strategies/", import.meta.url),
);

export const EXAMPLE_STRATEGY_FILES = {
  strategy: "childrens-services-strategy-2023-26.json",
  kpiValues: "childrens-services-kpis-2025-26.csv",
  fulfilments: "commitment-fulfilments.json",
} as const;

const fulfilmentsSchema = z.object({
  about: z.string().optional(),
  fulfilments: z.array(
    z
      .object({ promisedIn: z.string().min(1), promise: z.string().min(1), keptBy: z.string().min(1) })
      .strict(),
  ),
});

export interface ExampleStrategySummary {
  strategyId: number;
  kpiValues: number;
  /** The quarterly updates found for it in the example records, confirmed. */
  updates: number;
  fulfilments: number;
}

/**
 * Creates the example strategy in `councilId`, enters its KPI values and confirms the example fulfilments.
 * `files` are the example records as imported (file → decision), so a fulfilment can name records by file.
 * Throws ValidationError naming the file when a fulfilment names a record or a promise that is not there.
 */
export async function addExampleStrategy(
  database: Database,
  councilId: number,
  files: readonly FileImport[],
  options: { actor: string; directory?: string; now?: Date },
): Promise<ExampleStrategySummary> {
  const directory = options.directory ?? EXAMPLE_STRATEGIES_DIR;
  const read = (name: string) => readFile(join(directory, name), "utf8");

  const strategy = await createStrategy(
    database,
    councilId,
    JSON.parse(await read(EXAMPLE_STRATEGY_FILES.strategy)) as unknown,
    options.actor,
  );
  const values = await importKpiValues(
    database,
    councilId,
    await read(EXAMPLE_STRATEGY_FILES.kpiValues),
    options.actor,
  );

  const fulfilmentsFile = join(directory, EXAMPLE_STRATEGY_FILES.fulfilments);
  const parsed = fulfilmentsSchema.safeParse(JSON.parse(await read(EXAMPLE_STRATEGY_FILES.fulfilments)));
  if (!parsed.success) {
    throw new ValidationError(`${fulfilmentsFile}: ${parsed.error.issues[0]?.message ?? "not as expected"}`);
  }
  const decisionOf = (name: string, index: number, field: string) => {
    const decisionId = files.find((file) => basename(file.file) === name)?.result?.decisionId;
    if (decisionId === undefined) {
      throw new ValidationError(
        `${fulfilmentsFile}: fulfilments.${index}.${field}: no example record "${name}" was imported`,
      );
    }
    return decisionId;
  };
  const actor: CouncilActor = { councilId, label: options.actor };
  let updates = 0;
  for (const update of await updatesForStrategy(database.db, strategy.id)) {
    if (update.status !== "proposed") continue;
    await confirmStrategyUpdate(database, update.id, actor, options.now);
    updates += 1;
  }
  let confirmed = 0;
  for (const [index, fulfilment] of parsed.data.fulfilments.entries()) {
    const source = decisionOf(fulfilment.promisedIn, index, "promisedIn");
    const keptBy = decisionOf(fulfilment.keptBy, index, "keptBy");
    const commitment = await database.db
      .selectFrom("commitment")
      .select("id")
      .where("decisionId", "=", source)
      .where("text", "like", `${fulfilment.promise.replace(/[\\%_]/g, "\\$&")}%`)
      .executeTakeFirst();
    if (!commitment) {
      throw new ValidationError(
        `${fulfilmentsFile}: fulfilments.${index}.promise: ${fulfilment.promisedIn} has no promise beginning "${fulfilment.promise}"`,
      );
    }
    await confirmFulfilment(database, commitment.id, keptBy, actor, options.now);
    confirmed += 1;
  }
  return {
    strategyId: strategy.id,
    kpiValues: values.entered + values.changed,
    updates,
    fulfilments: confirmed,
  };
}
