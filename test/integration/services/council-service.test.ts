import { describe, expect, it } from "vitest";
import { STOCKTON_CALL_IN_RULE } from "../../../src/domain/call-in-rule.js";
import { NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { callInDeadlineFor } from "../../../src/services/call-in/index.js";
import {
  DEFAULT_COUNCIL,
  findOrCreateCouncil,
  getCouncil,
  listCouncils,
  setCouncilRule,
  slugForCouncilName,
  councilForRule,
} from "../../../src/services/councils/index.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase();
const ACTOR = "test:council-service";

async function stockton() {
  return (await findOrCreateCouncil(t.db, { name: "Stockton-on-Tees Borough Council" }, ACTOR)).council;
}

async function auditRows(action: string) {
  return t.db.selectFrom("auditLog").selectAll().where("action", "=", action).orderBy("id").execute();
}

describe("slugForCouncilName", () => {
  it.each([
    ["Stockton-on-Tees Borough Council", "stockton-on-tees"],
    ["Gloucestershire County Council", "gloucestershire"],
    ["Bracknell Forest Council", "bracknell-forest"],
    ["Central Bedfordshire Council", "central-bedfordshire"],
    ["Salford City Council", "salford"],
    ["Colchester Borough Council", "colchester"],
    ["Stockport Metropolitan Borough Council", "stockport"],
    ["London Borough of Camden", "camden"],
    ["Royal Borough of Windsor and Maidenhead", "windsor-and-maidenhead"],
    ["City of York Council", "york"],
    ["Brighton & Hove City Council", "brighton-hove"],
    ["King’s Lynn and West Norfolk Borough Council", "kings-lynn-and-west-norfolk"],
    ["Council", "council"],
  ])("%s → %s", (name, slug) => {
    expect(slugForCouncilName(name)).toBe(slug);
  });
});

describe("findOrCreateCouncil", () => {
  it("creates a council once, with the default rule and an audit entry", async () => {
    const first = await findOrCreateCouncil(t.db, { name: "Salford City Council" }, ACTOR);
    expect(first.created).toBe(true);
    expect(first.council).toMatchObject({
      slug: "salford",
      name: "Salford City Council",
      callInRule: STOCKTON_CALL_IN_RULE,
      minCallInSignatories: DEFAULT_COUNCIL.minCallInSignatories,
      keyDecisionThreshold: null,
    });
    const again = await findOrCreateCouncil(t.db, { name: "Salford City Council" }, ACTOR);
    expect(again).toMatchObject({ created: false, council: { id: first.council.id } });
    expect(await auditRows("council.created")).toHaveLength(1);

    const defaulted = await findOrCreateCouncil(t.db, {}, ACTOR);
    expect(defaulted.council).toMatchObject({ slug: "stockton-on-tees", keyDecisionThreshold: 500_000 });
    expect((await listCouncils(t.db)).map((c) => c.slug)).toEqual(["salford", "stockton-on-tees"]);
  });

  it("getCouncil names the councils there are when one is unknown", async () => {
    await expect(getCouncil(t.db, "stockton-on-tees")).rejects.toThrow("the register has no councils yet");
    await stockton();
    await expect(getCouncil(t.db, "york")).rejects.toThrow(NotFoundError);
    await expect(getCouncil(t.db, "york")).rejects.toThrow("known councils: stockton-on-tees");
  });
});

describe("setCouncilRule", () => {
  it("changes the rule, validated as a whole, and audits before and after", async () => {
    const before = await stockton();
    const after = await setCouncilRule(
      t.db,
      "stockton-on-tees",
      { rule: { cutoff: "16:00", countFrom: "next-day" }, minCallInSignatories: 5 },
      ACTOR,
    );
    expect(after.callInRule).toEqual({ ...STOCKTON_CALL_IN_RULE, cutoff: "16:00", countFrom: "next-day" });
    expect(after.minCallInSignatories).toBe(5);
    expect(await getCouncil(t.db, "stockton-on-tees")).toEqual(after);

    const [entry] = await auditRows("council.rule-changed");
    expect(entry).toMatchObject({
      actor: ACTOR,
      entity: "council",
      entityId: String(before.id),
      councilId: before.id,
    });
    expect(entry?.details).toMatchObject({
      before: { cutoff: "24:00", countFrom: "publication-day", minCallInSignatories: 3 },
      after: { cutoff: "16:00", countFrom: "next-day", minCallInSignatories: 5 },
    });

    // Salford-like: 5th working day after publication, 16:00.
    expect(callInDeadlineFor(after, "2017-11-20")).toMatchObject({
      deadline: "2017-11-27",
      cutoff: "2017-11-27T16:00:00+00:00",
      effectiveFrom: "2017-11-27",
    });
  });

  it("replaces the closure days, which the deadline then skips", async () => {
    await stockton();
    const council = await setCouncilRule(
      t.db,
      "stockton-on-tees",
      { closureDays: ["2024-12-27", "2024-12-30", "2024-12-27"] },
      ACTOR,
    );
    expect(council.callInRule.closureDays).toEqual(["2024-12-27", "2024-12-30"]);
    const deadline = callInDeadlineFor(council, "2024-12-23");
    // Mon 23, Tue 24, (25, 26 bank holidays, 27 closure, weekend, 30 closure), Tue 31, Thu 2 Jan (1 Jan holiday).
    expect(deadline.daysCounted).toEqual([
      "2024-12-23",
      "2024-12-24",
      "2024-12-31",
      "2025-01-02",
      "2025-01-03",
    ]);
    expect(deadline.skipped.filter((s) => s.reason === "council closure").map((s) => s.date)).toEqual([
      "2024-12-27",
      "2024-12-30",
    ]);

    const cleared = await setCouncilRule(t.db, "stockton-on-tees", { closureDays: [] }, ACTOR);
    expect(cleared.callInRule.closureDays).toEqual([]);
    expect(await t.db.selectFrom("councilNonWorkingDay").selectAll().execute()).toEqual([]);
  });

  it("refuses a bad rule, naming the field, and writes nothing", async () => {
    const before = await stockton();
    const bad = [
      { rule: { days: 0 } },
      { rule: { days: 31 } },
      { rule: { cutoff: "25:00" } },
      { rule: { dayKind: "fortnightly" as never } },
      { rule: { holidayRegion: "wales" as never } },
      { closureDays: ["2024-02-30"] },
      { minCallInSignatories: 0 },
      { minCallInSignatories: 2.5 },
    ];
    for (const change of bad) {
      await expect(setCouncilRule(t.db, "stockton-on-tees", change, ACTOR)).rejects.toThrow(ValidationError);
    }
    await expect(setCouncilRule(t.db, "stockton-on-tees", { rule: { days: 0 } }, ACTOR)).rejects.toThrow(
      "call-in rule days:",
    );
    expect(await getCouncil(t.db, "stockton-on-tees")).toEqual(before);
    expect(await auditRows("council.rule-changed")).toEqual([]);
  });

  it("refuses an unknown council", async () => {
    await expect(setCouncilRule(t.db, "york", { minCallInSignatories: 2 }, ACTOR)).rejects.toThrow(
      NotFoundError,
    );
  });
});

describe("councilForRule (the deadline command's council)", () => {
  it("uses the default rule for the default council before it is in the register", async () => {
    const council = await councilForRule(t.db, "stockton", "stockton-on-tees");
    expect(council).toMatchObject({
      slug: "stockton-on-tees",
      inRegister: false,
      callInRule: STOCKTON_CALL_IN_RULE,
    });
    expect((await councilForRule(t.db, undefined, "stockton-on-tees")).inRegister).toBe(false);
    await expect(councilForRule(t.db, "gloucestershire", "stockton-on-tees")).rejects.toThrow(NotFoundError);
  });

  it("uses the register's rule once the council is there", async () => {
    await stockton();
    await setCouncilRule(t.db, "stockton-on-tees", { rule: { days: 3 } }, ACTOR);
    const council = await councilForRule(t.db, "Stockton", "stockton-on-tees");
    expect(council).toMatchObject({ inRegister: true, callInRule: { days: 3 } });
  });
});
