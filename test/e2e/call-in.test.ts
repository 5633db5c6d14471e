import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import type { Role } from "../../src/domain/roles.js";
import { actorFor, createAccount } from "../../src/services/accounts/index.js";
import { setCouncilRule } from "../../src/services/councils/index.js";
import { createDraft, publishDecision } from "../../src/services/drafting/index.js";
import type { Database } from "../../src/storage/database.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// Call-in online in Chromium, with JavaScript on and off: a councillor starts a request, two others sign it and
// the decision is called in; an officer sees the open requests; the scrutiny chair records the outcome. Every
// page passes axe (run with JavaScript on: axe is a script in the page).

const PASSWORD = "a long enough passphrase to sign in";
/** Tuesday 24 November 2026, 10am: call-in of decisions published on Monday 23 November is open. */
const NOW = new Date("2026-11-24T10:00:00Z");
const decisions: Record<"on" | "off", number> = { on: 0, off: 0 };

async function addAccount(database: Database, role: Role, name: string) {
  const account = await createAccount(database, {
    email: `${name.toLowerCase().replace(/\W+/g, ".")}@council.example`,
    name,
    roles: [role],
    password: PASSWORD,
    actor: "test:e2e",
    ...(role === "councillor" && { ward: "Norton North", party: "Independent" }),
  });
  return actorFor(account);
}

describeInBrowser("call-in online, in a browser", () => {
  const server = useTestServer({
    now: () => NOW,
    async setup(_app, database) {
      const officer = await addAccount(database, "officer", "Olive Officer");
      const properOfficer = await addAccount(database, "proper-officer", "Peter Proper");
      await addAccount(database, "scrutiny-chair", "Sam Scrutiny");
      for (const name of ["Ann Able", "Bob Baker", "Cath Cole"])
        await addAccount(database, "councillor", name);
      await setCouncilRule(database.db, "stockton-on-tees", { minCallInSignatories: 3 }, "test:e2e");
      await database.db
        .insertInto("body")
        .values({ councilId: officer.councilId, name: "Cabinet", kind: "executive" })
        .execute();
      for (const mode of ["on", "off"] as const) {
        const draft = await createDraft(
          database,
          {
            body: "Cabinet",
            meetingDate: "2026-11-19",
            title: `Library opening hours (JavaScript ${mode})`,
            outcomes: [{ kind: "RESOLVED", text: "that the new opening hours be approved.", items: [] }],
          },
          officer,
        );
        await publishDecision(
          database,
          draft.id,
          { publishedOn: "2026-11-23", now: new Date("2026-11-23T09:00:00Z") },
          properOfficer,
        );
        decisions[mode] = draft.id;
      }
    },
  });
  const browser = useBrowser();

  async function signedIn(name: string, javaScriptEnabled: boolean): Promise<Page> {
    const page = await browser.newPage({ javaScriptEnabled });
    await page.goto(server.url("/sign-in"));
    await page.fill("#email", `${name.toLowerCase().replace(/\W+/g, ".")}@council.example`);
    await page.fill("#password", PASSWORD);
    await page.click("main button[type=submit]");
    expect(new URL(page.url()).pathname).toBe("/workspace");
    return page;
  }

  for (const javaScriptEnabled of [true, false]) {
    const mode = javaScriptEnabled ? "on" : "off";
    it(`starts and signs a request, lists it, records scrutiny's outcome (JavaScript ${mode})`, async () => {
      const id = decisions[mode];
      const axe = async (page: Page) => {
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      };

      // The public page links councillors to the call-in page.
      const ann = await signedIn("Ann Able", javaScriptEnabled);
      await ann.goto(server.url(`/decisions/${id}`));
      await ann.click("text=Councillors: start or sign a call-in request");
      expect(new URL(ann.url()).pathname).toBe(`/workspace/decisions/${id}/call-in`);
      await axe(ann);

      // Nothing chosen: the error summary.
      await ann.click("text=Start the request and sign it");
      await expect(ann.textContent(".govuk-error-summary")).resolves.toContain(
        "Select at least one principle",
      );
      await axe(ann);

      // With JavaScript, the explanation appears when its principle is checked; without, it is always there.
      await ann.check('input[name="principles"][value="consultation-and-advice"]');
      await ann.fill("#explanation-consultation-and-advice", "Library users were not consulted.");
      await ann.click("text=Start the request and sign it");
      expect(new URL(ann.url()).pathname).toBe(`/workspace/decisions/${id}/call-in`);
      await expect(ann.textContent(".govuk-notification-banner")).resolves.toContain(
        "Call-in request started",
      );
      await expect(ann.textContent("main")).resolves.toContain("Gathering signatures: 1 of 3 needed");
      await axe(ann);
      await ann.context().close();

      for (const name of ["Bob Baker", "Cath Cole"]) {
        const page = await signedIn(name, javaScriptEnabled);
        await page.goto(server.url(`/workspace/decisions/${id}/call-in`));
        await page.click("main button:has-text('Sign this request')");
        await expect(page.textContent(".govuk-notification-banner")).resolves.toMatch(
          name === "Bob Baker" ? /You have signed the call-in request/ : /The decision is called in/,
        );
        await axe(page);
        await page.context().close();
      }

      const officer = await signedIn("Olive Officer", javaScriptEnabled);
      await officer.click("text=Open call-in requests");
      expect(new URL(officer.url()).pathname).toBe("/workspace/call-ins");
      await expect(officer.textContent("#called-in + table, main")).resolves.toContain(
        `Library opening hours (JavaScript ${mode})`,
      );
      await axe(officer);
      await officer.context().close();

      const chair = await signedIn("Sam Scrutiny", javaScriptEnabled);
      await chair.goto(server.url("/workspace/call-ins"));
      await chair.click(`a[href="/workspace/decisions/${id}/scrutiny-outcome"]`);
      await axe(chair);
      await chair.check('input[name="outcome"][value="confirmed"]');
      await chair.click("text=Record the outcome");
      expect(new URL(chair.url()).pathname).toBe("/workspace/call-ins");
      await expect(chair.textContent(".govuk-notification-banner")).resolves.toContain(
        "Scrutiny outcome recorded",
      );
      await axe(chair);
      await chair.goto(server.url(`/decisions/${id}`));
      await expect(chair.textContent("main")).resolves.toMatch(
        /Overview and scrutiny let the decision stand\s+on 24 November 2026/,
      );
      await chair.context().close();
    });
  }
});
