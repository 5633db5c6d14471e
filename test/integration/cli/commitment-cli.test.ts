import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proforma, ATTAINMENT } from "../commitment-fixtures.js";
import { useCliRegister } from "./cli-register.js";

/**
 * `resolved commitment ...` as an officer runs it: the built CLI in its own process, on the run's backend, with
 * a Q2 performance update (six commitments due in 2017-18 Q3, overdue by now) and the later attainment report.
 */

const { cli, withDatabase } = useCliRegister("commitment-cli");
const q2File = new URL("../../fixtures/commitments/q2-family-services-performance.txt", import.meta.url)
  .pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "resolved-commitment-cli-"));
  const attainment = join(dir, "attainment.txt");
  await writeFile(attainment, proforma(ATTAINMENT));
  const imported = await cli(["import", q2File, attainment]);
  expect(imported.stderr).not.toMatch(/error/i);
  expect(imported.code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.sequential("resolved commitment", () => {
  it("lists commitments, as a table or JSON, and refuses an unknown status", async () => {
    const table = await cli(["commitment", "list", "--status", "overdue"]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+DUE\s+STATUS\s+DECISION\s+OWNER\s+COMMITMENT$/);
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^1\s+2017-18 Q3\s+overdue\s+1\s+The award of the contract/);

    const json = JSON.parse((await cli(["commitment", "list", "--json"])).stdout) as { id: number }[];
    expect(json.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await cli(["commitment", "list", "--status", "done"])).stdout).toBe("No done commitments.\n");

    const bad = await cli(["commitment", "list", "--status", "late"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("resolved: --status: must be one of open, overdue, done, dropped\n");
    const unknown = await cli(["commitment", "list", "--colour", "red"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown option '--colour'");
  });

  it("sets the owner and due quarter, records progress, and shows it", async () => {
    const set = await cli([
      "commitment",
      "set",
      "1",
      "--owner",
      "Director of Children's Services",
      "--due",
      "2018-19 Q1",
    ]);
    expect(set.stderr).toBe("");
    expect(set.stdout).toBe("Commitment 1 updated.\n");
    const badDue = await cli(["commitment", "set", "1", "--due", "spring"]);
    expect(badDue.code).toBe(1);
    expect(badDue.stderr).toMatch(/^resolved: due: "spring" is not a financial quarter/);
    const nothing = await cli(["commitment", "set", "1"]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe("resolved: say what to set: --owner and/or --due\n");

    expect((await cli(["commitment", "progress", "1", "Tenders received from three providers."])).code).toBe(
      0,
    );
    const empty = await cli(["commitment", "progress", "1", " "]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe("resolved: note: enter what progress has been made\n");

    const show = await cli(["commitment", "show", "1"]);
    expect(show.stdout).toContain("Owner:   Director of Children's Services\n");
    expect(show.stdout).toContain("Due:     2018-19 Q1 (April to June 2018)");
    expect(show.stdout).toMatch(/Progress:\n {2}.+ {2}Tenders received from three providers\.\n/);
    const json = JSON.parse((await cli(["commitment", "show", "1", "--json"])).stdout) as {
      progress: { note: string }[];
    };
    expect(json.progress.map((p) => p.note)).toEqual(["Tenders received from three providers."]);
    expect((await cli(["commitment", "show", "x"])).stderr).toBe(
      'resolved: id: "x" is not a whole number of at least 1\n',
    );
    const missing = await cli(["commitment", "show", "99"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("resolved: no commitment 99\n");
  });

  it("drops with a reason, reopens, confirms and rejects; audited as cli:<user>", async () => {
    const noReason = await cli(["commitment", "drop", "3"]);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain("required option '--reason <reason>' not specified");
    expect(
      (await cli(["commitment", "drop", "3", "--reason", "The regional review was cancelled."])).code,
    ).toBe(0);
    const again = await cli(["commitment", "drop", "3", "--reason", "Again"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("resolved: commitment 3 is already dropped\n");
    expect((await cli(["commitment", "show", "3"])).stdout).toContain(
      "Dropped: The regional review was cancelled.\n",
    );
    expect((await cli(["commitment", "reopen", "3"])).stdout).toBe("Commitment 3 is open again.\n");

    expect((await cli(["commitment", "reject", "4", "2"])).stdout).toBe(
      "Decision 2 will not be suggested for commitment 4 again (it is open).\n",
    );
    expect((await cli(["commitment", "confirm", "2", "2"])).stdout).toBe(
      "Commitment 2 is done: decision 2 fulfilled it.\n",
    );
    const listed = JSON.parse((await cli(["commitment", "list", "--status", "done", "--json"])).stdout) as {
      id: number;
      fulfilledBy: { id: number };
    }[];
    expect(listed.map((c) => [c.id, c.fulfilledBy.id])).toEqual([[2, 2]]);

    const actors = await withDatabase((database) =>
      database.db
        .selectFrom("auditLog")
        .select(["actor", "action"])
        .where("entity", "=", "commitment")
        .orderBy("id")
        .execute(),
    );
    expect(actors.map((a) => a.action)).toEqual([
      "commitment.updated",
      "commitment.progress-recorded",
      "commitment.dropped",
      "commitment.reopened",
      "commitment.suggestion-rejected",
      "commitment.fulfilled",
    ]);
    expect(actors.every((a) => a.actor.startsWith("cli:"))).toBe(true);
  });
});
