import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASC_Q2, ASC_STRATEGY, cabinetRecord, HARROWFIELD } from "../strategy-update-fixtures.js";
import { useCliRegister } from "./cli-register.js";

/**
 * `resolved strategy show` and the quarterly update links from the command line: two records imported alone (a
 * strategy agreed, then its Q2 performance update) give a strategy found in the record, its Q2 update proposed,
 * and an officer confirms or rejects the link.
 */

const { cli } = useCliRegister("strategy-show-cli");
const SLUG = "adult-social-care-strategy-2019-2022";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "resolved-strategy-show-cli-"));
  await writeFile(join(dir, "asc-strategy.txt"), cabinetRecord(ASC_STRATEGY));
  await writeFile(join(dir, "asc-q2.txt"), cabinetRecord(ASC_Q2));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.sequential("strategy show and quarterly update links", () => {
  it("shows a strategy found in the record that agreed it, and its proposed Q2 update", async () => {
    const imported = await cli(["import", join(dir, "asc-q2.txt"), join(dir, "asc-strategy.txt")]);
    expect(imported.code, imported.stderr).toBe(0);
    const shown = await cli(["strategy", "show", SLUG, "--council", HARROWFIELD]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("Adult Social Care Strategy 2019-2022");
    expect(shown.stdout).toContain("Period:    2019-04-01 to 2022-03-31");
    expect(shown.stdout).toMatch(/Agreed by: decision \d+, Adult Social Care Strategy 2019-2022, 2019-06-20/);
    expect(shown.stdout).toMatch(
      /\d+\s+2019-20 Q2\s+proposed\s+\d+\s+2019-11-21\s+Adult Social Care Performance/,
    );

    const json = await cli(["strategy", "show", SLUG, "--council", HARROWFIELD, "--json"]);
    const detail = JSON.parse(json.stdout) as {
      origin: string;
      updates: Array<{ id: number; period: string; status: string }>;
    };
    expect(detail.origin).toBe("found-in-record");
    expect(detail.updates).toEqual([expect.objectContaining({ period: "2019-20 Q2", status: "proposed" })]);
  });

  it("confirms a link by its id, and refuses a bad or unknown id with one line and exit 1", async () => {
    const json = await cli(["strategy", "show", SLUG, "--council", HARROWFIELD, "--json"]);
    const [link] = (JSON.parse(json.stdout) as { updates: Array<{ id: number }> }).updates;

    const bad = await cli(["strategy", "confirm-update", "two", "--council", HARROWFIELD]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('resolved: link: "two" is not a whole number of at least 1\n');
    const unknown = await cli([
      "strategy",
      "reject-update",
      String(link!.id + 100),
      "--council",
      HARROWFIELD,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`resolved: no strategy update link ${link!.id + 100}\n`);

    const confirmed = await cli(["strategy", "confirm-update", String(link!.id), "--council", HARROWFIELD]);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toMatch(/^Link \d+ \(2019-20 Q2, decision \d+\): confirmed\.\n$/);
    const after = await cli(["strategy", "show", SLUG, "--council", HARROWFIELD, "--json"]);
    expect((JSON.parse(after.stdout) as { updates: Array<{ status: string }> }).updates[0]!.status).toBe(
      "confirmed",
    );
  });
});
