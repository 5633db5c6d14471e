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
import { COMMITMENT_COMPONENTS, commitmentQuerySchema } from "./commitment-schemas.js";

/**
 * The OpenAPI 3.1 document of the open data, served at /api/openapi.json and rendered as /api/docs. Generated
 * from the zod schemas: the request parameters from the schemas that validate them (src/web/shared/decision-query.ts,
 * meetingQuerySchema), the response components from src/web/api/schemas.ts, so the document cannot drift from
 * what the service accepts and answers.
 */

type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: "query" | "path";
  required: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}

interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
  /** The roles an API token's account needs (our extension, shown on /api/docs). */
  "x-roles"?: string[];
}

type HttpMethod = "get" | "post" | "patch" | "put";

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: Record<string, unknown>;
  servers: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    headers: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/** Drops what does not belong in an OpenAPI component, and the long date patterns zod adds beside `format`. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== "object") return value;
  const object = value as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, inner] of Object.entries(object)) {
    if (key === "$schema" || key === "$id") continue;
    if (key === "pattern" && (object.format === "date" || object.format === "date-time")) continue;
    out[key] = clean(inner);
  }
  return out;
}

/** The JSON Schema of each property of a zod object schema, as requests give it (io: input). */
export function parameterSchemas(schema: z.ZodObject): Record<string, JsonSchema> {
  const json = clean(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" })) as {
    properties?: Record<string, JsonSchema>;
  };
  return json.properties ?? {};
}

function queryParameters(schema: z.ZodObject, names: readonly string[]): OpenApiParameter[] {
  const properties = parameterSchemas(schema);
  return names.map((name) => {
    const { description, examples, ...rest } = (properties[name] ?? {}) as JsonSchema & {
      description?: string;
      examples?: unknown[];
    };
    const parameter: OpenApiParameter = {
      name,
      in: "query",
      required: false,
      description: description ?? "",
      schema: rest,
    };
    if (Array.isArray(examples) && examples.length > 0) parameter.example = examples[0];
    return parameter;
  });
}

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

type ComponentName =
  | keyof typeof API_COMPONENTS
  | keyof typeof WRITE_COMPONENTS
  | keyof typeof STRATEGY_COMPONENTS
  | keyof typeof COMMITMENT_COMPONENTS;

const ref = (name: ComponentName) => ({
  $ref: `#/components/schemas/${name}`,
});

const CACHE_HEADERS = {
  ETag: { $ref: "#/components/headers/ETag" },
  "Cache-Control": { $ref: "#/components/headers/Cache-Control" },
};

function jsonResponse(description: string, schema: ComponentName) {
  return { description, headers: CACHE_HEADERS, content: { "application/json": { schema: ref(schema) } } };
}

function fileResponse(description: string, mediaType: string) {
  return { description, headers: CACHE_HEADERS, content: { [mediaType]: { schema: { type: "string" } } } };
}

const ERRORS = {
  "304": { description: "Not modified: the ETag given in If-None-Match is still current." },
  "400": {
    description: "A parameter is not valid: error.field names it, error.message says what to give instead.",
    content: { "application/json": { schema: ref("Error") } },
  },
};

const NOT_FOUND = {
  "404": {
    description: "No such thing (drafts are not public).",
    content: { "application/json": { schema: ref("Error") } },
  },
};

const idParameter: OpenApiParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The decision's number, or the council's record id (\"D080067\"; URL-encode a slash as %2F).",
  schema: { type: "string" },
  example: "1",
};

function operation(
  operationId: string,
  tag: string,
  summary: string,
  description: string,
  parameters: OpenApiParameter[],
  responses: Record<string, unknown>,
): { get: OpenApiOperation } {
  return { get: { operationId, summary, description, tags: [tag], parameters, responses } };
}

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({
    ...API_COMPONENTS,
    ...WRITE_COMPONENTS,
    ...STRATEGY_COMPONENTS,
    ...COMMITMENT_COMPONENTS,
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
      commitmentPaths(),
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

// ---------------------------------------------------------------------------------------------------------
// Writing: API tokens, roles

const WRITE_ERRORS = {
  "400": {
    description:
      'A field is not valid: error.field names it ("outcomes.0.kind"), error.message says what to give.',
    content: { "application/json": { schema: ref("Error") } },
  },
  "401": {
    description: "No API token, or one that is unknown or revoked.",
    content: { "application/json": { schema: ref("Error") } },
  },
  "403": {
    description: "The token's account does not have the role this needs.",
    content: { "application/json": { schema: ref("Error") } },
  },
  "404": {
    description: "No such decision, draft or meeting.",
    content: { "application/json": { schema: ref("Error") } },
  },
  "409": {
    description:
      "The decision's state does not allow it (a published record, a closed call-in window, signed already).",
    content: { "application/json": { schema: ref("Error") } },
  },
};

function write(
  method: HttpMethod,
  operationId: string,
  roles: string[],
  summary: string,
  description: string,
  parameters: OpenApiParameter[],
  body: keyof typeof WRITE_COMPONENTS | keyof typeof STRATEGY_COMPONENTS | null,
  response: {
    status: "200" | "201";
    description: string;
    schema: ComponentName;
  },
): Partial<Record<HttpMethod, OpenApiOperation>> {
  return {
    [method]: {
      operationId,
      summary,
      description: `${description} Needs an API token of an account with the role: ${roles.join(" or ")}.`,
      tags: ["Writing"],
      parameters,
      ...(body && {
        requestBody: { required: true, content: { "application/json": { schema: ref(body) } } },
      }),
      responses: {
        [response.status]: {
          description: response.description,
          content: { "application/json": { schema: ref(response.schema) } },
        },
        ...WRITE_ERRORS,
      },
      security: [{ apiToken: [] }],
      "x-roles": roles,
    },
  };
}

const numericId = (name: string, description: string): OpenApiParameter => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "integer", minimum: 1 },
  example: 1,
});

/** Both sets of paths; a path that is read and written has both operations. */
function mergePaths(...sets: OpenApiDocument["paths"][]): OpenApiDocument["paths"] {
  const merged: OpenApiDocument["paths"] = {};
  for (const set of sets) {
    for (const [path, item] of Object.entries(set)) merged[path] = { ...merged[path], ...item };
  }
  return merged;
}

function commitmentPaths(): OpenApiDocument["paths"] {
  const commitment = numericId("id", "The commitment's number.");
  const verdict = (
    operationId: string,
    summary: string,
    description: string,
  ): Partial<Record<HttpMethod, OpenApiOperation>> => {
    const op = write("post", operationId, ["officer"], summary, description, [commitment], null, {
      status: "200",
      description: "The commitment's status after the verdict.",
      schema: "FulfilmentResult",
    });
    op.post!.tags = ["Commitments"];
    op.post!.requestBody = {
      required: true,
      content: { "application/json": { schema: ref("FulfilmentRequest") } },
    };
    return op;
  };
  return {
    [`${API_PREFIX}/decisions/{id}/commitments`]: operation(
      "listDecisionCommitments",
      "Commitments",
      "A decision's commitments",
      "What the record promised, in its order: each with its due quarter (and the words it was worked out from), " +
        "its status (overdue: open past its due quarter), the decision that fulfilled it, and for an open one the " +
        "later decisions of the same council that may fulfil it, best first.",
      [idParameter],
      { "200": jsonResponse("The decision's commitments.", "DecisionCommitments"), ...ERRORS, ...NOT_FOUND },
    ),
    [`${API_PREFIX}/commitments`]: operation(
      "listCommitments",
      "Commitments",
      "Commitments across the register",
      "Earliest due first; status=overdue lists every open commitment whose due quarter has ended.",
      queryParameters(commitmentQuerySchema, Object.keys(commitmentQuerySchema.shape)),
      { "200": jsonResponse("The commitments.", "CommitmentList"), ...ERRORS },
    ),
    [`${API_PREFIX}/commitments/{id}/fulfilment`]: verdict(
      "confirmFulfilment",
      "Confirm the decision that fulfilled a commitment",
      "Marks the commitment done, fulfilled by the decision (a later published decision of the same council); audited.",
    ),
    [`${API_PREFIX}/commitments/{id}/rejections`]: verdict(
      "rejectFulfilment",
      "Reject a suggested fulfilment",
      "Records that the decision does not fulfil the commitment: it is never suggested for it again; audited.",
    ),
  };
}

function writePaths(): OpenApiDocument["paths"] {
  const decision = numericId("id", "The decision's number.");
  const drafting = ["officer"];
  const meetings = ["officer", "proper-officer"];
  const readingDrafts = ["officer", "proper-officer", "scrutiny-chair"];
  return {
    [`${API_PREFIX}/meetings`]: {
      ...write(
        "post",
        "createMeeting",
        meetings,
        "Record a meeting",
        "A meeting of one of the council's bodies, so that decisions can be drafted under it.",
        [],
        "NewMeeting",
        { status: "201", description: "The meeting, with its id.", schema: "MeetingCreated" },
      ),
    },
    [`${API_PREFIX}/meetings/{id}/agenda-items`]: write(
      "post",
      "addAgendaItem",
      meetings,
      "Add an item to a meeting's agenda",
      "At the end of the agenda; decisions can then be drafted under it (agendaItemId).",
      [numericId("id", "The meeting's number.")],
      "NewAgendaItem",
      {
        status: "201",
        description: "The agenda item, with its id and position.",
        schema: "AgendaItemCreated",
      },
    ),
    [`${API_PREFIX}/drafts`]: write(
      "get",
      "listDrafts",
      readingDrafts,
      "The council's drafts",
      "Drafts are never public.",
      [],
      null,
      { status: "200", description: "The drafts, most recently changed first.", schema: "Draft" },
    ),
    [`${API_PREFIX}/drafts/{id}`]: write(
      "get",
      "getDraft",
      readingDrafts,
      "One draft",
      "The draft's record and facts.",
      [numericId("id", "The draft's number.")],
      null,
      { status: "200", description: "The draft.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions`]: write(
      "post",
      "createDraft",
      drafting,
      "Draft a decision record",
      "A record in the interchange format (as `resolved parse --json` prints it, without source), plus meetingId, or body and meetingDate for a decision by an executive member or officer with no meeting. declarations are picked from the body's members on the date (personId, category, nature).",
      [],
      "NewDraft",
      { status: "201", description: "The draft, with its id and status draft.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions/{id}`]: write(
      "patch",
      "updateDraft",
      drafting,
      "Change a draft",
      "Only the fields given change. Drafts only: a published record changes by a correction.",
      [decision],
      "DraftChange",
      { status: "200", description: "The draft as changed.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions/{id}/publish`]: write(
      "post",
      "publishDecision",
      ["proper-officer"],
      "Publish a draft",
      "Stamps the publication date (default today), signs the record with the Proper Officer's name and works out the call-in deadline from the council's rule (Not applicable for a recommendation to Council or an urgent decision, which needs the scrutiny chair's consent first).",
      [decision],
      "Publish",
      { status: "200", description: "The published decision, with its call-in window.", schema: "Decision" },
    ),
    [`${API_PREFIX}/decisions/{id}/corrections`]: write(
      "post",
      "correctDecision",
      drafting,
      "Correct a published record",
      "The whole corrected record and the reason: a new version.",
      [decision],
      "Correction",
      { status: "201", description: "The new version.", schema: "VersionCreated" },
    ),
    [`${API_PREFIX}/decisions/{id}/urgency-consent`]: write(
      "post",
      "consentToUrgency",
      ["scrutiny-chair"],
      "Consent to an urgent draft",
      "The scrutiny chair agrees that the draft is urgent and cannot wait for call-in.",
      [decision],
      null,
      { status: "200", description: "The draft, with the consent.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions/{id}/call-in-requests`]: write(
      "post",
      "startCallInRequest",
      ["councillor"],
      "Start a call-in request",
      "The councillor is its first signatory. It becomes valid, and the decision called in, the moment the council's minimum number of councillors have signed before the cutoff.",
      [decision],
      "NewCallInRequest",
      {
        status: "201",
        description: "The request, with its signatures and validity.",
        schema: "CallInRequest",
      },
    ),
    [`${API_PREFIX}/decisions/{id}/call-in-requests/{rid}/signatures`]: write(
      "post",
      "signCallInRequest",
      ["councillor"],
      "Sign a call-in request",
      "Another councillor adds their signature.",
      [decision, numericId("rid", "The request's number.")],
      null,
      {
        status: "201",
        description: "The request, with its signatures and validity.",
        schema: "CallInRequest",
      },
    ),
    [`${API_PREFIX}/decisions/{id}/scrutiny-outcome`]: write(
      "post",
      "recordScrutinyOutcome",
      ["scrutiny-chair"],
      "Record the outcome of scrutiny",
      "For a decision that was called in: confirmed, referred back to the decision maker, or referred to full Council.",
      [decision],
      "ScrutinyOutcome",
      { status: "200", description: "The decision, with its status now.", schema: "Decision" },
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Strategies and KPIs (src/web/api/strategy-routes.ts)

function strategyPaths(): OpenApiDocument["paths"] {
  const code: OpenApiParameter = {
    name: "code",
    in: "path",
    required: true,
    description: 'The KPI\'s code ("CS01"), as the strategy gives it.',
    schema: { type: "string" },
    example: "CS01",
  };
  const officers = ["officer"];
  return {
    [`${API_PREFIX}/strategies`]: {
      ...operation(
        "listStrategies",
        "Strategies and KPIs",
        "Strategies",
        "The council's strategies, newest period first, each with its id, slug, period and the decision that agreed it.",
        [],
        { "200": jsonResponse("The strategies.", "StrategyList") },
      ),
      ...write(
        "post",
        "createStrategy",
        officers,
        "Create a strategy",
        "A strategy with its priorities and their KPIs, as `resolved strategy import` reads it. A period's ends are financial years (\"2017-18\") or dates; agreedBy is the decision's number or record id.",
        [],
        "NewStrategy",
        { status: "201", description: "The strategy, with its id and slug.", schema: "Strategy" },
      ),
    },
    [`${API_PREFIX}/strategies/{id}`]: operation(
      "getStrategy",
      "Strategies and KPIs",
      "One strategy",
      "Its priorities, and under each its KPIs with every quarter's figures, RAG and directions of travel, and the council's RAG rule.",
      [{ ...idParameter, description: "The strategy's number or slug.", example: "1" }],
      { "200": jsonResponse("The strategy.", "Strategy"), ...ERRORS, ...NOT_FOUND },
    ),
    [`${API_PREFIX}/kpis/{code}`]: operation(
      "getKpi",
      "Strategies and KPIs",
      "One KPI",
      "Every quarter's actual and target, oldest first, with its RAG and its direction against the quarter before and the same quarter a year before.",
      [code],
      { "200": jsonResponse("The KPI.", "Kpi"), ...ERRORS, ...NOT_FOUND },
    ),
    [`${API_PREFIX}/kpis/{code}/values/{period}`]: write(
      "put",
      "setKpiValue",
      officers,
      "Enter a quarter's figures",
      "The actual, the target and commentary of one quarter; a field left out keeps what is stored.",
      [
        code,
        {
          name: "period",
          in: "path",
          required: true,
          description: 'The financial quarter, "2017-18 Q2" (URL-encode the space: 2017-18%20Q2).',
          schema: { type: "string" },
          example: "2017-18%20Q2",
        },
      ],
      "KpiValueInput",
      { status: "200", description: "The KPI with every quarter.", schema: "Kpi" },
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// For the docs page

export interface DocsOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  parameters: Array<{
    name: string;
    where: string;
    required: boolean;
    type: string;
    description: string;
    example: string;
  }>;
  example: string;
  mediaTypes: string[];
  /** The roles a write needs (empty: open to all, no token). */
  roles: string[];
  /** The request body's component name, for writes. */
  body: string | null;
}

function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of: ${(schema.enum as unknown[]).join(", ")}`;
  if (schema.format === "date") return "date (YYYY-MM-DD)";
  if (schema.type === "integer") {
    const range =
      schema.minimum !== undefined && schema.maximum !== undefined
        ? ` from ${String(schema.minimum)} to ${String(schema.maximum)}`
        : schema.minimum !== undefined
          ? ` from ${String(schema.minimum)}`
          : "";
    return `whole number${range}`;
  }
  if (schema.type === "string" && typeof schema.maxLength === "number") {
    return `text (up to ${schema.maxLength} characters)`;
  }
  return typeof schema.type === "string" ? (schema.type === "string" ? "text" : schema.type) : "text";
}

/** The operations of the document, in order, with an example request each, for /api/docs. */
export function docsOperations(document: OpenApiDocument): DocsOperation[] {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    (Object.entries(item) as [HttpMethod, OpenApiOperation][]).map(([method, op]) => ({ path, method, op })),
  );
  return operations.map(({ path, method, op }) => {
    let example = path;
    const query = new URLSearchParams();
    for (const parameter of op.parameters) {
      if (parameter.in === "path") {
        example = example.replace(`{${parameter.name}}`, String(parameter.example ?? "1"));
      } else if (
        parameter.example !== undefined &&
        ["q", "status", "from", "body"].includes(parameter.name)
      ) {
        query.set(parameter.name, String(parameter.example));
      }
    }
    if (method !== "get") {
      // A write's example is its path; the README shows whole requests with curl.
    } else if (query.size > 0 && !path.startsWith(`${API_PREFIX}/meetings`))
      example += `?${query.toString()}`;
    else if (path === `${API_PREFIX}/meetings`) example += "?body=Cabinet";
    const ok = (op.responses["200"] ?? {}) as { content?: Record<string, unknown> };
    return {
      id: op.operationId,
      method: method.toUpperCase(),
      path,
      roles: op["x-roles"] ?? [],
      body: bodyComponent(op),
      summary: op.summary,
      description: op.description,
      tag: op.tags[0] ?? "",
      parameters: op.parameters.map((p) => ({
        name: p.name,
        where: p.in,
        required: p.required,
        type: describeType(p.schema),
        description: p.description,
        example: p.example === undefined ? "" : String(p.example),
      })),
      example,
      mediaTypes: Object.keys(ok.content ?? {}),
    };
  });
}

function bodyComponent(op: OpenApiOperation): string | null {
  const schema = op.requestBody?.content["application/json"]?.schema as { $ref?: string } | undefined;
  return schema?.$ref?.split("/").pop() ?? null;
}
