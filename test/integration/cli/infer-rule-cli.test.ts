import { beforeAll, describe, expect, it } from "vitest";
import type { CliRun } from "../../support/built-cli.js";
import { formatLongDate } from "../../../src/import/uk-date.js";
import { setCouncilRule } from "../../../src/services/councils/index.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { useCliRegister } from "./cli-register.js";

/** `resolved council infer-rule` as a user runs it: the built CLI in its own process, on the run's backend. */

const { cli: run, withDatabase } = useCliRegister("infer-rule-cli");
const cli = (...args: string[]): Promise<CliRun> => run(args);

/** Stockton's practice, as printed: midnight ending the 5th working day, counting the publication day. */
const PRINTED: Array<[string, string, string]> = [
  ["D220031", "2022-09-15", "2022-09-22"], // the Queen's funeral, Mon 19 Sep 2022, is not counted
  ["D220045", "2022-12-21", "2022-12-29"], // Boxing Day and the Christmas substitute day
  ["D230012", "2023-03-30", "2023-04-05"],
  ["D230013", "2023-04-04", "2023-04-12"], // Easter
  ["D230018", "2023-05-03", "2023-05-10"], // the coronation
  ["D230041", "2023-11-20", "2023-11-24"],
  ["D230042", "2023-11-21", "2023-12-01"], // a slip: the rule gives Mon 27 November
];

function midnight(date: string): string {
  return `Midnight, ${formatLongDate(date)}`;
}

async function auditedRuleChanges(): Promise<number> {
  return withDatabase(async (database) => {
    const rows = await database.db
      .selectFrom("auditLog")
      .select("action")
      .where("action", "=", "council.rule-changed")
      .execute();
    return rows.length;
  });
}

beforeAll(async () => {
  await withDatabase(async (database) => {
    for (const [recordId, publishedOn, deadline] of PRINTED) {
      await seedDecision(
        database,
        stocktonRecord({
          recordId,
          title: `Decision ${recordId}`,
          meetingDate: publishedOn,
          publishedOn,
          callIn: { deadline, text: midnight(deadline) },
        }),
      );
    }
    // A recommendation to Council: not subject to call-in, left out.
    const outcome = {
      kind: "RECOMMENDED" as const,
      text: "to Council that the budget be approved.",
      items: [],
    };
    await seedDecision(
      database,
      stocktonRecord({
        recordId: "D230043",
        title: "Budget",
        outcome,
        outcomes: [outcome],
        callIn: { deadline: null, text: "Not applicable" },
        subjectToCallIn: false,
      }),
    );
  });
});

describe("resolved council infer-rule", () => {
  it("proposes Stockton's rule with its share, the decision it does not explain and the current rule", async () => {
    // Start from a different rule, as a council new to the register might.
    await withDatabase((database) =>
      database.transaction((trx) =>
        setCouncilRule(trx, "stockton-on-tees", { rule: { days: 10, dayKind: "calendar" } }, "test"),
      ),
    );

    const human = await cli("council", "infer-rule", "stockton");
    expect(human.stderr).toBe("");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      "Stockton-on-Tees Borough Council (stockton-on-tees): the call-in rule its 8 published decisions follow",
    );
    expect(human.stdout).toContain(
      "Proposed rule: 5 working days, counting the publication day, closing at midnight at the end of the last day (UK time)",
    );
    expect(human.stdout).toContain("It explains 6 of 7 pairs (85%).");
    expect(human.stdout).toContain(
      "Equally good: 4 working days, counting from the day after publication, closing at midnight",
    );
    expect(human.stdout).toMatch(
      /Current rule: 10 calendar days, counting the publication day, closing at midnight at the end of the last day; it explains 0 of 7 pairs \(0%\)\./,
    );
    expect(human.stdout).toContain("Left out: 1 (1 not subject to call-in).");
    expect(human.stdout).toContain("Not explained by the proposed rule (1):");
    expect(human.stdout).toMatch(
      /D230042\s+2023-11-21\s+deadline 2023-12-01, midnight\s+deadline 2023-11-27, midnight/,
    );
    expect(human.stdout).toContain("To use it: resolved council infer-rule stockton-on-tees --apply");
    // Nothing was changed without --apply.
    expect(await auditedRuleChanges()).toBe(1);

    const json = JSON.parse((await cli("council", "infer-rule", "stockton", "--json")).stdout);
    expect(json).toMatchObject({
      council: { slug: "stockton-on-tees" },
      currentRule: { days: 10, dayKind: "calendar" },
      best: {
        rule: { countFrom: "publication-day", days: 5, dayKind: "working", cutoff: "24:00" },
        explained: 6,
        total: 7,
      },
      considered: 8,
      usable: 7,
      applied: false,
    });
    expect(json.unexplained).toEqual([
      expect.objectContaining({
        label: "D230042",
        ruleGives: expect.objectContaining({ deadline: "2023-11-27" }),
      }),
    ]);
  });

  it("--apply sets the proposed rule (audited); deadlines follow it", async () => {
    const applied = await cli("council", "infer-rule", "stockton-on-tees", "--apply");
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Call-in rule changed.");
    expect(applied.stdout).toContain("Call-in window: 5 working days, counting the publication day");
    expect(await auditedRuleChanges()).toBe(2);

    const deadline = JSON.parse((await cli("deadline", "--published", "2022-09-15", "--json")).stdout);
    expect(deadline).toMatchObject({ deadline: "2022-09-22", council: { inRegister: true } });
  });

  it("--apply when the proposed rule is already the council's changes nothing", async () => {
    const again = await cli("council", "infer-rule", "stockton", "--apply", "--json");
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: false, compared: { explained: 6, total: 7 } });
    const human = await cli("council", "infer-rule", "stockton", "--apply");
    expect(human.stdout).toContain("Current rule: the same as proposed.");
    expect(human.stdout).not.toContain("To use it");
    expect(human.stdout).toContain("The proposed rule is already the council's rule: nothing changed.");
    expect(await auditedRuleChanges()).toBe(2);
  });

  it("refuses an unknown council, and a council with nothing to infer from, in one line with exit 1", async () => {
    const unknown = await cli("council", "infer-rule", "gloucestershire");
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/^resolved: no council "gloucestershire" \(.*stockton-on-tees.*\)\n$/);

    await withDatabase(async (database) => {
      await seedDecision(
        database,
        stocktonRecord({
          council: "Colchester City Council",
          recordId: "C1",
          callIn: { deadline: null, text: "N/A" },
        }),
      );
    });
    const nothing = await cli("council", "infer-rule", "colchester", "--apply");
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toBe("");
    expect(nothing.stderr).toBe(
      "resolved: nothing to infer a call-in rule from for Colchester City Council: the one published " +
        "decision does not give both a publication date and a call-in deadline or effective-from date (1 with neither " +
        "a call-in deadline nor an effective-from date)\n",
    );
  });
});
