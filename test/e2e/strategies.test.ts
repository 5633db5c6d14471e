import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { findOrCreateCouncil } from "../../src/services/councils/index.js";
import { createStrategy, importKpiValues } from "../../src/services/strategies/index.js";
import type { Database } from "../../src/storage/database.js";
import { expectNoAxeViolations } from "./support/axe.js";
import { describeInBrowser, useBrowser } from "./support/browser.js";
import { useTestServer } from "./support/server.js";

// The strategy pages in Chromium, on the children's services strategy and its values: axe, and 320px screens.

const fixtures = new URL("../fixtures/strategies/", import.meta.url).pathname;
const SCROLL_WIDTH = "document.documentElement.scrollWidth";

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
    },
  });
  const browser = useBrowser();
  const paths = ["/strategies", "/strategies/childrens-services-strategy-2017-2020"];

  it("pass axe and fit a 320px wide screen", async () => {
    for (const path of paths) {
      for (const width of [1280, 320]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const response = await page.goto(server.url(path));
        expect(response?.status(), path).toBe(200);
        if (width === 1280) await expectNoAxeViolations(page);
        else expect(await page.evaluate(SCROLL_WIDTH), path).toBeLessThanOrEqual(320);
        await page.context().close();
      }
    }
  });
});
