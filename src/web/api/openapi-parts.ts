import { z } from "zod";
import type { API_COMPONENTS } from "./schemas.js";
import type { COMMITMENT_COMPONENTS } from "./commitment-schemas.js";
import type { STRATEGY_UPDATE_COMPONENTS } from "./strategy-update-schemas.js";
import type { STRATEGY_COMPONENTS } from "./strategy-schemas.js";
import type { WRITE_COMPONENTS } from "./write-schemas.js";

/**
 * The pieces the OpenAPI document (openapi.ts) is built from: its types, JSON Schema from zod, references to
 * components, and the shapes of a read operation and of a write (token, roles, the errors a write answers).
 */

export type JsonSchema = Record<string, unknown>;

export interface OpenApiParameter {
  name: string;
  in: "query" | "path";
  required: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}

export interface OpenApiOperation {
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

export type HttpMethod = "get" | "post" | "patch" | "put" | "delete";

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
export function clean(value: unknown): unknown {
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

export function queryParameters(schema: z.ZodObject, names: readonly string[]): OpenApiParameter[] {
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

export type ComponentName =
  | keyof typeof API_COMPONENTS
  | keyof typeof WRITE_COMPONENTS
  | keyof typeof STRATEGY_COMPONENTS
  | keyof typeof COMMITMENT_COMPONENTS
  | keyof typeof STRATEGY_UPDATE_COMPONENTS;

export const ref = (name: ComponentName) => ({
  $ref: `#/components/schemas/${name}`,
});

export const CACHE_HEADERS = {
  ETag: { $ref: "#/components/headers/ETag" },
  "Cache-Control": { $ref: "#/components/headers/Cache-Control" },
};

export function jsonResponse(description: string, schema: ComponentName) {
  return { description, headers: CACHE_HEADERS, content: { "application/json": { schema: ref(schema) } } };
}

export function fileResponse(description: string, mediaType: string) {
  return { description, headers: CACHE_HEADERS, content: { [mediaType]: { schema: { type: "string" } } } };
}

export const ERRORS = {
  "304": { description: "Not modified: the ETag given in If-None-Match is still current." },
  "400": {
    description: "A parameter is not valid: error.field names it, error.message says what to give instead.",
    content: { "application/json": { schema: ref("Error") } },
  },
};

export const NOT_FOUND = {
  "404": {
    description: "No such thing (drafts are not public).",
    content: { "application/json": { schema: ref("Error") } },
  },
};

export const idParameter: OpenApiParameter = {
  name: "id",
  in: "path",
  required: true,
  description: "The decision's number, or the council's record id (\"D080067\"; URL-encode a slash as %2F).",
  schema: { type: "string" },
  example: "1",
};

export function operation(
  operationId: string,
  tag: string,
  summary: string,
  description: string,
  parameters: OpenApiParameter[],
  responses: Record<string, unknown>,
): { get: OpenApiOperation } {
  return { get: { operationId, summary, description, tags: [tag], parameters, responses } };
}

// ---------------------------------------------------------------------------------------------------------
// Writing: API tokens, roles

export const WRITE_ERRORS = {
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

export function write(
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

export const numericId = (name: string, description: string): OpenApiParameter => ({
  name,
  in: "path",
  required: true,
  description,
  schema: { type: "integer", minimum: 1 },
  example: 1,
});

/** Both sets of paths; a path that is read and written has both operations. */
export function mergePaths(...sets: OpenApiDocument["paths"][]): OpenApiDocument["paths"] {
  const merged: OpenApiDocument["paths"] = {};
  for (const set of sets) {
    for (const [path, item] of Object.entries(set)) merged[path] = { ...merged[path], ...item };
  }
  return merged;
}
