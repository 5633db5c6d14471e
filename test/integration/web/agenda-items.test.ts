import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../../src/services/accounts/index.js";
import { useTestDatabase } from "../backends.js";
import { errorSummaryOf, recordMeeting, setUpDraftingWorld, type DraftingWorld } from "./drafting-setup.js";

// Agenda items: officers add them to a meeting (workspace or API), draft the decision taken on one, and the
// public meeting page files the published decision under its item.

const t = useTestDatabase({ reset: "manual" });
let w: DraftingWorld;

beforeAll(async () => {
  await t.resetDatabase();
  w = await setUpDraftingWorld(t);
});

afterAll(async () => {
  await w?.app.close();
});

describe("agenda items", () => {
  it("are added on the meeting's workspace page, and a draft started from one is filed under it", async () => {
    const meetingId = await recordMeeting(w, "2026-11-19");
    const empty = await w.post("officer", `/workspace/meetings/${meetingId}/agenda`, { title: "  " });
    expect(empty.statusCode).toBe(400);
    expect(errorSummaryOf(empty.body)).toEqual([["Enter the item&#39;s title, as on the agenda", "#title"]]);
    const added = await w.post("officer", `/workspace/meetings/${meetingId}/agenda`, {
      number: "CAB/41/26",
      title: "Library opening hours",
      exemptParagraph: "",
    });
    expect(added.statusCode).toBe(303);
    const agenda = await w.get("officer", `/workspace/meetings/${meetingId}`);
    expect(agenda.body).toContain("Agenda item added");
    expect(agenda.body).toContain("CAB/41/26");
    const itemId = Number(/item=(\d+)/.exec(agenda.body)?.[1]);
    expect(itemId).toBeGreaterThan(0);

    const form = await w.get("officer", `/workspace/drafts/new?meeting=${meetingId}&item=${itemId}`);
    expect(form.body).toContain('value="Library opening hours"');
    const started = await w.post("officer", "/workspace/drafts/new", {
      title: "Library opening hours",
      meetingId: String(meetingId),
      agendaItemId: String(itemId),
    });
    expect(started.statusCode).toBe(303);
    const decision = await t.db
      .selectFrom("decision")
      .select(["id", "agendaItemId", "meetingId"])
      .executeTakeFirstOrThrow();
    expect(decision).toMatchObject({ agendaItemId: itemId, meetingId });

    // Published, the meeting's public page shows it under its item.
    const outcome = await w.post("officer", `/workspace/drafts/${decision.id}/decision`, {
      record: "Consideration was given to a report on library opening hours.",
      "outcomes-0-kind": "RESOLVED",
      "outcomes-0-text": "that the revised hours be approved.",
      "outcomes-0-items": "",
    });
    expect(outcome.statusCode).toBe(303);
    const publish = await w.get("proper-officer", `/workspace/drafts/${decision.id}/publish`);
    const fields: Record<string, string> = {};
    for (const [, name, value] of publish.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
      fields[name!] = value!;
    expect(
      (await w.post("proper-officer", `/workspace/drafts/${decision.id}/publish`, fields)).statusCode,
    ).toBe(303);
    const page = await w.get(null, `/meetings/${meetingId}`);
    const agendaSection = /class="govuk-list app-agenda"[\s\S]*?<\/ol>/.exec(page.body)?.[0] ?? "";
    expect(agendaSection).toContain("Library opening hours");
    expect(agendaSection).toContain(`/decisions/${decision.id}`);
  });

  it("through the API: 201 with the item; a draft names it; an item of another meeting is a 400 naming the field", async () => {
    const token = (await createApiToken(t.database, "officer@council.example", "agenda", "test")).token;
    const auth = { authorization: `Bearer ${token}` };
    const meetings = await Promise.all(
      ["2026-12-10", "2026-12-17"].map(async (date) => {
        const made = await w.app.inject({
          method: "POST",
          url: "/api/v1/meetings",
          headers: auth,
          payload: { body: "Cabinet", date },
        });
        expect(made.statusCode).toBe(201);
        return made.json().data.id as number;
      }),
    );
    const item = await w.app.inject({
      method: "POST",
      url: `/api/v1/meetings/${meetings[0]}/agenda-items`,
      headers: auth,
      payload: { number: "7", title: "Street lighting", exemptParagraph: 3 },
    });
    expect(item.statusCode).toBe(201);
    expect(item.json().data).toMatchObject({
      position: 1,
      number: "7",
      title: "Street lighting",
      exemptParagraph: 3,
    });
    const itemId = item.json().data.id as number;
    const missing = await w.app.inject({
      method: "POST",
      url: "/api/v1/meetings/99999/agenda-items",
      headers: auth,
      payload: { title: "X" },
    });
    expect(missing.statusCode).toBe(404);

    const base = {
      title: "Street lighting",
      outcomes: [{ kind: "RESOLVED", text: "that the lights be replaced.", items: [] }],
    };
    const wrong = await w.app.inject({
      method: "POST",
      url: "/api/v1/decisions",
      headers: auth,
      payload: { ...base, meetingId: meetings[1], agendaItemId: itemId },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe("agendaItemId");
    const draft = await w.app.inject({
      method: "POST",
      url: "/api/v1/decisions",
      headers: auth,
      payload: { ...base, agendaItemId: itemId },
    });
    expect(draft.statusCode).toBe(201);
    expect(draft.json().data).toMatchObject({ meetingId: meetings[0], agendaItemId: itemId });
  });
});
