import type { Command } from "commander";
import { formatFigure } from "../domain/kpi-wording.js";
import { councilIdForStrategies, getStrategy } from "../services/strategies/index.js";
import {
  confirmStrategyUpdate,
  rejectStrategyUpdate,
  updatesForStrategy,
} from "../services/strategy-updates/index.js";
import { wholeNumber } from "./cli-flags.js";
import type { CliIo } from "./cli-io.js";
import { printJson, table, truncate } from "./cli-output.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * A strategy's whole picture, and its quarterly updates, from the command line:
 *
 *   resolved strategy show <slug|id> [--council C] [--json]   priorities, each KPI's latest position, the
 *                                                              decision that agreed it, its quarterly updates
 *   resolved strategy confirm-update <link>                    an officer's confirmation of a proposed
 *   resolved strategy reject-update <link>                     quarterly update link (never proposed again)
 *
 * Link ids are in `show`'s UPDATES table (and /workspace/strategy-updates). Audited as "cli:<user>".
 */
export function registerStrategyShowCommands(
  strategy: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  strategy
    .command("show")
    .description("a strategy: priorities, each KPI's latest position, its quarterly updates")
    .argument("<strategy>", "the strategy's slug or id")
    .option("--council <council>", "the council (default: the configured default council)")
    .option("--json", "print JSON")
    .action(async (ref: string, options: { council?: string; json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const db = ctx.database.db;
          const councilId = await councilIdForStrategies(db, options.council, ctx.config.defaultCouncil);
          const detail = await getStrategy(db, councilId, ref);
          const updates = await updatesForStrategy(db, detail.id);
          if (options.json) {
            printJson(io, { ...detail, updates });
            return 0;
          }
          const agreed = detail.agreedBy
            ? `decision ${detail.agreedBy.id}${detail.agreedBy.recordId ? ` (${detail.agreedBy.recordId})` : ""}, ${detail.agreedBy.title}, ${detail.agreedBy.meetingDate}`
            : "not in the register";
          io.stdout(
            [
              `${detail.title} (${detail.slug}, id ${detail.id})`,
              `Period:    ${detail.periodFrom} to ${detail.periodTo}`,
              `Owner:     ${detail.owner ?? "not set"}`,
              `Agreed by: ${agreed}`,
              `RAG:       ${detail.ragRuleText}`,
              ...(detail.origin === "found-in-record"
                ? [
                    "Found in the record that agreed it: no priorities or KPIs yet (resolved strategy import).",
                  ]
                : []),
              "",
            ].join("\n"),
          );
          for (const priority of detail.priorities) {
            io.stdout(`${priority.position}. ${priority.title}\n`);
            if (priority.kpis.length === 0) {
              io.stdout("   no KPIs\n");
              continue;
            }
            io.stdout(
              table(
                ["CODE", "LATEST", "ACTUAL", "TARGET", "RAG", "DIRECTION", "NAME"],
                priority.kpis.map((k) => [
                  k.code,
                  k.latest?.period ?? "",
                  k.latest ? formatFigure(k.latest.actual, k.unit) : "",
                  k.latest ? formatFigure(k.latest.target, k.unit) : "",
                  k.latest?.rag ?? "",
                  k.latest?.direction ?? "",
                  truncate(k.name, 60),
                ]),
              ),
            );
          }
          io.stdout("\nQuarterly updates to Cabinet\n");
          if (updates.length === 0) io.stdout("none found in the register yet\n");
          else
            io.stdout(
              table(
                ["LINK", "QUARTER", "STATUS", "DECISION", "MEETING", "TITLE"],
                updates.map((u) => [
                  String(u.id),
                  u.period,
                  u.status,
                  String(u.decision.id),
                  u.decision.meetingDate,
                  truncate(u.decision.title, 60),
                ]),
              ),
            );
          return 0;
        }),
      ),
    );

  for (const [name, verb, review] of [
    ["confirm-update", "confirm", confirmStrategyUpdate],
    ["reject-update", "reject", rejectStrategyUpdate],
  ] as const) {
    strategy
      .command(name)
      .description(`${verb} a proposed quarterly update link (its id from resolved strategy show)`)
      .argument("<link>", "the link's id")
      .option("--council <council>", "the council (default: the configured default council)")
      .action(async (linkText: string, options: { council?: string }) =>
        setExitCode(
          await withContext(io, async (ctx) => {
            const id = wholeNumber(linkText, "link", 1);
            const councilId = await councilIdForStrategies(
              ctx.database.db,
              options.council,
              ctx.config.defaultCouncil,
            );
            const verdict = await review(ctx.database, id, { label: cliActor(), councilId });
            io.stdout(
              `Link ${verdict.id} (${verdict.period}, decision ${verdict.decisionId}): ${verdict.status}.\n`,
            );
            return 0;
          }),
        ),
      );
  }
}
