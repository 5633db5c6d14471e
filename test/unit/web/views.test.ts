import { describe, expect, it } from "vitest";
import {
  createViewEnvironment,
  formatIsoDate,
  formatUkDateTime,
  pluralise,
} from "../../../src/web/server/view-environment.js";

describe("view filters", () => {
  it("isoDate writes dates the GOV.UK way", () => {
    expect(formatIsoDate("2017-11-24")).toBe("24 November 2017");
    expect(formatIsoDate("2011-02-07")).toBe("7 February 2011");
    // A timestamp is shown as its date in London: 23:30 UTC on 30 June is 1 July there.
    expect(formatIsoDate(new Date("2024-06-30T23:30:00Z"))).toBe("1 July 2024");
    expect(formatIsoDate(null)).toBe("");
    expect(formatIsoDate("not a date")).toBe("not a date");
    expect(formatIsoDate("2017-13-01")).toBe("2017-13-01");
  });

  it("ukDateTime gives the London time, with midday and midnight", () => {
    expect(formatUkDateTime(new Date("2017-11-24T15:05:00Z"))).toBe("24 November 2017 at 3:05pm");
    expect(formatUkDateTime("2024-07-01T08:00:00Z")).toBe("1 July 2024 at 9am");
    expect(formatUkDateTime("2024-07-01T11:00:00Z")).toBe("1 July 2024 at midday");
    expect(formatUkDateTime("2024-01-01T00:00:00Z")).toBe("1 January 2024 at midnight");
    expect(formatUkDateTime("2024-01-01T00:30:00Z")).toBe("1 January 2024 at 12:30am");
    expect(formatUkDateTime(undefined)).toBe("");
  });

  it("pluralise counts", () => {
    expect(pluralise(1, "decision")).toBe("1 decision");
    expect(pluralise(0, "decision")).toBe("0 decisions");
    expect(pluralise(1204, "decision")).toBe("1,204 decisions");
    expect(pluralise(2, "body", "bodies")).toBe("2 bodies");
  });
});

describe("the view environment", () => {
  const env = createViewEnvironment({
    globals: { serviceName: "Resolved", staticUrl: (path: string) => path },
  });

  it("escapes every value", () => {
    expect(env.renderString("{{ text }}", { text: `<script>alert("x")</script>` })).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
    );
  });

  it("has the filters", () => {
    expect(env.renderString(`{{ "2017-11-24" | isoDate }}, {{ 3 | pluralise("meeting") }}`, {})).toBe(
      "24 November 2017, 3 meetings",
    );
  });

  it("renders the summary list macro, leaving out rows without a value", () => {
    const html = env.renderString(
      `{% from "partials/summary-list.njk" import summaryList %}{{ summaryList(rows) }}`,
      {
        rows: [
          { key: "Body", value: "Cabinet <b>" },
          { key: "Empty", value: "" },
          { key: "Missing", value: null },
        ],
      },
    );
    expect(html).toContain("Cabinet &lt;b&gt;");
    expect(html).not.toContain("Empty");
    expect(html).not.toContain("Missing");
  });

  it("renders the error summary macro with links to the fields", () => {
    const html = env.renderString(
      `{% from "partials/error-summary.njk" import errorSummary %}{{ errorSummary(errors) }}`,
      {
        errors: [
          { message: "Enter a real date", field: "from" },
          { text: "Enter fewer words <i>", href: "#q" },
        ],
      },
    );
    expect(html).toContain('<a href="#from">Enter a real date</a>');
    expect(html).toContain('<a href="#q">Enter fewer words &lt;i&gt;</a>');
  });

  it("renders the page heading macro with a caption", () => {
    const html = env.renderString(
      `{% from "partials/page-heading.njk" import pageHeading %}{{ pageHeading("Title & more", caption = "Cabinet") }}`,
      {},
    );
    expect(html).toContain('<span class="govuk-caption-l">Cabinet</span>');
    expect(html).toContain("Title &amp; more");
  });
});
