import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importExampleRecordsIfEmpty } from "../../../src/services/register/index.js";
import { useTestDatabase } from "../backends.js";
import { startTestApp } from "./test-app.js";

// What a newcomer sees after `npm start`: the example strategy's pages, reached from the decision pages, with its
// quarterly updates, charts and the promises its updates made, kept or overdue. "Now" is 4 December 2026.

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
let decisionOf: (file: string) => number;
const STRATEGY = "/strategies/childrens-services-strategy-2023-2026";

beforeAll(async () => {
  await t.resetDatabase();
  const summary = await importExampleRecordsIfEmpty(t.database, { actor: "test:examples" });
  decisionOf = (file) => summary.files.find((f) => f.file.endsWith(file))!.result!.decisionId;
  app = await startTestApp(t.database, () => new Date("2026-12-04T12:00:00Z"));
});

afterAll(async () => {
  await app?.close();
});

const get = (url: string) => app.inject({ method: "GET", url });
const section = (body: string, id: string) =>
  body.slice(body.indexOf(`id="${id}"`), body.indexOf("</ul>", body.indexOf(`id="${id}"`)));

describe("the example strategy's pages", () => {
  it("are reached from the decision that agreed the strategy and from each quarterly update", async () => {
    const agreed = await get(
      `/decisions/${decisionOf("2023-06-15-childrens-services-strategy-2023-26.txt")}`,
    );
    expect(agreed.body).toContain(`href="${STRATEGY}"`);
    const q3 = decisionOf("2026-03-12-childrens-services-performance-q3.txt");
    const update = await get(`/decisions/${q3}`);
    expect(update.body).toContain(`href="${STRATEGY}/2025-26/q3"`);

    const quarter = await get(`${STRATEGY}/2025-26/q3`);
    expect(quarter.statusCode).toBe(200);
    expect(quarter.body).toContain(
      `This update was considered by <a class="govuk-link" href="/decisions/${q3}">`,
    );
    expect(quarter.body).not.toContain("an officer has not confirmed it yet");
    expect(quarter.body.match(/<svg[^>]*role="img"/g)?.length).toBe(8);
  });

  it("lists the overdue promises of the strategy's updates, and neither kept ones nor other decisions'", async () => {
    const page = await get(STRATEGY);
    expect(page.statusCode).toBe(200);
    const overdue = section(page.body, "overdue-commitments");
    expect(overdue).toContain("The Youth Justice Plan 2026/27, to be presented to Cabinet in June");
    // Kept: the sufficiency report of December 2025, confirmed as fulfilling the Q1 update's promise.
    expect(overdue).not.toContain("A report to Cabinet in December on the sufficiency of placements");
    // Promised by the year-end (2025-26 Q4) update, for the quarter after the strategy's end.
    expect(overdue).toContain("The recruitment of two additional educational psychologists");
    // Promised by a decision on another subject.
    expect(overdue).not.toContain("National Living Wage");
    expect(overdue).toMatch(/href="\/decisions\/\d+#commitment-\d+"/);
  });
});
