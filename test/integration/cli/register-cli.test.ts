import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../../support/built-cli.js";
import { useCliRegister } from "./cli-register.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";

/**
 * The register commands as a user runs them: the built CLI in its own process, on the run's backend (an
 * embedded database in a temporary RESOLVED_DATA_DIR, or a database created for this file on the test server).
 */

const { cli: run, env, withDatabase } = useCliRegister("register-cli");
const cli = (...args: string[]): Promise<CliRun> => run(args);

async function count(table: "council"): Promise<number> {
  return withDatabase(async (database) => {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

/** One line on stderr, prefixed "resolved:", and no stack trace. */
function expectOneLineError(run: CliRun, pattern: RegExp | string): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^resolved: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe("resolved deadline, on an empty register", () => {
  it("gives the Stockton deadline as JSON, with the default council's rule", async () => {
    const run = await cli("deadline", "--published", "2017-11-20", "--council", "stockton", "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      deadline: "2017-11-24",
      cutoff: "2017-11-25T00:00:00+00:00",
      effectiveFrom: "2017-11-25",
      council: { slug: "stockton-on-tees", inRegister: false },
    });
    expect(json.explanation).toContain("Mon 20, Tue 21, Wed 22, Thu 23 and Fri 24 November 2017");
    expect(await count("council")).toBe(0);
  });

  it("skips the bank holiday of 19 September 2022 and says so; the BST cutoff carries +01:00", async () => {
    const human = await cli("deadline", "--published", "2022-09-15");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("Call-in deadline: Thursday 22 September 2022");
    expect(human.stdout).toContain("Queen Elizabeth's Funeral Day (Mon 19 September 2022)");
    expect(human.stdout).toContain(
      "Days counted: 2022-09-15, 2022-09-16, 2022-09-20, 2022-09-21, 2022-09-22",
    );
    expect(human.stdout).toContain("2022-09-19 (bank holiday: Queen Elizabeth's Funeral Day)");

    const json = JSON.parse((await cli("deadline", "--published", "2022-09-15", "--json")).stdout);
    expect(json).toMatchObject({
      deadline: "2022-09-22",
      cutoff: "2022-09-23T00:00:00+01:00",
      effectiveFrom: "2022-09-23",
    });
    expect(json.skipped).toContainEqual({
      date: "2022-09-19",
      reason: "bank holiday: Queen Elizabeth's Funeral Day",
    });
  });

  it("refuses a date that is not a date, and an unknown council, in one line with exit 1", async () => {
    expectOneLineError(
      await cli("deadline", "--published", "2017-11-31"),
      'resolved: --published: "2017-11-31" is not a date (expected YYYY-MM-DD, e.g. 2017-11-20)',
    );
    expectOneLineError(await cli("deadline", "--published", "last tuesday", "--json"), /is not a date/);
    expectOneLineError(
      await cli("deadline", "--published", "2017-11-20", "--council", "gloucestershire"),
      /no council "gloucestershire"/,
    );
  });

  it("says clearly when DATABASE_URL does not answer", async () => {
    const run = await runCli(["status", "1"], {
      env: { ...env(), DATABASE_URL: "postgres://postgres@127.0.0.1:1/nothing" },
    });
    expectOneLineError(run, /Cannot connect to the PostgreSQL server at 127\.0\.0\.1:1\/nothing/);
  });
});

describe("with decisions in the register", () => {
  // D170042: status checks and a late request; D170043: too few signatories; D170044: a valid call-in.
  beforeAll(async () => {
    await withDatabase(async (database) => {
      for (const recordId of ["D170042", "D170043", "D170044"]) {
        await seedDecision(database, stocktonRecord({ recordId, title: `Decision ${recordId}` }));
      }
    });
  });

  it("status at instants before and after the cutoff", async () => {
    const open = await cli("status", "D170042", "--at", "2017-11-23T12:00", "--json");
    expect(open.code).toBe(0);
    expect(JSON.parse(open.stdout)).toMatchObject({
      recordId: "D170042",
      at: "2017-11-23T12:00:00+00:00",
      status: "published",
      label: "Call-in period open",
      until: "2017-11-25T00:00:00+00:00",
      callInDeadline: "2017-11-24",
      callInCutoff: "2017-11-25T00:00:00+00:00",
    });

    const human = await cli("status", "D170042", "--at", "2017-11-25T00:00");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("In effect [effective]");
    expect(human.stdout).toContain("No valid call-in request was received before call-in closed");

    expectOneLineError(
      await cli("status", "D170042", "--at", "yesterday"),
      'resolved: --at: "yesterday" is not a date-time (expected e.g. 2017-11-23T12:00)',
    );
    expectOneLineError(await cli("status", "D999999"), /no decision "D999999"/);
  });

  it("a call-in request after the cutoff is stored as invalid, and exits 1 with why", async () => {
    const run = await cli(
      "callin",
      "request",
      "D170042",
      "--signatory",
      "Cllr Ann Able",
      "--signatory",
      "Cllr Ben Baker",
      "--signatory",
      "Cllr Cat Clay",
      "--ground",
      "openness:the appendix was withheld",
      "--received-at",
      "2017-11-25T09:00",
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("NOT valid");
    expect(run.stderr).toContain("after call-in closed at midnight at the end of Friday 24 November 2017");
    expect(run.stderr).not.toMatch(/\n\s+at /);

    const list = await cli("callin", "list", "D170042", "--json");
    const requests = JSON.parse(list.stdout);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ valid: false, receivedAt: "2017-11-25T09:00:00+00:00" });
  });

  it("a call-in request with too few signatories is stored as invalid, exit 1", async () => {
    const run = await cli(
      "callin",
      "request",
      "D170043",
      "--signatory",
      "Cllr Ann Able",
      "--signatory",
      "Cllr Ben Baker",
      "--ground",
      "consultation-and-advice:ward members were not consulted",
      "--received-at",
      "2017-11-22T10:00",
      "--json",
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: false,
      reasons: ["signed by 2 councillors; Stockton-on-Tees Borough Council requires at least 3"],
      status: { status: "effective" },
    });
    expect(run.stderr).toContain("requires at least 3");
  });

  it("refuses a malformed request, before opening the register", async () => {
    expectOneLineError(
      await cli("callin", "request", "D170044", "--signatory", "Cllr Ann Able", "--ground", "vibes:bad"),
      /--ground: "vibes" is not a principle of decision making/,
    );
    expectOneLineError(await cli("callin", "request", "D170044", "--ground", "openness:x"), /--signatory/);
    expectOneLineError(
      await cli(
        "callin",
        "request",
        "D170044",
        "--signatory",
        "A",
        "--ground",
        "openness:x",
        "--received-at",
        "25/11/2017",
      ),
      /--received-at: "25\/11\/2017" is not a date-time/,
    );
  });

  it("a valid call-in request calls the decision in", async () => {
    const run = await cli(
      "callin",
      "request",
      "D170044",
      "--signatory",
      "Cllr Ann Able",
      "--signatory",
      "Cllr Ben Baker",
      "--signatory",
      "Cllr Cat Clay",
      "--ground",
      "openness:the appendix was withheld",
      "--ground",
      "alternatives-considered:no alternatives were set out",
      "--received-at",
      "2017-11-24T16:30",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("recorded: valid");
    const status = JSON.parse((await cli("status", "D170044", "--at", "2017-12-01T12:00", "--json")).stdout);
    expect(status).toMatchObject({ status: "called-in", since: "2017-11-24T16:30:00+00:00" });
  });

  it("decisions list and show, as tables and JSON", async () => {
    const list = await cli(
      "decisions",
      "list",
      "--council",
      "stockton",
      "--at",
      "2017-11-23T12:00",
      "--json",
    );
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.map((r: { recordId: string }) => r.recordId).sort()).toEqual([
      "D170042",
      "D170043",
      "D170044",
    ]);
    expect(rows[0]).toMatchObject({
      status: { status: "published" },
      callInCutoff: "2017-11-25T00:00:00+00:00",
    });

    const table = await cli("decisions", "list", "--status", "called-in", "--at", "2017-12-01T12:00");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+RECORD\s+COUNCIL/);
    expect(table.stdout).toContain("D170044");
    expect(table.stdout).not.toContain("D170042");

    const show = await cli("decisions", "show", "D170044", "--json", "--at", "2017-12-01T12:00");
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.stdout);
    expect(detail).toMatchObject({
      recordId: "D170044",
      council: { slug: "stockton-on-tees" },
      record: { recordId: "D170044", formatVersion: 1 },
      versions: [{ version: 1, reason: null }],
      status: { status: "called-in" },
    });
    // Only the valid request: the malformed ones before it wrote nothing.
    expect(detail.callInRequests).toHaveLength(1);
    expect(detail.callInRequests[0].signatories).toEqual([
      "Cllr Ann Able",
      "Cllr Ben Baker",
      "Cllr Cat Clay",
    ]);

    const human = await cli("decisions", "show", "D170042", "--at", "2017-11-23T12:00");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("D170042 (decision 1): Decision D170042");
    expect(human.stdout).toContain("Call-in period open [published]");

    expectOneLineError(
      await cli("decisions", "list", "--status", "pending"),
      /--status: "pending" is not a status/,
    );
    expectOneLineError(await cli("decisions", "list", "--from", "2017-02-30"), /--from:/);
  });

  it("council set-rule changes the rule (audited); a bad value is refused", async () => {
    const set = await cli(
      "council",
      "set-rule",
      "stockton",
      "--min-signatories",
      "2",
      "--cutoff",
      "16:00",
      "--json",
    );
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      minCallInSignatories: 2,
      callInRule: { cutoff: "16:00" },
    });

    const show = await cli("council", "show", "stockton");
    expect(show.stdout).toContain("Closes at: 16:00 on the last day (UK time)");
    expect(show.stdout).toContain("at least 2");

    const deadline = JSON.parse((await cli("deadline", "--published", "2017-11-20", "--json")).stdout);
    expect(deadline).toMatchObject({ cutoff: "2017-11-24T16:00:00+00:00", council: { inRegister: true } });

    expectOneLineError(
      await cli("council", "set-rule", "stockton", "--cutoff", "25:00"),
      /--cutoff: "25:00" is not a time/,
    );
    expectOneLineError(await cli("council", "set-rule", "stockton"), /nothing to change/);
    expectOneLineError(await cli("council", "set-rule", "york", "--days", "3"), /no council "york"/);
    const changes = await withDatabase((database) =>
      database.db
        .selectFrom("auditLog")
        .select("details")
        .where("action", "=", "council.rule-changed")
        .execute(),
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]?.details).toMatchObject({ after: { cutoff: "16:00", minCallInSignatories: 2 } });
  });
});
