import type { FastifyInstance } from "fastify";
import { extractText } from "unpdf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createViewEnvironment } from "../../../src/web/server/view-environment.js";
import { useTestDatabase } from "../backends.js";
import { HOUSING_SLUG, seedHousingStrategy } from "../services/housing-strategy.js";
import { startTestApp } from "./test-app.js";

const t = useTestDatabase({ reset: "manual" });
let app: FastifyInstance;
const base = `/strategies/${HOUSING_SLUG}`;

beforeAll(async () => {
  await t.resetDatabase();
  await seedHousingStrategy(t.database);
  app = await startTestApp(t.database, () => new Date("2019-08-01T10:00:00Z"));
});

afterAll(async () => {
  await app?.close();
});

const get = (url: string) => app.inject({ method: "GET", url });

/** The page's text from one heading to the next one at the same level or above. */
function section(body: string, heading: string, next: string): string {
  const from = body.indexOf(heading);
  expect(from, heading).toBeGreaterThan(-1);
  const to = body.indexOf(next, from + heading.length);
  expect(to, next).toBeGreaterThan(from);
  return body.slice(from, to);
}

describe("the quarterly performance page", () => {
  it("heads the page with the strategy, the quarter and its months, and links the quarters either side", async () => {
    const response = await get(`${base}/2018-19/q3`);
    expect(response.statusCode).toBe(200);
    const body = response.body;
    expect(body).toContain(
      "Housing &amp; Homelessness Strategy 2018-2021 — performance, 2018-19 Q3 (October to December 2018)</h1>",
    );
    expect(body).toMatch(
      /<a class="govuk-link govuk-pagination__link" href="[^"]*\/2018-19\/q2" rel="prev">/,
    );
    expect(body).toMatch(
      /<a class="govuk-link govuk-pagination__link" href="[^"]*\/2018-19\/q4" rel="next">/,
    );
    expect(body).toContain("2018-19 Q2 (July to September 2018)");
    expect(body).toContain(`href="${base}"`);
    // The first quarter has no quarter before it; the latest with figures has none after it.
    expect((await get(`${base}/2018-19/q1`)).body).not.toContain('rel="prev"');
    const latest = (await get(`${base}/2019-20/q1`)).body;
    expect(latest).toContain('rel="prev"');
    expect(latest).not.toContain('rel="next"');
  });

  it("shows each KPI's figures, RAG as a word and a shape, directions and commentary", async () => {
    const body = (await get(`${base}/2018-19/q3`)).body;
    expect(body).toContain("1. More homes that people can afford</h2>");
    expect(body).toContain("2. Preventing homelessness</h2>");
    const hs03 = section(body, "Households whose homelessness was prevented</h3>", "</section>");
    expect(hs03).toContain("58%");
    expect(hs03).toContain("65%");
    expect(hs03).toMatch(
      /<strong class="govuk-tag govuk-tag--red"><span aria-hidden="true">■<\/span> Red<\/strong>/,
    );
    expect(hs03).toMatch(
      /Against the quarter before<\/dt>\s*<dd class="govuk-summary-list__value">Worsening/,
    );
    expect(hs03).toContain("Winter pressures; three hostels full from November.");
    const hs01 = section(body, "Affordable homes completed</h3>", "</section>");
    // 41 against 40: green, better than Q2; a year before (2017-18 Q3) there was no figure.
    expect(hs01).toMatch(/●<\/span> Green/);
    expect(hs01).toMatch(
      /Against the quarter before<\/dt>\s*<dd class="govuk-summary-list__value">Improving/,
    );
    expect(hs01).toContain("No figure a year before");
    const hs04 = section(body, "Spend on bed and breakfast accommodation</h3>", "</section>");
    expect(hs04).toContain("£71,250");
    expect(hs04).toMatch(/■<\/span> Red/);
  });

  it("draws each KPI's trend as an image with a title and description, and its data table", async () => {
    const body = (await get(`${base}/2019-20/q1`)).body;
    const hs02 = section(body, "Average days to re-let a council home</h3>", "</section>\n");
    expect(hs02).toMatch(/<svg [^>]*role="img" aria-labelledby="kpi-hs02-chart-title kpi-hs02-chart-desc"/);
    expect(hs02).toContain(
      '<title id="kpi-hs02-chart-title">Average days to re-let a council home: trend to 2019-20 Q1</title>',
    );
    expect(hs02).toContain(
      '<desc id="kpi-hs02-chart-desc">Actual 34 days in 2018-19 Q1, 26 days in 2019-20 Q1; target 28 days in 2019-20 Q1.</desc>',
    );
    // Both lines: the actual and the (dashed) target.
    expect(hs02).toContain('class="app-trend-chart__actual"');
    expect(hs02).toContain('class="app-trend-chart__target"');
    expect(hs02).toMatch(/<caption class="govuk-table__caption[^"]*">[^<]*: values by quarter<\/caption>/);
    const rows = [...hs02.matchAll(/<th scope="row" class="govuk-table__header">([^<]+)<\/th>/g)].map(
      (m) => m[1],
    );
    // Every quarter of the strategy up to this one; not the quarters after it.
    expect(rows).toEqual(["2018-19 Q1", "2018-19 Q2", "2018-19 Q3", "2018-19 Q4", "2019-20 Q1"]);
    // A quarter without a figure is in the table as such.
    const hs03 = section(body, "Households whose homelessness was prevented</h3>", "</section>\n");
    expect(hs03).toContain("No figures have been entered for 2019-20 Q1.");
    expect(hs03).toContain("No value");
  });

  it("links the PDF with its size, and sends it as an attachment", async () => {
    const body = (await get(`${base}/2018-19/q2`)).body;
    const link =
      /<a class="govuk-link" href="([^"]+)" download>Download this report as PDF \((\d+) KB\)<\/a>/.exec(
        body,
      );
    expect(link?.[1]).toBe(`${base}/2018-19/q2.pdf`);
    const pdf = await get(link![1]!);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-disposition"]).toContain(
      `attachment; filename="${HOUSING_SLUG}-2018-19-q2.pdf"`,
    );
    expect(Math.max(1, Math.round(pdf.rawPayload.length / 1024))).toBe(Number(link![2]));
    expect(pdf.rawPayload.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const again = await app.inject({
      method: "GET",
      url: link![1]!,
      headers: { "if-none-match": String(pdf.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const text = (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text;
    expect(text).toContain("Affordable homes completed");
    expect(text).toContain("£84,300");
  });

  it("answers 404 for a year or quarter that is not one, or that the strategy does not cover", async () => {
    for (const url of [
      `${base}/2018-20/q1`,
      `${base}/2018/q1`,
      `${base}/2018-19/q5`,
      `${base}/2018-19/Q1x`,
      `${base}/2018-19/q1.docx`,
      `${base}/2017-18/q4`,
      `${base}/2021-22/q1`,
      `${base}/2021-22/q1.pdf`,
      "/strategies/early-help/2018-19/q1",
      "/strategies/%3Cscript%3E/2018-19/q1",
    ]) {
      expect((await get(url)).statusCode, url).toBe(404);
    }
  });
});

describe("the strategy page's quarters", () => {
  it("links each quarter with figures, newest first, and each KPI's latest quarter", async () => {
    const body = (await get(base)).body;
    const list = section(body, '<ul class="govuk-list" id="quarters">', "</ul>");
    const hrefs = [...list.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([
      `${base}/2019-20/q1`,
      `${base}/2018-19/q4`,
      `${base}/2018-19/q3`,
      `${base}/2018-19/q2`,
      `${base}/2018-19/q1`,
    ]);
    expect(list).toContain("2019-20 Q1 (April to June 2019)");
    // HS03's latest figure is for 2018-19 Q3.
    const hs03 = section(body, "Households whose homelessness was prevented", "</tr>");
    expect(hs03).toContain(`<a class="govuk-link" href="${base}/2018-19/q3">2018-19 Q3</a>`);
  });
});

describe("the Cabinet decision that considered the update", () => {
  it("is shown when the page is given one, and not otherwise", () => {
    const env = createViewEnvironment();
    const template =
      '{% from "strategies/considered-by.njk" import consideredByBlock %}{{ consideredByBlock(c) }}';
    expect(env.renderString(template, { c: null }).trim()).toBe("");
    const html = env.renderString(template, {
      c: {
        href: "/decisions/12",
        title: "Housing Strategy: quarter 3 performance <update>",
        meetingDate: "2019-02-12",
      },
    });
    expect(html).toContain(
      '<a class="govuk-link" href="/decisions/12">Housing Strategy: quarter 3 performance &lt;update&gt;</a>',
    );
    expect(html).toContain("12 February 2019");
  });
});
