import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { importDocument } from "../../src/services/import/index.js";
import { importExampleRecordsIfEmpty } from "../../src/services/register/index.js";
import type { Database } from "../../src/storage/database.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// The public pages in Chromium, on the example records, at a pinned "now" (Sunday 22 November 2026, midday):
// axe on every page type, keyboard-only search, 320px wide screens and print.

const NOW = new Date("2026-11-22T12:00:00Z");

// Code run in the page is given as strings: the project's TypeScript has no DOM types.
const SCROLL_WIDTH = "document.documentElement.scrollWidth";
const FOCUSED = `(() => {
  const element = document.activeElement;
  return {
    tag: element?.tagName.toLowerCase() ?? "",
    id: element?.id ?? "",
    className: String(element?.className ?? ""),
    text: (element?.textContent ?? "").trim().replace(/\\s+/g, " "),
    inMain: Boolean(element?.closest("main")),
  };
})()`;

interface Focused {
  tag: string;
  id: string;
  className: string;
  text: string;
  inMain: boolean;
}

interface Ids {
  decision: number;
  /** A performance update whose next-quarter list makes commitments (the Commitments section). */
  withCommitments: number;
  recommendation: number;
  /** ModernGov pages: an officer's decision (not at a meeting) and a Cabinet decision, with the fields they state. */
  officerDecision: number;
  modernGovCabinet: number;
  meeting: number;
  body: number;
  councillor: number;
}

describeInBrowser("the public pages in a browser", () => {
  const ids: Ids = {
    decision: 0,
    withCommitments: 0,
    recommendation: 0,
    officerDecision: 0,
    modernGovCabinet: 0,
    meeting: 0,
    body: 0,
    councillor: 0,
  };
  const server = useTestServer({
    now: () => NOW,
    async setup(_app, database: Database) {
      await importExampleRecordsIfEmpty(database, { actor: "test:e2e" });
      const decision = await database.db
        .selectFrom("decision")
        .select(["id", "meetingId", "bodyId"])
        .where("title", "=", "Crisis and Resilience Fund 2026/27 – Allocation of Funding")
        .executeTakeFirstOrThrow();
      const recommendation = await database.db
        .selectFrom("decision")
        .select("id")
        .where("title", "=", "Treasury Management Mid-Year Review 2026/27")
        .executeTakeFirstOrThrow();
      ids.decision = decision.id;
      const update = await database.db
        .selectFrom("decision")
        .select("id")
        .where("title", "=", "Children's Services Performance Update Q1 (April - June 2026)")
        .executeTakeFirstOrThrow();
      ids.withCommitments = update.id;
      ids.recommendation = recommendation.id;
      ids.meeting = decision.meetingId!;
      ids.body = decision.bodyId;
      // The example people come with the example records: Margaret Aldridge declares an interest in one.
      const councillor = await database.db
        .selectFrom("person")
        .select("id")
        .where("name", "=", "Margaret Aldridge")
        .executeTakeFirstOrThrow();
      ids.councillor = councillor.id;
      const modernGov = async (name: string) => {
        const bytes = await readFile(new URL(`../fixtures/moderngov/${name}`, import.meta.url));
        return (await importDocument(database, { bytes, fileName: name }, { actor: "test:e2e" })).decisionId;
      };
      ids.officerDecision = await modernGov("someshire-winter-gritting-contract.txt");
      ids.modernGovCabinet = await modernGov("household-support-fund-cabinet.html");
    },
  });
  const browser = useBrowser();

  /** Every page type, with a query and an error page among them. */
  const pages = (): Array<{ name: string; path: string; status: number }> => [
    { name: "home", path: "/", status: 200 },
    { name: "decisions", path: "/decisions", status: 200 },
    { name: "decisions with a query", path: "/decisions?q=crisis&sort=date", status: 200 },
    { name: "decisions with filters", path: "/decisions?status=published&callIn=yes", status: 200 },
    { name: "decisions with a bad date (400)", path: "/decisions?q=fund&from=2024-13-01", status: 400 },
    { name: "decision", path: `/decisions/${ids.decision}`, status: 200 },
    { name: "recommendation", path: `/decisions/${ids.recommendation}`, status: 200 },
    { name: "officer decision (ModernGov)", path: `/decisions/${ids.officerDecision}`, status: 200 },
    { name: "Cabinet decision (ModernGov)", path: `/decisions/${ids.modernGovCabinet}`, status: 200 },
    { name: "decision with commitments", path: `/decisions/${ids.withCommitments}`, status: 200 },
    { name: "meetings", path: "/meetings", status: 200 },
    { name: "meeting", path: `/meetings/${ids.meeting}`, status: 200 },
    { name: "body", path: `/bodies/${ids.body}`, status: 200 },
    { name: "council", path: "/council", status: 200 },
    { name: "councillors", path: "/councillors", status: 200 },
    { name: "councillors by ward", path: "/councillors?sort=ward", status: 200 },
    { name: "councillor", path: `/councillors/${ids.councillor}`, status: 200 },
    { name: "404", path: "/decisions/999999", status: 404 },
  ];

  /** Opens a page, checks its status, and records what the browser complains about (CSP, script errors). */
  async function open(
    path: string,
    options: { width?: number; status?: number } = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    const response = await page.goto(server.url(path));
    expect(response?.status(), path).toBe(options.status ?? 200);
    await page.waitForSelector("[data-module='govuk-skip-link'][data-govuk-skip-link-init]", {
      state: "attached",
    });
    return { page, problems };
  }

  /** Error pages answer 400/404, which Chromium reports on the console: not a problem with the page. */
  const unexpected = (problems: string[]) =>
    problems.filter(
      (problem) => !/Failed to load resource: the server responded with a status of 40[04]/.test(problem),
    );

  it("every page type passes axe (WCAG 2.2 AA and best practice) with no script or CSP errors", async () => {
    for (const { name, path, status } of pages()) {
      const { page, problems } = await open(path, { status });
      await expectNoAxeViolations(page).catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
      expect(unexpected(problems), name).toEqual([]);
      await page.context().close();
    }
  });

  it("every page type fits a 320px wide screen without scrolling sideways", async () => {
    for (const { name, path, status } of pages()) {
      const { page } = await open(path, { width: 320, status });
      expect(await page.evaluate(SCROLL_WIDTH), name).toBeLessThanOrEqual(320);
      await page.context().close();
    }
  });

  it("search works from the keyboard alone: Tab to the search box, type, Enter", async () => {
    const { page } = await open("/decisions");
    const order: Focused[] = [];
    for (let i = 0; i < 15; i += 1) {
      await page.keyboard.press("Tab");
      const focused = (await page.evaluate(FOCUSED)) as Focused;
      order.push(focused);
      if (focused.id === "q") break;
    }
    const last = order[order.length - 1]!;
    expect(last.id, JSON.stringify(order)).toBe("q");
    // A sensible order: the skip link, then the header and navigation, then the search box, first in main.
    expect(order[0]!.className).toContain("govuk-skip-link");
    const texts = order.map((focused) => focused.text);
    expect(texts).toContain("Decisions");
    expect(texts.indexOf("Decisions")).toBeLessThan(texts.indexOf("Meetings"));
    expect(order.filter((focused) => focused.inMain)).toEqual([last]);
    expect(order.length).toBeLessThanOrEqual(9); // skip link, header, service name, four navigation links, search

    await page.keyboard.type("crisis");
    await Promise.all([page.waitForURL(/\/decisions\?q=crisis/), page.keyboard.press("Enter")]);
    await expect(page.locator("#results-count").textContent()).resolves.toMatch(/^\s*1 decision found\s*$/);
    const result = page.locator(".app-results__title a");
    await expect(result.first().textContent()).resolves.toContain("Crisis and Resilience Fund");
    await expect(page.locator("#q").inputValue()).resolves.toBe("crisis");

    // On from the search box: its button, then the filters in order, then the results.
    await page.locator("#q").focus();
    const after: Focused[] = [];
    for (let i = 0; i < 10; i += 1) {
      await page.keyboard.press("Tab");
      after.push((await page.evaluate(FOCUSED)) as Focused);
    }
    expect(after[0]!.text).toBe("Search");
    expect(after.slice(1, 8).map((focused) => focused.id)).toEqual([
      "from",
      "to",
      "body",
      "status",
      "callIn",
      "key",
      "sort",
    ]);
    expect(after[8]!.text).toBe("Apply filters");

    // The result opens from the keyboard too.
    await result.first().focus();
    await Promise.all([page.waitForURL(/\/decisions\/\d+$/), page.keyboard.press("Enter")]);
    await expect(page.locator("h1").textContent()).resolves.toContain("Crisis and Resilience Fund");
  });

  it("the home page's search box sends the search to the decisions page", async () => {
    const { page } = await open("/");
    await page.locator("#q").focus();
    await page.keyboard.type("treasury");
    await Promise.all([page.waitForURL(/\/decisions\?q=treasury/), page.keyboard.press("Enter")]);
    await expect(page.locator("#results-count").textContent()).resolves.toMatch(/1 decision found/);
  });

  it("a bad date gets the error summary, which takes focus and links to the field", async () => {
    const { page } = await open("/decisions?q=fund&from=2024-13-01", { status: 400 });
    await page.waitForFunction(`document.activeElement?.classList.contains("govuk-error-summary")`);
    const link = page.locator(".govuk-error-summary a");
    await expect(link.getAttribute("href")).resolves.toBe("/decisions?q=fund#from");
    await Promise.all([page.waitForURL(/\/decisions\?q=fund#from$/), link.click()]);
    await expect(page.locator("#from").isVisible()).resolves.toBe(true);
  });

  it("prints the decision without the header, navigation and footer", async () => {
    const { page } = await open(`/decisions/${ids.decision}`);
    await page.emulateMedia({ media: "print" });
    const hidden = (selector: string) =>
      page.evaluate(`(() => {
        const elements = [...document.querySelectorAll(${JSON.stringify(selector)})];
        return elements.length > 0 && elements.every((element) => getComputedStyle(element).display === "none");
      })()`);
    for (const selector of [
      ".govuk-generic-header, .govuk-header",
      ".govuk-service-navigation",
      ".govuk-footer",
      ".govuk-skip-link",
      ".govuk-breadcrumbs",
      ".app-no-print",
    ]) {
      await expect(hidden(selector), selector).resolves.toBe(true);
    }
    await expect(page.locator("h1").isVisible()).resolves.toBe(true);
    await expect(page.locator("#section-7").isVisible()).resolves.toBe(true);
    await page.emulateMedia({ media: "screen" });
    await expect(hidden(".govuk-footer")).resolves.toBe(false);
  });
});
