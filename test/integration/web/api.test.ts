import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit } from "../../../src/services/audit/audit-log.js";
import { decisionRecordSchema } from "../../../src/domain/decision-record.js";
import { decisionQuerySchema } from "../../../src/web/shared/decision-query.js";
import { commitmentQuerySchema } from "../../../src/web/api/commitment-schemas.js";
import { parameterSchemas, type OpenApiDocument } from "../../../src/web/api/openapi.js";
import {
  bodyListSchema,
  decisionDetailSchema,
  decisionListSchema,
  decisionVersionSchema,
  errorSchema,
  meetingDetailSchema,
  meetingListSchema,
  meetingQuerySchema,
} from "../../../src/web/api/schemas.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";
import { AT, NEXT_CUTOFF, seedRegister, type SeededRegister } from "../search-seed.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
let seeded: SeededRegister;
let now = AT;

beforeAll(async () => {
  await t.resetDatabase();
  seeded = await seedRegister(t.database);
  app = await startTestApp(t.database, () => now);
});

afterAll(async () => {
  await app?.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: "GET", url, headers });

describe("GET /api/v1/decisions", () => {
  it("lists decisions in the documented shape", async () => {
    const response = await get("/api/v1/decisions?limit=100");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const body = decisionListSchema.parse(response.json());
    expect(body.meta).toMatchObject({ total: seeded.all.length, totalExact: true, limit: 100, sort: "date" });
    expect(body.links.next).toBeNull();
    expect(body.data[0]!.links.self).toBe(`/api/v1/decisions/${body.data[0]!.id}`);
  });

  it("searches with the page's parameters", async () => {
    const response = await get(
      "/api/v1/decisions?q=zebra&status=published&callIn=yes&from=2026-11-01&body=cabinet",
    );
    expect(response.statusCode).toBe(200);
    const body = decisionListSchema.parse(response.json());
    expect(body.data.map((d) => d.id)).toEqual([seeded.extra.zebraTitle, seeded.extra.zebraBody]);
    expect(body.data[0]!.titleHtml).toBe("<mark>Zebra</mark> Crossings Programme 2027");
    expect(body.data[1]!.snippet).toContain("<mark>zebra</mark>");
    expect(body.meta.sort).toBe("relevance");
  });

  it("walks every result exactly once through links.next", async () => {
    for (const [query, limit] of [
      ["", 2],
      ["q=council", 2],
      ["q=council&sort=date", 3],
      ["status=effective", 3],
    ] as const) {
      const all = decisionListSchema.parse((await get(`/api/v1/decisions?${query}&limit=100`)).json());
      const seen: number[] = [];
      let url: string | null = `/api/v1/decisions?${query}&limit=${limit}`;
      let pages = 0;
      while (url) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(200);
        const page = decisionListSchema.parse(response.json());
        seen.push(...page.data.map((d) => d.id));
        url = page.links.next;
        pages += 1;
        expect(pages).toBeLessThan(100);
      }
      expect(seen, query).toEqual(all.data.map((d) => d.id));
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it("answers bad parameters with a 400 in JSON naming the parameter", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["from=2024-13-01", "from", /^from: "2024-13-01" is not a date; use YYYY-MM-DD/],
      ["to=yesterday", "to", /is not a date/],
      ["from=2026-12-01&to=2026-11-01", "to", /before the start date/],
      ["page=-1", "page", /^page: "-1" is not a page number/],
      ["page=0", "page", /page number/],
      ["page=1001", "page", /1 to 1000/],
      ["page=1.5", "page", /page number/],
      ["limit=500", "limit", /1 to 100/],
      ["status=draft", "status", /is not a status/],
      ["status=<script>", "status", /is not a status/],
      ["callIn=maybe", "callIn", /is not yes or no/],
      ["key=1", "key", /is not yes or no/],
      ["sort=random", "sort", /date or relevance/],
      ["cursor=xyz", "cursor", /cursor/],
      ["q=a&q=b", "q", /give it once/],
      [`q=${"x".repeat(201)}`, "q", /at most 200/],
    ];
    for (const [query, field, message] of cases) {
      const response = await get(`/api/v1/decisions?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers["content-type"]).toContain("application/json");
      const body = errorSchema.parse(response.json());
      expect(body.error).toMatchObject({ status: 400, code: "validation", field });
      expect(body.error.message, query).toMatch(message);
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["access-control-allow-origin"]).toBe("*");
    }
  });

  it("treats empty parameters as not given", async () => {
    const response = await get(
      "/api/v1/decisions?q=&from=&to=&body=&status=&callIn=&key=&sort=&page=&limit=",
    );
    expect(response.statusCode).toBe(200);
    expect(decisionListSchema.parse(response.json()).meta.total).toBe(seeded.all.length);
  });

  it("takes SQL-looking and unbalanced input as words", async () => {
    for (const q of ["'); drop table decision; --", '"unbalanced', "&|!", "it's", "\\", "%00", "(("]) {
      const response = await get(`/api/v1/decisions?q=${encodeURIComponent(q)}`);
      expect(response.statusCode, q).toBe(200);
      decisionListSchema.parse(response.json());
    }
    expect(decisionListSchema.parse((await get("/api/v1/decisions")).json()).meta.total).toBe(
      seeded.all.length,
    );
  });
});

describe("caching", () => {
  it("gives a strong ETag and answers If-None-Match with 304", async () => {
    const first = await get("/api/v1/decisions?q=zebra");
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await get("/api/v1/decisions?q=zebra", { "if-none-match": etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.etag).toBe(etag);
    expect(
      (await get("/api/v1/decisions?q=zebra", { "if-none-match": `W/${etag}, "other"` })).statusCode,
    ).toBe(304);
    expect((await get("/api/v1/decisions?q=zebra", { "if-none-match": '"other"' })).statusCode).toBe(200);
    const other = await get("/api/v1/decisions?q=quokka", { "if-none-match": etag });
    expect(other.statusCode).toBe(200);
  });

  it("never lets a response be cached past the next call-in cutoff", async () => {
    const maxAge = (response: { headers: Record<string, unknown> }) =>
      Number(/max-age=(\d+)/.exec(String(response.headers["cache-control"]))?.[1]);
    try {
      for (const seconds of [3600, 120, 1]) {
        now = new Date(NEXT_CUTOFF.getTime() - seconds * 1000);
        for (const url of [
          "/api/v1/decisions",
          "/api/v1/decisions?status=published",
          `/api/v1/decisions/${seeded.extra.zebraTitle}`,
          "/decisions.atom",
          "/call-in.ics",
        ]) {
          const response = await get(url);
          expect(response.statusCode, url).toBe(200);
          expect(String(response.headers["cache-control"]), url).toMatch(/^public, max-age=\d+/);
          expect(maxAge(response), url).toBeLessThanOrEqual(seconds);
        }
      }
      // A decision already in effect has nothing scheduled: the ordinary ceiling.
      const effective = seeded.examples[0]!.decisionId;
      expect(maxAge(await get(`/api/v1/decisions/${effective}`))).toBe(300);
    } finally {
      now = AT;
    }
  });
});

describe("CORS", () => {
  it("allows any origin to GET, and answers preflight", async () => {
    const response = await get("/api/v1/decisions", { origin: "https://example.org" });
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.headers["access-control-expose-headers"]).toContain("ETag");
    const preflight = await app.inject({
      method: "OPTIONS",
      url: "/api/v1/decisions?q=x",
      headers: {
        origin: "https://example.org",
        "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match",
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    expect(preflight.headers["access-control-allow-methods"]).toBe("GET, HEAD, OPTIONS");
    expect(preflight.headers["access-control-allow-headers"]).toBe("if-none-match");
    const head = await app.inject({ method: "HEAD", url: "/api/v1/bodies" });
    expect(head.statusCode).toBe(200);
    expect(head.headers["access-control-allow-origin"]).toBe("*");
  });
});

describe("GET /api/v1/decisions/:id", () => {
  it("gives the record of the current version with status, call-in window and versions", async () => {
    const id = seeded.extra.zebraTitle;
    const response = await get(`/api/v1/decisions/${id}`);
    expect(response.statusCode).toBe(200);
    const body = decisionDetailSchema.parse(response.json());
    // Still a decision record in the interchange format.
    const record = decisionRecordSchema.parse(body.data);
    expect(record.title).toBe("Zebra Crossings Programme 2027");
    expect(body.data.status).toMatchObject({ code: "published", label: "Call-in period open" });
    expect(body.data.status!.until).toBe("2026-11-27T00:00:00+00:00");
    expect(body.data.callIn).toMatchObject({
      deadline: "2026-11-26",
      text: "Midnight, 26 November 2026",
      subjectToCallIn: true,
      cutoff: "2026-11-27T00:00:00+00:00",
      governedBy: "printed",
    });
    expect(body.data.callIn.explanation).not.toBe("");
    expect(body.data.versions).toEqual([
      expect.objectContaining({
        version: 1,
        reason: null,
        links: expect.objectContaining({ original: `/decisions/${id}/original?version=1` }),
      }),
    ]);
    expect(body.links.original).toBe(`/decisions/${id}/original`);
  });

  it("finds a decision by the council's record id, and 404s for what is not there", async () => {
    const withId = seeded.fixtures.find((r) => r.recordId === "CAB/41/25")!;
    const response = await get(`/api/v1/decisions/${encodeURIComponent("CAB/41/25")}`);
    expect(response.statusCode).toBe(200);
    expect(decisionDetailSchema.parse(response.json()).data.id).toBe(withId.decisionId);
    for (const ref of ["999999", "D000000", "x".repeat(99), "0", "%00", "D%0A1"]) {
      const missing = await get(`/api/v1/decisions/${ref}`);
      expect(missing.statusCode, ref).toBe(404);
      expect(errorSchema.parse(missing.json()).error.code).toBe("not_found");
    }
  });

  it("gives each version, and 404s for versions that do not exist", async () => {
    const id = seeded.extra.zebraTitle;
    const response = await get(`/api/v1/decisions/${id}/versions/1`);
    expect(response.statusCode).toBe(200);
    const body = decisionVersionSchema.parse(response.json());
    expect(body.data).toMatchObject({ id, version: 1, current: true });
    expect((await get(`/api/v1/decisions/${id}/versions/2`)).statusCode).toBe(404);
    expect((await get(`/api/v1/decisions/${id}/versions/0`)).statusCode).toBe(400);
  });

  it("hides drafts", async () => {
    const id = seeded.extra.zebraBody;
    // Changed as the services change the register, with an audit entry: what the API keeps in memory is dropped.
    const publishOn = (date: string) =>
      t.database.transaction(async (trx) => {
        await trx.updateTable("decision").set({ publishedOn: date }).where("id", "=", id).execute();
        await appendAudit(trx, {
          actor: "test:api",
          action: "decision.corrected",
          entity: "decision",
          entityId: id,
        });
      });
    await publishOn("2026-12-01");
    try {
      expect((await get(`/api/v1/decisions/${id}`)).statusCode).toBe(404);
      expect((await get(`/decisions/${id}/original`)).statusCode).toBe(404);
      const list = decisionListSchema.parse((await get("/api/v1/decisions?q=zebra")).json());
      expect(list.data.map((d) => d.id)).toEqual([seeded.extra.zebraTitle]);
    } finally {
      await publishOn("2026-11-20");
    }
  });
});

describe("GET /decisions/:id/original", () => {
  it("serves the original bytes as a download with their type, name and SHA-256", async () => {
    const id = seeded.extra.script;
    const response = await get(`/decisions/${id}/original`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="script.txt"; filename*=UTF-8''script.txt`,
    );
    expect(response.body).toContain('<script>alert("quokka")</script>');
    expect(response.headers["content-security-policy"]).toContain("sandbox");
    const row = await t.db
      .selectFrom("sourceDocument")
      .select("sha256")
      .where("fileName", "=", "script.txt")
      .executeTakeFirstOrThrow();
    expect(response.headers.etag).toBe(`"${row.sha256}"`);
    expect((await get(`/decisions/${id}/original`, { "if-none-match": `"${row.sha256}"` })).statusCode).toBe(
      304,
    );
    expect((await get(`/decisions/${id}/original?version=1`)).statusCode).toBe(200);
    expect((await get(`/decisions/${id}/original?version=9`)).statusCode).toBe(404);
    expect((await get(`/decisions/${id}/original?version=x`)).statusCode).toBe(400);
  });
});

describe("meetings and bodies", () => {
  it("lists meetings newest first, a page at a time", async () => {
    const all = meetingListSchema.parse((await get("/api/v1/meetings?limit=100")).json());
    expect(all.meta.total).toBe(all.data.length);
    const dates = all.data.map((m) => m.date);
    expect(dates).toEqual([...dates].sort().reverse());
    const seen: number[] = [];
    let url: string | null = "/api/v1/meetings?limit=2";
    while (url) {
      const page = meetingListSchema.parse((await get(url)).json());
      seen.push(...page.data.map((m) => m.id));
      url = page.links.next;
    }
    expect(seen).toEqual(all.data.map((m) => m.id));
    const filtered = meetingListSchema.parse(
      (await get("/api/v1/meetings?from=2026-11-01&body=cabinet")).json(),
    );
    expect(filtered.data.map((m) => m.date)).toEqual(["2026-11-19", "2026-11-12"]);
    const bad = await get("/api/v1/meetings?from=2026-02-30");
    expect(bad.statusCode).toBe(400);
    expect(errorSchema.parse(bad.json()).error.field).toBe("from");
  });

  it("gives a meeting with its decisions", async () => {
    const list = meetingListSchema.parse(
      (await get("/api/v1/meetings?from=2026-11-19&to=2026-11-19")).json(),
    );
    const meeting = list.data[0]!;
    const response = await get(`/api/v1/meetings/${meeting.id}`);
    expect(response.statusCode).toBe(200);
    const body = meetingDetailSchema.parse(response.json());
    expect(body.data.decisions.length).toBe(meeting.decisionCount);
    expect(body.data.decisions.map((d) => d.id)).toContain(seeded.extra.zebraTitle);
    expect((await get("/api/v1/meetings/999999")).statusCode).toBe(404);
    expect((await get("/api/v1/meetings/abc")).statusCode).toBe(404);
  });

  it("lists the bodies", async () => {
    const body = bodyListSchema.parse((await get("/api/v1/bodies")).json());
    expect(body.data.map((b) => b.name)).toContain("Cabinet");
    const cabinet = body.data.find((b) => b.name === "Cabinet")!;
    expect(cabinet.decisionCount).toBe(seeded.all.length);
  });
});

describe("the OpenAPI document", () => {
  let document: OpenApiDocument;

  beforeAll(async () => {
    const response = await get("/api/openapi.json");
    expect(response.statusCode).toBe(200);
    document = JSON.parse(response.body) as OpenApiDocument;
  });

  it("is OpenAPI 3.1 with every path's operation, responses and resolvable references", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/decisions",
        "/api/v1/decisions/{id}",
        "/api/v1/decisions/{id}/versions/{version}",
        "/api/v1/meetings",
        "/api/v1/meetings/{id}",
        "/api/v1/bodies",
        "/decisions.csv",
        "/decisions.jsonl",
        "/decisions.atom",
        "/call-in.ics",
        "/decisions/{id}/original",
        "/api/v1/decisions/{id}/commitments",
        "/api/v1/commitments",
        "/api/v1/commitments/{id}/fulfilment",
        "/api/v1/commitments/{id}/rejections",
      ]),
    );
    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/(?:schemas|headers)\/([^"]+)"/g)) {
      expect(
        name! in document.components.schemas || name! in document.components.headers,
        `reference to ${name}`,
      ).toBe(true);
    }
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(
          op.responses["200"] ?? op.responses["201"] ?? op.responses["204"],
          `${method} ${path}`,
        ).toBeDefined();
        for (const match of path.matchAll(/\{(\w+)\}/g)) {
          expect(
            op.parameters.some((p) => p.in === "path" && p.name === match[1] && p.required),
            `${method} ${path} ${match[1]}`,
          ).toBe(true);
        }
      }
    }
  });

  it("takes its query parameters from the schemas that validate requests", () => {
    const decisionSchemas = parameterSchemas(decisionQuerySchema);
    const meetingSchemas = parameterSchemas(meetingQuerySchema);
    const commitmentSchemas = parameterSchemas(commitmentQuerySchema);
    for (const [path, item] of Object.entries(document.paths)) {
      const query = (item.get?.parameters ?? []).filter((p) => p.in === "query");
      const source =
        path === "/api/v1/meetings"
          ? meetingSchemas
          : path === "/api/v1/commitments"
            ? commitmentSchemas
            : path === "/decisions/{id}/original"
              ? null
              : decisionSchemas;
      if (source === null) continue;
      for (const parameter of query) {
        expect(Object.keys(source), `${path} ${parameter.name}`).toContain(parameter.name);
        const {
          description: _d,
          examples: _e,
          ...schema
        } = source[parameter.name] as Record<string, unknown>;
        expect(parameter.schema, `${path} ${parameter.name}`).toEqual(schema);
      }
    }
    const api = document.paths["/api/v1/decisions"]!.get!.parameters.map((p) => p.name);
    expect(api).toEqual(Object.keys(decisionQuerySchema.shape));
    const status = document.paths["/api/v1/decisions"]!.get!.parameters.find((p) => p.name === "status")!;
    expect(status.schema.enum).not.toContain("draft");
  });

  it("is rendered as the docs page, without scripts of its own", async () => {
    const response = await get("/api/docs");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/html");
    for (const path of Object.keys(document.paths)) expect(response.body).toContain(path);
    expect(response.body).toContain("govuk-table");
    expect(response.body).toContain("/api/v1/decisions?q=children%27s+services");
    const scripts = response.body.match(/<script\b[^>]*>/g) ?? [];
    for (const script of scripts) expect(script).toMatch(/nonce=/);
    expect(response.body).not.toMatch(/<script[^>]+src="https?:/);
  });
});
