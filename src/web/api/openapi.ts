import { z } from "zod";
import {
  DECISION_QUERY_PARAMETERS,
  decisionQuerySchema,
  type DecisionQueryParameter,
} from "../shared/decision-query.js";
import { API_PREFIX } from "./present.js";
import { API_COMPONENTS, meetingQuerySchema } from "./schemas.js";
import { STRATEGY_COMPONENTS } from "./strategy-schemas.js";
import { WRITE_COMPONENTS } from "./write-schemas.js";
import { COMMITMENT_COMPONENTS } from "./commitment-schemas.js";
import { STRATEGY_UPDATE_COMPONENTS } from "./strategy-update-schemas.js";
import {
  clean,
  ERRORS,
  fileResponse,
  idParameter,
  jsonResponse,
  mergePaths,
  NOT_FOUND,
  operation,
  queryParameters,
  type JsonSchema,
  type OpenApiDocument,
} from "./openapi-parts.js";
import {
  commitmentPaths,
  strategyEditPaths,
  strategyPaths,
  strategyUpdatePaths,
  writePaths,
} from "./openapi-paths.js";
export { docsOperations, type DocsOperation } from "./openapi-docs.js";
export { parameterSchemas, type OpenApiDocument, type OpenApiParameter } from "./openapi-parts.js";

/**
 * The OpenAPI 3.1 document of the open data, served at /api/openapi.json and rendered as /api/docs. Generated
 * from the zod schemas: the request parameters from the schemas that validate them (src/web/shared/decision-query.ts,
 * meetingQuerySchema), the response components from src/web/api/schemas.ts, so the document cannot drift from
 * what the service accepts and answers. The pieces are in openapi-parts.ts, the writes' and the strategies' and
 * commitments' paths in openapi-paths.ts, the docs page's view in openapi-docs.ts.
 */

/** Which of the search parameters each path takes. */
export const DECISION_PATH_PARAMETERS: Readonly<Record<string, readonly DecisionQueryParameter[]>> = {
  [`${API_PREFIX}/decisions`]: DECISION_QUERY_PARAMETERS,
  "/decisions.atom": DECISION_QUERY_PARAMETERS.filter((name) => name !== "cursor" && name !== "limit"),
  "/decisions.csv": DECISION_QUERY_PARAMETERS.filter((name) => !["page", "cursor", "limit"].includes(name)),
  "/decisions.jsonl": DECISION_QUERY_PARAMETERS.filter((name) => !["page", "cursor", "limit"].includes(name)),
  "/call-in.ics": DECISION_QUERY_PARAMETERS.filter(
    (name) => !["page", "cursor", "limit", "sort"].includes(name),
  ),
};

export const MEETING_PATH_PARAMETERS = Object.keys(meetingQuerySchema.shape);

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({
    ...API_COMPONENTS,
    ...WRITE_COMPONENTS,
    ...STRATEGY_COMPONENTS,
    ...COMMITMENT_COMPONENTS,
    ...STRATEGY_UPDATE_COMPONENTS,
  })) {
    registry.add(schema, { id });
  }
  const generated = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: "input",
    unrepresentable: "any",
  });
  return clean(generated.schemas) as Record<string, JsonSchema>;
}

let cached: OpenApiDocument | undefined;

/** The document (built once). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}

function buildDocument(): OpenApiDocument {
  const decisionParameters = (path: string) =>
    queryParameters(decisionQuerySchema, DECISION_PATH_PARAMETERS[path] as readonly string[]);
  return {
    openapi: "3.1.0",
    info: {
      title: "Resolved open data",
      version: "1.0.0",
      summary: "The council's executive decisions, meetings and call-in deadlines, as open data.",
      description:
        "Read-only, no key needed. Every response has a strong ETag (send it back in If-None-Match for a 304) and " +
        "Cache-Control: public, max-age bounded by the next moment a status in it changes by itself (a call-in " +
        "period closing). Cross-origin requests are allowed (Access-Control-Allow-Origin: *). Errors are JSON: " +
        '{ "error": { "status", "code", "message", "field" } }. Decision records use the interchange format of ' +
        "`resolved parse --json` (version 1).",
      license: {
        name: "Open Government Licence v3.0",
        url: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
      },
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "Decisions", description: "Search, filter and read decisions." },
      { name: "Meetings and bodies", description: "Who decided, and when." },
      { name: "Feeds and downloads", description: "Follow a search, or take the whole register." },
      {
        name: "Strategies and KPIs",
        description:
          "The council's strategies, their priorities and KPIs, each quarter's figures rated red, amber or green by the council's rule, with directions of travel.",
      },
      {
        name: "Commitments",
        description:
          'What decisions promised ("The next quarter would see: ...", "a report to Cabinet in December"), when it is due, and the later decision that fulfilled it. Reading is open; officers confirm or reject suggested fulfilments with an API token.',
      },
      {
        name: "Writing",
        description:
          "For the council's own programs and councillors: record meetings, draft, publish and correct decisions, call them in. Needs an API token (Authorization: Bearer rsv_...).",
      },
    ],
    paths: mergePaths(
      {
        [`${API_PREFIX}/decisions`]: operation(
          "listDecisions",
          "Decisions",
          "Search and list decisions",
          "The same search as the decisions page: words in q, filters, and a sort order. Pages are walked with " +
            "links.next (a cursor), or with page and limit.",
          decisionParameters(`${API_PREFIX}/decisions`),
          { "200": jsonResponse("A page of decisions.", "DecisionList"), ...ERRORS },
        ),
        [`${API_PREFIX}/decisions/{id}`]: operation(
          "getDecision",
          "Decisions",
          "One decision",
          "The record of the current version, with its status now, its call-in window (and how it was worked out) " +
            "and its versions.",
          [idParameter],
          { "200": jsonResponse("The decision.", "Decision"), ...ERRORS, ...NOT_FOUND },
        ),
        [`${API_PREFIX}/decisions/{id}/versions/{version}`]: operation(
          "getDecisionVersion",
          "Decisions",
          "One version of a decision's record",
          "Corrections add a version; every version stays readable.",
          [
            idParameter,
            {
              name: "version",
              in: "path",
              required: true,
              description: "The version, from 1.",
              schema: { type: "integer", minimum: 1 },
              example: 1,
            },
          ],
          { "200": jsonResponse("The version.", "DecisionVersion"), ...ERRORS, ...NOT_FOUND },
        ),
        [`${API_PREFIX}/meetings`]: operation(
          "listMeetings",
          "Meetings and bodies",
          "Meetings",
          "Newest first. Pages are walked with links.next.",
          queryParameters(meetingQuerySchema, MEETING_PATH_PARAMETERS),
          { "200": jsonResponse("A page of meetings.", "MeetingList"), ...ERRORS },
        ),
        [`${API_PREFIX}/meetings/{id}`]: operation(
          "getMeeting",
          "Meetings and bodies",
          "One meeting, with its decisions",
          "The decisions filed under the meeting, newest first.",
          [{ ...idParameter, description: "The meeting's number.", schema: { type: "integer", minimum: 1 } }],
          { "200": jsonResponse("The meeting.", "Meeting"), ...ERRORS, ...NOT_FOUND },
        ),
        [`${API_PREFIX}/bodies`]: operation(
          "listBodies",
          "Meetings and bodies",
          "Decision makers",
          "Every body (Cabinet, committees, individual members) with its counts of meetings and public decisions.",
          [],
          { "200": jsonResponse("The bodies.", "BodyList") },
        ),
        "/decisions.atom": operation(
          "decisionsAtom",
          "Feeds and downloads",
          "Atom feed of a search",
          "Any search as a feed: the same parameters as the decisions page, newest first unless sort is given. " +
            "An entry per decision: its page, the outcome as summary, updated when its last version was added.",
          decisionParameters("/decisions.atom"),
          { "200": fileResponse("Atom 1.0.", "application/atom+xml"), ...ERRORS },
        ),
        "/decisions.csv": operation(
          "decisionsCsv",
          "Feeds and downloads",
          "Every matching decision as CSV",
          "RFC 4180, UTF-8 with a byte order mark (so that spreadsheets read it as UTF-8), one row per decision. " +
            "Cells that a spreadsheet would read as a formula (starting with =, +, -, @) begin with an apostrophe.",
          decisionParameters("/decisions.csv"),
          { "200": fileResponse("CSV with a header row.", "text/csv"), ...ERRORS },
        ),
        "/decisions.jsonl": operation(
          "decisionsJsonl",
          "Feeds and downloads",
          "Every matching decision's record, one per line",
          "JSON Lines: each line is a decision record (interchange format) of the current version, with its id, " +
            "status and page. Streamed: suitable for the whole register.",
          decisionParameters("/decisions.jsonl"),
          { "200": fileResponse("JSON Lines.", "application/x-ndjson"), ...ERRORS },
        ),
        "/call-in.ics": operation(
          "callInCalendar",
          "Feeds and downloads",
          "Call-in deadlines as a calendar",
          "iCalendar (RFC 5545): an event ending at each call-in cutoff that is still to come or passed in the last " +
            "60 days, for decisions matching the filters. Subscribe to it in a calendar application.",
          decisionParameters("/call-in.ics"),
          { "200": fileResponse("iCalendar.", "text/calendar"), ...ERRORS },
        ),
        "/decisions/{id}/original": operation(
          "originalDocument",
          "Feeds and downloads",
          "The original document",
          "The document the decision was imported from, byte for byte, with its media type and file name. The " +
            "ETag is its SHA-256. ?version=N gives the original of an earlier version.",
          [
            {
              ...idParameter,
              description: "The decision's number.",
              schema: { type: "integer", minimum: 1 },
            },
            {
              name: "version",
              in: "query",
              required: false,
              description: "The version (default: the current one).",
              schema: { type: "integer", minimum: 1 },
            },
          ],
          { "200": fileResponse("The original bytes.", "application/octet-stream"), ...NOT_FOUND },
        ),
      },
      writePaths(),
      strategyPaths(),
      strategyEditPaths(),
      commitmentPaths(),
      strategyUpdatePaths(),
    ),
    components: {
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          description: "An API token made with `resolved token create EMAIL` (it starts rsv_).",
        },
      },
      schemas: componentSchemas(),
      headers: {
        ETag: { description: "A strong entity tag of the body.", schema: { type: "string" } },
        "Cache-Control": {
          description: "public, max-age=N: never past the next status change of anything in the response.",
          schema: { type: "string" },
        },
      },
    },
  };
}
