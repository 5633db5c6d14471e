import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/domain/roles.js";
import { actorFor, createAccount, findAccountByEmail } from "../../../src/services/accounts/index.js";
import { startCallInRequest } from "../../../src/services/call-in/index.js";
import { createDraft, publishDecision } from "../../../src/services/drafting/index.js";
import { addAgendaItem, scheduleMeeting } from "../../../src/services/meetings/index.js";
import { addMembership, createPerson } from "../../../src/services/people/index.js";
import { useTestDatabase } from "../backends.js";
import { NOW, setUpDraftingWorld, type DraftingWorld } from "./drafting-setup.js";
import {
  assertNoInjectedMarkup,
  cspNonceOf,
  hostile,
  htmlText,
  IMG_ONERROR,
  SCRIPT,
} from "./security-payloads.js";

// Stored XSS through what the council itself writes: every text a draft, a meeting, a person, a declaration,
// a dispensation, an urgency reason, a call-in request and an account's name can hold carries the payloads,
// and every workspace page (each GET route that needs an account, opened by a role it allows) and the public
// pages that show them come back with no markup the payloads made, the text intact.

const t = useTestDatabase({ reset: "manual" });
let w: DraftingWorld;
let draftId: number;
let publishedId: number;
let personId: number;
let meetingId: number;
let accountId: number;

beforeAll(async () => {
  await t.resetDatabase();
  w = await setUpDraftingWorld(t);
  const officer = actorFor((await findAccountByEmail(t.db, "officer@council.example"))!);
  const proper = actorFor((await findAccountByEmail(t.db, "proper-officer@council.example"))!);
  const councillor = actorFor((await findAccountByEmail(t.db, "councillor@council.example"))!);
  const person = await createPerson(
    t.database,
    officer.councilId,
    {
      name: `Jane ${SCRIPT} Smith`,
      role: "councillor",
      ward: hostile("ward").slice(0, 200),
      party: `Party ${IMG_ONERROR}`,
    },
    officer.label,
  );
  personId = person.id;
  accountId = (
    await createAccount(t.database, {
      email: "jo.bloggs@council.example",
      name: `Jo ${SCRIPT} ${IMG_ONERROR} Bloggs`,
      roles: ["officer"],
      actor: officer.label,
    })
  ).id;
  await addMembership(
    t.database,
    personId,
    { body: "Cabinet", role: "member", from: "2025-05-20" },
    officer.label,
  );
  meetingId = (
    await scheduleMeeting(
      t.database,
      { body: "Cabinet", date: "2026-11-19", location: hostile("location") },
      officer,
      "2026-11-24",
    )
  ).id;
  await addAgendaItem(t.database, meetingId, { number: "5", title: hostile("agenda item") }, officer);
  const fields = (label: string) => ({
    meetingId,
    recordId: `REC-${label}`,
    documentType: `Decision Record ${SCRIPT}`,
    title: hostile(`${label} title`),
    record: hostile(`${label} record`),
    outcomes: [
      {
        kind: "RESOLVED",
        text: hostile(`${label} outcome`),
        items: [hostile(`${label} item 1`), hostile(`${label} item 2`)],
      },
    ],
    reasons: hostile(`${label} reasons`),
    alternatives: hostile(`${label} alternatives`),
    conflictsOfInterest: hostile(`${label} conflicts`),
    declarations: [{ personId, category: "personal" as const, nature: hostile(`${label} nature`) }],
    dispensationGrants: [
      {
        personName: `Cllr ${SCRIPT} ${label}`,
        grantedBy: `Monitoring Officer ${IMG_ONERROR}`,
        scope: hostile(`${label} scope`),
      },
    ],
    urgencyReason: null,
  });
  draftId = (
    await createDraft(t.database, { ...fields("draft"), urgencyReason: hostile("urgency") }, officer)
  ).id;
  publishedId = (await createDraft(t.database, fields("published"), officer)).id;
  await publishDecision(t.database, publishedId, { publishedOn: "2026-11-23", now: NOW }, proper);
  await startCallInRequest(
    t.database,
    publishedId,
    { grounds: [{ principle: "openness", explanation: hostile("explanation") }] },
    councillor,
    NOW,
  );
});

afterAll(async () => {
  await w?.app.close();
});

function urlFor(route: string): string {
  return route
    .replace(/^\/workspace\/drafts\/:id/, `/workspace/drafts/${draftId}`)
    .replace(/^\/workspace\/people\/:id/, `/workspace/people/${personId}`)
    .replace(/^\/workspace\/meetings\/:id/, `/workspace/meetings/${meetingId}`)
    .replace(/^\/workspace\/accounts\/:id/, `/workspace/accounts/${accountId}`)
    .replace(/:id/g, String(publishedId))
    .replace(/:requestId|:membershipId|:rid/g, "1");
}

describe("stored XSS in what the council writes", () => {
  it("no workspace page shows markup a payload made", async () => {
    const routes = w.app
      .declaredRoutes()
      .filter((r) => r.method === "GET" && r.access !== "public" && !r.url.startsWith("/api/"));
    expect(routes.length).toBeGreaterThan(20);
    let withPayload = 0;
    for (const route of routes) {
      const role: Role = route.access === "signed-in" ? "officer" : (route.access as readonly Role[])[0]!;
      const url = urlFor(route.url);
      const response = await w.get(role, url);
      expect(response.statusCode, `${url} as ${role}`).toBeLessThan(500);
      if (!String(response.headers["content-type"]).startsWith("text/html")) continue;
      assertNoInjectedMarkup(response.body, {
        nonce: cspNonceOf(response.headers),
        where: `${url} as ${role}`,
      });
      if (htmlText(response.body).includes(SCRIPT)) withPayload++;
    }
    // The payloads were on the pages, as text: the draft's pages, the people pages, the call-in pages.
    expect(withPayload).toBeGreaterThan(10);
  });

  it("nor do the public pages that show the published decision, the meeting and the councillor", async () => {
    for (const url of [
      `/decisions/${publishedId}`,
      `/meetings/${meetingId}`,
      `/councillors/${personId}`,
      "/councillors",
      "/",
      "/decisions",
    ]) {
      const response = await w.get(null, url);
      expect(response.statusCode, url).toBe(200);
      assertNoInjectedMarkup(response.body, { nonce: cspNonceOf(response.headers), where: url });
    }
    const page = htmlText((await w.get(null, `/decisions/${publishedId}`)).body);
    expect(page).toContain(hostile("published title"));
    expect(page).toContain(hostile("explanation"));
    // Drafts are never public, whatever they hold.
    expect((await w.get(null, `/decisions/${draftId}`)).statusCode).toBe(404);
  });
});
