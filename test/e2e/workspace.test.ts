import { expect, it } from "vitest";
import { createAccount } from "../../src/services/accounts/index.js";
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
