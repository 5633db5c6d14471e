import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.js";
import { NotFoundError, UnavailableError, ValidationError } from "../../../src/domain/errors.js";
import { findOrCreateCouncil } from "../../../src/services/councils/index.js";
import { createApp } from "../../../src/web/create-app.js";
import { GOVUK_FRONTEND_VERSION } from "../../../src/web/server/view-environment.js";
import { createTestDatabase, useTestDatabase } from "../backends.js";

/** Routes added by the tests are public (every route declares who may use it: src/web/auth). */
const PUBLIC_ROUTE = { config: { access: "public" as const } };

const t = useTestDatabase();
const config = loadConfig({});

/** A logger that keeps what it writes, to check what is logged (and that stacks are). */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

function nonceFromCsp(csp: string | undefined): string {
  const match = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp ?? "");
  if (!match) throw new Error(`no nonce in CSP: ${csp}`);
  return match[1]!;
}

describe("the web foundation", () => {
  let app: FastifyInstance;
  let logs: string[];

  beforeAll(async () => {
    const captured = capturingLogger();
    logs = captured.lines;
    app = await createApp({ database: t.database, config, logger: captured.logger });
    // Test-only routes, added before the first request.
    app.get("/test/validation", PUBLIC_ROUTE, async () => {
      throw new ValidationError('"not-a-date" is not a date <script>alert(1)</script>', "from");
    });
    app.get("/test/missing", PUBLIC_ROUTE, async () => {
      throw new NotFoundError("no decision D999");
    });
    app.get("/test/bug", PUBLIC_ROUTE, async () => {
      throw new Error("secret internals: connection string postgres://u:p@db");
    });
    app.get("/test/unavailable", PUBLIC_ROUTE, async () => {
      throw new UnavailableError("Cannot connect to the PostgreSQL server at db:5432");
    });
    app.get("/api/test/validation", PUBLIC_ROUTE, async () => {
      throw new ValidationError("page must be a whole number from 1", "page");
    });
    app.get("/api/test/bug", PUBLIC_ROUTE, async () => {
      throw new Error("secret internals");
    });
    app.get("/test/view", PUBLIC_ROUTE, async (_request, reply) =>
      reply.view("errors/404.njk", { pageTitle: "A test page <b>bold</b>" }),
    );
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
  });

  describe("security headers", () => {
    it("are on every kind of response", async () => {
      for (const url of ["/ping", "/health", "/no-such-page", "/api/nothing", "/stylesheets/resolved.css"]) {
        const response = await app.inject({ url });
        const csp = response.headers["content-security-policy"] as string;
        expect(csp, url).toContain("default-src 'self'");
        expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
        for (const directive of [
          "style-src 'self'",
          "img-src 'self' data:",
          "font-src 'self'",
          "connect-src 'self'",
          "form-action 'self'",
          "base-uri 'none'",
          "frame-ancestors 'none'",
          "object-src 'none'",
        ]) {
          expect(csp).toContain(directive);
        }
        expect(csp).not.toContain("unsafe-inline");
        expect(response.headers["x-content-type-options"]).toBe("nosniff");
        expect(response.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
        expect(response.headers["x-frame-options"]).toBe("DENY");
        expect(response.headers["permissions-policy"]).toContain("camera=()");
      }
    });

    it("give each request its own nonce, the one every script tag carries", async () => {
      const first = await app.inject({ url: "/no-such-page" });
      const second = await app.inject({ url: "/no-such-page" });
      const firstNonce = nonceFromCsp(first.headers["content-security-policy"] as string);
      const secondNonce = nonceFromCsp(second.headers["content-security-policy"] as string);
      expect(firstNonce).not.toBe(secondNonce);

      const scripts = first.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThanOrEqual(2); // govuk-frontend's js-enabled line and init.js
      for (const tag of scripts) expect(tag).toContain(`nonce="${firstNonce}"`);
      expect(first.body).toMatch(/<script type="module" src="\/javascripts\/init\.js\?v=[0-9a-f]{12}"/);
    });

    it("are on the answer to a malformed URL, which Fastify rejects before routing", async () => {
      const response = await app.inject({ url: "/decisions/%E0%A4%A" });
      expect(response.statusCode).toBe(400);
      expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(response.headers["content-type"]).toContain("text/html");
      expect(response.body).toContain("govuk-error-summary");
      expect(response.body).toContain("The web address is not valid");
      expect(response.body).not.toContain("%E0%A4%A");
    });
  });

  describe("probes", () => {
    it("/ping answers pong", async () => {
      const response = await app.inject({ url: "/ping" });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(response.body).toBe("pong");
    });

    it("/health checks the database", async () => {
      const response = await app.inject({ url: "/health" });
      expect(response.statusCode).toBe(200);
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.json()).toEqual({ status: "ok", database: "reachable" });
    });

    it("/health answers 503 without details when the database is gone", async () => {
      const own = await createTestDatabase();
      const captured = capturingLogger();
      const brokenApp = await createApp({ database: own.database, config, logger: captured.logger });
      try {
        expect((await brokenApp.inject({ url: "/health" })).statusCode).toBe(200);
        await own.close();
        const response = await brokenApp.inject({ url: "/health" });
        expect(response.statusCode).toBe(503);
        expect(response.json()).toEqual({ status: "unavailable", database: "unreachable" });
        expect(captured.lines.join("")).toContain("health check: the database does not answer");

        // Pages still render their error pages without the database.
        const page = await brokenApp.inject({ url: "/no-such-page" });
        expect(page.statusCode).toBe(404);
        expect(page.body).toContain("Page not found");
      } finally {
        await brokenApp.close();
        await own.close();
      }
    });
  });

  describe("error pages", () => {
    it("an unknown URL gives the GOV.UK 404 page", async () => {
      const response = await app.inject({ url: "/no-such-page?q=<script>" });
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.body).toContain('<html lang="en-GB"');
      expect(response.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
      expect(response.body).toMatch(/<title>Page not found – Resolved<\/title>/);
      expect(response.body).toContain('href="#main-content"');
      expect(response.body).toContain('id="main-content"');
      expect(response.body).not.toContain("<script>");
      expect(response.body).not.toContain("og:image");
    });

    it("a NotFoundError gives the same page", async () => {
      const response = await app.inject({ url: "/test/missing" });
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain("Page not found");
      expect(response.body).not.toContain("D999");
    });

    it("an unknown URL under /api/ gives JSON", async () => {
      const response = await app.inject({ url: "/api/v1/nothing-here" });
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(response.json()).toEqual({
        error: { status: 404, code: "not_found", message: "Nothing at GET /api/v1/nothing-here" },
      });
    });

    it("a ValidationError gives a 400 page with the error summary linked to the field", async () => {
      const response = await app.inject({ url: "/test/validation?q=planning&from=not-a-date" });
      expect(response.statusCode).toBe(400);
      expect(response.body).toMatch(/<title>Error: There is a problem with your request – Resolved<\/title>/);
      expect(response.body).toContain('class="govuk-error-summary"');
      expect(response.body).toContain('<h2 class="govuk-error-summary__title">');
      // The link goes back to the form, without the bad value, at the field's input.
      expect(response.body).toContain('<a href="/test/validation?q=planning#from">');
      // User-supplied and message text is escaped.
      expect(response.body).toContain(
        "&quot;not-a-date&quot; is not a date &lt;script&gt;alert(1)&lt;/script&gt;",
      );
      expect(response.body).not.toContain("<script>alert(1)");
    });

    it("a ValidationError under /api/ gives JSON with the field", async () => {
      const response = await app.inject({ url: "/api/test/validation?page=-1" });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: {
          status: 400,
          code: "validation",
          message: "page must be a whole number from 1",
          field: "page",
        },
      });
    });

    it("any other error gives the 500 page, with the stack in the log only", async () => {
      logs.length = 0;
      const response = await app.inject({ url: "/test/bug" });
      expect(response.statusCode).toBe(500);
      expect(response.body).toContain("Sorry, there is a problem with the service");
      expect(response.body).not.toContain("secret internals");
      expect(response.body).not.toMatch(/at .*\.ts:\d+/);
      const logged = logs.map((line) => JSON.parse(line) as { level: number; err?: { stack?: string } });
      const error = logged.find((entry) => entry.level === 50 && entry.err);
      expect(error?.err?.stack).toContain("secret internals");
    });

    it("an UnavailableError gives the 503 page without the reason", async () => {
      const response = await app.inject({ url: "/test/unavailable" });
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain("Sorry, the service is unavailable");
      expect(response.body).not.toContain("db:5432");
    });

    it("any other error under /api/ gives JSON without details", async () => {
      const response = await app.inject({ url: "/api/test/bug" });
      expect(response.statusCode).toBe(500);
      const body = response.json() as { error: { status: number; code: string; message: string } };
      expect(body.error).toMatchObject({ status: 500, code: "internal" });
      expect(JSON.stringify(body)).not.toContain("secret");
    });
  });

  describe("rendering", () => {
    it("escapes context values and names the council once the register has it", async () => {
      await findOrCreateCouncil(
        t.db,
        { slug: config.defaultCouncil, name: "Stockton <Test> & Co Council" },
        "test",
      );
      const fresh = await createApp({ database: t.database, config, logger: pino({ level: "silent" }) });
      fresh.get("/test/view", PUBLIC_ROUTE, async (_request, reply) =>
        reply.view("errors/404.njk", { pageTitle: "A test page <b>bold</b>" }),
      );
      try {
        const response = await fresh.inject({ url: "/test/view" });
        expect(response.statusCode).toBe(200);
        expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
        // errors/404.njk sets its own title; the council name comes from the register, escaped.
        expect(response.body).toContain(
          "<title>Page not found – Resolved – Stockton &lt;Test&gt; &amp; Co Council</title>",
        );
        expect(response.body).toContain("govuk-generic-header");
        expect(response.body).not.toContain("<Test>");
      } finally {
        await fresh.close();
      }
    });

    it("marks the current section in the navigation", async () => {
      const response = await app.inject({ url: "/decisions/D1" });
      expect(response.body).toMatch(/href="\/decisions"\s+aria-current="true"/);
      expect(response.body).toContain("Open Government Licence v3.0");
      expect(response.body).toContain("govuk-phase-banner");
    });
  });

  describe("static assets", () => {
    it("serves govuk-frontend's stylesheet and script, immutable at the current version", async () => {
      const css = await app.inject({
        url: `/stylesheets/govuk-frontend.min.css?v=${GOVUK_FRONTEND_VERSION}`,
      });
      expect(css.statusCode).toBe(200);
      expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
      expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(css.body).toContain(".govuk-template");

      const js = await app.inject({ url: `/javascripts/govuk-frontend.min.js?v=${GOVUK_FRONTEND_VERSION}` });
      expect(js.statusCode).toBe(200);
      expect(js.headers["content-type"]).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
      expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(js.body).toContain("initAll");

      const unversioned = await app.inject({ url: "/stylesheets/govuk-frontend.min.css" });
      expect(unversioned.headers["cache-control"]).toBe("no-cache");
      const old = await app.inject({ url: "/stylesheets/govuk-frontend.min.css?v=5.0.0" });
      expect(old.headers["cache-control"]).toBe("no-cache");
    });

    it("serves init.js, which starts govuk-frontend from the versioned script", async () => {
      const page = await app.inject({ url: "/no-such-page" });
      const src = /src="(\/javascripts\/init\.js\?v=[0-9a-f]+)"/.exec(page.body)![1]!;
      const init = await app.inject({ url: src });
      expect(init.statusCode).toBe(200);
      expect(init.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(init.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(init.body).toContain(`./govuk-frontend.min.js?v=${GOVUK_FRONTEND_VERSION}`);
      expect(init.body).toContain("initAll()");
    });

    it("serves our stylesheet, with a print section, versioned by content", async () => {
      const page = await app.inject({ url: "/no-such-page" });
      const href = /href="(\/stylesheets\/resolved\.css\?v=[0-9a-f]{12})"/.exec(page.body)![1]!;
      const css = await app.inject({ url: href });
      expect(css.statusCode).toBe(200);
      expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
      expect(css.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(css.body).toContain("@media print");
      expect(page.body).toContain(`/stylesheets/govuk-frontend.min.css?v=${GOVUK_FRONTEND_VERSION}`);
    });

    it("serves govuk-frontend's fonts and images where its stylesheet expects them", async () => {
      const font = await app.inject({ url: "/assets/fonts/bold-b542beb274-v2.woff2" });
      expect(font.statusCode).toBe(200);
      expect(font.headers["content-type"]).toBe("font/woff2");
      expect(font.headers["cache-control"]).toBe("public, max-age=31536000, immutable");

      const manifest = await app.inject({ url: "/assets/manifest.json" });
      expect(manifest.statusCode).toBe(200);
      expect(manifest.headers["content-type"]).toMatch(/^application\/(manifest\+)?json/);
      expect(manifest.headers["cache-control"]).toBe("public, max-age=86400");

      const image = await app.inject({ url: "/assets/images/favicon.svg" });
      expect(image.statusCode).toBe(200);
      expect(image.headers["content-type"]).toMatch(/^image\/svg\+xml/);
    });

    it("answers 404 for a missing asset and for paths outside the asset folders", async () => {
      for (const url of [
        "/assets/fonts/nothing.woff2",
        "/assets/../package.json",
        "/assets/%2e%2e/%2e%2e/package.json",
        "/assets/.hidden",
        "/images/nothing.svg",
      ]) {
        const response = await app.inject({ url });
        expect(response.statusCode, url).toBe(404);
        expect(response.body, url).not.toContain('"name": "resolved"');
      }
    });
  });
});
