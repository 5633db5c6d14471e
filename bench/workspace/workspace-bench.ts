import { fork } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { actorFor, createAccount, createApiToken } from "../../src/services/accounts/index.js";
import { createDraft } from "../../src/services/drafting/index.js";
import { importExampleRecordsIfEmpty } from "../../src/services/register/index.js";
import { openDatabase } from "../../src/storage/database.js";
import { migrateToLatest } from "../../src/storage/migrate.js";
import { fetchWithCookie, send, sendForm, signIn } from "../web/http-session.js";
import type { LoadReport } from "../web/load-client.js";
import { residentSet, runLoad, startBenchServer, summarise, type LatencySummary } from "../web/web-bench.js";

/**
 * `bench/workspace`: the signed-in paths beside the public ones, on the example register (PGlite), over HTTP on
 * 127.0.0.1, with the same server bench/web measures (bench/web/bench-server.mjs, from the build):
 *
 *   1. throughput (8 keep-alive connections, bench/web/load-client.ts): a public decision page; the workspace's
 *      start page (the dashboard) and a draft's page, each with a session cookie, so every request looks up the
 *      session and the account in the database; the dashboard's bytes as a static file from the same server;
 *      and the floor: the same bytes from a bare node:http server (bare-server.mjs) in a process of its own;
 *   2. writes, one at a time: drafting a decision (POST /api/v1/decisions) and publishing one
 *      (POST /api/v1/decisions/:id/publish, which works out the call-in deadline) with an API token, and
 *      publishing through the form (POST /workspace/drafts/:id/publish, with the session and CSRF token) when
 *      the workspace has that page: latency p50/p95.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRITES = Number(process.env.RESOLVED_BENCH_WORKSPACE_WRITES ?? 100);
const PASSWORD = "a long bench passphrase nobody uses";

export interface WorkspaceBenchOutcome {
  drafts: number;
  loads: Array<{ name: string; path: string; report: LoadReport }>;
  writes: LatencySummary[];
  rss: { currentMiB: number; peakMiB: number };
}

export async function runWorkspaceBench(): Promise<WorkspaceBenchOutcome> {
  // The server's request log would be most of the run's output.
  process.env.LOG_LEVEL ??= "warn";
  const dataDir = await mkdtemp(join(tmpdir(), "resolved-bench-workspace-"));
  const staticDir = await mkdtemp(join(tmpdir(), "resolved-bench-workspace-static-"));
  try {
    const { tokens, draftIds } = await prepare(dataDir);
    const server = await startBenchServer(dataDir, staticDir);
    try {
      const cookie = await signIn(server.port, "proper@bench.example", PASSWORD);
      const publicId = 1;
      const paths = {
        public: `/decisions/${publicId}`,
        dashboard: "/workspace",
        draft: `/workspace/drafts/${draftIds[0]}`,
      };
      const dashboard = await fetchWithCookie(server.port, paths.dashboard, cookie);
      if (dashboard.status !== 200)
        throw new Error(`bench/workspace: /workspace answered ${dashboard.status}`);
      await writeFile(join(staticDir, "workspace.html"), dashboard.body);
      const hasDraftPage = (await fetchWithCookie(server.port, paths.draft, cookie)).status === 200;

      const loads: WorkspaceBenchOutcome["loads"] = [];
      loads.push({
        name: "public decision page",
        path: paths.public,
        report: await runLoad(server.port, [paths.public]),
      });
      loads.push({
        name: "workspace start page, signed in",
        path: paths.dashboard,
        report: await runLoad(server.port, [paths.dashboard], { cookie }),
      });
      if (hasDraftPage) {
        loads.push({
          name: "a draft's page, signed in",
          path: paths.draft,
          report: await runLoad(server.port, [paths.draft], { cookie }),
        });
      }
      loads.push({
        name: "the start page's bytes as a static file, same server",
        path: "/bench-static/workspace.html",
        report: await runLoad(server.port, ["/bench-static/workspace.html"]),
      });
      loads.push({
        name: "the same bytes from a bare node:http server (floor)",
        path: "/",
        report: await bareLoad(join(staticDir, "workspace.html")),
      });

      const writes: LatencySummary[] = [];
      const drafted: number[] = [];
      const created: number[] = [];
      for (let i = 0; i < WRITES; i++) {
        const begin = process.hrtime.bigint();
        const answer = await send(
          server.port,
          "POST",
          "/api/v1/decisions",
          { authorization: `Bearer ${tokens.officer}` },
          draftBody(i + 1000),
        );
        if (answer.status !== 201)
          throw new Error(`bench/workspace: drafting answered ${answer.status}: ${answer.body}`);
        drafted.push(Number(process.hrtime.bigint() - begin) / 1e6);
        created.push((JSON.parse(answer.body) as { data: { id: number } }).data.id);
      }
      writes.push(summarise("draft a decision (API)", drafted));
      const published: number[] = [];
      for (const id of created) {
        const begin = process.hrtime.bigint();
        const answer = await send(
          server.port,
          "POST",
          `/api/v1/decisions/${id}/publish`,
          { authorization: `Bearer ${tokens.proper}` },
          {},
        );
        if (answer.status !== 200)
          throw new Error(`bench/workspace: publishing answered ${answer.status}: ${answer.body}`);
        published.push(Number(process.hrtime.bigint() - begin) / 1e6);
      }
      writes.push(summarise("publish (API)", published));
      const formPublished: number[] = [];
      for (const id of draftIds.slice(1, WRITES + 1)) {
        const form = await fetchWithCookie(server.port, `/workspace/drafts/${id}/publish`, cookie);
        if (form.status !== 200) break;
        const fields: Record<string, string> = {};
        // The form as a browser sends it: the CSRF token and the date inputs, prefilled with today.
        for (const [, name, value] of form.body
          .toString()
          .matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
          fields[name!] = value!;
        }
        const begin = process.hrtime.bigint();
        const answer = await sendForm(server.port, `/workspace/drafts/${id}/publish`, cookie, fields);
        if (answer.status !== 303) {
          const summary = /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(answer.body)?.[0] ?? "";
          throw new Error(`bench/workspace: the publish form answered ${answer.status}: ${summary}`);
        }
        formPublished.push(Number(process.hrtime.bigint() - begin) / 1e6);
      }
      if (formPublished.length > 0) writes.push(summarise("publish (form, signed in)", formPublished));
      const rss = await residentSet(server.child.pid!);
      return {
        drafts: draftIds.length,
        loads,
        writes,
        rss: { currentMiB: rss.currentMiB, peakMiB: rss.peakMiB },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(staticDir, { recursive: true, force: true });
  }
}

/** The example register, an officer and a Proper Officer with API tokens, and drafts to open and publish. */
async function prepare(
  dataDir: string,
): Promise<{ tokens: { officer: string; proper: string }; draftIds: number[] }> {
  const database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database);
    await importExampleRecordsIfEmpty(database, { actor: "bench" });
    const officer = await createAccount(database, {
      email: "officer@bench.example",
      name: "Olive Officer",
      roles: ["officer"],
      password: PASSWORD,
      actor: "bench",
    });
    await createAccount(database, {
      email: "proper@bench.example",
      name: "Peter Proper",
      roles: ["proper-officer", "officer"],
      password: PASSWORD,
      actor: "bench",
    });
    const tokens = {
      officer: (await createApiToken(database, "officer@bench.example", "bench", "bench")).token,
      proper: (await createApiToken(database, "proper@bench.example", "bench", "bench")).token,
    };
    const draftIds: number[] = [];
    for (let i = 0; i <= WRITES; i++)
      draftIds.push((await createDraft(database, draftBody(i), actorFor(officer))).id);
    return { tokens, draftIds };
  } finally {
    await database.close();
  }
}

function draftBody(n: number) {
  return {
    body: "Cabinet",
    meetingDate: "2026-11-19",
    title: `Bench decision ${n}: library opening hours in the north of the borough`,
    record: "Consideration was given to a report on library opening hours. ".repeat(20),
    outcomes: [
      {
        kind: "RESOLVED",
        text: "that:",
        items: ["the revised hours be approved;", "usage be reviewed in a year."],
      },
    ],
    reasons: "To keep every library open within the budget. ".repeat(10),
    alternatives: "Closing two branches was considered and rejected.",
  };
}

/** The floor: the load client against bare-server.mjs serving `file`. */
async function bareLoad(file: string): Promise<LoadReport> {
  const child = fork(join(ROOT, "bench", "workspace", "bare-server.mjs"), [file], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  try {
    const port = await new Promise<number>((resolvePort) =>
      child.once("message", (m: { port: number }) => resolvePort(m.port)),
    );
    return await runLoad(port, ["/"]);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}
