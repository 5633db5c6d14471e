import { afterEach, describe, expect, it } from "vitest";
import { useTestDatabase } from "../backends.js";
import {
  type DraftingWorld,
  draftIdFrom,
  errorSummaryOf,
  recordMeeting,
  setUpDraftingWorld,
} from "./drafting-setup.js";
import { postForm } from "./sign-in-helper.js";

// The workspace's drafting pages through HTTP, as a browser without JavaScript uses them: forms posted with the
// session's CSRF token, 303 after each change, 400 with the error summary naming the input at fault.

const t = useTestDatabase();
let world: DraftingWorld | undefined;
afterEach(async () => {
  await world?.app.close();
  world = undefined;
});

const TITLE = "Children's Services Strategy 2026-29";

/** A meeting of 19 November 2026 and a draft under it, with a title only. */
async function draftUnderMeeting(w: DraftingWorld): Promise<{ meetingId: number; id: number }> {
  const meetingId = await recordMeeting(w, "2026-11-19");
  const created = await w.post("officer", "/workspace/drafts/new", {
    title: TITLE,
    meetingId: String(meetingId),
  });
  return { meetingId, id: draftIdFrom(created) };
}

/** Fills in every section of draft `id` through its pages. */
async function completeSections(w: DraftingWorld, id: number): Promise<void> {
  const sections: [string, Record<string, string>][] = [
    ["title", { title: TITLE, recordId: "CAB/52/26" }],
    [
      "decision",
      {
        record: "Consideration was given to a report on the Children's Services Strategy 2026-29.",
        "outcomes-0-kind": "RESOLVED",
        "outcomes-0-text": "that:",
        "outcomes-0-items": "the strategy be approved;\r\nprogress be reported to Cabinet in March 2027.",
        "outcomes-1-kind": "RESOLVED",
        "outcomes-1-text": "",
        "outcomes-1-items": "",
      },
    ],
    ["reasons", { reasons: "To set the council's priorities for children and young people." }],
    ["alternatives", { alternatives: "None." }],
    [
      "declarations",
      {
        "declarations-0-personId": String(w.janeId),
        "declarations-0-category": "personal",
        "declarations-0-nature": "as a governor of Northfield School",
        "declarations-1-personId": "",
        "declarations-1-category": "personal",
        "declarations-1-nature": "",
        conflictsOfInterest: "",
      },
    ],
    [
      "dispensations",
      {
        "dispensationGrants-0-personName": "Councillor Jane Smith",
        "dispensationGrants-0-grantedBy": "the Monitoring Officer",
        "dispensationGrants-0-scope": "to speak and vote on the item",
        dispensations: "",
      },
    ],
    ["key-decision", { keyDecision: "yes" }],
    ["exempt-information", { exemptParagraph: "none" }],
    ["urgency", { urgent: "no", urgencyReason: "" }],
  ];
  for (const [slug, fields] of sections) {
    const response = await w.post("officer", `/workspace/drafts/${id}/${slug}`, fields);
    expect(response.statusCode, `${slug}: ${JSON.stringify(errorSummaryOf(response.body))}`).toBe(303);
    expect(response.headers.location).toBe(`/workspace/drafts/${id}`);
  }
}

describe("drafting and publishing in the workspace", () => {
  it("a meeting, a draft section by section, its preview, publication by the Proper Officer, the public page", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const form = await w.get("officer", "/workspace/meetings/new");
    expect(form.statusCode).toBe(200);
    expect(form.headers["cache-control"]).toBe("no-store");
    expect(form.body).toContain('<option value="Cabinet"');
    const { id } = await draftUnderMeeting(w);
    const fresh = await w.get("officer", `/workspace/drafts/${id}`);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain("Draft created"); // the notification after the redirect
    expect(fresh.body).toContain("Incomplete");
    expect((await w.get("officer", `/workspace/drafts/${id}`)).body).not.toContain("Draft created"); // once
    const meetings = await w.get("officer", "/workspace/meetings");
    expect(meetings.body).toContain("Council Chamber, Municipal Buildings");

    await completeSections(w, id);
    const taskList = await w.get("officer", `/workspace/drafts/${id}`);
    expect(taskList.body).not.toContain("Incomplete");
    expect(taskList.body).toContain("Every section is complete");
    const declarations = await w.get("officer", `/workspace/drafts/${id}/declarations`);
    expect(declarations.body).toMatch(new RegExp(`<option value="${w.janeId}" selected>Jane Smith</option>`));
    expect(declarations.body).toContain('value="as a governor of Northfield School"');
    const drafts = await w.get("officer", "/workspace/drafts");
    expect(drafts.body).toContain(TITLE.replace("'", "&#39;"));

    // The preview, as the public page will show it; officers cannot publish from it, the Proper Officer can.
    const preview = await w.get("officer", `/workspace/drafts/${id}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Draft — not published");
    expect(preview.body).toContain("progress be reported to Cabinet in March 2027.");
    expect(preview.body).toContain(
      "Councillor Jane Smith declared a personal interest: as a governor of Northfield School.",
    );
    expect(preview.body).toContain(
      "Councillor Jane Smith was granted a dispensation by the Monitoring Officer: to speak and vote on the item.",
    );
    expect(preview.body).not.toContain(`/workspace/drafts/${id}/publish`);
    expect((await w.get("proper-officer", `/workspace/drafts/${id}/preview`)).body).toContain(
      `/workspace/drafts/${id}/publish`,
    );
    expect((await w.get(null, `/decisions/${id}`)).statusCode).toBe(404);

    // Publish: today by default (Tue 24 November: call-in until Mon 30 November); another date, checked first.
    const publish = await w.get("proper-officer", `/workspace/drafts/${id}/publish`);
    expect(publish.statusCode).toBe(200);
    expect(publish.body).toMatch(/name="publishedOn-day" type="text" value="24"/);
    expect(publish.body).toContain("Midnight, 30 November 2026");
    const date = { "publishedOn-day": "23", "publishedOn-month": "11", "publishedOn-year": "2026" };
    const check = await w.post("proper-officer", `/workspace/drafts/${id}/publish`, {
      ...date,
      action: "check",
    });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain("Midnight, 27 November 2026");
    expect((await w.get(null, `/decisions/${id}`)).statusCode).toBe(404);
    const published = await w.post("proper-officer", `/workspace/drafts/${id}/publish`, {
      ...date,
      action: "publish",
    });
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe(`/decisions/${id}`);

    const page = await w.get(null, `/decisions/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Midnight, 27 November 2026");
    expect(page.body).toContain("Peter Proper");
    expect(page.body).toMatch(
      /Councillors can call this decision in for scrutiny until <strong>[^<]*27 November 2026/,
    );
    expect(page.body).toContain("progress be reported to Cabinet in March 2027.");

    // Published: the draft pages send readers to the public page, and refuse changes.
    for (const url of [
      `/workspace/drafts/${id}`,
      `/workspace/drafts/${id}/title`,
      `/workspace/drafts/${id}/preview`,
    ]) {
      const response = await w.get("officer", url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location, url).toBe(`/decisions/${id}`);
    }
    expect((await w.post("officer", `/workspace/drafts/${id}/title`, { title: "Changed" })).statusCode).toBe(
      409,
    );
    expect((await w.post("proper-officer", `/workspace/drafts/${id}/publish`, date)).statusCode).toBe(409);
    expect((await w.post("officer", `/workspace/drafts/${id}/discard`)).statusCode).toBe(409);
    const actions = (await t.db.selectFrom("auditLog").select("action").execute()).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "meeting.created",
        "decision.drafted",
        "decision.draft-changed",
        "decision.published",
      ]),
    );
  });

  it("answers 400 with an error summary linking to the field, and writes nothing", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const { id } = await draftUnderMeeting(w);
    const before = await t.db
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", id)
      .execute();
    const auditBefore = (await t.db.selectFrom("auditLog").select("id").execute()).length;

    const emptyTitle = await w.post("officer", `/workspace/drafts/${id}/title`, {
      title: "  ",
      recordId: "",
    });
    expect(emptyTitle.statusCode).toBe(400);
    expect(emptyTitle.headers["cache-control"]).toBe("no-store");
    expect(errorSummaryOf(emptyTitle.body)).toEqual([["Enter the title of the item or report", "#title"]]);
    expect(emptyTitle.body).toMatch(/<title>Error: /);
    expect(emptyTitle.body).toContain('id="title-error"');

    const badDate = await w.post("officer", "/workspace/meetings/new", {
      body: "Cabinet",
      "date-day": "31",
      "date-month": "2",
      "date-year": "2026",
    });
    expect(badDate.statusCode).toBe(400);
    expect(errorSummaryOf(badDate.body)).toEqual([
      ["The date of the meeting must be a real date", "#date-day"],
    ]);
    expect(badDate.body).toContain('value="31"'); // what was typed, shown again

    const sameDay = await w.post("officer", "/workspace/meetings/new", {
      body: "Cabinet",
      "date-day": "19",
      "date-month": "11",
      "date-year": "2026",
    });
    expect(errorSummaryOf(sameDay.body)[0]?.[1]).toBe("#date-day"); // the service's error, at the date

    const outsider = await w.post("officer", `/workspace/drafts/${id}/declarations`, {
      "declarations-0-personId": String(w.janeId),
      "declarations-0-category": "personal",
      "declarations-0-nature": "as a school governor",
      "declarations-1-personId": "",
      "declarations-1-category": "personal",
      "declarations-1-nature": "",
      "declarations-2-personId": String(w.outsiderId),
      "declarations-2-category": "prejudicial",
      "declarations-2-nature": "as the applicant's landlord",
      conflictsOfInterest: "",
    });
    expect(outsider.statusCode).toBe(400);
    const [message, href] = errorSummaryOf(outsider.body)[0]!;
    expect(href).toBe("#declarations-2-personId");
    expect(message).toMatch(/was not a member of the decision maker on the date of the decision/);

    const noOutcome = await w.post("officer", `/workspace/drafts/${id}/decision`, {
      record: "Text",
      "outcomes-0-kind": "RESOLVED",
      "outcomes-0-text": "",
      "outcomes-0-items": "",
    });
    expect(errorSummaryOf(noOutcome.body)[0]?.[1]).toBe("#outcomes-0-text");

    const badPublication = await w.post("proper-officer", `/workspace/drafts/${id}/publish`, {
      "publishedOn-day": "25",
      "publishedOn-month": "11",
      "publishedOn-year": "2026",
      action: "publish",
    });
    expect(badPublication.statusCode).toBe(400);
    expect(errorSummaryOf(badPublication.body)[0]?.[1]).toBe("#publishedOn-day"); // tomorrow: in the future

    const noDraft = await w.post("officer", "/workspace/drafts/new", {
      title: "",
      meetingId: "none",
    });
    expect(errorSummaryOf(noDraft.body).map(([, h]) => h)).toEqual(["#title", "#body", "#decisionDate-day"]);

    const after = await t.db
      .selectFrom("decisionVersion")
      .select("record")
      .where("decisionId", "=", id)
      .execute();
    expect(after).toEqual(before);
    expect((await t.db.selectFrom("auditLog").select("id").execute()).length).toBe(auditBefore);
    expect(await t.db.selectFrom("meeting").select("id").execute()).toHaveLength(1);
    expect(await t.db.selectFrom("decision").select("id").execute()).toHaveLength(1);
  });

  it("refuses a form without the CSRF token, and publication by anyone but the Proper Officer", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const { id } = await draftUnderMeeting(w);
    const officer = w.sessions.officer;
    expect(
      (await postForm(w.app, `/workspace/drafts/${id}/title`, { title: "X" }, officer.cookie)).statusCode,
    ).toBe(403);
    const forged = await postForm(
      w.app,
      "/workspace/meetings/new",
      { _csrf: "forged", body: "Cabinet" },
      officer.cookie,
    );
    expect(forged.statusCode).toBe(403);
    const date = { "publishedOn-day": "24", "publishedOn-month": "11", "publishedOn-year": "2026" };
    for (const role of ["councillor", "officer", "scrutiny-chair", "admin"] as const) {
      expect((await w.get(role, `/workspace/drafts/${id}/publish`)).statusCode, role).toBe(403);
      expect((await w.post(role, `/workspace/drafts/${id}/publish`, date)).statusCode, role).toBe(403);
    }
    expect((await w.get("councillor", `/workspace/drafts/${id}`)).statusCode).toBe(403);
    expect((await w.get("councillor", `/workspace/drafts/${id}/preview`)).statusCode).toBe(403);
    const row = await t.db.selectFrom("decision").select(["title", "status"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ title: TITLE, status: "draft" });
  });

  it("a draft is never public: 404 to everyone on the public page, whoever is signed in", async () => {
    const w = (world = await setUpDraftingWorld(t));
    const { id } = await draftUnderMeeting(w);
    for (const role of [null, "officer", "proper-officer"] as const) {
      expect((await w.get(role, `/decisions/${id}`)).statusCode, String(role)).toBe(404);
      expect((await w.get(role, `/decisions/${id}.pdf`)).statusCode, String(role)).toBe(404);
    }
    expect((await w.get(null, "/decisions")).body).not.toContain(TITLE.replace("'", "&#39;"));
  });
});
