import { csvCell } from "../../domain/csv-cell.js";
import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { formatCallInClose } from "../../domain/decision-status.js";
import { startOfUkDay, toUkIsoString } from "../../domain/uk-time.js";
import {
  CALL_IN_CALENDAR_PAST_DAYS,
  listCallInCutoffs,
  MAX_PAGE_SIZE,
  searchDecisions,
  type SearchItem,
  type SearchResult,
} from "../../services/search/index.js";
import { formatIsoDate } from "../server/view-environment.js";
import { decisionQueryParams, parseDecisionQuery, type DecisionQuery } from "../shared/decision-query.js";
import { enableCors } from "../shared/http-caching.js";
import { registerResponses } from "../shared/register-responses.js";
import { xmlText as xmlContent } from "../../domain/xml-text.js";
import type { RoutePlugin } from "../route-plugin.js";

/**
 * Feeds and bulk downloads. Each takes the query parameters of /decisions, so any search can be followed or
 * downloaded:
 *
 *   GET /decisions.atom    Atom 1.0: an entry per decision, newest first (unless sort is given), 50 a page
 *   GET /decisions.csv     every match, one row each (RFC 4180, UTF-8 with a byte order mark)
 *   GET /decisions.jsonl   every match's record (interchange format), one per line, streamed
 *   GET /call-in.ics       iCalendar: an event ending at each call-in cutoff to come (or in the last 60 days)
 *
 * Everything a council wrote is escaped for the format it goes into; CSV cells a spreadsheet would take for a
 * formula are defused. CORS is open, as for the API; the Atom feed and the calendar carry an ETag and a
 * Cache-Control bounded by the next status change.
 */

const FEED_PATHS = ["/decisions.atom", "/decisions.csv", "/decisions.jsonl", "/call-in.ics"] as const;
const ATOM_PAGE_SIZE = 50;
const FEED_CACHE_BYTES = 16 * 2 ** 20;

export const feedRoutes: RoutePlugin = async (app, deps) => {
  enableCors(app, FEED_PATHS);
  const db = () => deps.database.db;
  // Kept in memory until the register changes (register-responses.ts); a download larger than a quarter of
  // this is streamed each time.
  const serve = registerResponses(deps, { maxBytes: FEED_CACHE_BYTES });

  app.get("/decisions.atom", async (request, reply) => {
    const query = parseDecisionQuery(request.query);
    const base = origin(request);
    return serve(request, reply, `atom ${base} ${JSON.stringify(query)}`, async (at) => {
      // A feed is followed for what is new: newest first, unless a sort is asked for.
      const sort = query.sortGiven ? query.sort : "date";
      const result = await searchDecisions(
        db(),
        { ...query, sort, cursor: undefined, limit: ATOM_PAGE_SIZE },
        at,
        { snippets: false },
      );
      return {
        body: atomFeed(base, query, result),
        contentType: "application/atom+xml; charset=utf-8",
        changesAt: result.nextStatusChange,
        http: { etag: true },
      };
    });
  });

  app.get("/call-in.ics", async (request, reply) => {
    const query = parseDecisionQuery(request.query);
    const base = origin(request);
    return serve(request, reply, `ics ${base} ${JSON.stringify(query)}`, async (at) => {
      const { items, nextStatusChange } = await listCallInCutoffs(db(), query, at);
      // The calendar keeps cutoffs of the last CALL_IN_CALENDAR_PAST_DAYS: the oldest leaves it by itself.
      const oldest = Math.min(
        ...items.map((item) => Date.parse(item.callInCutoff ?? "")).filter(Number.isFinite),
      );
      const leaves = oldest + CALL_IN_CALENDAR_PAST_DAYS * 86_400_000;
      const changes = Math.min(nextStatusChange?.getTime() ?? Infinity, leaves);
      return {
        body: callInCalendar(base, items),
        contentType: "text/calendar; charset=utf-8",
        changesAt: Number.isFinite(changes) ? new Date(changes) : null,
        http: { etag: true },
      };
    });
  });

  app.get("/decisions.csv", async (request, reply) => {
    const base = origin(request);
    return streamAll(request, reply, "text/csv; charset=utf-8; header=present", "decisions.csv", {
      head: `\uFEFF${csvRow(CSV_COLUMNS.map((column) => column.name))}`,
      line: (item) => csvRow(CSV_COLUMNS.map((column) => column.value(item, base))),
      records: false,
    });
  });

  app.get("/decisions.jsonl", async (request, reply) => {
    const base = origin(request);
    return streamAll(request, reply, "application/x-ndjson; charset=utf-8", "decisions.jsonl", {
      head: "",
      line: (item) =>
        `${JSON.stringify({
          ...item.record,
          id: item.id,
          status: item.status,
          url: `${base}/decisions/${item.id}`,
        })}\n`,
      records: true,
    });
  });

  interface StreamFormat {
    head: string;
    line: (item: SearchItem) => string;
    records: boolean;
  }

  /**
   * Every match, a batch at a time (cursor pages), written as it is read. The first batch is read before the
   * answer starts, so a bad query is a 400 and not a broken download.
   */
  async function streamAll(
    request: FastifyRequest,
    reply: FastifyReply,
    contentType: string,
    fileName: string,
    format: StreamFormat,
  ) {
    const query = parseDecisionQuery(request.query);
    const key = `${fileName} ${origin(request)} ${JSON.stringify(query)}`;
    return serve(request, reply, key, async (at) => {
      const search = (cursor: string | undefined) =>
        searchDecisions(db(), { ...query, page: undefined, cursor, limit: MAX_PAGE_SIZE }, at, {
          snippets: false,
          count: false,
          records: format.records,
        });
      const first = await search(undefined);
      const log = request.log;
      async function* lines(): AsyncGenerator<string> {
        if (format.head) yield format.head;
        let page: SearchResult = first;
        for (;;) {
          let chunk = "";
          for (const item of page.items) chunk += format.line(item);
          if (chunk) yield chunk;
          if (!page.nextCursor) return;
          try {
            page = await search(page.nextCursor);
          } catch (error) {
            log.error({ err: error }, "a download stopped part way");
            throw error;
          }
        }
      }
      return {
        body: lines(),
        contentType,
        changesAt: first.nextStatusChange,
        http: { etag: false },
        headers: { "content-disposition": `attachment; filename="${fileName}"` },
      };
    });
  }
};

// ---------------------------------------------------------------------------------------------------------
// Shared

/** This site's address as the request reached it, for the absolute links feeds need. */
function origin(request: FastifyRequest): string {
  const host = request.host;
  const safeHost = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(host)
    ? host
    : "localhost";
  return `${request.protocol === "https" ? "https" : "http"}://${safeHost}`;
}

/** Text a council wrote, as one line: runs of white space (line breaks included) become one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function outcomeText(item: SearchItem): string {
  return oneLine(
    item.outcomes
      .map((o) => [o.kind, o.text, ...o.items.map((text, i) => `${i + 1}. ${text}`)].join(" "))
      .join(" "),
  );
}

/** A name-based UUID (version 5, SHA-1): the same name always gives the same id, whatever the host. */
export function uuidFor(name: string): string {
  const bytes = createHash("sha1").update(`resolved:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------------------
// CSV (RFC 4180)

interface CsvColumn {
  name: string;
  value: (item: SearchItem, origin: string) => string;
}

const yesNo = (value: boolean | null) => (value === null ? "" : value ? "yes" : "no");

const CSV_COLUMNS: CsvColumn[] = [
  { name: "id", value: (item) => String(item.id) },
  { name: "record_id", value: (item) => item.recordId ?? "" },
  { name: "title", value: (item) => item.title },
  { name: "decision_maker", value: (item) => item.body },
  { name: "council", value: (item) => item.council.name },
  { name: "meeting_date", value: (item) => item.meetingDate },
  { name: "published_on", value: (item) => item.publishedOn ?? "" },
  { name: "status", value: (item) => item.status ?? "" },
  { name: "status_label", value: (item) => item.statusLabel ?? "" },
  { name: "subject_to_call_in", value: (item) => yesNo(item.subjectToCallIn) },
  { name: "call_in_cutoff", value: (item) => item.callInCutoff ?? "" },
  { name: "key_decision", value: (item) => yesNo(item.keyDecision) },
  { name: "decision", value: (item) => outcomeText(item) },
  { name: "version", value: (item) => String(item.currentVersion) },
  { name: "updated_at", value: (item) => toUkIsoString(item.updatedAt) },
  { name: "url", value: (item, base) => `${base}/decisions/${item.id}` },
];

export function csvRow(values: readonly string[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Atom (RFC 4287)

/** Text for Atom: escaped as any XML text is (src/domain/xml-text.ts), apostrophes too. */
export function xmlText(text: string): string {
  return xmlContent(text).replace(/'/g, "&apos;");
}

const EPOCH = "2000-01-01T00:00:00+00:00";

function atomFeed(base: string, query: DecisionQuery, result: SearchResult): string {
  // The feed's own sort is date, so a sort asked for stays in its links even when it is the page's default.
  const fixed = { cursor: undefined, limit: undefined, sort: query.sortGiven ? query.sort : undefined };
  const params = decisionQueryParams(query, { ...fixed, page: undefined });
  const search = params.toString();
  const pageParams = (page: number) => decisionQueryParams(query, { ...fixed, page }).toString();
  const href = (path: string, text: string) => xmlText(`${base}${path}${text ? `?${text}` : ""}`);
  const updated = result.items.reduce<Date | null>(
    (latest, item) => (latest === null || item.updatedAt > latest ? item.updatedAt : latest),
    null,
  );
  const council = result.items[0]?.council.name;
  const described = [
    query.q !== undefined ? `matching “${query.q}”` : "",
    query.body !== undefined ? `by ${query.body}` : "",
    query.from !== undefined ? `from ${formatIsoDate(query.from)}` : "",
    query.to !== undefined ? `to ${formatIsoDate(query.to)}` : "",
    query.status !== undefined ? `status ${query.status}` : "",
    query.callIn !== undefined
      ? query.callIn === "yes"
        ? "subject to call-in"
        : "not subject to call-in"
      : "",
    query.key !== undefined ? (query.key === "yes" ? "key decisions" : "not key decisions") : "",
  ]
    .filter(Boolean)
    .join(", ");
  const title = `Decisions${described ? ` ${described}` : ""}${council ? ` – ${council}` : ""}`;
  const selfParams = query.page > 1 ? pageParams(query.page) : search;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${xmlText(title)}</title>`,
    `  <id>urn:uuid:${uuidFor(`feed:decisions?${search}`)}</id>`,
    `  <updated>${updated ? toUkIsoString(updated) : EPOCH}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${href("/decisions.atom", selfParams)}"/>`,
    `  <link rel="alternate" type="text/html" href="${href("/decisions", search)}"/>`,
    `  <link rel="first" href="${href("/decisions.atom", search)}"/>`,
    ...(query.page > 1
      ? [`  <link rel="previous" href="${href("/decisions.atom", pageParams(query.page - 1))}"/>`]
      : []),
    ...(result.nextCursor
      ? [`  <link rel="next" href="${href("/decisions.atom", pageParams(query.page + 1))}"/>`]
      : []),
    `  <author><name>${xmlText(council ?? "Resolved")}</name></author>`,
    "  <generator>Resolved</generator>",
  ];
  for (const item of result.items) {
    const summary = outcomeText(item);
    lines.push(
      "  <entry>",
      `    <title>${xmlText(item.title)}</title>`,
      `    <id>urn:uuid:${uuidFor(`decision:${item.council.slug}:${item.id}`)}</id>`,
      `    <link rel="alternate" type="text/html" href="${href(`/decisions/${item.id}`, "")}"/>`,
      `    <updated>${toUkIsoString(item.updatedAt)}</updated>`,
      ...(item.publishedOn
        ? [`    <published>${toUkIsoString(startOfUkDay(item.publishedOn))}</published>`]
        : []),
      `    <author><name>${xmlText(item.body)}</name></author>`,
      ...(item.status
        ? [
            `    <category term="${xmlText(item.status)}" label="${xmlText(item.statusLabel ?? item.status)}"/>`,
          ]
        : []),
      `    <summary type="text">${xmlText(summary)}</summary>`,
      "  </entry>",
    );
  }
  lines.push("</feed>", "");
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// iCalendar (RFC 5545)

/** How long before the cutoff each event starts: an event ending at the cutoff shows on the right day. */
const EVENT_MINUTES = 30;

function icsInstant(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** TEXT values: backslash, semicolon, comma and line breaks escaped; other control characters dropped. */
export function icsText(text: string): string {
  return (
    text
      .replace(/\r\n|\r|\n/g, "\n")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "")
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\n/g, "\\n")
  );
}

/** Folds a content line at 75 octets (never inside a UTF-8 character); lines end in CRLF. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = 74; // the continuation line's leading space is one of its 75
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return `${parts.join("\r\n ")}\r\n`;
}

function callInCalendar(base: string, items: SearchItem[]): string {
  const council = items[0]?.council.name;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Resolved//Call-in deadlines//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icsText(`Call-in deadlines${council ? ` – ${council}` : ""}`)}`,
    `NAME:${icsText(`Call-in deadlines${council ? ` – ${council}` : ""}`)}`,
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
  ];
  for (const item of items) {
    if (!item.callInCutoff) continue;
    const cutoff = new Date(item.callInCutoff);
    const url = `${base}/decisions/${item.id}`;
    const description = [
      `${item.body} decision of ${formatIsoDate(item.meetingDate)}${item.recordId ? ` (${item.recordId})` : ""}.`,
      `Call-in closes at ${formatCallInClose(cutoff)} (UK time).`,
      item.statusLabel ? `Status: ${item.statusLabel}.` : "",
      url,
    ]
      .filter(Boolean)
      .join("\n");
    lines.push(
      "BEGIN:VEVENT",
      `UID:decision-${item.id}-call-in@${item.council.slug}.resolved`,
      `DTSTAMP:${icsInstant(item.updatedAt)}`,
      `DTSTART:${icsInstant(new Date(cutoff.getTime() - EVENT_MINUTES * 60_000))}`,
      `DTEND:${icsInstant(cutoff)}`,
      `SUMMARY:${icsText(`Call-in closes: ${item.title}`)}`,
      `DESCRIPTION:${icsText(description)}`,
      `URL:${url}`,
      `SEQUENCE:${Math.max(0, item.currentVersion - 1)}`,
      "STATUS:CONFIRMED",
      "TRANSP:TRANSPARENT",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("");
}
