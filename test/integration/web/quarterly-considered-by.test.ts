import type { FastifyInstance } from "fastify";
import { extractText } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDocument } from "../../../src/services/import/index.js";
import { createStrategy, setKpiValue } from "../../../src/services/strategies/index.js";
import { confirmStrategyUpdate, updatesForStrategy } from "../../../src/services/strategy-updates/index.js";
import { useTestDatabase } from "../backends.js";
import { ASC_Q2, ASC_STRATEGY, cabinetRecord } from "../strategy-update-fixtures.js";
import { startTestApp } from "./test-app.js";

// The quarterly page and the Cabinet decision that considered that quarter's update, linked both ways: the
// decision page links the quarter, the quarter names the decision, awaiting an officer's confirmation until given.

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
let agreeing: number;
let q2: number;
let strategyId: number;
let councilId: number;
const SLUG = "adult-social-care-strategy-2019-2022";
const QUARTER = `/strategies/${SLUG}/2019-20/q2`;

beforeAll(async () => {
  await t.resetDatabase();
  const imported = async (bytes: Buffer, fileName: string) =>
    (await importDocument(t.database, { bytes, fileName }, { actor: "test" })).decisionId;
  agreeing = await imported(cabinetRecord(ASC_STRATEGY), "asc-strategy.txt");
  q2 = await imported(cabinetRecord(ASC_Q2), "asc-q2.txt");
  councilId = (await t.database.db.selectFrom("decision").select("councilId").executeTakeFirstOrThrow())
    .councilId;
  ({ id: strategyId } = await createStrategy(
    t.database,
    councilId,
    {
      title: "Adult Social Care Strategy 2019-2022",
      period: { from: "2019-20", to: "2021-22" },
      agreedBy: agreeing,
      priorities: [
        {
          title: "People live independently at home for longer",
          kpis: [
            {
              code: "ASC01",
              name: "Older people still at home 91 days after leaving hospital into reablement",
              unit: "%",
              polarity: "higher-is-better",
            },
          ],
        },
      ],
    },
    "test",
  ));
  await setKpiValue(t.database, councilId, "ASC01", "2019-20 Q2", { actual: "81.4", target: "82" }, "test");
  app = await startTestApp(t.database, () => new Date("2020-01-10T10:00:00Z"));
});

afterAll(async () => {
  await app?.close();
});

describe("the Cabinet decision that considered a quarterly update", () => {
  it("is linked from the decision page to the quarter's page, which names it back", async () => {
    const decisionPage = await app.inject({ method: "GET", url: `/decisions/${q2}` });
    expect(decisionPage.body).toContain(`href="${QUARTER}"`);

    const page = await app.inject({ method: "GET", url: QUARTER });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      new RegExp(
        `This update was considered by <a class="govuk-link" href="/decisions/${q2}">Adult Social Care Performance Update Q2 \\(July - Sept\\)</a> on 21 November 2019\\.`,
      ),
    );
    expect(page.body).toContain("an officer has not confirmed it yet");
    const pdf = await app.inject({ method: "GET", url: `${QUARTER}.pdf` });
    const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
    expect(text.replace(/\s+/g, " ")).toContain(
      "Considered by Cabinet: Adult Social Care Performance Update Q2 (July - Sept), 21 November 2019, a link found in the records",
    );
  });

  it("drops the caveat once an officer confirms the link, and names no decision for a quarter with none", async () => {
    const [link] = await updatesForStrategy(t.database.db, strategyId);
    await confirmStrategyUpdate(t.database, link!.id, {
      councilId,
      label: "account 1 (olu@harrowfield.example)",
    });
    const page = await app.inject({ method: "GET", url: QUARTER });
    expect(page.body).toContain(`href="/decisions/${q2}"`);
    expect(page.body).not.toContain("an officer has not confirmed it yet");
    const pdf = await app.inject({ method: "GET", url: `${QUARTER}.pdf` });
    const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
    expect(text.replace(/\s+/g, " ")).toContain("21 November 2019.");
    expect(text).not.toContain("not yet confirmed");

    const q1 = await app.inject({ method: "GET", url: `/strategies/${SLUG}/2019-20/q1` });
    expect(q1.statusCode).toBe(200);
    expect(q1.body).not.toContain("This update was considered by");
  });
});
