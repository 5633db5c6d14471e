import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "../../../src/services/accounts/index.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";

// Signing in goes back to the page that asked for it (?next=): only ever a page of this site, however the
// address is written. A browser reading a Location drops tabs and line breaks and takes "\" for "/", so each
// Location is resolved here as a browser would resolve it.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-12-04T10:00:00Z");
const PASSWORD = "plenty of words in this passphrase";
const EMAIL = "officer@council.example";
const SITE = "https://decisions.council.example";

const ELSEWHERE = [
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/ \t/evil.example",
  "https://evil.example/",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "evil.example",
];

let app: FastifyInstance;

beforeAll(async () => {
  await t.resetDatabase();
  await createAccount(t.database, {
    email: EMAIL,
    name: "Officer",
    roles: ["officer"],
    password: PASSWORD,
    actor: "test",
  });
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

function cookieOf(response: LightMyRequestResponse): string {
  const header = response.headers["set-cookie"];
  return String([header].flat().at(-1)).split(";", 1)[0]!;
}

async function signIn(next: string): Promise<LightMyRequestResponse> {
  const page = await app.inject({ method: "GET", url: "/sign-in" });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  return app.inject({
    method: "POST",
    url: "/sign-in",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(page) },
    payload: new URLSearchParams({ _csrf: csrf, email: EMAIL, password: PASSWORD, next }).toString(),
  });
}

/** Where a browser on this site goes when it follows the response's Location. */
function destination(response: LightMyRequestResponse): URL {
  return new URL(String(response.headers.location), `${SITE}/sign-in`);
}

describe("after signing in", () => {
  it("goes back to a page of this site, with its query", async () => {
    const response = await signIn("/decisions?q=parking&page=2#results");
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe("/decisions?q=parking&page=2#results");
  });

  it("never goes to another site, however the address is written", async () => {
    for (const next of ELSEWHERE) {
      const response = await signIn(next);
      expect(response.statusCode, JSON.stringify(next)).toBe(303);
      expect(destination(response).origin, JSON.stringify(next)).toBe(SITE);
      expect(String(response.headers.location)).not.toMatch(/[\t\r\n\\]/);
    }
  });

  it("nor when already signed in and sent to the sign-in page with a next address", async () => {
    const cookie = cookieOf(await signIn("/workspace"));
    for (const next of ELSEWHERE) {
      const response = await app.inject({
        method: "GET",
        url: `/sign-in?next=${encodeURIComponent(next)}`,
        headers: { cookie },
      });
      expect(response.statusCode, JSON.stringify(next)).toBe(303);
      expect(destination(response).origin, JSON.stringify(next)).toBe(SITE);
    }
  });
});
