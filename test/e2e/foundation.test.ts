import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { ValidationError } from "../../src/domain/errors.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

/** Routes added by the tests are public (every route declares who may use it: src/web/auth). */
const PUBLIC_ROUTE = { config: { access: "public" as const } };

// Code run in the page is given as strings: the project's TypeScript has no DOM types.
const SCROLL_WIDTH = "document.documentElement.scrollWidth";
const FOCUSED = `(() => {
  const element = document.activeElement;
  return {
    id: element?.id ?? "",
    className: String(element?.className ?? ""),
    text: element?.textContent?.trim() ?? "",
    inMain: Boolean(element?.closest("main")),
  };
})()`;

interface Focused {
  id: string;
  className: string;
  text: string;
  inMain: boolean;
}

describeInBrowser("the web foundation in a browser", () => {
  const server = useTestServer({
    setup(app) {
      app.get("/e2e/search", PUBLIC_ROUTE, async () => {
        throw new ValidationError("Enter a real date, like 24 November 2017", "from");
      });
    },
  });
  const browser = useBrowser();

  /** Opens a page and records what the browser complains about (CSP violations, script errors). */
  async function open(
    path: string,
    options: { width?: number } = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1024, height: 768 } });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(server.url(path));
    // govuk-frontend has started (init.js): its skip link component is initialised.
    await page.waitForSelector("[data-module='govuk-skip-link'][data-govuk-skip-link-init]", {
      state: "attached",
    });
    return { page, problems };
  }

  /** The error pages answer 400/404, which Chromium reports on the console: not a problem with the page. */
  const unexpected = (problems: string[]) =>
    problems.filter(
      (problem) => !/Failed to load resource: the server responded with a status of 40[04]/.test(problem),
    );

  it("the 404 page passes axe, runs its scripts under the CSP and shows no errors", async () => {
    const { page, problems } = await open("/no-such-page");
    await expect(page.locator("h1").textContent()).resolves.toBe("Page not found");
    await expect(page.title()).resolves.toBe("Page not found – Resolved");
    // The inline script (with the nonce) ran.
    await expect(page.locator("body.js-enabled.govuk-frontend-supported").count()).resolves.toBe(1);
    await expectNoAxeViolations(page);
    expect(unexpected(problems)).toEqual([]);
  });

  it("the 400 page passes axe and its error summary takes focus", async () => {
    const { page, problems } = await open("/e2e/search?q=planning&from=31-02-2017");
    await expect(page.title()).resolves.toBe("Error: There is a problem with your request – Resolved");
    const summary = page.locator(".govuk-error-summary");
    await expect(summary.locator("a").getAttribute("href")).resolves.toBe("/e2e/search?q=planning#from");
    // govuk-frontend moves focus to the error summary.
    await page.waitForFunction(`document.activeElement?.classList.contains("govuk-error-summary")`);
    await expectNoAxeViolations(page);
    expect(unexpected(problems)).toEqual([]);
  });

  it("Tab reaches the skip link first, and it moves focus to the main content", async () => {
    const { page } = await open("/no-such-page");
    await page.keyboard.press("Tab");
    const skipLink = (await page.evaluate(FOCUSED)) as Focused;
    expect(skipLink.className).toContain("govuk-skip-link");
    expect(skipLink.text).toBe("Skip to main content");

    await page.keyboard.press("Enter");
    await page.waitForFunction(`document.activeElement?.id === "main-content"`);
    // The next Tab goes to the first link inside main.
    await page.keyboard.press("Tab");
    const next = (await page.evaluate(FOCUSED)) as Focused;
    expect(next.inMain).toBe(true);
    expect(next.text).toBe("search all decisions");
  });

  it("the error pages fit a 320px wide screen without scrolling sideways", async () => {
    for (const path of ["/no-such-page", "/e2e/search?from=not-a-date"]) {
      const { page } = await open(path, { width: 320 });
      expect(await page.evaluate(SCROLL_WIDTH), path).toBeLessThanOrEqual(320);
      // The navigation collapses behind its menu button, which opens from the keyboard.
      const menu = page.locator(".govuk-service-navigation__toggle");
      await expect(menu.isVisible()).resolves.toBe(true);
      await menu.focus();
      await page.keyboard.press("Enter");
      await expect(page.locator("#navigation").isVisible()).resolves.toBe(true);
      expect(await page.evaluate(SCROLL_WIDTH), path).toBeLessThanOrEqual(320);
    }
  });
});
