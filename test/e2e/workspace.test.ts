import { expect, it } from "vitest";
import { createAccount, createApiToken } from "../../src/services/accounts/index.js";
import { importExampleRecordsIfEmpty } from "../../src/services/register/index.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// Signing in and the workspace in Chromium, without JavaScript as with it: the forms post, the pages pass axe.

const PASSWORD = "a long enough passphrase to sign in";

describeInBrowser("signing in, in a browser", () => {
  const server = useTestServer({
    async setup(_app, database) {
      await createAccount(database, {
        email: "officer@council.example",
        name: "Dana Officer",
        roles: ["officer", "proper-officer"],
        password: PASSWORD,
        actor: "test:e2e",
      });
    },
  });
  const browser = useBrowser();

  for (const javaScriptEnabled of [true, false]) {
    it(`signs in from the workspace link and out again (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
      const page = await browser.newPage({ javaScriptEnabled });
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await page.goto(server.url("/workspace"));
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      if (javaScriptEnabled) await expectNoAxeViolations(page); // axe runs as a script in the page

      // A wrong password: the error summary, and nothing said about whether the email is known.
      await page.fill("#email", "officer@council.example");
      await page.fill("#password", "not the password at all");
      await page.click("main button[type=submit]");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain(
        "Enter a correct email address and password",
      );
      if (javaScriptEnabled) await expectNoAxeViolations(page); // axe runs as a script in the page

      await page.fill("#email", "officer@council.example");
      await page.fill("#password", PASSWORD);
      await page.click("main button[type=submit]");
      expect(new URL(page.url()).pathname).toBe("/workspace");
      await expect(page.textContent("main")).resolves.toContain("Dana Officer");
      await expect(page.textContent("main")).resolves.toContain("Proper Officer");
      if (javaScriptEnabled) await expectNoAxeViolations(page); // axe runs as a script in the page

      await page.click("text=Sign out");
      expect(new URL(page.url()).pathname).toBe("/");
      await page.goto(server.url("/workspace"));
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      expect(problems.filter((p) => !/status of 40[01]/.test(p))).toEqual([]);
      await page.context().close();
    });
  }
});

describeInBrowser("the admin's pages, in a browser", () => {
  const server = useTestServer({
    now: () => new Date("2026-11-22T12:00:00Z"),
    async setup(_app, database) {
      await importExampleRecordsIfEmpty(database, { actor: "test:e2e" });
      await createAccount(database, {
        email: "admin@council.example",
        name: "Alex Admin",
        roles: ["admin"],
        password: PASSWORD,
        actor: "test:e2e",
      });
      await createAccount(database, {
        email: "olive.officer@council.example",
        name: "Olive Officer",
        roles: ["officer"],
        password: PASSWORD,
        actor: "test:e2e",
      });
      await createApiToken(database, "olive.officer@council.example", "nightly export", "test:e2e");
    },
  });
  const browser = useBrowser();

  /** A page signed in as the admin (sent to sign in on the way to `path`), and the script errors it logs. */
  async function adminPage(javaScriptEnabled: boolean, path: string) {
    const page = await browser.newPage({ javaScriptEnabled });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(server.url(path));
    await page.fill("#email", "admin@council.example");
    await page.fill("#password", PASSWORD);
    await page.click("main button[type=submit]");
    return { page, problems };
  }

  it("people and council settings pass axe, and their forms work without JavaScript", async () => {
    const aldridge = await server.database.db
      .selectFrom("person")
      .select("id")
      .where("name", "=", "Margaret Aldridge")
      .executeTakeFirstOrThrow();
    for (const javaScriptEnabled of [true, false]) {
      const { page, problems } = await adminPage(javaScriptEnabled, "/workspace/people");
      expect(new URL(page.url()).pathname).toBe("/workspace/people");
      await expect(page.textContent("main")).resolves.toContain("Helen Whitfield");

      for (const path of [
        "/workspace/people",
        "/workspace/people/new",
        `/workspace/people/${aldridge.id}`,
        "/workspace/council",
      ]) {
        await page.goto(server.url(path));
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      }

      // A membership with its end before its start: the error summary, linking to the field.
      await page.goto(server.url(`/workspace/people/${aldridge.id}`));
      await page.selectOption("#body", { label: "Cabinet" });
      await page.fill("#from-day", "1");
      await page.fill("#from-month", "6");
      await page.fill("#from-year", "2019");
      await page.fill("#to-day", "1");
      await page.fill("#to-month", "5");
      await page.fill("#to-year", "2019");
      await page.click("text=Add membership");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain(
        "The end date must be the same as or after the start date",
      );
      await expect(page.locator(".govuk-error-summary a").getAttribute("href")).resolves.toBe("#to-day");
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // Then a real one: back to the page with a success banner.
      await page.fill("#from-year", "2015");
      await page.fill("#to-year", "2019");
      await page.click("text=Add membership");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain(
        "Membership of Cabinet has been added",
      );
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await server.database.db.deleteFrom("bodyMembership").where("startedOn", "=", "2015-06-01").execute();

      // The council settings: a bad time, then saved.
      await page.goto(server.url("/workspace/council"));
      await page.check("#cutoff-3");
      await page.fill("#cutoff-time", "25:00");
      await page.click("text=Save settings");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain("Enter the time as HH:MM");
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.fill("#cutoff-time", "16:00");
      await page.click("text=Save settings");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain(
        "settings have been saved",
      );
      expect(problems.filter((p) => !/status of 40[01]/.test(p))).toEqual([]);
      await page.context().close();
    }
  });

  it("the accounts pages pass axe, and their forms work without JavaScript", async () => {
    const olive = await server.database.db
      .selectFrom("account")
      .select("id")
      .where("email", "=", "olive.officer@council.example")
      .executeTakeFirstOrThrow();
    for (const javaScriptEnabled of [true, false]) {
      const { page, problems } = await adminPage(javaScriptEnabled, "/workspace");
      await page.click("text=Accounts: who signs in");
      expect(new URL(page.url()).pathname).toBe("/workspace/accounts");
      await expect(page.textContent("main")).resolves.toContain("Olive Officer");

      for (const path of [
        "/workspace/accounts",
        "/workspace/accounts/new",
        `/workspace/accounts/${olive.id}`,
        `/workspace/accounts/${olive.id}/disable`,
      ]) {
        await page.goto(server.url(path));
        if (javaScriptEnabled) await expectNoAxeViolations(page);
      }

      // A new account with a common password: the error summary links to the field.
      const email = `sam.${javaScriptEnabled ? "js" : "nojs"}@council.example`;
      await page.goto(server.url("/workspace/accounts/new"));
      await page.fill("#email", email);
      await page.fill("#name", "Sam Scrutiny");
      await page.check("input[name=roles][value=scrutiny-chair]");
      await page.check("input[name=sign-in][value=password]");
      await page.fill("#password", "Password123!");
      await page.click("text=Add account");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain("one of the most common");
      await expect(page.locator(".govuk-error-summary a").getAttribute("href")).resolves.toBe("#password");
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // Then a good one: the account's page, with a success banner.
      await page.fill("#password", "marble lantern river quietly");
      await page.click("text=Add account");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain(
        "An account for Sam Scrutiny has been added",
      );
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // Roles changed, a token revoked, then the account disabled after the confirmation page, and enabled.
      await page.goto(server.url(`/workspace/accounts/${olive.id}`));
      // Proper Officer added in the first pass, taken away in the second.
      await page.setChecked("input[name=roles][value=proper-officer]", javaScriptEnabled);
      await page.click("text=Save roles");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain(
        "roles have been saved",
      );
      if (!javaScriptEnabled) {
        await page.click("button:has-text('Revoke')");
        await expect(page.textContent(".govuk-notification-banner")).resolves.toContain("has been revoked");
      }
      await page.click("main a:has-text('Disable this account')");
      expect(new URL(page.url()).pathname).toBe(`/workspace/accounts/${olive.id}/disable`);
      await page.click("main button:has-text('Disable account')");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain("has been disabled");
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.click("main button:has-text('Enable this account')");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain("has been enabled");
      expect(problems.filter((p) => !/status of 40[01]/.test(p))).toEqual([]);
      await page.context().close();
    }
  });
});
