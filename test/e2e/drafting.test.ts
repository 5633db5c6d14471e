import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { actorFor, createAccount } from "../../src/services/accounts/index.js";
import { createDraft } from "../../src/services/drafting/index.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// The workspace's drafting pages in Chromium: every page type passes axe (JavaScript on, as axe runs in the
// page), and the whole flow from a meeting to the public page works with JavaScript off as with it on.

const PASSWORD = "a long enough passphrase to sign in";
const NOW = new Date("2026-11-24T10:00:00Z");
const SECTIONS = [
  "title",
  "decision",
  "reasons",
  "alternatives",
  "declarations",
  "dispensations",
  "key-decision",
  "exempt-information",
  "urgency",
];

describeInBrowser("drafting and publishing, in a browser", () => {
  let urgentDraftId = 0;
  const server = useTestServer({
    now: () => NOW,
    async setup(_app, database) {
      const officer = await createAccount(database, {
        email: "dana@council.example",
        name: "Dana Officer",
        roles: ["officer", "proper-officer"],
        password: PASSWORD,
        actor: "test:e2e",
      });
      await createAccount(database, {
        email: "chair@council.example",
        name: "Sam Scrutiny",
        roles: ["scrutiny-chair"],
        password: PASSWORD,
        actor: "test:e2e",
      });
      const cabinet = await database.db
        .insertInto("body")
        .values({ councilId: officer.councilId, name: "Cabinet", kind: "executive" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const jane = await database.db
        .insertInto("person")
        .values({
          councilId: officer.councilId,
          name: "Jane Smith",
          role: "councillor",
          ward: "Bishopsgarth",
          party: "Labour",
          jobTitle: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await database.db
        .insertInto("bodyMembership")
        .values({
          bodyId: cabinet.id,
          personId: jane.id,
          role: "member",
          startedOn: "2025-05-20",
          endedOn: null,
        })
        .execute();
      const urgent = await createDraft(
        database,
        {
          body: "Cabinet Member for Adult Social Care",
          meetingDate: "2026-11-20",
          title: "Emergency home care contract",
          outcomes: [{ kind: "RESOLVED", text: "that the contract be awarded.", items: [] }],
          urgencyReason: "The current provider ceases trading on 1 December.",
        },
        actorFor(officer),
      );
      urgentDraftId = urgent.id;
    },
  });
  const browser = useBrowser();

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(server.url("/sign-in"));
    await page.fill("#email", email);
    await page.fill("#password", PASSWORD);
    await page.click("main button[type=submit]");
    expect(new URL(page.url()).pathname).toBe("/workspace");
  }

  const path = (page: Page) => new URL(page.url()).pathname;

  for (const javaScriptEnabled of [true, false]) {
    it(`a meeting, a draft, its sections, preview and publication (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const page = await browser.newPage({ javaScriptEnabled });
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      const axe = async () => {
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      };
      const day = javaScriptEnabled ? "19" : "18";
      await signIn(page, "dana@council.example");
      await page.click("main a:text-is('Meetings')");
      expect(path(page)).toBe("/workspace/meetings");
      await axe();

      await page.click("text=Record a meeting");
      await page.click("main button[type=submit]");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain("Select the body that meets");
      await axe();
      await page.selectOption("#body", "Cabinet");
      await page.fill("#date-day", day);
      await page.fill("#date-month", "11");
      await page.fill("#date-year", "2026");
      await page.click("main button[type=submit]");
      expect(path(page)).toBe("/workspace/meetings");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain("recorded");

      await page.goto(server.url("/workspace/drafts/new"));
      await axe();
      await page.fill("#title", `Children's Services Strategy (${day})`);
      await page.selectOption("#meetingId", { label: `Cabinet, ${day} November 2026` });
      await page.click("button:text-is('Create the draft')");
      const draftPath = path(page);
      expect(draftPath).toMatch(/^\/workspace\/drafts\/\d+$/);
      await axe();

      for (const section of SECTIONS) {
        await page.goto(server.url(`${draftPath}/${section}`));
        expect(await page.textContent("h1")).toBeTruthy();
        await axe();
      }
      await page.goto(server.url(`${draftPath}/decision`));
      await page.fill("#outcomes-0-text", "");
      await page.click("main button[type=submit]");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain("Enter the decision");
      await axe();
      await page.fill("#outcomes-0-text", "that:");
      await page.fill("#outcomes-0-items", "the strategy be approved;\nprogress be reported in March 2027.");
      await page.click("main button[type=submit]");
      expect(path(page)).toBe(draftPath);
      await page.goto(server.url(`${draftPath}/declarations`));
      await page.selectOption("#declarations-0-personId", { label: "Jane Smith" });
      await page.fill("#declarations-0-nature", "as a governor of Northfield School");
      await page.click("main button[type=submit]");
      expect(path(page)).toBe(draftPath);

      await page.click("text=Preview the record");
      await expect(page.textContent("main")).resolves.toContain("Draft — not published");
      await expect(page.textContent("main")).resolves.toContain(
        "Councillor Jane Smith declared a personal interest",
      );
      await axe();
      await page.click("main a:text-is('Publish')");
      await axe();
      await page.click("button:text-is('Publish the decision record')");
      expect(path(page)).toBe(draftPath.replace("/workspace/drafts/", "/decisions/"));
      await expect(page.textContent("main")).resolves.toContain("Midnight, 30 November 2026");

      await page.goto(server.url(`${draftPath.replace("drafts", "decisions")}/correct`));
      await axe();
      await page.fill("#reason", "The title gave the wrong years.");
      await page.fill("#title", `Children's Services Strategy 2026-29 (${day})`);
      await page.click("button:text-is('Publish the correction')");
      await expect(page.textContent("main")).resolves.toContain(
        "Reason for correction: The title gave the wrong years.",
      );

      await page.goto(server.url("/workspace/drafts"));
      await axe();
      await page.goto(server.url(`/workspace/drafts/${urgentDraftId}/discard`));
      await axe();
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it("the scrutiny chair's consent page passes axe and consents", async () => {
    const page = await browser.newPage();
    await signIn(page, "chair@council.example");
    await page.click("text=Draft decision records");
    await page.click("text=Consider consent");
    await expect(page.textContent("main")).resolves.toContain(
      "The current provider ceases trading on 1 December.",
    );
    await expectNoAxeViolations(page);
    await page.click("button:text-is('I consent to the urgency')");
    expect(path(page)).toBe("/workspace/drafts");
    await expect(page.textContent(".govuk-notification-banner")).resolves.toContain("You consented");
    await expectNoAxeViolations(page);
    await page.context().close();
  });
});
