import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { createAccount } from "../../../src/services/accounts/index.js";
import type { TestDatabase } from "../backends.js";
import { type BrowserSession, postForm, sessionFor, TEST_PASSWORD } from "./sign-in-helper.js";
import { startTestApp } from "./test-app.js";

/**
 * The drafting pages' tests' council: a Cabinet whose members include Jane Smith (from May 2025), one account
 * per role, signed in, and the site on a clock pinned to Tuesday 24 November 2026, 10am.
 */

export const NOW = new Date("2026-11-24T10:00:00Z");

export interface DraftingWorld {
  app: FastifyInstance;
  sessions: Record<Role, BrowserSession>;
  names: Record<Role, string>;
  cabinetId: number;
  janeId: number;
  /** A councillor who is not on the Cabinet. */
  outsiderId: number;
  /** Posts a form as `role`, with that session's CSRF token unless `fields` gives `_csrf` itself. */
  post(role: Role, url: string, fields?: Record<string, string | string[]>): Promise<LightMyRequestResponse>;
  get(role: Role | null, url: string): Promise<LightMyRequestResponse>;
}

const NAMES: Record<Role, string> = {
  officer: "Olive Officer",
  "proper-officer": "Peter Proper",
  councillor: "Colin Councillor",
  "scrutiny-chair": "Sam Scrutiny",
  admin: "Ada Admin",
  "service-manager": "Sue Service",
};

export async function setUpDraftingWorld(t: Pick<TestDatabase, "database" | "db">): Promise<DraftingWorld> {
  let councilId = 0;
  for (const role of Object.keys(NAMES) as Role[]) {
    const account = await createAccount(t.database, {
      email: `${role}@council.example`,
      name: NAMES[role],
      roles: [role],
      password: TEST_PASSWORD,
      actor: "test",
      ...(role === "councillor" && { ward: "Norton North", party: "Independent" }),
    });
    councilId = account.councilId;
  }
  const cabinet = await t.db
    .insertInto("body")
    .values({ councilId, name: "Cabinet", kind: "executive" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const person = (name: string) =>
    t.db
      .insertInto("person")
      .values({ councilId, name, role: "councillor", ward: "Bishopsgarth", party: "Labour", jobTitle: null })
      .returning("id")
      .executeTakeFirstOrThrow();
  const jane = await person("Jane Smith");
  const outsider = await person("Owen Outside");
  await t.db
    .insertInto("bodyMembership")
    .values({ bodyId: cabinet.id, personId: jane.id, role: "member", startedOn: "2025-05-20", endedOn: null })
    .execute();
  const app = await startTestApp(t.database, () => NOW);
  const sessions = {} as Record<Role, BrowserSession>;
  for (const role of Object.keys(NAMES) as Role[]) {
    sessions[role] = await sessionFor(app, `${role}@council.example`);
  }
  return {
    app,
    sessions,
    names: NAMES,
    cabinetId: cabinet.id,
    janeId: jane.id,
    outsiderId: outsider.id,
    post: (role, url, fields = {}) =>
      postForm(app, url, { _csrf: sessions[role].csrf, ...fields }, sessions[role].cookie),
    get: (role, url) =>
      app.inject({ method: "GET", url, headers: role ? { cookie: sessions[role].cookie } : {} }),
  };
}

/** The error summary's links: [text, href]. */
export function errorSummaryOf(html: string): [string, string][] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? "";
  return [...summary.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[2]!.trim(), m[1]!]);
}

/** The id in a 303 to /workspace/drafts/:id. */
export function draftIdFrom(response: LightMyRequestResponse): number {
  expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
  const match = /^\/workspace\/drafts\/(\d+)$/.exec(String(response.headers.location));
  expect(match, String(response.headers.location)).not.toBeNull();
  return Number(match![1]);
}

/** A multipart form with one file, as a browser posts an upload. */
export function multipartForm(
  fields: Record<string, string>,
  file: { name: string; fileName: string; type: string; bytes: Uint8Array },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = "----resolvedTestBoundary7MA4YWxkTrZu0gW";
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.fileName}"\r\n` +
        `Content-Type: ${file.type}\r\n\r\n`,
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** Records the Cabinet meeting of `date` (YYYY-MM-DD) through the form; its id. */
export async function recordMeeting(world: DraftingWorld, date: string): Promise<number> {
  const [year, month, day] = date.split("-");
  const response = await world.post("officer", "/workspace/meetings/new", {
    body: "Cabinet",
    "date-day": String(Number(day)),
    "date-month": String(Number(month)),
    "date-year": year!,
    location: "Council Chamber, Municipal Buildings",
  });
  expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
  const list = await world.get("officer", "/workspace/meetings");
  const ids = [...list.body.matchAll(/href="\/meetings\/(\d+)"/g)].map((m) => Number(m[1]));
  return Math.max(...ids);
}
