import { appendAudit } from "../../../src/services/audit/audit-log.js";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { requestCallIn } from "../../../src/services/call-in/index.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { getDecision } from "../../../src/services/decisions/index.js";
import { importDocument, importFiles } from "../../../src/services/import/index.js";
import {
  EXAMPLE_RECORDS_DIR,
  importExampleRecordsIfEmpty,
  seedExamplesOnFirstStart,
} from "../../../src/services/register/index.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";

// The public pages, on the example records the project ships and the test fixtures, at a pinned "now":
// Sunday 22 November 2026, midday. The examples' last meeting (19 November) is open for call-in until
// midnight at the end of Thursday 26 November 2026.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-11-22T12:00:00Z");
const ACTOR = "test:pages";
const FIXTURES = new URL("../../fixtures/", import.meta.url);
const GROUNDS = [
  { principle: "consultation-and-advice", explanation: "Ward councillors were not consulted." },
];

const SECTION_HEADINGS = [
  "1. Title of Item/Report",
  "2. Record of the Decision",
  "3. Reasons for the Decision",
  "4. Alternative Options Considered and Rejected",
  "5. Declared (Cabinet Member) Conflicts of Interest",
  "6. Details of any Dispensations",
  "7. Date and Time by which Call In must be executed",
];

/** The text of <main>, without tags and with runs of white space as one space (entities left as they are). */
function mainText(html: string): string {
  const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "";
  return main
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** How many example records the project ships: the tests follow the folder as examples are added. */
async function exampleRecordCount(): Promise<number> {
  return (await readdir(EXAMPLE_RECORDS_DIR)).filter((name) => name.endsWith(".txt")).length;
}

async function decisionIdByTitle(title: string): Promise<number> {
  const row = await t.db
    .selectFrom("decision")
    .select("id")
    .where("title", "=", title)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("the example records on first start", () => {
  beforeAll(async () => {
    await t.resetDatabase();
  });

  it("are imported into an empty register, once", async () => {
    const messages: string[] = [];
    const first = await importExampleRecordsIfEmpty(t.database, {
      actor: ACTOR,
      log: (_level, message) => messages.push(message),
    });
    const examples = await exampleRecordCount();
    expect(examples).toBeGreaterThan(8);
    expect(first).toMatchObject({ ran: true, imported: examples, failed: 0 });
    expect(messages).toContain(`imported ${examples} example records into the empty register`);
    const second = await importExampleRecordsIfEmpty(t.database, { actor: ACTOR });
    expect(second).toMatchObject({ ran: false, imported: 0 });
    const count = await t.db
      .selectFrom("decision")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(examples);
  });

  it("are not imported when RESOLVED_SEED_EXAMPLES=false", async () => {
    await t.resetDatabase();
    const logger = pino({ level: "silent" });
    const config = loadConfig({ RESOLVED_SEED_EXAMPLES: "false" });
    await seedExamplesOnFirstStart({ database: t.database, config, logger });
    expect(await t.db.selectFrom("decision").select("id").execute()).toEqual([]);

    await seedExamplesOnFirstStart({ database: t.database, config: loadConfig({}), logger });
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(await exampleRecordCount());
  });

  it("are left alone when the register already has decisions", async () => {
    await t.resetDatabase();
    await seedDecision(t.database, stocktonRecord());
    const summary = await importExampleRecordsIfEmpty(t.database, { actor: ACTOR });
    expect(summary.ran).toBe(false);
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(1);
  });
});

describe("the public pages", () => {
  let app: FastifyInstance;
  let crisisId: number;
  let strategyId: number;
  let treasuryId: number;
  let floodId: number;
  let webRecordId: number;
  let meeting19Nov: number;
  let cabinetId: number;

  beforeAll(async () => {
    await t.resetDatabase();
    const examples = await importExampleRecordsIfEmpty(t.database, { actor: ACTOR });
    expect(examples.imported).toBe(await exampleRecordCount());
    const fixtures = await importFiles(t.database, [new URL("text/", FIXTURES).pathname], { actor: ACTOR });
    expect(fixtures.filter((file) => file.error)).toEqual([]);

    crisisId = await decisionIdByTitle("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
    strategyId = await decisionIdByTitle("Children's Services Strategy 2026-29 – Annual Refresh");
    treasuryId = await decisionIdByTitle("Treasury Management Mid-Year Review 2026/27");
    const flood = await t.db
      .selectFrom("decision")
      .select("id")
      .where("recordId", "=", "CAB/41/25")
      .executeTakeFirstOrThrow();
    floodId = flood.id;
    const web = await t.db
      .selectFrom("decision")
      .select("id")
      .where("recordId", "=", "D110016")
      .executeTakeFirstOrThrow();
    webRecordId = web.id;
    const meeting = await t.db
      .selectFrom("meeting")
      .select(["meeting.id", "meeting.bodyId"])
      .where("date", "=", "2026-11-19")
      .executeTakeFirstOrThrow();
    meeting19Nov = meeting.id;
    cabinetId = meeting.bodyId;

    app = await startTestApp(t.database, () => NOW);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe("home", () => {
    it("shows the decisions open for call-in, with their cutoff and the time left", async () => {
      const response = await app.inject({ url: "/" });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      const text = mainText(response.body);
      const open = text.slice(text.indexOf("Open for call-in now"), text.indexOf("Latest decisions"));
      expect(open).toContain("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
      expect(open).toContain("Children&#39;s Services Strategy 2026-29 – Annual Refresh");
      expect(open).toContain("Call-in closes: midnight at the end of Thursday 26 November 2026");
      // 12:00 on Sunday 22nd to 00:00 on Friday 27th.
      expect(open).toContain("4 days 12 hours left to call in");
      expect(open).not.toContain("Treasury Management");
      expect(response.body).toContain(`href="/decisions/${crisisId}"`);
      expect(response.body).toContain('href="/call-in.ics"');
    });

    it("is kept in memory with each response's own nonce, until the register changes or the minute ends", async () => {
      const first = await app.inject({ url: "/" });
      const second = await app.inject({ url: "/?utm_source=newsletter" });
      for (const response of [first, second]) {
        const nonce = /'nonce-([^']+)'/.exec(String(response.headers["content-security-policy"]))?.[1];
        expect(nonce).toBeTruthy();
        expect(response.body).toContain(`nonce="${nonce}"`);
      }
      expect(first.body.replace(/nonce="[^"]+"/g, "")).toBe(second.body.replace(/nonce="[^"]+"/g, ""));
      expect(first.body).not.toContain("nonce-placeholder");
    });

    it("lists the latest decisions, newest first, each with its status in words", async () => {
      const response = await app.inject({ url: "/" });
      const text = mainText(response.body);
      const latest = text.slice(text.indexOf("Latest decisions"));
      expect(latest.indexOf("Crisis and Resilience Fund")).toBeLessThan(
        latest.indexOf("Treasury Management"),
      );
      expect(latest).toContain("Call-in period open");
      expect(latest).toContain("Recommendation to Council");
      expect(latest).toContain("In effect");
      expect(latest).toContain("Meeting date: 19 November 2026");
    });

    it("shows upcoming meetings, and says so when there are none", async () => {
      expect(mainText((await app.inject({ url: "/" })).body)).toContain("No meetings are scheduled.");
      // As every change to the register does, with its audit entry: the page kept in memory is dropped.
      const scheduled = await t.database.transaction(async (trx) => {
        const row = await trx
          .insertInto("meeting")
          .values({ bodyId: cabinetId, date: "2026-12-10", status: "scheduled" })
          .returning("id")
          .executeTakeFirstOrThrow();
        await appendAudit(trx, {
          actor: ACTOR,
          action: "meeting.scheduled",
          entity: "meeting",
          entityId: row.id,
        });
        return row;
      });
      try {
        const response = await app.inject({ url: "/" });
        expect(mainText(response.body)).toContain("Cabinet, 10 December 2026 Scheduled");
        expect(response.body).toContain(`href="/meetings/${scheduled.id}"`);
      } finally {
        await t.db.deleteFrom("meeting").where("id", "=", scheduled.id).execute();
      }
    });
  });

  describe("a decision", () => {
    it("shows every proforma section in order, with its content", async () => {
      const response = await app.inject({ url: `/decisions/${crisisId}` });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      const positions = SECTION_HEADINGS.map((heading) => text.indexOf(heading));
      for (const position of positions) expect(position).toBeGreaterThan(-1);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);

      const section = (n: number) => text.slice(positions[n - 1], positions[n] ?? undefined);
      expect(section(1)).toContain("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
      expect(section(2)).toContain("Between 1 April and 30 September 2026, £1.71m had been spent:");
      expect(section(2)).toContain("a. 3,412 Crisis Payments had been made");
      expect(section(2)).toContain("RESOLVED that:-");
      expect(section(2)).toContain("be approved.");
      expect(section(3)).toContain("The Council&#39;s allocation must be spent by 31 March 2027");
      expect(section(4)).toContain("To allocate all of the remaining funding to Crisis Payments.");
      expect(section(5)).toContain("None.");
      expect(section(6)).toContain("N/A");
      expect(section(7)).toContain("Midnight, 26 November 2026");
      // The lettered list is a list, not one paragraph.
      expect(response.body).toMatch(/<li><span class="app-list-marker">a\.<\/span> 3,412 Crisis Payments/);
    });

    it("shows the status now, and the call-in deadline with how it was worked out", async () => {
      const response = await app.inject({ url: `/decisions/${crisisId}` });
      const text = mainText(response.body);
      expect(text).toContain("Status now Call-in period open");
      expect(response.body).toContain("govuk-tag--yellow");
      expect(text).toContain("Status as at 22 November 2026 at midday (UK time)");
      expect(text).toContain(
        "Call-in closes at midnight at the end of Thursday 26 November 2026 (UK time): 4 days 12 hours left",
      );
      expect(text).toContain("How the deadline was worked out");
      expect(text).toContain(
        "Counting the publication day, the 5 working days are Fri 20, Mon 23, Tue 24, Wed 25 and Thu 26 November 2026",
      );
      expect(text).toContain("No call-in requests have been recorded for this decision.");
      expect(text).toContain("Decision maker Cabinet");
      expect(response.body).toContain(`href="/meetings/${meeting19Nov}"`);
      expect(response.body).toContain(`href="/bodies/${cabinetId}"`);
    });

    it("says why a recommendation to Council is not subject to call-in", async () => {
      const text = mainText((await app.inject({ url: `/decisions/${treasuryId}` })).body);
      expect(text).toContain("Recommendation to Council");
      expect(text).toContain("This decision is not subject to call-in.");
    });

    it("links the downloads: PDF, DOCX and the original document", async () => {
      const body = (await app.inject({ url: `/decisions/${crisisId}` })).body;
      expect(body).toContain(`href="/decisions/${crisisId}.pdf"`);
      expect(body).toContain(`href="/decisions/${crisisId}.docx"`);
      expect(body).toContain(`href="/decisions/${crisisId}/original"`);
      expect(mainText(body)).toContain("(Text, 3 KB, 2026-11-19-crisis-and-resilience-fund-allocation.txt)");
    });

    it("shows call-in requests and their outcome, and the status they lead to", async () => {
      const valid = await requestCallIn(
        t.database,
        floodId,
        {
          signatories: ["Cllr Ann Able", "Cllr Ben Baker", "Cllr Cat Cole"],
          grounds: GROUNDS,
          receivedAt: new Date("2025-10-22T09:30:00Z"),
        },
        ACTOR,
      );
      expect(valid.valid).toBe(true);
      const invalid = await requestCallIn(
        t.database,
        floodId,
        { signatories: ["Cllr Dan Dee"], grounds: GROUNDS, receivedAt: new Date("2025-10-23T09:30:00Z") },
        ACTOR,
      );
      expect(invalid.valid).toBe(false);

      const response = await app.inject({ url: `/decisions/${floodId}` });
      const text = mainText(response.body);
      expect(text).toContain("Status now Called in for scrutiny");
      expect(text).toContain("Request received 22 October 2025 at 10:30am");
      expect(text).toContain("Cllr Ann Able Cllr Ben Baker Cllr Cat Cole");
      expect(text).toContain(
        "Grounds Due consultation and the taking of professional advice : Ward councillors were not consulted.",
      );
      expect(text).toContain("Valid: the decision was called in");
      expect(text).toContain("Request received 23 October 2025 at 10:30am");
      expect(text).toContain(
        "Not valid: the decision has already been called in by an earlier valid request;",
      );
      expect(text).toContain("signed by 1 councillor; Stockton-on-Tees Borough Council requires at least 3");
      // Closed windows are spoken of in the past.
      expect(text).toContain("Councillors could call this decision in for scrutiny until");
    });

    it("shows every version with its correction reason, and an earlier version on request", async () => {
      const strategy = await getDecision(t.db, strategyId, NOW);
      const corrected = {
        ...strategy.record,
        reasons: `${strategy.record.reasons}\n\nThe refreshed strategy was reviewed by the Children's Services Select Committee.`,
      };
      await t.database.transaction((trx) =>
        addDecisionVersion(trx, strategyId, corrected, {
          reason: "Section 3 left out the select committee's review",
          actor: ACTOR,
        }),
      );

      const current = await app.inject({ url: `/decisions/${strategyId}` });
      const text = mainText(current.body);
      expect(text).toContain("Version Version 2 of 2");
      expect(text).toContain("This record has been corrected.");
      expect(text).toContain("Version 2 (current)");
      expect(text).toContain("Reason for correction: Section 3 left out the select committee&#39;s review");
      expect(text).toContain("Version 1");
      expect(text).toContain("First published version.");
      expect(text).toContain("reviewed by the Children&#39;s Services Select Committee");
      expect(current.body).toContain(`href="/decisions/${strategyId}?version=1"`);
      expect(text.indexOf("Version 2 (current)")).toBeLessThan(text.indexOf("First published version."));

      const older = await app.inject({ url: `/decisions/${strategyId}?version=1` });
      expect(older.statusCode).toBe(200);
      const olderText = mainText(older.body);
      expect(olderText).toContain("You are looking at version 1 of this decision record");
      expect(olderText).not.toContain("reviewed by the Children&#39;s Services Select Committee");
      expect(older.body).toContain(`href="/decisions/${strategyId}.pdf?version=1"`);

      expect((await app.inject({ url: `/decisions/${strategyId}?version=3` })).statusCode).toBe(404);
      const bad = await app.inject({ url: `/decisions/${strategyId}?version=first` });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain("govuk-error-summary");
    });

    it("redirects a council's record id to the decision's address", async () => {
      const page = await app.inject({ url: "/decisions/D110016" });
      expect(page.statusCode).toBe(301);
      expect(page.headers.location).toBe(`/decisions/${webRecordId}`);
      const lower = await app.inject({ url: "/decisions/d110016.pdf?version=1" });
      expect(lower.statusCode).toBe(301);
      expect(lower.headers.location).toBe(`/decisions/${webRecordId}.pdf?version=1`);
      // Record ids with slashes, encoded in the address.
      const slashed = await app.inject({ url: "/decisions/CAB%2F41%2F25" });
      expect(slashed.statusCode).toBe(301);
      expect(slashed.headers.location).toBe(`/decisions/${floodId}`);
    });

    it("answers 404 for a decision that is not there, and for a draft", async () => {
      for (const url of ["/decisions/999999", "/decisions/D999999", "/decisions/999999.pdf"]) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(404);
        expect(response.body).toContain("Page not found");
      }
      const draft = await seedDecision(
        t.database,
        stocktonRecord({ recordId: "D170099", title: "A draft nobody may see yet" }),
        { status: "draft" },
      );
      expect((await app.inject({ url: `/decisions/${draft.id}` })).statusCode).toBe(404);
      expect((await app.inject({ url: `/decisions/${draft.id}.pdf` })).statusCode).toBe(404);
      expect((await app.inject({ url: "/" })).body).not.toContain("A draft nobody may see yet");
    });
  });

  describe("downloads", () => {
    it("give the record as PDF and DOCX, as attachments named after it, with an ETag", async () => {
      const pdf = await app.inject({ url: `/decisions/${crisisId}.pdf` });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers["content-type"]).toBe("application/pdf");
      expect(pdf.rawPayload.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(pdf.headers["content-disposition"]).toContain(
        `attachment; filename="decision-${crisisId}-crisis-and-resilience-fund-2026-27-allocation-of-funding.pdf"`,
      );
      const etag = pdf.headers.etag as string;
      expect(etag).toMatch(/^"pdf-\d+-v1-[0-9a-f]{20}"$/);
      const again = await app.inject({
        url: `/decisions/${crisisId}.pdf`,
        headers: { "if-none-match": etag },
      });
      expect(again.statusCode).toBe(304);

      const docx = await app.inject({ url: `/decisions/${crisisId}.docx` });
      expect(docx.statusCode).toBe(200);
      expect(docx.headers["content-type"]).toBe(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      );
      expect(docx.rawPayload.subarray(0, 2).toString("latin1")).toBe("PK");
      expect(docx.headers["content-disposition"]).toMatch(
        /^attachment; filename="decision-\d+-crisis-.*\.docx"/,
      );
    });

    it("use the record id in the name, and give an older version on request", async () => {
      const pdf = await app.inject({ url: `/decisions/${floodId}.pdf` });
      expect(pdf.headers["content-disposition"]).toContain(
        'filename="CAB-41-25-local-flood-risk-management-strategy-2025-2031.pdf"',
      );
      const strategyV1 = await app.inject({ url: `/decisions/${strategyId}.pdf?version=1` });
      expect(strategyV1.statusCode).toBe(200);
      expect(strategyV1.headers["content-disposition"]).toMatch(/-v1\.pdf"/);
      const strategyNow = await app.inject({ url: `/decisions/${strategyId}.pdf` });
      expect(strategyNow.headers.etag).not.toBe(strategyV1.headers.etag);
    });
  });

  describe("meetings, bodies and the council", () => {
    it("a meeting lists every decision made at it", async () => {
      const response = await app.inject({ url: `/meetings/${meeting19Nov}` });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      expect(text).toContain("Cabinet meeting, 19 November 2026");
      expect(text).toContain("Decisions 2 decisions");
      expect(text).toContain("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
      expect(text).toContain("Children&#39;s Services Strategy 2026-29 – Annual Refresh");
      expect(response.body).toMatch(/<title>Cabinet meeting, 19 November 2026 – Resolved/);
    });

    it("a meeting shows its agenda items with their decisions", async () => {
      const item = await t.db
        .insertInto("agendaItem")
        .values({ meetingId: meeting19Nov, position: 1, number: "5", title: "Crisis and Resilience Fund" })
        .returning("id")
        .executeTakeFirstOrThrow();
      await t.db.updateTable("decision").set({ agendaItemId: item.id }).where("id", "=", crisisId).execute();
      try {
        const text = mainText((await app.inject({ url: `/meetings/${meeting19Nov}` })).body);
        const agenda = text.slice(text.indexOf("Agenda"), text.indexOf("Other decisions"));
        expect(agenda).toContain("5 Crisis and Resilience Fund");
        expect(agenda).toContain("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
        expect(text.slice(text.indexOf("Other decisions"))).toContain("Children&#39;s Services Strategy");
      } finally {
        await t.db.updateTable("decision").set({ agendaItemId: null }).where("id", "=", crisisId).execute();
        await t.db.deleteFrom("agendaItem").where("id", "=", item.id).execute();
      }
    });

    it("the meetings page lists meetings, newest first", async () => {
      const response = await app.inject({ url: "/meetings" });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      expect(text.indexOf("Cabinet, 19 November 2026")).toBeLessThan(
        text.indexOf("Cabinet, 15 October 2026"),
      );
      expect(text).toMatch(/\d+ meetings, newest first/);
    });

    it("a body shows its meetings and latest decisions", async () => {
      const response = await app.inject({ url: `/bodies/${cabinetId}` });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      expect(text).toContain("Cabinet");
      expect(text).toContain("19 November 2026 (2 decisions)");
      expect(text).toContain("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
      expect(response.body).toContain('href="/decisions?body=Cabinet"');
    });

    it("the council page shows the decision makers and the call-in rule", async () => {
      const response = await app.inject({ url: "/council" });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      expect(text).toContain("Stockton-on-Tees Borough Council");
      expect(text).toContain(
        "Call-in closes at midnight at the end of the fifth working day, counting the day of publication as the first.",
      );
      expect(text).toContain("Councillors needed to call in a decision 3");
      expect(text).toContain("Key decision threshold £500,000 or more");
      expect(response.body).toContain(`href="/bodies/${cabinetId}"`);
      for (const feed of [
        "/decisions.csv",
        "/decisions.jsonl",
        "/decisions.atom",
        "/call-in.ics",
        "/api/docs",
      ]) {
        expect(response.body).toContain(`href="${feed}"`);
      }
    });

    it("unknown meetings and bodies are 404, and a bad page number is 400", async () => {
      for (const url of ["/meetings/999999", "/meetings/abc", "/bodies/999999", "/bodies/x"]) {
        expect((await app.inject({ url })).statusCode, url).toBe(404);
      }
      const bad = await app.inject({ url: "/meetings?page=-1" });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain("govuk-error-summary");
      expect(bad.body).toContain('href="/meetings#page"');
    });
  });

  describe("decisions: search and browse", () => {
    async function publicCount(): Promise<number> {
      const row = await t.db
        .selectFrom("decision")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "<>", "draft")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    it("lists every public decision, newest meeting first, and says how many", async () => {
      const response = await app.inject({ url: "/decisions" });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      expect(text).toContain(`${await publicCount()} decisions found`);
      expect(text).toContain("Newest meeting first.");
      expect(text.indexOf("Crisis and Resilience Fund")).toBeLessThan(text.indexOf("Treasury Management"));
      expect(text).not.toContain("A draft nobody may see yet");
      expect(response.body).toContain('href="/decisions.atom"');
      // Every result: its status tag, meeting date and decision maker.
      expect(text).toContain("Call-in period open Decision maker: Cabinet Meeting date: 19 November 2026");
    });

    it("finds words, with the matches highlighted, and keeps the query in the form and the feed link", async () => {
      const response = await app.inject({ url: "/decisions?q=crisis" });
      expect(response.statusCode).toBe(200);
      const text = mainText(response.body);
      expect(text).toContain("1 decision found");
      expect(text).toContain("Matching “crisis”, best matches first.");
      expect(response.body).toContain(
        `href="/decisions/${crisisId}"><mark>Crisis</mark> and Resilience Fund`,
      );
      expect(response.body).toMatch(/class="govuk-body app-results__snippet">[^<]*<mark>Crisis<\/mark>/);
      expect(response.body).toMatch(/<input[^>]*id="q" name="q" type="search" value="crisis"/);
      expect(response.body).toContain('href="/decisions.atom?q=crisis">Atom feed of this search</a>');
      expect(response.body).toContain(
        '<link rel="alternate" type="application/atom+xml" title="Atom feed of this search" href="/decisions.atom?q=crisis">',
      );

      const none = mainText((await app.inject({ url: "/decisions?q=zebra+crossing+helicopter" })).body);
      expect(none).toContain("0 decisions found");
      expect(none).toContain("No decisions match your search.");
    });

    it("filters by body, meeting dates, status, call-in and key decision, shown as selected", async () => {
      const november = await app.inject({ url: "/decisions?body=cabinet&from=2026-11-01&to=2026-11-30" });
      const text = mainText(november.body);
      expect(text).toContain("5 decisions found");
      expect(text).toContain(
        "Meetings from 1 November 2026, meetings to 30 November 2026, decided by cabinet",
      );
      expect(november.body).toMatch(/<input[^>]*id="from"[^>]*value="2026-11-01"/);
      expect(november.body).toMatch(/<option value="Cabinet" selected>Cabinet<\/option>/);

      const open = await app.inject({ url: "/decisions?status=published&sort=date" });
      const openText = mainText(open.body);
      expect(openText).toContain("2 decisions found");
      expect(open.body).toMatch(/<option value="published" selected>Call-in period open<\/option>/);
      expect(open.body).toMatch(/<option value="date" selected>Newest meeting first<\/option>/);
      // Newest first is the default without search words: the feed link leaves it out.
      expect(open.body).toContain('href="/decisions.atom?status=published"');

      const notSubject = mainText((await app.inject({ url: "/decisions?callIn=no" })).body);
      expect(notSubject).toContain("Treasury Management Mid-Year Review 2026/27");
      expect(notSubject).not.toContain("Crisis and Resilience Fund");

      const key = mainText((await app.inject({ url: "/decisions?key=yes" })).body);
      expect(key).toContain("0 decisions found");
    });

    it("pages through the results, keeping the query in every link", async () => {
      for (let i = 0; i < 8; i += 1) {
        await seedDecision(
          t.database,
          stocktonRecord({ recordId: `D1700${50 + i}`, title: `Extra Cabinet decision ${i + 1}` }),
        );
      }
      const total = await publicCount();
      expect(total).toBeGreaterThan(20);
      const first = await app.inject({ url: "/decisions?body=Cabinet" });
      const firstText = mainText(first.body);
      expect(firstText).toContain(`${total} decisions found`);
      expect(firstText).toContain(`Showing 1 to 20, page 1 of ${Math.ceil(total / 20)}.`);
      expect((first.body.match(/class="app-results__item"/g) ?? []).length).toBe(20);
      expect(first.body).toContain('class="govuk-pagination"');
      expect(first.body).toContain('href="/decisions?body=Cabinet&amp;page=2"');

      const second = await app.inject({ url: "/decisions?body=Cabinet&page=2" });
      expect(second.statusCode).toBe(200);
      expect(mainText(second.body)).toContain(`Showing 21 to ${total}, page 2 of 2.`);
      expect(second.body).toContain('href="/decisions?body=Cabinet"');

      const beyond = await app.inject({ url: "/decisions?page=9" });
      expect(beyond.statusCode).toBe(200);
      expect(mainText(beyond.body)).toContain("There are no results on this page.");
    });

    it("answers a bad parameter with the 400 page and an error summary linking to the field", async () => {
      const badDate = await app.inject({ url: "/decisions?q=fund&from=2024-13-01" });
      expect(badDate.statusCode).toBe(400);
      expect(badDate.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(badDate.body).toContain("govuk-error-summary");
      expect(badDate.body).toContain('href="/decisions?q=fund#from"');
      expect(mainText(badDate.body)).toContain("&quot;2024-13-01&quot; is not a date");
      expect(badDate.body).toMatch(/<title>Error: /);

      const badPage = await app.inject({ url: "/decisions?page=-1" });
      expect(badPage.statusCode).toBe(400);
      expect(badPage.body).toContain("govuk-error-summary");
      expect(badPage.body).toContain('href="/decisions#page"');

      for (const url of [
        "/decisions?status=lost",
        "/decisions?callIn=maybe",
        "/decisions?sort=alphabet",
        "/decisions?to=yesterday",
      ]) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(400);
        expect(response.body, url).toContain("govuk-error-summary");
      }
    });
  });

  describe("user text", () => {
    it("is escaped: a record's <script> is shown as text", async () => {
      const example = await readFile(
        join(EXAMPLE_RECORDS_DIR, "2026-11-19-crisis-and-resilience-fund-allocation.txt"),
      );
      const text = example
        .toString("utf8")
        .replace(
          "Crisis and Resilience Fund 2026/27 – Allocation of Funding",
          'Hostile title <script>alert(1)</script> & "quotes"',
        )
        .replace("None.", "Cllr Eve <img src=x onerror=alert(2)> declared an interest.");
      const imported = await importDocument(
        t.database,
        { bytes: Buffer.from(text, "utf8"), fileName: "hostile.txt" },
        { actor: ACTOR },
      );
      for (const url of [
        `/decisions/${imported.decisionId}`,
        "/",
        `/meetings/${meeting19Nov}`,
        "/decisions?q=hostile",
        "/decisions",
      ]) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(200);
        expect(response.body, url).not.toContain("<script>alert(1)</script>");
        expect(response.body, url).toContain(
          "title &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;",
        );
      }
      const page = (await app.inject({ url: `/decisions/${imported.decisionId}` })).body;
      expect(page).not.toContain("<img src=x");
      expect(page).toContain("&lt;img src=x onerror=alert(2)&gt;");
    });
  });
});

describe("a decision page kept in memory", () => {
  let app: FastifyInstance;
  let clock = new Date("2026-11-24T10:00:05Z");
  let crisisId: number;

  beforeAll(async () => {
    await t.resetDatabase();
    await importExampleRecordsIfEmpty(t.database, { actor: ACTOR });
    crisisId = await decisionIdByTitle("Crisis and Resilience Fund 2026/27 – Allocation of Funding");
    app = await startTestApp(t.database, () => clock);
  });

  afterAll(async () => {
    await app?.close();
  });

  const nonceOf = (csp: unknown) => /'nonce-([^']+)'/.exec(String(csp))?.[1] ?? "";

  it("is the same page each time within the minute, with each response's own nonce", async () => {
    const first = await app.inject({ url: `/decisions/${crisisId}` });
    clock = new Date("2026-11-24T10:00:40Z");
    const second = await app.inject({ url: `/decisions/${crisisId}` });
    const [n1, n2] = [
      nonceOf(first.headers["content-security-policy"]),
      nonceOf(second.headers["content-security-policy"]),
    ];
    expect(n1).not.toBe("");
    expect(n1).not.toBe(n2);
    expect(first.body).toContain(`nonce="${n1}"`);
    expect(second.body).toContain(`nonce="${n2}"`);
    expect(second.body).not.toContain(n1);
    expect(second.body.replaceAll(n2, "N")).toBe(first.body.replaceAll(n1, "N"));
    expect(mainText(second.body)).toContain("Status as at 24 November 2026 at 10am (UK time).");
  });

  it("is rendered again as soon as the register changes through the services", async () => {
    await sql`update decision set key_decision = true where id = ${crisisId}`.execute(t.db);
    // A write that bypasses the services (and so the audit log) is not seen within the minute: proof the page
    // came from memory.
    expect(mainText((await app.inject({ url: `/decisions/${crisisId}` })).body)).toContain("Key decision No");
    const crisis = await getDecision(t.db, crisisId, clock);
    await t.database.transaction((trx) =>
      addDecisionVersion(
        trx,
        crisisId,
        { ...crisis.record, reasons: `${crisis.record.reasons}\n\nThe fund was oversubscribed in 2025.` },
        { reason: "Section 3 left out last year's demand", actor: ACTOR },
      ),
    );
    const text = mainText((await app.inject({ url: `/decisions/${crisisId}` })).body);
    expect(text).toContain("The fund was oversubscribed in 2025.");
    expect(text).toContain("Key decision Yes");
  });

  it("shows the new time, and the status after the cutoff, once the clock has moved on", async () => {
    const other = await decisionIdByTitle("Children's Services Strategy 2026-29 – Annual Refresh");
    clock = new Date("2026-11-24T10:00:50Z");
    expect(mainText((await app.inject({ url: `/decisions/${other}` })).body)).toContain(
      "2 days 13 hours left",
    );
    clock = new Date("2026-11-24T11:01:10Z");
    const later = mainText((await app.inject({ url: `/decisions/${other}` })).body);
    expect(later).toContain("Status as at 24 November 2026 at 11:01am (UK time).");
    expect(later).toContain("2 days 12 hours left");
    clock = new Date("2026-11-27T00:00:30Z");
    const after = mainText((await app.inject({ url: `/decisions/${other}` })).body);
    expect(after).toContain("Status now In effect");
    expect(after).not.toContain("left");
  });
});
