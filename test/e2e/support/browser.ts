import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, describe } from "vitest";

/**
 * Browser tests run on Debian's Chromium (apt-get install chromium), driven by playwright-core: no
 * browser download. RESOLVED_CHROMIUM_PATH points elsewhere. Without Chromium the browser suites are
 * skipped with a message on a developer's machine, and fail in CI (CI=true), where they must run.
 */
export const CHROMIUM_PATH = process.env.RESOLVED_CHROMIUM_PATH?.trim() || "/usr/bin/chromium";
const inCi = process.env.CI === "true";
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

const LAUNCH_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const skipped = !chromiumAvailable && !inCi;
if (skipped) {
  console.warn(
    `[e2e] browser tests skipped: no Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) ` +
      "or set RESOLVED_CHROMIUM_PATH. In CI (CI=true) a missing Chromium fails the run.",
  );
}

/**
 * `describe` for browser suites: skipped (with the warning above) when Chromium is missing locally; in CI a
 * missing Chromium fails the suite (launchBrowser throws) instead of hiding it.
 */
export const describeInBrowser = describe.skipIf(skipped);

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumAvailable) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}${inCi ? " (CI=true: the browser tests must run)" : ""}. ` +
        "Install it with apt-get install chromium, or set RESOLVED_CHROMIUM_PATH.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
}

/**
 * One browser for the test file (beforeAll/afterAll). `newPage()` opens a page in a fresh context
 * (no cookies or cache shared between tests), closed with the browser.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error("The browser is not started yet: use it inside tests or hooks");
      return browser;
    },
    async newPage(options: BrowserContextOptions = {}): Promise<Page> {
      if (!browser) throw new Error("The browser is not started yet: use it inside tests or hooks");
      const context = await browser.newContext({ locale: "en-GB", ...options });
      return context.newPage();
    },
  };
}
