import { expect, it } from "vitest";
import { createAccount } from "../../src/services/accounts/index.js";
import { importExampleRecordsIfEmpty } from "../../src/services/register/index.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// Strategy updates in Chromium, on the example records: the Q2 2025-26 performance update's decision page says
// which strategy it updates on, the strategy page lists its quarterly updates, and an officer confirms one at
// /workspace/strategy-updates, with and without JavaScript. Every page passes axe.

const PASSWORD = "a long enough passphrase to sign in";
const now = new Date("2026-11-22T12:00:00Z");
const UPDATE = "Children's Services Performance Update Q2 (July - September 2025)";
const SLUG = "childrens-services-strategy-2023-2026";

describeInBrowser("strategy updates, in a browser", () => {
  const server = useTestServer({
    now: () => now,
    async setup(_app, database) {
      // The records only: their quarterly updates stay proposed (the example strategy's loader confirms them).
      await importExampleRecordsIfEmpty(database, { actor: "test:e2e", strategiesDir: null });
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

  it("links a quarterly update and its strategy both ways, and takes an officer's confirmation", async () => {
    const update = await server.database.db
      .selectFrom("decision")
      .select("id")
      .where("title", "=", UPDATE)
      .executeTakeFirstOrThrow();

    const visitor = await browser.newPage();
    await visitor.goto(server.url(`/decisions/${update.id}`));
    await expect(visitor.textContent("main")).resolves.toContain(
      "Quarterly performance update for the Children's Services Strategy 2023-2026, 2025-26 Q2 (awaiting an officer’s confirmation).",
    );
    await expectNoAxeViolations(visitor);
    await visitor.goto(server.url(`/strategies/${SLUG}`));
    await expect(visitor.textContent("#quarterly-updates + *")).resolves.toContain(UPDATE);
    await expectNoAxeViolations(visitor);
    await visitor.context().close();

    for (const javaScriptEnabled of [true, false]) {
      const page = await browser.newPage({ javaScriptEnabled });
      await page.goto(server.url("/workspace/strategy-updates"));
      await page.fill("#email", "officer@council.example");
      await page.fill("#password", PASSWORD);
      await page.click("main button[type=submit]");
      expect(new URL(page.url()).pathname).toBe("/workspace/strategy-updates");
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      const before = await page.locator("button", { hasText: "Confirm" }).count();
      expect(before).toBeGreaterThan(0);
      await page.locator("button", { hasText: "Confirm" }).first().click();
      expect(new URL(page.url()).pathname).toBe("/workspace/strategy-updates");
      await expect(page.textContent(".govuk-notification-banner")).resolves.toMatch(
        /Decision \d+ is confirmed as the \d{4}-\d{2} Q\d update\./,
      );
      expect(await page.locator("button", { hasText: "Confirm" }).count()).toBe(before - 1);
      if (javaScriptEnabled) await expectNoAxeViolations(page);
      await page.context().close();
    }
  });
});
