import { connect } from "node:net";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { createApp } from "../../../src/web/create-app.js";
import { SERVER_TIMEOUTS } from "../../../src/web/server/server-limits.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";

/**
 * Hostile HTTP over a real socket (app.inject would skip Node's HTTP parser): malformed and oversized requests,
 * slow clients, path traversal on the assets, invalid UTF-8, absurd page numbers and parameter shapes on every
 * listing. Always a 4xx (or a sane 200), never a 5xx, the server still answering afterwards, and the security
 * headers on every response, the parser's own refusals included. Timeouts are shortened so a slow client is cut
 * off in about a second; the defaults are checked separately.
 */

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-12-04T10:00:00Z");
const TIMEOUTS = { headersMs: 1_000, requestMs: 2_000, keepAliveMs: 2_000, checkEveryMs: 200, idleMs: 1_500 };

let app: FastifyInstance;
let port: number;
let base: string;
let decisionId: number;

beforeAll(async () => {
  await t.resetDatabase();
  decisionId = (await seedDecision(t.database, stocktonRecord())).id;
  app = await createApp({
    database: t.database,
    config: loadConfig({}),
    logger: pino({ level: "silent" }),
    now: () => NOW,
    timeouts: TIMEOUTS,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  port = typeof address === "object" && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await app?.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes exactly as given (no URL normalisation) and reads the response until the server closes. */
function raw(request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("no answer"));
    }, timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks).toString("latin1")));
    });
    socket.write(request);
  });
}

function parse(text: string): RawResponse {
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine, ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine ?? "")?.[1] ?? 0),
    headers,
    body: text.slice(end + 4),
  };
}

const get = (target: string, extra = "") =>
  raw(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);

function expectSecurityHeaders(headers: Record<string, string> | Headers, where: string): void {
  const read = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]);
  expect(read("content-security-policy"), where).toMatch(/default-src 'self'|frame-ancestors 'none'/);
  expect(read("content-security-policy"), where).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(read("x-content-type-options"), where).toBe("nosniff");
  expect(read("x-frame-options"), where).toBe("DENY");
  expect(read("referrer-policy"), where).toBeTruthy();
}

function expectClientError(response: RawResponse, where: string): void {
  expect(response.status, `${where}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${where}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
  expectSecurityHeaders(response.headers, where);
}

async function expectStillServing(): Promise<void> {
  const response = await fetch(`${base}/decisions/${decisionId}`);
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

describe("malformed URLs and invalid UTF-8", () => {
  const targets = [
    "/decisions/%",
    "/decisions/%zz",
    "/%E0%A4%A",
    "/decisions/%ff%fe",
    "/decisions/%c0%ae%c0%ae",
    "/decisions?q=%",
    "/decisions?q=%ff%fe%fd",
    "/decisions?q=%E0%A4%A&status=%80",
    "/api/v1/decisions?q=%ff",
    "/api/v1/decisions/%ff",
    "/api/v1/decisions/%",
    "/meetings/%ed%a0%80",
    "/decisions.csv?q=%c3%28",
    "/sign-in?next=%ff%fe",
    "/sign-in?next=%",
    "/workspace/%ff",
  ];

  it("are answered 4xx (or 200 for a query that is merely odd), never 5xx, with the security headers", async () => {
    for (const target of targets) {
      const response = await get(target);
      expect(response.status, target).toBeGreaterThanOrEqual(200);
      expect(response.status, target).toBeLessThan(500);
      expectSecurityHeaders(response.headers, target);
      if (target.startsWith("/api/") && response.status >= 400) {
        expect(response.headers["content-type"], target).toMatch(/^application\/json/);
      }
    }
    await expectStillServing();
  });

  it("raw bytes that are not UTF-8 in the path and the query, and a request line Node cannot parse, are refused", async () => {
    for (const target of [
      Buffer.from([0x2f, 0x64, 0xff, 0xfe]),
      Buffer.concat([Buffer.from("/decisions?q="), Buffer.from([0xc3, 0x28, 0xa0])]),
    ]) {
      const response = await raw(
        Buffer.concat([
          Buffer.from("GET "),
          target,
          Buffer.from(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        ]),
      );
      expect(response.status, target.toString("latin1")).toBeGreaterThanOrEqual(200);
      expect(response.status, target.toString("latin1")).toBeLessThan(500);
      expectSecurityHeaders(response.headers, target.toString("latin1"));
    }
    for (const request of [
      "GET /de cisions HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
      "GARBAGE\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
      "GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
    ]) {
      const response = await raw(request);
      expectClientError(response, JSON.stringify(request));
    }
    await expectStillServing();
  });

  it("a form body with invalid UTF-8 or broken percent-encoding is a 4xx", async () => {
    for (const body of [
      Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe]),
      Buffer.from("email=%ff%fe&password=%"),
    ]) {
      const response = await fetch(`${base}/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        redirect: "manual",
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectSecurityHeaders(response.headers, "POST /sign-in");
    }
    for (const body of [
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      Buffer.from("{"),
    ]) {
      const response = await fetch(`${base}/api/v1/meetings`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer nothing" },
        body,
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expectSecurityHeaders(response.headers, "POST /api/v1/meetings");
    }
  });
});

describe("oversized requests", () => {
  it("a huge query string, header or set of headers is refused with 431 (or 414), with the security headers", async () => {
    const longQuery = await get(`/decisions?q=${"a".repeat(100_000)}`);
    expect([414, 431], "100 KB query").toContain(longQuery.status);
    expectSecurityHeaders(longQuery.headers, "100 KB query");
    const longHeader = await get("/", `X-Padding: ${"b".repeat(40_000)}\r\n`);
    expect(longHeader.status, "40 KB header").toBe(431);
    expectSecurityHeaders(longHeader.headers, "40 KB header");
    const manyHeaders = await get("/", Array.from({ length: 2_000 }, (_, n) => `X-H${n}: v\r\n`).join(""));
    // Node keeps the first 2,000 headers and drops the rest: answered, or refused, never a 5xx.
    expect(manyHeaders.status, "2,000 headers").toBeLessThan(500);
    expectSecurityHeaders(manyHeaders.headers, "2,000 headers");
    const cookie = await get("/workspace", `Cookie: ${"resolved_session=x; ".repeat(2_000)}\r\n`);
    expect(cookie.status, "huge cookie").toBe(431);
    await expectStillServing();
  });

  it("a long but acceptable query (8 KB) is answered normally", async () => {
    const response = await fetch(`${base}/decisions?q=${"budget ".repeat(1_100).trim()}`);
    expect(response.status).toBeLessThan(500);
    await response.arrayBuffer();
  });

  it("a body over the limit is refused with 413", async () => {
    const response = await fetch(`${base}/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `email=${"x".repeat(12 * 1024 * 1024)}`,
      redirect: "manual",
    });
    expect(response.status).toBe(413);
    expectSecurityHeaders(response.headers, "413");
  });
});

describe("slow clients", () => {
  it("the server has finite timeouts by default", async () => {
    const standard = await createApp({
      database: t.database,
      config: loadConfig({}),
      logger: pino({ level: "silent" }),
    });
    try {
      await standard.ready();
      expect(standard.server.headersTimeout).toBe(SERVER_TIMEOUTS.headersMs);
      expect(standard.server.requestTimeout).toBe(SERVER_TIMEOUTS.requestMs);
      expect(standard.server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveMs);
      expect(standard.server.timeout).toBe(SERVER_TIMEOUTS.idleMs);
      for (const value of Object.values(SERVER_TIMEOUTS)) {
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThanOrEqual(120_000);
      }
    } finally {
      await standard.close();
    }
  });

  it("headers trickled a line at a time (slowloris) are cut off with 408, while others are served", async () => {
    const started = Date.now();
    const sockets = Array.from({ length: 20 }, () => connect(port, "127.0.0.1"));
    const closed = sockets.map(
      (socket) =>
        new Promise<{ at: number; text: string }>((resolve) => {
          let text = "";
          socket.on("data", (chunk) => (text += chunk.toString("latin1")));
          socket.on("error", () => {});
          socket.on("close", () => resolve({ at: Date.now() - started, text }));
        }),
    );
    for (const socket of sockets) socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const trickle = setInterval(() => {
      for (const socket of sockets) if (!socket.destroyed) socket.write("X-Slow: 1\r\n");
    }, 150);
    try {
      // Meanwhile, everyone else is answered.
      await expectStillServing();
      const results = await Promise.all(closed);
      for (const { at, text } of results) {
        expect(at).toBeLessThan(TIMEOUTS.headersMs + 2_000);
        expect(text).toMatch(/^HTTP\/1\.1 408/);
        expectSecurityHeaders(parse(text).headers, "408");
      }
    } finally {
      clearInterval(trickle);
      for (const socket of sockets) socket.destroy();
    }
    await expectStillServing();
  });

  it("a body that never ends is cut off", async () => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    const closed = new Promise<number>((resolve) => {
      socket.resume();
      socket.on("error", () => {});
      socket.on("close", () => resolve(Date.now() - started));
    });
    socket.write(
      "POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nemail=",
    );
    const trickle = setInterval(() => socket.destroyed || socket.write("a"), 100);
    try {
      expect(await closed).toBeLessThan(TIMEOUTS.requestMs + 3_000);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  it("a silent connection is closed", async () => {
    const socket = connect(port, "127.0.0.1");
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      // Read what it says (a 408), or 'close' never comes.
      socket.resume();
      socket.on("error", () => {});
      socket.on("close", () => resolve(Date.now() - started));
    });
    expect(closedAfter).toBeLessThan(TIMEOUTS.idleMs + 2_000);
  });
});

describe("path traversal on the assets", () => {
  const attempts = [
    "/assets/../../package.json",
    "/assets/../../../../etc/passwd",
    "/assets/%2e%2e/%2e%2e/package.json",
    "/assets/%2E%2E%2F%2E%2E%2Fpackage.json",
    "/assets/..%2f..%2fpackage.json",
    "/assets/%252e%252e/%252e%252e/package.json",
    "/assets/..\\..\\package.json",
    "/assets/%5c..%5c..%5cpackage.json",
    "/assets/fonts/..%5c..%5c..%5cpackage.json",
    "/assets/manifest.json%00.png",
    "/assets/%00",
    "/assets/fonts/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json",
    "/assets/....//....//package.json",
    "/assets/.hidden",
    "/assets//etc/passwd",
    "/stylesheets/../../package.json",
    "/stylesheets/resolved.css/../../../package.json",
    "/javascripts/%2e%2e/%2e%2e/package.json",
    "/images/..%2f..%2f..%2fpackage.json",
  ];

  it("never serves a file outside them: 4xx with the security headers", async () => {
    for (const target of attempts) {
      const response = await get(target);
      expect(response.status, target).toBeGreaterThanOrEqual(300);
      expect(response.status, target).toBeLessThan(500);
      expect(response.body, target).not.toMatch(/"devDependencies"|root:x:0:0/);
      expectSecurityHeaders(response.headers, target);
    }
  });

  it("serves the real ones, and a 304 on revalidation, with the security headers", async () => {
    for (const path of ["/assets/manifest.json", "/stylesheets/resolved.css", "/javascripts/init.js"]) {
      const first = await fetch(`${base}${path}`);
      expect(first.status, path).toBe(200);
      expectSecurityHeaders(first.headers, path);
      await first.arrayBuffer();
      const etag = first.headers.get("etag");
      if (!etag) continue;
      // Raw: fetch() adds "cache-control: no-cache" to a request with If-None-Match, as the Fetch standard says.
      const again = await get(path, `If-None-Match: ${etag}\r\n`);
      expect(again.status, path).toBe(304);
      expectSecurityHeaders(again.headers, `${path} 304`);
    }
  });
});

describe("absurd page numbers and parameter shapes on every listing", () => {
  const listings = () => [
    "/",
    "/decisions",
    "/meetings",
    "/councillors",
    "/strategies",
    "/commitments",
    "/council",
    "/decisions.atom",
    "/decisions.csv",
    "/decisions.jsonl",
    "/call-in.ics",
    "/api/v1/decisions",
    "/api/v1/meetings",
    "/api/v1/strategies",
    "/api/v1/commitments",
    `/api/v1/decisions/${decisionId}/commitments`,
    `/decisions/${decisionId}`,
  ];
  const params = [
    "page",
    "cursor",
    "limit",
    "q",
    "from",
    "to",
    "sort",
    "status",
    "body",
    "callIn",
    "size",
    "period",
  ];
  const values = [
    "1e309",
    "-1",
    "0",
    "99999999999",
    "9".repeat(400),
    "NaN",
    "0x10",
    "1.5",
    "%00",
    "%ff",
    "2026-02-30",
    "99999-12-31",
  ];
  /** The query strings tried on each listing: each value for each parameter, then arrays and nested keys. */
  const queries = (): string[] => [
    ...params.flatMap((name) => values.map((value) => `${name}=${value}`)),
    ...params.flatMap((name) => [`${name}[]=1`, `${name}=1&${name}=2`, `${name}[a]=1`, `${name}=`]),
    "page=0",
    "page=1.5",
    "to=0000-00-00",
    "callIn=%ff",
    "__proto__[x]=1",
    "constructor[prototype][x]=1",
  ];

  it("are answered 4xx or 200, never 5xx, with the security headers", async () => {
    const failures: string[] = [];
    let tried = 0;
    const all = listings().flatMap((path) => queries().map((query) => `${path}?${query}`));
    const worker = async (offset: number) => {
      for (let n = offset; n < all.length; n += 4) {
        const target = all[n]!;
        const response = await fetch(`${base}${target}`, { redirect: "manual" });
        await response.arrayBuffer();
        tried++;
        if (response.status >= 500 || !response.headers.get("content-security-policy")) {
          failures.push(`${response.status} ${target}`);
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    expect(failures).toEqual([]);
    expect(tried).toBe(all.length);
    await expectStillServing();
  }, 300_000);
});

describe("security headers on what Fastify answers before or beside the routes", () => {
  it("404, 405-like unknown methods, OPTIONS, HEAD and a bad content type", async () => {
    const checks: [string, RequestInit][] = [
      ["/no/such/page", {}],
      ["/api/v1/no-such", {}],
      ["/decisions", { method: "DELETE" }],
      ["/decisions", { method: "OPTIONS" }],
      ["/decisions", { method: "HEAD" }],
      ["/sign-in", { method: "POST", headers: { "content-type": "application/x-unknown" }, body: "x" }],
      ["/api/v1/meetings", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" }],
    ];
    for (const [path, init] of checks) {
      const response = await fetch(`${base}${path}`, { ...init, redirect: "manual" });
      expect(response.status, `${init.method ?? "GET"} ${path}`).toBeLessThan(500);
      expectSecurityHeaders(response.headers, `${init.method ?? "GET"} ${path}`);
    }
    const propfind = await raw("PROPFIND / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(propfind.status).toBeLessThan(500);
    expectSecurityHeaders(propfind.headers, "PROPFIND");
  });
});
