import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../backends.js";
import {
  type DraftingWorld,
  draftIdFrom,
  errorSummaryOf,
  multipartForm,
  recordMeeting,
  setUpDraftingWorld,
} from "./drafting-setup.js";

// The drafting pages beyond the main flow: documents uploaded to prefill a draft, urgency and the scrutiny
// chair's consent, discarding a draft, and correcting a published record.

const t = useTestDatabase();
let world: DraftingWorld | undefined;
afterEach(async () => {
  await world?.app.close();
  world = undefined;
});

const fixture = (path: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function upload(
  w: DraftingWorld,
  fileName: string,
  bytes: Uint8Array,
  type: string,
  csrf = w.sessions.officer.csrf,
) {
  const form = multipartForm({ _csrf: csrf }, { name: "document", fileName, type, bytes });
  return w.app.inject({
    method: "POST",
    url: "/workspace/drafts/upload",
    headers: { ...form.headers, cookie: w.sessions.officer.cookie },
    payload: form.payload,
  });
}

/** A draft by a cabinet member, no meeting, with one outcome. */
async function individualDraft(w: DraftingWorld, title: string): Promise<number> {
  const created = await w.post("officer", "/workspace/drafts/new", {
    title,
    meetingId: "none",
    body: "Cabinet Member for Adult Social Care",
    "decisionDate-day": "20",
    "decisionDate-month": "11",
    "decisionDate-year": "2026",
  });
  const id = draftIdFrom(created);
  const outcome = await w.post("officer", `/workspace/drafts/${id}/decision`, {
    record: "",
    "outcomes-0-kind": "RESOLVED",
    "outcomes-0-text": "that the contract be awarded to Tees Valley Care Ltd.",
    "outcomes-0-items": "",
  });
  expect(outcome.statusCode).toBe(303);
  return id;
}

describe("a document uploaded to prefill a draft", () => {
  it("a text proforma: its sections become the draft's, under the meeting of that body and date", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const meetingId = await recordMeeting(w, "2025-10-16");
    const response = await upload(
      w,
      "cab-41-25-flood-strategy.txt",
      fixture("text/cab-41-25-flood-strategy.txt"),
      "text/plain",
    );
    const id = draftIdFrom(response);
    const row = await t.db.selectFrom("decision").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: "draft",
      meetingId,
      recordId: "CAB/41/25",
      title: "Local Flood Risk Management Strategy 2025-2031",
      publishedOn: null,
      callInText: "",
      signedBy: null,
    });
    const page = await w.get("officer", `/workspace/drafts/${id}`);
    expect(page.body).toContain(
      "Draft created from cab-41-25-flood-strategy.txt, under the Cabinet meeting of 16 October 2025",
    );
    const reasons = await w.get("officer", `/workspace/drafts/${id}/reasons`);
    expect(reasons.body).toContain("Lead Local Flood Authority to develop, maintain, apply and monitor");
    expect((await w.get(null, `/decisions/${id}`)).statusCode).toBe(404);
  });

  it("a Word proforma with no meeting recorded: a decision of that body on that date, its numbered items kept", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const response = await upload(
      w,
      "contractor.docx",
      fixture("docx/town-centre-public-realm-contractor.docx"),
      DOCX,
    );
    const id = draftIdFrom(response);
    const row = await t.db.selectFrom("decision").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ meetingId: null, meetingDate: "2023-11-09", status: "draft" });
    expect(row.outcomes[0]?.items).toHaveLength(2);
    const decision = await w.get("officer", `/workspace/drafts/${id}/decision`);
    expect(decision.body).toContain('name="outcomes-0-items"');
  });

  it("an unreadable document, or none: 400 with the error summary at the file input, nothing written", async () => {
    const w = (world = await setUpDraftingWorld(t));
    for (const [name, bytes] of [
      ["not-really.docx", fixture("bad/not-really.docx")],
      ["junk.bin", fixture("bad/junk.bin")],
      ["empty.txt", new Uint8Array()],
    ] as const) {
      const response = await upload(w, name, bytes, "application/octet-stream");
      expect(response.statusCode, name).toBe(400);
      const [[message, href]] = errorSummaryOf(response.body) as [[string, string]];
      expect(href, name).toBe("#document");
      expect(message, name).toMatch(
        name === "empty.txt" ? /Select a document/ : /could not be read as a decision record/,
      );
    }
    const forged = await upload(
      w,
      "cab.txt",
      fixture("text/cab-41-25-flood-strategy.txt"),
      "text/plain",
      "forged",
    );
    expect(forged.statusCode).toBe(403);
    const form = multipartForm(
      { _csrf: w.sessions.officer.csrf },
      {
        name: "document",
        fileName: "cab.txt",
        type: "text/plain",
        bytes: fixture("text/cab-41-25-flood-strategy.txt"),
      },
    );
    const anonymous = await w.app.inject({ method: "POST", url: "/workspace/drafts/upload", ...form });
    expect(anonymous.statusCode).toBe(401);
    expect(await t.db.selectFrom("decision").select("id").execute()).toEqual([]);
  });

  it("a document larger than the limit is refused with the limit named", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const big = new Uint8Array(20 * 2 ** 20 + 10).fill(0x61);
    const response = await upload(w, "big.txt", big, "text/plain");
    expect(response.statusCode).toBe(413);
    expect(errorSummaryOf(response.body)).toEqual([["The document must be smaller than 20 MB", "#document"]]);
  });
});

describe("urgency, discarding and corrections", () => {
  it("an urgent draft waits for the scrutiny chair's consent, then is published not subject to call-in", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const id = await individualDraft(w, "Emergency home care contract");
    const urgent = await w.post("officer", `/workspace/drafts/${id}/urgency`, {
      urgent: "yes",
      urgencyReason: "The current provider ceases trading on 1 December.",
    });
    expect(urgent.statusCode).toBe(303);
    expect((await w.get("officer", `/workspace/drafts/${id}`)).body).toContain("Awaiting consent");
    const list = await w.get("scrutiny-chair", "/workspace/drafts");
    expect(list.body).toContain("Awaiting urgency consent");
    expect(list.body).toContain(`/workspace/drafts/${id}/urgency-consent`);
    const publish = await w.get("proper-officer", `/workspace/drafts/${id}/publish`);
    expect(publish.body).toContain("must consent before it is published");
    const date = {
      "publishedOn-day": "24",
      "publishedOn-month": "11",
      "publishedOn-year": "2026",
      action: "publish",
    };
    expect((await w.post("proper-officer", `/workspace/drafts/${id}/publish`, date)).statusCode).toBe(409);
    expect((await w.get("officer", `/workspace/drafts/${id}/urgency-consent`)).statusCode).toBe(403);
    expect((await w.post("officer", `/workspace/drafts/${id}/urgency-consent`)).statusCode).toBe(403);

    const consentPage = await w.get("scrutiny-chair", `/workspace/drafts/${id}/urgency-consent`);
    expect(consentPage.body).toContain("The current provider ceases trading on 1 December.");
    const consent = await w.post("scrutiny-chair", `/workspace/drafts/${id}/urgency-consent`);
    expect(consent.statusCode).toBe(303);
    expect(consent.headers.location).toBe("/workspace/drafts");
    expect((await w.get("scrutiny-chair", "/workspace/drafts")).body).toContain(
      "You consented to the urgency",
    );
    const checked = await w.get("proper-officer", `/workspace/drafts/${id}/publish`);
    expect(checked.body).toContain("Not subject to call-in");
    expect((await w.post("proper-officer", `/workspace/drafts/${id}/publish`, date)).statusCode).toBe(303);
    const page = await w.get(null, `/decisions/${id}`);
    expect(page.body).toContain("This decision is not subject to call-in.");
    expect(page.body).toContain("Sam Scrutiny");
  });

  it("a draft discarded after confirming is gone; the confirm page changes nothing", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const id = await individualDraft(w, "Home care contract");
    const confirm = await w.get("officer", `/workspace/drafts/${id}/discard`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Discard this draft?");
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(1);
    const discarded = await w.post("officer", `/workspace/drafts/${id}/discard`);
    expect(discarded.statusCode).toBe(303);
    expect((await w.get("officer", "/workspace/drafts")).body).toContain(
      "Draft “Home care contract” discarded",
    );
    expect(await t.db.selectFrom("decision").select("id").execute()).toEqual([]);
    expect((await w.get("officer", `/workspace/drafts/${id}`)).statusCode).toBe(404);
  });

  it("a published record is corrected with a reason: a new version, shown on the public page", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const id = await individualDraft(w, "Home care contarct");
    expect((await w.get("officer", `/workspace/decisions/${id}/correct`)).headers.location).toBe(
      `/workspace/drafts/${id}`,
    );
    const date = {
      "publishedOn-day": "24",
      "publishedOn-month": "11",
      "publishedOn-year": "2026",
      action: "publish",
    };
    expect((await w.post("proper-officer", `/workspace/drafts/${id}/publish`, date)).statusCode).toBe(303);

    const form = await w.get("officer", `/workspace/decisions/${id}/correct`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Home care contarct"');
    expect(form.body).toContain("that the contract be awarded to Tees Valley Care Ltd.");
    const fields = {
      title: "Home care contract",
      record: "",
      "outcomes-0-kind": "RESOLVED",
      "outcomes-0-text": "that the contract be awarded to Tees Valley Care Ltd.",
      "outcomes-0-items": "",
      reasons: "",
      alternatives: "",
      conflictsOfInterest: "",
      dispensations: "",
    };
    const noReason = await w.post("officer", `/workspace/decisions/${id}/correct`, { ...fields, reason: "" });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummaryOf(noReason.body)).toEqual([["Enter the reason for the correction", "#reason"]]);
    expect((await w.post("councillor", `/workspace/decisions/${id}/correct`, fields)).statusCode).toBe(403);

    const corrected = await w.post("officer", `/workspace/decisions/${id}/correct`, {
      ...fields,
      reason: "The title was misspelt.",
    });
    expect(corrected.statusCode).toBe(303);
    expect(corrected.headers.location).toBe(`/decisions/${id}#versions`);
    const page = await w.get(null, `/decisions/${id}`);
    expect(page.body).toContain("Home care contract");
    expect(page.body).not.toContain("Home care contarct"); // the page shows the current version
    expect(page.body).toContain("Reason for correction: The title was misspelt.");
    const version = await t.db
      .selectFrom("decisionVersion")
      .select(["version", "createdBy"])
      .where("decisionId", "=", id)
      .orderBy("version", "desc")
      .executeTakeFirstOrThrow();
    expect(version).toEqual({
      version: 2,
      createdBy: expect.stringMatching(/^account \d+ \(officer@council.example\)$/),
    });
  });
});
