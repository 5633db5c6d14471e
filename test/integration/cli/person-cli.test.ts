import { describe, expect, it } from "vitest";
import { useCliRegister } from "./cli-register.js";

/**
 * `resolved person` and `resolved membership` as an admin runs them: the built CLI in its own process, on the
 * run's backend.
 */

const { cli, withDatabase } = useCliRegister("person-cli");

describe.sequential("resolved person and resolved membership", () => {
  it("adds a councillor and an officer, lists them, and records a dated membership of a body", async () => {
    const added = await cli([
      "person",
      "add",
      "Margaret Aldridge",
      "--role",
      "councillor",
      "--ward",
      "Norton South",
      "--party",
      "Labour",
      "--portfolio",
      "Regeneration and Housing",
    ]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toBe("Person 1 added: Margaret Aldridge (councillor).\n");
    const officer = await cli([
      "person",
      "add",
      "Priya Shah",
      "--role",
      "officer",
      "--job-title",
      "Director of Finance",
    ]);
    expect(officer.code).toBe(0);

    // The council has no bodies until one is imported or made: an unknown body is refused by name.
    const unknown = await cli(["membership", "add", "1", "--body", "Cabinet", "--from", "2023-05-22"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^resolved: body: There is no body called "Cabinet" \(the council has no bodies yet\)/,
    );
    await withDatabase(async (database) => {
      const council = await database.db.selectFrom("council").select("id").executeTakeFirstOrThrow();
      await database.db
        .insertInto("body")
        .values({ councilId: council.id, name: "Cabinet", kind: "executive" })
        .execute();
    });

    const membership = await cli([
      "membership",
      "add",
      "1",
      "--body",
      "cabinet",
      "--role",
      "vice-chair",
      "--from",
      "2023-05-22",
    ]);
    expect(membership.stderr).toBe("");
    expect(membership.stdout).toBe("Membership 1 added: person 1, vice-chair of Cabinet from 2023-05-22.\n");
    const backwards = await cli([
      "membership",
      "add",
      "1",
      "--body",
      "Cabinet",
      "--from",
      "2019-05-20",
      "--to",
      "2019-05-01",
    ]);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toBe("resolved: to: The end date must be the same as or after the start date\n");

    const list = await cli(["person", "list"]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+ROLE\s+WARD\s+PARTY\s+PORTFOLIO OR POST\s+SITS ON$/);
    expect(lines[1]).toMatch(
      /^1\s+Margaret Aldridge\s+councillor\s+Norton South\s+Labour\s+Regeneration and Housing\s+Cabinet \(vice-chair\)$/,
    );
    expect(lines[2]).toMatch(/^2\s+Priya Shah\s+officer\s+Director of Finance/);
    const json = JSON.parse((await cli(["person", "list", "--json"])).stdout) as Array<{ name: string }>;
    expect(json.map((p) => p.name)).toEqual(["Margaret Aldridge", "Priya Shah"]);
  });

  it("refuses an officer with a ward, naming the field, and writes nothing", async () => {
    const run = await cli(["person", "add", "Tom Eccles", "--role", "officer", "--ward", "Yarm"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("resolved: ward: An officer has no ward: leave it empty, or choose councillor\n");
    const count = await withDatabase((database) =>
      database.db.selectFrom("person").select("id").where("name", "=", "Tom Eccles").execute(),
    );
    expect(count).toEqual([]);
    const badId = await cli(["membership", "add", "abc", "--body", "Cabinet", "--from", "2023-05-22"]);
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/not a person id/);
  });
});
