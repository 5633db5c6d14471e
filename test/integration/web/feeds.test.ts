import { DOMParser } from "@xmldom/xmldom";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionRecordSchema } from "../../../src/domain/decision-record.js";
import { decisionListSchema } from "../../../src/web/api/schemas.js";
import { csvCell } from "../../../src/domain/csv-cell.js";
import { foldLine, icsText, xmlText } from "../../../src/web/feeds/feed-routes.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";
import { AT, EXTRA_RECORDS, seedRegister, type SeededRegister } from "../search-seed.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
let seeded: SeededRegister;

beforeAll(async () => {
  await t.resetDatabase();
  seeded = await seedRegister(t.database);
  app = await startTestApp(t.database, () => AT);
});

afterAll(async () => {
  await app?.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: "GET", url, headers });

/** RFC 4180, strictly: CRLF between records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === "") {
      quoted = true;
      i += 1;
    } else if (c === ",") {
      row.push(field);
      field = "";
      i += 1;
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else {
      expect(c, `bare ${JSON.stringify(c)} at ${i}`).not.toMatch(/[\r\n"]/);
      field += c;
      i += 1;
    }
  }
  expect(field).toBe("");
  expect(row).toEqual([]);
  return rows;
}

/** Parses XML strictly: any error or warning fails. */
function parseXml(text: string): Document {
  const problems: string[] = [];
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      problems.push(`${level}: ${message}`);
    },
  } as never);
  const document = parser.parseFromString(text, "application/xml") as unknown as Document;
  expect(problems).toEqual([]);
  return document;
}

const ATOM = "http://www.w3.org/2005/Atom";

async function allDecisions(query = "") {
  return decisionListSchema.parse((await get(`/api/v1/decisions?limit=100&${query}`)).json()).data;
}

describe("/decisions.csv", () => {
  it("is RFC 4180 CSV in UTF-8 with a byte order mark, one row per decision", async () => {
    const response = await get("/decisions.csv");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers["content-disposition"]).toBe('attachment; filename="decisions.csv"');
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.body.startsWith("\uFEFF")).toBe(true);
    expect(response.body.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(response.body.slice(1));
    const [header, ...records] = rows;
    expect(header).toEqual([
      "id",
      "record_id",
      "title",
      "decision_maker",
      "council",
      "meeting_date",
      "published_on",
      "status",
      "status_label",
      "subject_to_call_in",
      "call_in_cutoff",
      "key_decision",
      "decision",
      "version",
      "updated_at",
      "url",
    ]);
    for (const record of records) expect(record.length).toBe(header!.length);
    expect(records.map((r) => Number(r[0]))).toEqual((await allDecisions()).map((d) => d.id));
  });

  it("quotes what needs quoting and defuses formulas", async () => {
    const rows = parseCsv((await get("/decisions.csv?q=spreadsheet")).body.slice(1));
    expect(rows.length).toBe(2);
    const [, record] = rows;
    const title = record![2]!;
    expect(title).toBe(`'=HYPERLINK("http://example.com/x","Click here"), for; the "Record"`);
    expect(record![12]).toBe("RESOLVED that:- 1. @once the spreadsheet, be approved.");
    expect(record![15]).toBe(`http://localhost:80/decisions/${seeded.extra.formula}`);
    const raw = (await get("/decisions.csv?q=spreadsheet")).body;
    expect(raw).toContain(`"'=HYPERLINK(""http://example.com/x"",""Click here""), for; the ""Record"""`);

    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+44")).toBe("'+44");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("a\r\nb")).toBe('"a\r\nb"');
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell("plain")).toBe("plain");
  });

  it("takes the same filters as the decisions page, and refuses bad ones", async () => {
    const rows = parseCsv((await get("/decisions.csv?q=zebra&status=published")).body.slice(1));
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([seeded.extra.zebraTitle, seeded.extra.zebraBody]);
    const bad = await get("/decisions.csv?from=2026-02-30");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("is not a date");
  });
});

describe("/decisions.jsonl", () => {
  it("streams one decision record per line, in the interchange format", async () => {
    const response = await get("/decisions.jsonl");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    const lines = response.body.split("\n");
    expect(lines.pop()).toBe("");
    const decisions = await allDecisions();
    expect(lines.length).toBe(decisions.length);
    for (const [index, line] of lines.entries()) {
      const value = JSON.parse(line) as { id: number; status: string; url: string };
      const record = decisionRecordSchema.parse(value);
      expect(value.id).toBe(decisions[index]!.id);
      expect(record.title).toBe(decisions[index]!.title);
      expect(value.status).toBe(decisions[index]!.status);
      expect(value.url).toBe(`http://localhost:80/decisions/${value.id}`);
    }
    const script = lines
      .map((l) => JSON.parse(l) as { id: number; record: string })
      .find((v) => v.id === seeded.extra.script)!;
    expect(script.record).toContain('<script>alert("quokka")</script>');
  });

  it("follows a search", async () => {
    const lines = (await get("/decisions.jsonl?q=quokka")).body.trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([seeded.extra.script]);
  });
});

describe("/decisions.atom", () => {
  it("is Atom 1.0 with an entry per decision, newest first", async () => {
    const response = await get("/decisions.atom");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const feed = parseXml(response.body).documentElement;
    expect(feed.namespaceURI).toBe(ATOM);
    expect(feed.localName).toBe("feed");
    const child = (parent: Element, name: string) =>
      Array.from(parent.childNodes).filter(
        (node): node is Element => node.nodeType === 1 && (node as Element).localName === name,
      );
    for (const name of ["id", "title", "updated"]) expect(child(feed, name).length, name).toBe(1);
    expect(child(feed, "id")[0]!.textContent).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const entries = child(feed, "entry");
    const decisions = await allDecisions();
    expect(entries.length).toBe(decisions.length);
    for (const [index, entry] of entries.entries()) {
      const decision = decisions[index]!;
      expect(child(entry, "title")[0]!.textContent).toBe(decision.title);
      expect(child(entry, "id")[0]!.textContent).toMatch(
        /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab]/,
      );
      const link = child(entry, "link")[0]!;
      expect(link.getAttribute("href")).toBe(`http://localhost:80/decisions/${decision.id}`);
      expect(child(entry, "updated")[0]!.textContent).toBe(decision.updatedAt);
      // The summary is the decision: every outcome, its items numbered (the first outcome first).
      const first = [
        decision.outcome.kind,
        decision.outcome.text,
        ...decision.outcome.items.map((x, i) => `${i + 1}. ${x}`),
      ]
        .join(" ")
        .replace(/\s+/g, " ")
        .trim();
      expect(child(entry, "summary")[0]!.textContent!.startsWith(first)).toBe(true);
      expect(child(entry, "author")[0]!.textContent).toBe(decision.body);
    }
    const ids = entries.map((e) => child(e, "id")[0]!.textContent);
    expect(new Set(ids).size).toBe(ids.length);
    // The same entry has the same id in every feed.
    const again = parseXml((await get("/decisions.atom?q=zebra")).body).documentElement;
    const zebraIds = child(again, "entry").map((e) => child(e, "id")[0]!.textContent);
    expect(ids).toEqual(expect.arrayContaining(zebraIds));
  });

  it("takes the same query parameters as the decisions page", async () => {
    const feed = parseXml((await get("/decisions.atom?q=zebra&sort=relevance")).body).documentElement;
    const titles = Array.from(feed.getElementsByTagNameNS(ATOM, "entry")).map(
      (entry) => entry.getElementsByTagNameNS(ATOM, "title")[0]!.textContent,
    );
    expect(titles).toEqual(["Zebra Crossings Programme 2027", "Road Safety Annual Report"]);
    const self = Array.from(feed.getElementsByTagNameNS(ATOM, "link")).find(
      (l) => l.getAttribute("rel") === "self",
    );
    expect(self!.getAttribute("href")).toBe("http://localhost:80/decisions.atom?q=zebra&sort=relevance");
    expect((await get("/decisions.atom?page=-1")).statusCode).toBe(400);
  });

  it("escapes what councils wrote", async () => {
    const response = await get("/decisions.atom?q=accessibility");
    expect(response.body).toContain("Website &lt;b&gt;Accessibility&lt;/b&gt; Statement");
    const feed = parseXml(response.body).documentElement;
    expect(
      feed.getElementsByTagNameNS(ATOM, "entry")[0]!.getElementsByTagNameNS(ATOM, "title")[0]!.textContent,
    ).toBe("Website <b>Accessibility</b> Statement");
    expect(xmlText("a\u0000b\u000cc <&>\"'")).toBe("abc &lt;&amp;&gt;&quot;&apos;");
  });

  it("has an ETag and CORS", async () => {
    const first = await get("/decisions.atom");
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    expect((await get("/decisions.atom", { "if-none-match": etag })).statusCode).toBe(304);
    expect(first.headers["access-control-allow-origin"]).toBe("*");
    const preflight = await app.inject({ method: "OPTIONS", url: "/decisions.atom" });
    expect(preflight.statusCode).toBe(204);
  });
});

describe("/call-in.ics", () => {
  it("is iCalendar with CRLF line endings and lines folded at 75 octets", async () => {
    const response = await get("/call-in.ics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/calendar; charset=utf-8");
    const text = response.body;
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const physical = text.split("\r\n").slice(0, -1);
    for (const line of physical) expect(Buffer.byteLength(line, "utf8"), line).toBeLessThanOrEqual(75);
    expect(physical[0]).toBe("BEGIN:VCALENDAR");
    expect(physical.at(-1)).toBe("END:VCALENDAR");
  });

  it("has one event per call-in cutoff to come or recently passed, ending at the cutoff in UTC", async () => {
    const text = (await get("/call-in.ics")).body;
    const lines = text.replace(/\r\n /g, "").split("\r\n");
    const events: Array<Record<string, string>> = [];
    let current: Record<string, string> | null = null;
    for (const line of lines) {
      if (line === "BEGIN:VEVENT") current = {};
      else if (line === "END:VEVENT") {
        events.push(current!);
        current = null;
      } else if (current) {
        const colon = line.indexOf(":");
        current[line.slice(0, colon)] = line.slice(colon + 1);
      }
    }
    const since = AT.getTime() - 60 * 86_400_000;
    const expected = (await allDecisions()).filter(
      (d) => d.callInCutoff && Date.parse(d.callInCutoff) >= since,
    );
    expect(events.length).toBe(expected.length);
    expect(events.length).toBeGreaterThan(5);
    const byUid = new Map(events.map((event) => [event.UID!, event]));
    expect(byUid.size).toBe(events.length);
    for (const decision of expected) {
      const event = byUid.get(`decision-${decision.id}-call-in@stockton-on-tees.resolved`)!;
      expect(event, `decision ${decision.id}`).toBeDefined();
      const cutoff = new Date(decision.callInCutoff!).toISOString().replace(/[-:]/g, "").replace(".000", "");
      expect(event.DTEND).toBe(cutoff);
      expect(event.DTSTART! < event.DTEND!).toBe(true);
      expect(event.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
    }
    const zebra = byUid.get(`decision-${seeded.extra.zebraTitle}-call-in@stockton-on-tees.resolved`)!;
    expect(zebra.DTEND).toBe("20261127T000000Z");
    expect(zebra.SUMMARY).toBe("Call-in closes: Zebra Crossings Programme 2027");
    const formula = byUid.get(`decision-${seeded.extra.formula}-call-in@stockton-on-tees.resolved`)!;
    expect(formula.SUMMARY).toBe(
      'Call-in closes: =HYPERLINK("http://example.com/x"\\,"Click here")\\, for\\; the "Record"',
    );
    // Stable: the same calendar twice.
    const second = await get("/call-in.ics");
    expect(second.body).toBe(text);
    expect((await get("/call-in.ics", { "if-none-match": second.headers.etag as string })).statusCode).toBe(
      304,
    );
  });

  it("takes the filters", async () => {
    const text = (await get("/call-in.ics?q=zebra")).body;
    expect(text.match(/BEGIN:VEVENT/g)?.length).toBe(2);
    expect((await get("/call-in.ics?callIn=no")).body).not.toContain("BEGIN:VEVENT");
  });

  it("escapes text and folds without splitting a character", () => {
    expect(icsText("a;b,c\\d\ne")).toBe("a\\;b\\,c\\\\d\\ne");
    const folded = foldLine(`SUMMARY:${"é".repeat(80)}`);
    const parts = folded.split("\r\n").slice(0, -1);
    for (const part of parts) expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join("")).toBe(`SUMMARY:${"é".repeat(80)}`);
    expect(folded.endsWith("\r\n")).toBe(true);
  });
});

it("the seeded records include HTML and formula text", () => {
  expect(EXTRA_RECORDS.script).toContain("<script>");
});
