import { createHash } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { RECORD_FORMAT_VERSION, type DecisionRecord } from "../../../src/domain/decision-record.js";
import { extractText } from "../../../src/import/extract/index.js";
import { requestCallIn } from "../../../src/services/call-in/index.js";
import { setCouncilRule, slugForCouncilName } from "../../../src/services/councils/index.js";
import { addDecisionVersion, declareUrgency } from "../../../src/services/decision-changes/index.js";
import { importDocument, storeParsedBatch } from "../../../src/services/import/index.js";
import { createApp } from "../../../src/web/create-app.js";
import { useTestDatabase } from "../backends.js";
import {
  ATTRIBUTE_BREAK,
  CDATA_END,
  CSV_FORMULAS,
  IMG_ONERROR,
  NUNJUCKS_OUTPUT,
  LINE_SEPARATOR,
  JAVASCRIPT_URL,
  NUNJUCKS_TAG,
  NUL,
  SCRIPT,
  TEXTAREA_END,
  assertNoInjectedMarkup,
  cspNonceOf,
  hostile,
  htmlText,
} from "./security-payloads.js";

// Stored XSS: a decision whose every text field carries hostile text (security-payloads.ts), stored through the
// import and call-in services, then fetched from every page, feed, download and API answer that shows it. Each
// must give the text back as text: escaped in HTML (parse5 finds no element or attribute the payload made) and
// XML, exact in JSON, escaped per RFC 5545 in iCalendar, and defused as a formula in CSV.

const t = useTestDatabase({ reset: "manual" });
/** Tuesday 1 December 2026, midday: the decision was published on Monday 30 November, call-in open till Friday. */
const NOW = new Date("2026-12-01T12:00:00Z");
const ACTOR = "test:stored-xss";

const COUNCIL = `The Borough of ${hostile("Council")} Council`;
const TITLE = `${CSV_FORMULAS[0]} ${hostile("Title")}`;
// A body's name is one a search can filter by: at most 200 characters (the search's limit), so fewer payloads.
const BODY = `${CSV_FORMULAS[1]} Body ${SCRIPT} ${IMG_ONERROR} ${ATTRIBUTE_BREAK} ${NUNJUCKS_OUTPUT} ${CDATA_END} ${LINE_SEPARATOR}`;
const RECORD_ID = `${CSV_FORMULAS[3]} ${hostile("Record id")}`;
const SIGNED_BY = `${CSV_FORMULAS[2]} ${hostile("Signed by")}`;
const PERSON = "Councillor D'Arcy-O'Neil";
const FILE_NAME = `report"; filename="evil.html ${SCRIPT}.html`;

function payloadRecord(reasons: string): DecisionRecord {
  const outcomes = [
    {
      kind: "RESOLVED",
      text: hostile("Outcome"),
      items: [hostile("Item one"), hostile("Item two")],
    },
    { kind: "AGREED", text: hostile("Second outcome"), items: [hostile("Second item")] },
  ];
  return {
    formatVersion: RECORD_FORMAT_VERSION,
    council: COUNCIL,
    body: BODY,
    documentType: hostile("Document type"),
    recordId: RECORD_ID,
    meetingDate: "2026-11-26",
    title: TITLE,
    record: `${hostile("Record")}\n\n${hostile("Record second paragraph")}\n- ${hostile("Record list item")}`,
    outcome: outcomes[0]!,
    outcomes,
    reasons,
    alternatives: hostile("Alternatives"),
    conflictsOfInterest: `${PERSON} declared a personal interest as ${hostile("Declaration")}.`,
    dispensations: hostile("Dispensations"),
    callIn: { deadline: "2026-12-04", text: `Midnight, Friday 4 December 2026 ${hostile("Call-in")}` },
    signedBy: SIGNED_BY,
    publishedOn: "2026-11-30",
    source: null,
  };
}

/** The original as a council might have published it: an HTML page, scripts and all. */
function originalBytes(version: number): Uint8Array {
  return new TextEncoder().encode(
    `<!doctype html><html><body><h1>Decision record v${version}</h1>${SCRIPT}<img src=x onerror=alert(1)></body></html>`,
  );
}

/** Stores the record through the import service, as `resolved import` does after parsing a file. */
async function importRecord(record: DecisionRecord, version: number) {
  const bytes = originalBytes(version);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const [entry] = await storeParsedBatch(
    t.database,
    [
      {
        input: { bytes, fileName: FILE_NAME, sourceUrl: JAVASCRIPT_URL },
        record: { ...record, source: { fileName: FILE_NAME, mediaType: "text/html", sha256, lines: {} } },
      },
    ],
    { actor: ACTOR },
  );
  if (entry?.error) throw entry.error;
  return entry!.result!;
}

let app: FastifyInstance;
let decisionId: number;
let urgentId: number;
let meetingId: number;
let bodyId: number;
let record: DecisionRecord;

beforeAll(async () => {
  await t.resetDatabase();
  const first = await importRecord(payloadRecord(hostile("Reasons, version one")), 1);
  expect(first.outcome).toBe("imported");
  decisionId = first.decisionId;
  // A correction: version 2, with its reason.
  record = payloadRecord(hostile("Reasons"));
  const second = await t.database.transaction((trx) =>
    addDecisionVersion(trx, decisionId, record, { reason: hostile("Correction reason"), actor: ACTOR }),
  );
  expect(second.version).toBe(2);

  const slug = slugForCouncilName(COUNCIL);
  await setCouncilRule(t.db, slug, { minCallInSignatories: 10 }, ACTOR);

  // A second decision by the same body, taken as urgent: its reason and the consent are shown too.
  const urgentRecord = {
    ...payloadRecord(hostile("Urgent reasons")),
    recordId: `${RECORD_ID} urgent`,
    title: hostile("Urgent title"),
  };
  urgentId = (await importRecord(urgentRecord, 3)).decisionId;
  await declareUrgency(t.database, urgentId, {
    reason: hostile("Urgency reason"),
    consent: { name: hostile("Scrutiny chair"), role: "scrutiny-chair" },
    actor: ACTOR,
  });

  // Too few signatories for this council: stored as invalid, with its reasons, which name the council.
  const request = await requestCallIn(
    t.database,
    decisionId,
    {
      signatories: [hostile("Cllr First"), hostile("Cllr Second")],
      grounds: [
        { principle: "consultation-and-advice", explanation: hostile("Explanation one") },
        { principle: "proportionality", explanation: hostile("Explanation two") },
      ],
      receivedAt: new Date("2026-12-01T09:00:00Z"),
    },
    ACTOR,
  );
  expect(request.valid).toBe(false);

  // No service writes these yet (the drafting forms will): a meeting's place and page, an agenda item, a
  // dispensation, and a declaration picked from the body's members (any name, not only one the parser finds).
  const decision = await t.db
    .selectFrom("decision")
    .select(["meetingId", "bodyId"])
    .where("id", "=", decisionId)
    .executeTakeFirstOrThrow();
  meetingId = decision.meetingId!;
  bodyId = decision.bodyId;
  await t.db
    .updateTable("meeting")
    .set({ location: hostile("Location"), sourceUrl: JAVASCRIPT_URL })
    .where("id", "=", meetingId)
    .execute();
  await t.db
    .insertInto("agendaItem")
    .values({ meetingId, position: 1, number: hostile("Item number"), title: hostile("Agenda item") })
    .execute();
  await t.db
    .insertInto("dispensation")
    .values({
      decisionId,
      personName: hostile("Dispensation person"),
      grantedBy: hostile("Granted by"),
      scope: hostile("Scope"),
    })
    .execute();
  await t.db
    .insertInto("declarationOfInterest")
    .values({
      decisionId,
      personName: hostile("Declared person"),
      category: "other",
      nature: hostile("Nature"),
    })
    .execute();

  const config = loadConfig({ RESOLVED_COUNCIL: slug });
  app = await createApp({ database: t.database, config, logger: pino({ level: "silent" }), now: () => NOW });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

async function get(url: string, status = 200): Promise<LightMyRequestResponse> {
  const response = await app.inject({ method: "GET", url });
  expect(response.statusCode, url).toBe(status);
  return response;
}

/** Fetches an HTML page, checks that no payload became markup, and gives the text a reader sees. */
async function page(url: string, status = 200): Promise<string> {
  const response = await get(url, status);
  expect(response.headers["content-type"], url).toMatch(/^text\/html/);
  assertNoInjectedMarkup(response.body, { nonce: cspNonceOf(response.headers), where: url });
  return htmlText(response.body);
}

/** Every value is in the text; the ones that are not are listed (the page itself is too long to show). */
function expectAll(text: string, expected: readonly string[], where: string) {
  expect(
    expected.filter((value) => !text.includes(value)),
    `missing from ${where}`,
  ).toEqual([]);
}

// What each page shows of the decision, exactly as stored (the page may show more).
const ON_DECISION_PAGE = () => [
  COUNCIL,
  TITLE,
  BODY,
  RECORD_ID,
  hostile("Record"),
  hostile("Record second paragraph"),
  hostile("Record list item"),
  hostile("Outcome"),
  hostile("Item one"),
  hostile("Item two"),
  hostile("Second outcome"),
  hostile("Second item"),
  hostile("Reasons"),
  hostile("Alternatives"),
  hostile("Declaration"),
  hostile("Dispensations"),
  hostile("Call-in"),
  SIGNED_BY,
  hostile("Cllr First"),
  hostile("Cllr Second"),
  hostile("Explanation one"),
  hostile("Explanation two"),
  hostile("Declared person"),
  hostile("Dispensation person"),
  hostile("Granted by"),
  hostile("Correction reason"),
];

describe("the markup checks", () => {
  it("find what an unescaped payload makes, and pass escaped text", () => {
    const escaped = (text: string) =>
      text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    const nonce = "abc123";
    const ours = `<script nonce="${nonce}">document.body.className += " js-enabled";</script>`;
    expect(() =>
      assertNoInjectedMarkup(`${ours}<p>${escaped(hostile("Title"))}</p>`, { nonce }),
    ).not.toThrow();
    expect(htmlText(`<p>${escaped(hostile("Title"))}</p>`)).toContain(hostile("Title"));
    for (const html of [
      `<p>${SCRIPT}</p>`,
      `<input value="${IMG_ONERROR}">`,
      `<a title='${ATTRIBUTE_BREAK}'>x</a>`,
      `<a href="${JAVASCRIPT_URL}">x</a>`,
      `<a href=" JaVa&#x09;Script:alert(1)">x</a>`,
      `<textarea>${TEXTAREA_END}</textarea>`,
      `<p>${CDATA_END}</p>`,
      `<script nonce="wrong">1</script>`,
    ]) {
      expect(() => assertNoInjectedMarkup(html, { nonce }), html).toThrow(/injected markup/);
    }
  });
});

describe("hostile text in every field comes back as text", () => {
  it("was stored exactly as given", async () => {
    const stored = await t.db
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", decisionId)
      .where("version", "=", 2)
      .executeTakeFirstOrThrow();
    const { source: _source, ...rest } = stored.record as DecisionRecord;
    const { source: _none, ...expected } = record;
    expect(rest).toEqual(expected);
  });

  it("on the decision page, every version of it, and the pages that list it", async () => {
    expectAll(await page(`/decisions/${decisionId}`), ON_DECISION_PAGE(), "the decision page");
    expectAll(
      await page(`/decisions/${decisionId}?version=1`),
      [TITLE, hostile("Reasons, version one")],
      "version 1",
    );
    expectAll(await page(`/decisions/${urgentId}`), [hostile("Urgent title")], "the urgent decision");
    expectAll(await page("/"), [TITLE, COUNCIL], "the home page");
    expectAll(await page("/decisions"), [TITLE, BODY], "the decisions page");
    // Searches that match the payloads' words: the results (titles with <mark>, snippets) stay text.
    for (const q of ["Title", "alert", "HYPERLINK", "Reasons onmouseover"]) {
      const url = `/decisions?q=${encodeURIComponent(q)}`;
      expect(await page(url), url).toContain("Title");
    }
    // And ones that may match nothing: the query is shown back, as text.
    for (const q of [SCRIPT, '"alert(1)"', "7*7", NUNJUCKS_TAG, IMG_ONERROR, "title:(alert OR evil) -bold"]) {
      const url = `/decisions?q=${encodeURIComponent(q)}`;
      expect(await page(url), url).toContain(q);
    }
    expectAll(
      await page(`/decisions?q=${encodeURIComponent(SCRIPT)}&body=${encodeURIComponent(BODY)}`),
      [SCRIPT, BODY],
      "a search echoing hostile parameters",
    );
    // A search the page refuses (too long a body name) says so, and echoes the value as text.
    expect(
      await page(`/decisions?body=${encodeURIComponent(`${hostile("Body")} ${hostile("Body")}`)}`, 400),
    ).toContain("body: the name is");
    expectAll(await page("/meetings"), [BODY], "the meetings page");
    expectAll(
      await page(`/meetings/${meetingId}`),
      [BODY, TITLE, hostile("Location"), hostile("Agenda item"), hostile("Item number")],
      "the meeting page",
    );
    expectAll(await page(`/bodies/${bodyId}`), [BODY, TITLE], "the body page");
    expectAll(await page("/council"), [COUNCIL, BODY], "the council page");
    await page("/api/docs");
  });

  it("the API gives back the exact strings", async () => {
    const list = JSON.parse((await get("/api/v1/decisions")).body) as { data: { title: string }[] };
    expect(list.data.map((item) => item.title)).toContain(TITLE);
    const search = JSON.parse((await get(`/api/v1/decisions?q=${encodeURIComponent("Title")}`)).body) as {
      data: { titleHtml?: string; snippet?: string }[];
    };
    expect(search.data.length).toBeGreaterThan(0);
    for (const item of search.data) {
      // The marked-up title and snippet are HTML: escaped, with only <mark> added.
      for (const html of [item.titleHtml, item.snippet]) {
        if (html === undefined) continue;
        assertNoInjectedMarkup(html, { where: "titleHtml/snippet" });
        expect(html.replace(/<\/?mark>/g, "")).not.toMatch(/<(?!\/?mark>)/);
      }
    }
    const detail = JSON.parse((await get(`/api/v1/decisions/${decisionId}`)).body) as {
      data: DecisionRecord & { versions: { reason: string | null }[] };
    };
    const { source: _source, ...expected } = record;
    expect(detail.data).toMatchObject(expected);
    expect(detail.data.versions.map((v) => v.reason)).toContain(hostile("Correction reason"));
    const v1 = JSON.parse((await get(`/api/v1/decisions/${decisionId}/versions/1`)).body) as {
      data: { record: DecisionRecord };
    };
    expect(v1.data.record.reasons).toBe(hostile("Reasons, version one"));
    const meeting = await get(`/api/v1/meetings/${meetingId}`);
    expect(JSON.parse(meeting.body)).toMatchObject({ data: { location: hostile("Location") } });
    const bodies = (await get("/api/v1/bodies")).body;
    expect(bodies).toContain(JSON.stringify(BODY).slice(1, -1));
    // JSON from the API is never sniffed as HTML.
    expect(meeting.headers["content-type"]).toMatch(/^application\/json/);
    expect(meeting.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("the Atom feed is well-formed XML with the text in it", async () => {
    const response = await get("/decisions.atom");
    const errors: string[] = [];
    const document = new DOMParser({
      locator: {},
      errorHandler: { warning: () => {}, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
    }).parseFromString(response.body, "application/xml");
    expect(errors).toEqual([]);
    expect(document.getElementsByTagName("evil")).toHaveLength(0);
    expect(document.getElementsByTagName("script")).toHaveLength(0);
    const entries = Array.from(document.getElementsByTagName("entry"));
    // xmldom reads U+2028 as a line end (as XML 1.1 does); the feed itself has the character.
    const asRead = (text: string) => text.replace(/\u2028/g, "\n");
    const entry = entries.find((e) => e.getElementsByTagName("title")[0]?.textContent === asRead(TITLE));
    expect(entry, "an entry with the exact title").toBeDefined();
    expect(response.body).toContain("\u2028");
    expect(entry!.getElementsByTagName("name")[0]?.textContent).toBe(asRead(BODY));
    expect(entry!.getElementsByTagName("summary")[0]?.textContent).toContain(
      hostile("Outcome").replace(/\s+/g, " "),
    );
  });

  it("the CSV download parses back to the exact text, formulas defused with an apostrophe", async () => {
    const response = await get("/decisions.csv");
    const rows = parseCsv(response.body.replace(/^\uFEFF/, ""));
    const header = rows[0]!;
    const row = rows.find((r) => r[header.indexOf("id")] === String(decisionId));
    expect(row).toBeDefined();
    const cell = (name: string) => row![header.indexOf(name)];
    expect(cell("title")).toBe(`'${TITLE}`);
    expect(cell("decision_maker")).toBe(`'${BODY}`);
    expect(cell("record_id")).toBe(`'${RECORD_ID}`);
    expect(cell("council")).toBe(COUNCIL);
    // No cell a spreadsheet would run: none starts with =, +, - or @ (nor a tab or carriage return).
    for (const r of rows) for (const value of r) expect(value, value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("the JSON Lines download gives back the exact strings", async () => {
    const response = await get("/decisions.jsonl");
    const lines = response.body
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as DecisionRecord & { id: number });
    const line = lines.find((l) => l.id === decisionId);
    const { source: _source, ...expected } = record;
    expect(line).toMatchObject(expected);
    // One record a line: U+2028 and U+2029 inside strings do not break lines for a JSON Lines reader.
    expect(lines).toHaveLength(2);
  });

  it("the call-in calendar escapes text as RFC 5545 asks", async () => {
    const response = await get("/call-in.ics");
    const unfolded = response.body.replace(/\r\n[ \t]/g, "");
    const lines = unfolded.split("\r\n");
    expect(lines.at(-1)).toBe("");
    // Every line is a property (NAME[;params]:value): nothing a payload wrote starts a line of its own.
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^[A-Z][A-Z0-9-]*[;:]/);
    const summary = lines.find((line) => line.startsWith("SUMMARY:") && line.includes("Title"));
    expect(summary).toBeDefined();
    expect(unescapeIcs(summary!.slice("SUMMARY:".length))).toBe(`Call-in closes: ${TITLE}`);
    const description = lines.find((line) => line.startsWith("DESCRIPTION:") && line.includes("Record id"));
    expect(unescapeIcs(description!.slice("DESCRIPTION:".length))).toContain(`(${RECORD_ID})`);
    expect(lines.filter((line) => line === "BEGIN:VEVENT")).toHaveLength(
      lines.filter((l) => l === "END:VEVENT").length,
    );
  });

  it("the PDF and Word downloads carry the text, as read back by our importer", async () => {
    // Text in a document is laid out again (lines wrapped, white space collapsed): compare word by word.
    const words = (value: string) => value.replace(/[\s\u2028\u2029]+/g, " ").trim();
    const sections = [
      TITLE,
      hostile("Record"),
      hostile("Item one"),
      hostile("Reasons"),
      hostile("Alternatives"),
    ];
    const sections2 = [hostile("Declaration"), hostile("Dispensations"), hostile("Call-in")];
    const pdf = await extractText((await get(`/decisions/${decisionId}.pdf`)).rawPayload, "download.pdf");
    expectAll(words(pdf.text), [...sections, ...sections2].map(words), "the PDF download");
    // The PDF's one-line headings (council, body, record id, signed by) are cut at the page's width.
    for (const value of [COUNCIL, BODY, RECORD_ID, SIGNED_BY]) expect(pdf.text).toContain(value.slice(0, 40));
    const docx = await extractText((await get(`/decisions/${decisionId}.docx`)).rawPayload, "download.docx");
    expectAll(
      words(docx.text),
      [...sections, ...sections2, COUNCIL, BODY, RECORD_ID, SIGNED_BY].map(words),
      "the Word download",
    );
  });

  it("the original document is only ever a download, under the site's CSP", async () => {
    const response = await get(`/decisions/${decisionId}/original?version=1`);
    expect(response.headers["content-disposition"]).toMatch(/^attachment;/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    // Its own policy, stricter than the pages': nothing in it runs, even if a browser opened it.
    expect(response.headers["content-security-policy"]).toMatch(/^sandbox; default-src 'none'/);
    // The file name is one quoted parameter and one RFC 5987 one: the payload cannot end either and start another.
    expect(response.headers["content-disposition"]).toMatch(
      /^attachment; filename="[^"\\\r\n]*"; filename\*=UTF-8''[A-Za-z0-9%!#$&+.^_`|~-]*$/,
    );
  });

  it("a link the council gave is shown only when it is a web address", async () => {
    const javascript = await get(`/meetings/${meetingId}`);
    expect(javascript.body).not.toContain("The council's page for this meeting");
    for (const [sourceUrl, shown] of [
      ['https://democracy.example.gov.uk/meeting/42?x=<b>&y="1"', true],
      ["JaVaScRiPt:alert(1)", false],
      [" javascript:alert(1)", false],
      ["data:text/html,<script>alert(1)</script>", false],
      ["//evil.example/", false],
    ] as const) {
      await t.db.updateTable("meeting").set({ sourceUrl }).where("id", "=", meetingId).execute();
      const response = await get(`/meetings/${meetingId}`);
      assertNoInjectedMarkup(response.body, { nonce: cspNonceOf(response.headers), where: sourceUrl });
      expect(response.body.includes("The council's page for this meeting"), sourceUrl).toBe(shown);
    }
    await t.db
      .updateTable("meeting")
      .set({ sourceUrl: JAVASCRIPT_URL })
      .where("id", "=", meetingId)
      .execute();
  });
});

describe("NUL bytes", () => {
  // PostgreSQL text cannot hold U+0000: each way in refuses it with a message, before the database would.
  it("in a document: refused as binary, or read as U+FFFD from an HTML character reference", async () => {
    const proforma = (title: string) =>
      [
        "CABINET DECISION PROFORMA",
        "Cabinet Meeting 26th November 2026",
        "1. Title of Item/Report",
        title,
        "2. Record of the Decision",
        "RESOLVED that the report be noted.",
        "3. Reasons for the Decision",
        "None.",
        "4. Alternative Options Considered and Rejected",
        "None.",
        "5. Declared (Cabinet Member) Conflicts of Interest",
        "None.",
        "6. Details of any Dispensations",
        "None.",
        "7. Date and Time by which Call In must be executed",
        "Not applicable",
        "Proper Officer",
        "30 November 2026",
      ].join("\n\n");
    const text = new TextEncoder().encode(proforma(`Library opening hours ${NUL}`));
    await expect(
      importDocument(t.database, { bytes: text, fileName: "nul.txt" }, { actor: ACTOR }),
    ).rejects.toMatchObject({ name: "DocumentError", message: expect.stringMatching(/binary data/) });

    const html = `<html><body><pre>${proforma("Library &#0;opening hours")}</pre></body></html>`;
    const imported = await importDocument(
      t.database,
      { bytes: new TextEncoder().encode(html), fileName: "nul.html" },
      { actor: ACTOR },
    );
    expect(imported.title).toBe("Library \uFFFDopening hours");
  });

  it("in a call-in request: refused, naming the field", async () => {
    const request = (signatory: string, explanation: string) =>
      requestCallIn(
        t.database,
        decisionId,
        {
          signatories: [signatory],
          grounds: [{ principle: "proportionality", explanation }],
          receivedAt: new Date("2026-12-01T10:00:00Z"),
        },
        ACTOR,
      );
    await expect(request(`Cllr ${NUL}`, "Too costly.")).rejects.toMatchObject({
      name: "ValidationError",
      field: "signatories.0",
      message: expect.stringMatching(/NUL/),
    });
    await expect(request("Cllr Ahmed", `Too ${NUL} costly.`)).rejects.toMatchObject({
      name: "ValidationError",
      field: "grounds.0.explanation",
    });
  });
});

/** RFC 4180: quoted fields, doubled quotes, CRLF between rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += char;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** RFC 5545 TEXT: \\ \; \, \n (or \N). */
function unescapeIcs(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}
