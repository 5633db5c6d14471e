import { expect, it } from "vitest";
import { createAccount } from "../../src/services/accounts/index.js";
import { importExampleRecordsIfEmpty } from "../../src/services/register/index.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// Commitments in Chromium, on the example records. On Friday 15 January 2027 the Q1 performance update's
// next-quarter list (due in 2026-27 Q3) is overdue: the public pages that show it pass axe. Officers sign in on
// 22 November 2026 (a session made in a clock far ahead of the real one would already have expired), when the
// commitments are open: the review page passes axe, and a verdict posts without JavaScript.

const PASSWORD = "a long enough passphrase to sign in";
let now = new Date("2027-01-15T12:00:00Z");
const UPDATE = "Children's Services Performance Update Q1 (April - June 2026)";

describeInBrowser("commitments, in a browser", () => {
  const server = useTestServer({
    now: () => now,
    async setup(_app, database) {
      await importExampleRecordsIfEmpty(database, { actor: "test:e2e" });
      await createAccount(database, {
        email: "officer@council.example",
        name: "Dana Officer",
        roles: ["officer"],
        password: PASSWORD,
        actor: "test:e2e",
      });
    },
  });
  const browser = useBrowser();

  it("shows overdue commitments on the home and decision pages, and takes an officer's verdict", async () => {
    now = new Date("2027-01-15T12:00:00Z");
    const update = await server.database.db
      .selectFrom("decision")
      .select("id")
      .where("title", "=", UPDATE)
      .executeTakeFirstOrThrow();

    const visitor = await browser.newPage();
    await visitor.goto(server.url("/"));
    await expect(visitor.textContent("#overdue-commitments")).resolves.toContain("Overdue commitments");
    await expectNoAxeViolations(visitor);
    await visitor.goto(server.url(`/decisions/${update.id}`));
    await expect(visitor.textContent(".app-commitments")).resolves.toContain("Overdue");
    await expectNoAxeViolations(visitor);
    // The public list, reached from the home page's overdue list.
    await visitor.goto(server.url("/"));
    await visitor.click('#overdue-commitments ~ p a[href="/commitments?status=overdue"]');
    expect(new URL(visitor.url()).pathname).toBe("/commitments");
    await expect(visitor.textContent("h1")).resolves.toBe("Overdue commitments");
    await expectNoAxeViolations(visitor);
    await visitor.goto(server.url("/commitments"));
    await expect(visitor.textContent(".app-commitments")).resolves.toContain("Overdue");
    await expectNoAxeViolations(visitor);
    await visitor.context().close();

    now = new Date("2026-11-22T12:00:00Z");
    for (const javaScriptEnabled of [true, false]) {
      const page = await browser.newPage({ javaScriptEnabled });
      await page.goto(server.url("/workspace/commitments"));
      await page.fill("#email", "officer@council.example");
      await page.fill("#password", PASSWORD);
      await page.click("main button[type=submit]");
      expect(new URL(page.url()).pathname).toBe("/workspace/commitments");
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      const before = await page.locator(".app-commitment-review").count();
      expect(before).toBeGreaterThan(0);
      // At least one later example decision shares a commitment's words (the strategy's annual refresh).
      const confirm = page.locator("button", { hasText: "This fulfils it" }).first();
      expect(await confirm.count()).toBe(1);
      await confirm.click();
      expect(new URL(page.url()).pathname).toBe("/workspace/commitments");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toMatch(/is done: decision \d+/);
      expect(await page.locator(".app-commitment-review").count()).toBe(before - 1);
      if (javaScriptEnabled) await expectNoAxeViolations(page);

      // A commitment's own page: a progress note and the owner, posted without JavaScript too.
      await page.locator(".app-commitment-review h2 a").first().click();
      expect(new URL(page.url()).pathname).toMatch(/^\/workspace\/commitments\/\d+$/);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.fill("#note", "Consultation with schools has started.");
      await page.click("button:has-text('Add progress note')");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toContain(
        "progress note has been added",
      );
      await expect(page.textContent(".app-progress-notes")).resolves.toContain("Consultation with schools");
      await page.click("button:has-text('Drop commitment')");
      await expect(page.textContent(".govuk-error-summary")).resolves.toContain(
        "why the commitment is dropped",
      );
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.context().close();
    }
  });
});
