import { API_PREFIX } from "./present.js";
import type { HttpMethod, JsonSchema, OpenApiDocument, OpenApiOperation } from "./openapi-parts.js";

/** The OpenAPI document (openapi.ts) as the /api/docs page shows it. */

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
