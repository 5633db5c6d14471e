import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decisionRecordSchema, type DecisionRecord } from "../../../src/domain/decision-record.js";
import { ensureCliBuilt, runCli } from "../../support/built-cli.js";

const fixture = (path: string) => `test/fixtures/${path}`;
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

beforeAll(async () => {
  await ensureCliBuilt();
}, 120_000);

describe("resolved parse", () => {
  it("prints one JSON record per file, in input order, for text, PDF, DOCX and HTML", async () => {
    const files = [
      fixture("text/q3-childrens-performance.txt"),
      fixture("pdf/mtfp-2024-25-recommendations.pdf"),
      fixture("docx/adult-social-care-fees-2024-25.docx"),
      fixture("html/view-cabinet-decision-record-2011.html"),
    ];
    const run = await runCli(["parse", ...files, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const records = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => decisionRecordSchema.parse(JSON.parse(line)));
    expect(records.map((r) => r.source?.fileName)).toEqual(files);
    expect(records.map((r) => r.source?.mediaType)).toEqual([
      "text/plain",
      "application/pdf",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "text/html",
    ]);
    for (const [i, record] of records.entries()) {
      expect(record.source?.sha256).toBe(createHash("sha256").update(readFileSync(files[i]!)).digest("hex"));
    }
    expect(records[1]).toMatchObject({ outcome: { kind: "RECOMMENDED" }, callIn: { deadline: null } });
    expect(records[3]).toMatchObject({
      recordId: "D110023",
      meetingDate: "2011-02-17",
      publishedOn: "2011-02-21",
    });
  });

  it("keeps going past bad files: good records on stdout in order, one error line per bad file, exit 1", async () => {
    const run = await runCli([
      "parse",
      fixture("bad/empty.txt"),
      fixture("text/cab-41-25-flood-strategy.txt"),
      fixture("bad/junk.bin"),
      fixture("text-bad/impossible-meeting-date.txt"),
      fixture("bad/not-really.docx"),
      fixture("text/lcwip-curly-quotes.txt"),
      "no/such/file.txt",
      "--json",
    ]);
    expect(run.code).toBe(1);
    const titles = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as DecisionRecord).title);
    expect(titles).toEqual([
      "Local Flood Risk Management Strategy 2025-2031",
      "Local Cycling and Walking Infrastructure Plan 2024–2034",
    ]);
    const errors = run.stderr.trimEnd().split("\n");
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/^test\/fixtures\/bad\/empty\.txt: the file is empty/);
    expect(errors[1]).toMatch(/^test\/fixtures\/bad\/junk\.bin: /);
    expect(errors[2]).toBe(
      'test/fixtures/text-bad/impossible-meeting-date.txt:3: "31st February 2011" is not a real date (February 2011 has 28 days)',
    );
    expect(errors[3]).toMatch(/^test\/fixtures\/bad\/not-really\.docx: .*not one/);
    expect(errors[4]).toBe("no/such/file.txt: no such file");
    noStackTrace(run.stderr);
  });

  it("reads every document in a folder, sorted by name", async () => {
    const run = await runCli(["parse", fixture("html")]);
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(":")[0]),
    ).toEqual([
      "test/fixtures/html/household-support-fund-2024.html",
      "test/fixtures/html/view-cabinet-decision-record-2011.html",
    ]);
  });

  it("prints warnings for readable records with questionable content, and still the record", async () => {
    const dir = mkdtempSync(join(tmpdir(), "resolved-cli-"));
    const text = readFileSync(fixture("text/q3-childrens-performance.txt"), "utf8").replace(
      "Midnight, 23 February 2018",
      "Midnight Monday, 23 February 2018",
    );
    writeFileSync(join(dir, "wrong-weekday.txt"), text);
    const run = await runCli(["parse", join(dir, "wrong-weekday.txt")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /wrong-weekday\.txt:\d+: warning: call-in deadline "Monday, 23 February 2018" is a Friday/,
    );
    expect(run.stdout).toContain("call-in until 2018-02-23");
  });

  it("rejects an unknown option with usage help and exit 1", async () => {
    const run = await runCli(["parse", "--xml", fixture("text/q3-childrens-performance.txt")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unknown option '--xml'");
    noStackTrace(run.stderr);
  });
});

describe("resolved render", () => {
  it("renders parsed records back to proforma text that parses to the same records", async () => {
    const dir = mkdtempSync(join(tmpdir(), "resolved-cli-"));
    const parsed = await runCli(["parse", fixture("text"), "--json"]);
    expect(parsed.code).toBe(0);
    writeFileSync(join(dir, "records.jsonl"), parsed.stdout);
    const originals = parsed.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as DecisionRecord);

    const rendered = await runCli(["render", join(dir, "records.jsonl"), "--as", "text"]);
    expect(rendered.code).toBe(0);
    const texts = rendered.stdout.split("\n\f\n");
    expect(texts).toHaveLength(originals.length);
    for (const [i, text] of texts.entries()) {
      writeFileSync(join(dir, `r${i}.txt`), text);
      const again = await runCli(["parse", join(dir, `r${i}.txt`), "--json"]);
      const { source: _a, ...reparsed } = JSON.parse(again.stdout) as DecisionRecord;
      const { source: _b, ...original } = originals[i]!;
      expect(reparsed).toEqual(original);
    }
  });

  it("renders Markdown and JSON from standard input", async () => {
    const parsed = await runCli(["parse", fixture("text/mtfp-decision-proforma.txt"), "--json"]);
    const markdown = await runCli(["render", "-", "--as", "markdown"], { input: parsed.stdout });
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^# Medium Term Financial Plan Update and Council Tax Level 2023\/24\n/);
    expect(markdown.stdout).toContain("**RECOMMENDED** to Council that");
    const json = await runCli(["render", "-", "--as", "json"], { input: parsed.stdout });
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(parsed.stdout));
  });

  it("says which line and field of the input is wrong", async () => {
    const parsed = await runCli(["parse", fixture("text/mtfp-decision-proforma.txt"), "--json"]);
    const broken =
      parsed.stdout.trimEnd() +
      "\n" +
      parsed.stdout.replace(/"meetingDate":"[^"]+"/, '"meetingDate":"2023-02-30"');
    const run = await runCli(["render", "-", "--as", "text"], { input: broken });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe(
      "<stdin>:2: not a decision record: field meetingDate: must be a real date as YYYY-MM-DD",
    );
  });

  it("refuses an unknown format", async () => {
    const run = await runCli(["render", "-", "--as", "pdf"], { input: "{}" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("argument 'pdf' is invalid");
    noStackTrace(run.stderr);
  });
});
