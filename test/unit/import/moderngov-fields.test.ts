import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalOperativeLine } from "../../../src/import/decision-text.js";
import { toSourceLines } from "../../../src/import/document-lines.js";
import { decisionMakerKind } from "../../../src/import/layouts/decision-maker.js";
import { matchLabel, readLabelledFields } from "../../../src/import/layouts/labelled-fields.js";
import { MODERNGOV_LABELS, splitWards } from "../../../src/import/layouts/moderngov-fields.js";
import { splitTitleReference } from "../../../src/import/layouts/title-reference.js";
import { parseDocument } from "../../../src/import/parse-document.js";
import { DOCUMENT_LAYOUTS } from "../../../src/import/read-decisions.js";
import { findUkDate } from "../../../src/import/uk-date.js";

describe("ModernGov dates", () => {
  it("reads dd/mm/yyyy day first", () => {
    expect(findUkDate("10/09/2024")?.iso).toBe("2024-09-10");
    expect(findUkDate("10/09/2024 - Cabinet")?.iso).toBe("2024-09-10");
    expect(findUkDate("Effective from: 01/10/2024")?.iso).toBe("2024-10-01");
  });
});

describe("labels", () => {
  const key = (line: string) => matchLabel(line, MODERNGOV_LABELS)?.key ?? null;

  it("reads each council's spelling of a label, with its value on the line", () => {
    expect(matchLabel("Is Key decision?: Yes", MODERNGOV_LABELS)).toEqual({
      key: "keyDecision",
      label: "Is Key decision?",
      rest: "Yes",
    });
    expect(matchLabel("Is subject to call in? No", MODERNGOV_LABELS)).toMatchObject({
      key: "subjectToCallIn",
      rest: "No",
    });
    expect(key("Decision maker: Leader of the Council")).toBe("decisionMaker");
    expect(key("Key decision: Yes")).toBe("keyDecision");
    expect(key("Subject to call-in: No")).toBe("subjectToCallIn");
    expect(key("Date comes into force if not called in: 20/09/2024")).toBe("effectiveFrom");
    expect(key("Implementation Date: 22/11/2024")).toBe("effectiveFrom");
    expect(key("Call-in deadline date: 19/09/2024")).toBe("callIn");
    expect(key("Decision published: 18/09/2024")).toBe("published");
    expect(key("Interests and Nature of Interests Declared:")).toBe("interests");
    expect(key("Minutes:")).toBe("decision");
    expect(key("Purpose")).toBe("purpose");
    expect(key("Accompanying Documents:")).toBe("ignored");
    expect(key("Ref. No.: 4567")).toBe("reference");
    expect(key("Decision reference: EX/2024/118")).toBe("reference");
  });

  it("does not take prose, headings or a proforma's numbered sections for labels", () => {
    expect(key("The Cabinet Member noted the decision: it would be reviewed in a year.")).toBeNull();
    expect(key("Decisions")).toBeNull();
    expect(key("Decision details")).toBeNull();
    expect(key("3. Reasons for the Decision")).toBeNull();
    expect(key("Purpose of the consultation was explained to Members")).toBeNull();
  });

  it("keeps a value below its label, to the next label, with the document's line numbers", () => {
    const lines = toSourceLines(
      "Title\n\nPurpose:\nTo agree the fees.\n\nSecond paragraph.\n\nDecision Maker: Cabinet\n",
    );
    expect(readLabelledFields(lines, MODERNGOV_LABELS)).toEqual({
      before: [
        { text: "Title", line: 1 },
        { text: "", line: 2 },
      ],
      fields: [
        {
          key: "purpose",
          label: "Purpose",
          labelLine: 3,
          lines: [
            { text: "To agree the fees.", line: 4 },
            { text: "", line: 5 },
            { text: "Second paragraph.", line: 6 },
          ],
        },
        {
          key: "decisionMaker",
          label: "Decision Maker",
          labelLine: 8,
          lines: [{ text: "Cabinet", line: 8 }],
        },
      ],
    });
  });
});

describe("decision maker kind", () => {
  it.each([
    ["Cabinet", "body"],
    ["Executive", "body"],
    ["Planning Committee", "body"],
    ["Licensing Sub-Committee", "body"],
    ["Cabinet Member for Adult Social Care", "executive-member"],
    ["Leader of the Council", "executive-member"],
    ["Portfolio Holder for Housing and Communities", "executive-member"],
    ["Executive Member for Children's Services", "executive-member"],
    ["Director of Finance", "officer"],
    ["Chief Executive", "officer"],
    ["Head of Planning and Building Control", "officer"],
    ["Corporate Director of Place", "officer"],
    ["Assistant Director, Highways", "officer"],
    ["Leader", "executive-member"],
    ["Team Leader, Parking Services", "officer"],
    ["Jane Smith", null],
  ] as const)("%s is %s", (maker, kind) => {
    expect(decisionMakerKind(maker)).toBe(kind);
  });
});

describe("hidden references in titles", () => {
  it.each([
    ["Household Support Fund 2024-25 (Ref: 1873)", "Household Support Fund 2024-25", "1873"],
    ["Library Opening Hours - Ref. No. 4567", "Library Opening Hours", "4567"],
    ["Library Opening Hours Ref. No. 4567", "Library Opening Hours", "4567"],
    ["Leisure Centre Works (Ref. 2211)", "Leisure Centre Works", "2211"],
    ["[KD/2024/15] Winter Gritting Contract - Key Decision", "Winter Gritting Contract", null],
    ["Fees and Charges 2025-26 - Key Decision (Ref: 12)", "Fees and Charges 2025-26", "12"],
    ["Local Plan - Regulation 19 Consultation", "Local Plan - Regulation 19 Consultation", null],
    ["Refuse Collection Review", "Refuse Collection Review", null],
  ])("%s", (printed, title, recordId) => {
    expect(splitTitleReference(printed)).toEqual({ title, recordId });
  });
});

describe("wards affected", () => {
  const wards = (text: string) => splitWards(toSourceLines(text));
  it("splits the wards as printed, keeping All Wards one entry", () => {
    expect(wards("(All Wards);")).toEqual(["All Wards"]);
    expect(wards("All Wards")).toEqual(["All Wards"]);
    expect(wards("Norton North; Norton South; Norton West;")).toEqual([
      "Norton North",
      "Norton South",
      "Norton West",
    ]);
    expect(wards("Eastfield, Westfield")).toEqual(["Eastfield", "Westfield"]);
    expect(wards("- Billingham East\n- Billingham North")).toEqual(["Billingham East", "Billingham North"]);
    // A paste that wrapped the list keeps each ward whole.
    expect(wards("Norton North; Norton\nSouth;")).toEqual(["Norton North", "Norton South"]);
  });
});

describe("layout detection", () => {
  const fixtures = new URL("../../fixtures/", import.meta.url);
  const proformas = [
    ...readdirSync(new URL("text/", fixtures)).map((f) => `text/${f}`),
    ...readdirSync(new URL("html/", fixtures)).map((f) => `html/${f}`),
    ...readdirSync(new URL("docx/", fixtures)).map((f) => `docx/${f}`),
    ...readdirSync(new URL("pdf/", fixtures)).map((f) => `pdf/${f}`),
  ];

  it("asks the decision list first, then the ModernGov page, the minutes, and the proforma last", () => {
    expect(DOCUMENT_LAYOUTS.map((l) => l.name)).toEqual([
      "decision-list",
      "moderngov-decision",
      "minutes-table",
      "meeting-minutes",
      "proforma",
    ]);
  });

  it.each(proformas)("%s still reads as a proforma", async (path) => {
    const bytes = readFileSync(new URL(path, fixtures));
    const { layout } = await parseDocument(bytes, path.split("/")[1]!);
    expect(layout).toBe("proforma");
  });

  it.each([
    ["household-support-fund-cabinet.txt", "moderngov-decision"],
    ["marshfield-library-opening-hours.txt", "moderngov-decision"],
    ["someshire-winter-gritting-contract.txt", "moderngov-decision"],
    ["eastmarch-cabinet-decision-list.txt", "decision-list"],
    ["stockton-decisions-list-with-proforma.txt", "decision-list"],
    ["harbridge-delegated-decisions.html", "decision-list"],
    ["household-support-fund-cabinet.html", "moderngov-decision"],
    ["household-support-fund-cabinet.pdf", "moderngov-decision"],
  ])("%s reads as %s", async (name, layout) => {
    const bytes = readFileSync(new URL(`moderngov/${name}`, fixtures));
    expect((await parseDocument(bytes, name)).layout).toBe(layout);
  });
});

describe("a decision maker as the subject of the operative word", () => {
  it("opens an outcome after a member's or officer's whole title", () => {
    expect(canonicalOperativeLine("The Portfolio Holder for Transport and Highways RESOLVED that:")).toBe(
      "RESOLVED that:",
    );
    expect(
      canonicalOperativeLine(
        "The Director of Finance, Transformation and Performance decided to approve the grant.",
      ),
    ).toBe("DECIDED to approve the grant.");
    expect(canonicalOperativeLine("The Cabinet Member for Adult Social Care and Health agreed that:")).toBe(
      "AGREED that:",
    );
  });

  it("still leaves a minute's narrative alone", () => {
    expect(
      canonicalOperativeLine("The report set out how the Council agreed to fund the scheme."),
    ).toBeNull();
    expect(canonicalOperativeLine("Councillor Smith agreed to circulate the figures.")).toBeNull();
  });
});
