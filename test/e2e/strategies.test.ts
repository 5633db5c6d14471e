import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { createAccount } from "../../src/services/accounts/index.js";
import { findOrCreateCouncil } from "../../src/services/councils/index.js";
import { createStrategy, importKpiValues } from "../../src/services/strategies/index.js";
import type { Database } from "../../src/storage/database.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// The strategy pages in Chromium, on the children's services strategy and its values: axe, and 320px screens;
// and the officer's pages for changing the strategy and entering a KPI's figures, with their error summaries.

const fixtures = new URL("../fixtures/strategies/", import.meta.url).pathname;
const SCROLL_WIDTH = "document.documentElement.scrollWidth";
const PASSWORD = "marble lantern river quietly";

describeInBrowser("the strategy pages in a browser", () => {
  const server = useTestServer({
    now: () => new Date("2017-11-20T12:00:00Z"),
    async setup(_app, database: Database) {
      const { council } = await findOrCreateCouncil(
        database.db,
        { name: "Stockton-on-Tees Borough Council" },
        "test:e2e",
      );
      const strategy = JSON.parse(await readFile(fixtures + "children-services-strategy.json", "utf8")) as {
        agreedBy?: string;
      };
      delete strategy.agreedBy;
      await createStrategy(database, council.id, strategy, "test:e2e");
      const csv = await readFile(fixtures + "children-services-values.csv", "utf8");
      await importKpiValues(database, council.id, csv, "test:e2e");
      await createAccount(database, {
        email: "pat.performance@stockton.example",
        name: "Pat Performance",
        roles: ["officer"],
        password: PASSWORD,
        actor: "test:e2e",
      });
    },
  });
  const browser = useBrowser();
  const quarter = "/strategies/childrens-services-strategy-2017-2020/2017-18/q2";
  const paths = ["/strategies", "/strategies/childrens-services-strategy-2017-2020", quarter];

  it("pass axe and fit a 320px wide screen", async () => {
    for (const path of paths) {
      for (const width of [1280, 320]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const response = await page.goto(server.url(path));
        expect(response?.status(), path).toBe(200);
        if (width === 1280) await expectNoAxeViolations(page);
        else {
          const wide = await page.evaluate(() =>
            Array.from(document.querySelectorAll("main *"))
              .filter((e) => e.getBoundingClientRect().right > 320)
              .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)
              .slice(0, 8),
          );
          expect(await page.evaluate(SCROLL_WIDTH), `${path} ${wide.join(", ")}`).toBeLessThanOrEqual(320);
        }
        await page.context().close();
      }
    }
  });

  it("print the quarterly page without the site's header and footer, one priority a page", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url(quarter));
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => {
      const shown = (selector: string) =>
        Array.from(document.querySelectorAll(selector)).some((e) => e.getClientRects().length > 0);
      const priorities = Array.from(document.querySelectorAll(".app-quarterly-priority"));
      return {
        header: shown(".govuk-header"),
        footer: shown(".govuk-footer"),
        pagination: shown(".govuk-pagination"),
        breaks: priorities.map((e) => getComputedStyle(e).breakBefore),
        keptTogether: getComputedStyle(document.querySelector(".app-trend-pair")!).breakInside,
        charts: document.querySelectorAll(".app-trend-chart__svg").length,
      };
    });
    expect(printed).toEqual({
      header: false,
      footer: false,
      pagination: false,
      breaks: ["auto", "page"],
      keptTogether: "avoid",
      charts: 5,
    });
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await page.context().close();
  });

  it("the officer's edit and KPI pages pass axe, with and without errors, and fit a 320px wide screen", async () => {
    const edit = "/workspace/strategies/childrens-services-strategy-2017-2020";
    for (const width of [1280, 320]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(server.url(edit));
      await page.fill("#email", "pat.performance@stockton.example");
      await page.fill("#password", PASSWORD);
      await page.click("main button[type=submit]");
      await page.waitForURL((url) => url.pathname === edit);
      for (const path of [edit, `${edit}/kpis/CS01`, "/workspace/kpis/CS01", "/workspace/strategies"]) {
        const response = await page.goto(server.url(path));
        expect(response?.status(), path).toBe(200);
        if (width === 1280) await expectNoAxeViolations(page);
        else expect(await page.evaluate(SCROLL_WIDTH), path).toBeLessThanOrEqual(320);
      }
      if (width === 1280) {
        // A bad period: the error summary links to its field, and the page still passes axe.
        await page.goto(server.url(edit));
        await page.fill("#period-to", "2016-17");
        await page.click("text=Save details");
        await expect(page.locator(".govuk-error-summary a").first().getAttribute("href")).resolves.toBe(
          "#period-to",
        );
        await expectNoAxeViolations(page);
        // A KPI with no unit chosen.
        await page.fill("#kpi-code", "CS06");
        await page.fill("#kpi-name", "Persistent absence of children looked after");
        await page.click("text=Add KPI");
        await expect(page.locator(".govuk-error-summary a").first().getAttribute("href")).resolves.toBe(
          "#kpi-unit",
        );
        await expectNoAxeViolations(page);
      }
      await page.context().close();
    }
  });
});
