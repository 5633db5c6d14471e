import type { Command } from "commander";
import { HOLIDAY_REGIONS, type HolidayRegion } from "../domain/call-in-rule.js";
import { ValidationError } from "../domain/errors.js";
import { parseCutoffTimeInput, parseIsoDateInput } from "../domain/date-input.js";
import { callInDeadlineFor, inferCouncilCallInRule } from "../services/call-in/index.js";
import {
  DEFAULT_COUNCIL,
  findOrCreateCouncil,
  listCouncils,
  setCouncilRule,
  type CouncilRuleChange,
  councilForRule,
  findCouncil,
  matchCouncil,
} from "../services/councils/index.js";
import type { CliIo } from "./cli-io.js";
import { cliActor, withContext } from "./with-context.js";
import { wholeNumber } from "./cli-flags.js";
import { printJson, table } from "./cli-output.js";
import { councilLines, deadlineLines, describeRule } from "./register-text.js";
import { inferenceLines, sameRule } from "./rule-inference-text.js";

/** The council commands (list, show, set-rule, infer-rule) and the call-in deadline calculator. */
export function registerCouncilCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const council = program.command("council").description("councils and their call-in rules");

  council
    .command("list")
    .description("the councils in the register")
    .option("--json", "print a JSON array")
    .action(async (options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const councils = await listCouncils(ctx.database.db);
          if (options.json) printJson(io, councils);
          else if (councils.length === 0) {
            io.stdout(
              `The register has no councils yet (the default is ${ctx.config.defaultCouncil}; importing a record adds its council).\n`,
            );
          } else {
            io.stdout(
              table(
                ["SLUG", "NAME", "CALL-IN RULE"],
                councils.map((c) => [c.slug, c.name, describeRule(c.callInRule, c.minCallInSignatories)]),
              ),
            );
          }
          return 0;
        }),
      ),
    );

  council
    .command("show")
    .description("a council and its call-in rule")
    .argument("<council>", "the council's slug, or an unambiguous part of it")
    .option("--json", "print a JSON object")
    .action(async (ref: string, options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const found = await findCouncil(ctx.database.db, ref);
          if (options.json) printJson(io, found);
          else io.stdout(councilLines(found));
          return 0;
        }),
      ),
    );

  council
    .command("set-rule")
    .description("change a council's call-in rule (validated as a whole, audited)")
    .argument("<council>", "the council's slug, or an unambiguous part of it")
    .option("--days <n>", "length of the call-in window")
    .option("--day-kind <kind>", "working or calendar days")
    .option("--count-from <from>", "publication-day (the day of publication counts) or next-day")
    .option("--cutoff <time>", "when the window closes on the last day: HH:MM, midnight (end of day) or noon")
    .option("--region <region>", `bank holidays: ${HOLIDAY_REGIONS.join(", ")}`)
    .option(
      "--closure-days <dates>",
      'the council\'s own closure days, comma-separated (replaces them; "none" clears)',
    )
    .option("--min-signatories <n>", "the fewest councillors who must sign a call-in")
    .option("--json", "print the council as a JSON object")
    .action(async (ref: string, options: SetRuleOptions) =>
      setExitCode(await setRuleCommand(ref, options, io)),
    );

  council
    .command("infer-rule")
    .description(
      "propose the call-in rule that explains most of the council's published decisions (deadline or effective-from)",
    )
    .argument("<council>", "the council's slug, or an unambiguous part of it")
    .option(
      "--apply",
      "set the proposed rule as the council's (audited); bank holidays and closure days stay",
    )
    .option("--json", "print a JSON object")
    .action(async (ref: string, options: { apply?: boolean; json?: boolean }) =>
      setExitCode(await inferRuleCommand(ref, options, io)),
    );

  program
    .command("deadline")
    .description("when call-in closes for a decision published on a date, and why")
    .requiredOption("--published <date>", "the publication date, YYYY-MM-DD")
    .option("--council <council>", "whose rule (default: the configured default council)")
    .option("--json", "print a JSON object")
    .action(async (options: { published: string; council?: string; json?: boolean }) =>
      setExitCode(await deadlineCommand(options, io)),
    );
}

interface SetRuleOptions {
  days?: string;
  dayKind?: string;
  countFrom?: string;
  cutoff?: string;
  region?: string;
  closureDays?: string;
  minSignatories?: string;
  json?: boolean;
}

function ruleChange(options: SetRuleOptions): CouncilRuleChange {
  const rule: NonNullable<CouncilRuleChange["rule"]> = {};
  if (options.days !== undefined) rule.days = wholeNumber(options.days, "--days", 1);
  if (options.dayKind !== undefined) {
    if (options.dayKind !== "working" && options.dayKind !== "calendar") {
      throw new ValidationError(
        `"${options.dayKind}" is not a kind of day; expected working or calendar`,
        "--day-kind",
      );
    }
    rule.dayKind = options.dayKind;
  }
  if (options.countFrom !== undefined) {
    if (options.countFrom !== "publication-day" && options.countFrom !== "next-day") {
      throw new ValidationError(
        `"${options.countFrom}" is not a starting day; expected publication-day or next-day`,
        "--count-from",
      );
    }
    rule.countFrom = options.countFrom;
  }
  if (options.cutoff !== undefined) rule.cutoff = parseCutoffTimeInput(options.cutoff, "--cutoff");
  if (options.region !== undefined) {
    if (!(HOLIDAY_REGIONS as readonly string[]).includes(options.region)) {
      throw new ValidationError(
        `"${options.region}" is not a bank-holiday region; expected one of ${HOLIDAY_REGIONS.join(", ")}`,
        "--region",
      );
    }
    rule.holidayRegion = options.region as HolidayRegion;
  }
  const change: CouncilRuleChange = {};
  if (Object.keys(rule).length > 0) change.rule = rule;
  if (options.closureDays !== undefined) {
    const text = options.closureDays.trim();
    change.closureDays =
      text === "" || text.toLowerCase() === "none"
        ? []
        : text
            .split(",")
            .map((day) => day.trim())
            .filter((day) => day !== "")
            .map((day) => parseIsoDateInput(day, "--closure-days"));
  }
  if (options.minSignatories !== undefined) {
    change.minCallInSignatories = wholeNumber(options.minSignatories, "--min-signatories", 1);
  }
  if (Object.keys(change).length === 0) {
    throw new ValidationError(
      "nothing to change: give at least one of --days, --day-kind, --count-from, --cutoff, --region, " +
        "--closure-days, --min-signatories",
      "set-rule",
    );
  }
  return change;
}

async function setRuleCommand(ref: string, options: SetRuleOptions, io: CliIo): Promise<number> {
  const change = ruleChange(options);
  return withContext(io, async (ctx) => {
    const actor = cliActor();
    const updated = await ctx.database.transaction(async (trx) => {
      const rows = await trx.selectFrom("council").select(["slug", "name"]).execute();
      let slug = matchCouncil(ref, rows);
      if (slug === null) {
        // The default council before anything was imported: create it (with the default rule), then change it.
        const defaultSlug = ctx.config.defaultCouncil;
        const defaultName = defaultSlug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : defaultSlug;
        if (matchCouncil(ref, [{ slug: defaultSlug, name: defaultName }]) !== defaultSlug) {
          await findCouncil(trx, ref); // throws NotFoundError listing the councils there are
        }
        slug = (await findOrCreateCouncil(trx, { slug: defaultSlug, name: defaultName }, actor)).council.slug;
      }
      return setCouncilRule(trx, slug, change, actor);
    });
    if (options.json) printJson(io, updated);
    else io.stdout(`Call-in rule changed.\n${councilLines(updated)}`);
    return 0;
  });
}

async function deadlineCommand(
  options: { published: string; council?: string; json?: boolean },
  io: CliIo,
): Promise<number> {
  const publishedOn = parseIsoDateInput(options.published, "--published");
  if (options.council !== undefined && options.council.trim() === "") {
    throw new ValidationError("the council must not be empty", "--council");
  }
  return withContext(io, async (ctx) => {
    const council = await councilForRule(ctx.database.db, options.council, ctx.config.defaultCouncil);
    const deadline = callInDeadlineFor(council, publishedOn);
    if (options.json) {
      printJson(io, {
        council: { slug: council.slug, name: council.name, inRegister: council.inRegister },
        publishedOn,
        deadline: deadline.deadline,
        cutoff: deadline.cutoff,
        effectiveFrom: deadline.effectiveFrom,
        daysCounted: deadline.daysCounted,
        skipped: deadline.skipped,
        explanation: deadline.explanation,
        rule: council.callInRule,
      });
      return 0;
    }
    io.stdout(deadlineLines(council, deadline));
    return 0;
  });
}

async function inferRuleCommand(
  ref: string,
  options: { apply?: boolean; json?: boolean },
  io: CliIo,
): Promise<number> {
  return withContext(io, async (ctx) => {
    const actor = cliActor();
    // One transaction: with --apply, the rule set is the one inferred from what was read.
    const { result, applied } = await ctx.database.transaction(async (trx) => {
      const result = await inferCouncilCallInRule(trx, ref);
      const { council, inference } = result;
      if (inference.best === null) {
        throw new ValidationError(
          `nothing to infer a call-in rule from for ${council.name}: ${inference.nothingToInferFrom ?? ""}`,
        );
      }
      const best = inference.best.rule;
      if (!options.apply || sameRule(council.callInRule, best)) return { result, applied: null };
      return { result, applied: await setCouncilRule(trx, council.slug, { rule: best }, actor) };
    });
    const { council, inference } = result;
    if (options.json) {
      printJson(io, {
        council: { slug: council.slug, name: council.name },
        currentRule: council.callInRule,
        ...inference,
        applied: applied !== null,
        ...(applied !== null && { newRule: applied.callInRule }),
      });
      return 0;
    }
    io.stdout(inferenceLines(result));
    if (options.apply) {
      if (applied === null)
        io.stdout("\nThe proposed rule is already the council's rule: nothing changed.\n");
      else io.stdout(`\nCall-in rule changed.\n${councilLines(applied)}`);
    } else if (inference.best !== null && !sameRule(council.callInRule, inference.best.rule)) {
      io.stdout(`\nTo use it: resolved council infer-rule ${council.slug} --apply\n`);
    }
    return 0;
  });
}
