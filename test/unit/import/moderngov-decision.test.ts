import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decisionRecordSchema, type DecisionRecord } from "../../../src/domain/decision-record.js";
import { DocumentError } from "../../../src/domain/errors.js";
import { parseDocument } from "../../../src/import/parse-document.js";
import type { SourceDescription } from "../../../src/import/parsed-record.js";
import { readDecisions } from "../../../src/import/read-decisions.js";

// Every expected value below is written from what the fixture page says, not from reader output.

function fixtureBytes(name: string): Uint8Array {
  return readFileSync(new URL(`../../fixtures/moderngov/${name}`, import.meta.url));
}

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/moderngov/${name}`, import.meta.url), "utf8");
}

const ZERO_SHA = "0".repeat(64);

function sourceFor(fileName: string): SourceDescription {
  return { fileName, mediaType: "text/plain", sha256: ZERO_SHA };
}

function readText(name: string, text = fixture(name)) {
  return readDecisions(text, sourceFor(name));
}

function withoutSource(record: DecisionRecord): Omit<DecisionRecord, "source"> {
  const { source: _source, ...rest } = record;
  return rest;
}

function documentError(text: string): DocumentError {
  try {
    readDecisions(text, null);
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error("expected a DocumentError");
}

describe("ModernGov decision details page: a Cabinet decision (Wyvern Borough Council)", () => {
  const name = "household-support-fund-cabinet.txt";
  const outcome = {
    kind: "RESOLVED",
    text: "that:",
    items: [
      "The allocation of the Household Support Fund for October 2024 to March 2025, as set out in Appendix 1, be approved.",
      "Free school meal holiday vouchers be provided for the October half term, Christmas and February half term holidays.",
      "Authority be delegated to the Director of Finance and Business Services, in consultation with the Cabinet Member for Access, Communities and Community Safety, to vary the allocation between schemes.",
    ],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    // The page text does not name the council (it is in the site's banner, which is not the page).
    council: null,
    body: "Cabinet",
    documentType: "Decision details",
    // "(Ref: 1873)" is ModernGov's hidden reference in the title: the decision's number, not its title.
    recordId: "1873",
    meetingDate: "2024-09-10",
    title: "Household Support Fund 2024-25",
    record:
      "Cabinet considered a report on the sixth round of the Household Support Fund, which the Department for Work and Pensions had extended to 31 March 2025.",
    outcome,
    outcomes: [outcome],
    reasons:
      "To make sure that the grant is spent within the period set by the Department for Work and Pensions and reaches the households most in need.",
    alternatives:
      "Not providing holiday vouchers was considered and rejected, as the vouchers reach the children most at risk of going hungry.",
    conflictsOfInterest: "None.",
    dispensations: "",
    callIn: { deadline: "2024-09-19", text: "19/09/2024" },
    signedBy: null,
    publishedOn: "2024-09-12",
    source: {
      fileName: name,
      mediaType: "text/plain",
      sha256: ZERO_SHA,
      lines: {
        documentType: 1,
        recordId: 3,
        title: 3,
        body: 5,
        statusAsPrinted: 7,
        keyDecision: 9,
        subjectToCallIn: 11,
        purpose: 14,
        record: 17,
        outcomes: 19,
        reasons: 28,
        alternatives: 31,
        conflictsOfInterest: 34,
        wardsAffected: 36,
        publishedOn: 38,
        decidedOn: 40,
        meetingDate: 42,
        effectiveFrom: 44,
        callIn: 46,
      },
      part: 1,
      layout: "moderngov-decision",
    },
    decidedOn: "2024-09-10",
    keyDecision: true,
    subjectToCallIn: true,
    effectiveFrom: "2024-09-20",
    statusAsPrinted: "Recommendations Approved (subject to call-in)",
    purpose:
      "To agree how the Council will spend its allocation of £2.46 million from the sixth round of the Household Support Fund between 1 October 2024 and 31 March 2025.",
    wardsAffected: ["All Wards"],
    decisionMakerKind: "body",
  };

  it("reads every field, with the line each was found on, and warns of nothing", () => {
    const { layout, decisions } = readText(name);
    expect(layout.name).toBe("moderngov-decision");
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.record).toEqual(expected);
    expect(decisions[0]!.warnings).toEqual([]);
    expect(decisionRecordSchema.parse(decisions[0]!.record)).toEqual(expected);
  });

  it("keeps the list of accompanying documents out of every field", () => {
    const record = readText(name).decisions[0]!.record;
    expect(JSON.stringify(record)).not.toMatch(/PDF 412 KB|Appendix 1 - HSF6/);
  });

  it("reads the saved page (.html) as the same record, with the page's own line numbers", async () => {
    const { layout, decisions } = await parseDocument(
      fixtureBytes("household-support-fund-cabinet.html"),
      "household-support-fund-cabinet.html",
    );
    expect(layout).toBe("moderngov-decision");
    const record = decisions[0]!.record;
    expect(withoutSource(record)).toEqual(withoutSource(expected));
    expect(record.source).toMatchObject({ mediaType: "text/html", part: 1, layout: "moderngov-decision" });
    // The page's text puts a blank line under each heading and a "View the history" link under the title.
    expect(record.source!.lines).toEqual({
      documentType: 1,
      recordId: 3,
      title: 3,
      body: 7,
      statusAsPrinted: 9,
      keyDecision: 11,
      subjectToCallIn: 13,
      purpose: 17,
      record: 21,
      outcomes: 23,
      reasons: 31,
      alternatives: 35,
      conflictsOfInterest: 39,
      wardsAffected: 41,
      publishedOn: 43,
      decidedOn: 45,
      meetingDate: 47,
      effectiveFrom: 49,
      callIn: 51,
    });
    expect(decisions[0]!.warnings).toEqual([]);
  });

  it("reads the page printed to PDF as the same record; the printed banner names the council", async () => {
    const { layout, decisions } = await parseDocument(
      fixtureBytes("household-support-fund-cabinet.pdf"),
      "household-support-fund-cabinet.pdf",
    );
    expect(layout).toBe("moderngov-decision");
    const record = decisions[0]!.record;
    // Printing keeps the site's banner ("Wyvern Borough Council") and breadcrumbs ("Decisions", "Decision
    // details") above the page; the title is still the one under the page's own heading.
    expect(withoutSource(record)).toEqual({ ...withoutSource(expected), council: "Wyvern Borough Council" });
    expect(record.source).toMatchObject({ mediaType: "application/pdf", part: 1 });
    expect(decisions[0]!.warnings).toEqual([]);
  });
});

describe("ModernGov decision details page: an executive member's decision (Marshfield District Council)", () => {
  const name = "marshfield-library-opening-hours.txt";
  const outcome = {
    kind: "AGREED",
    text: "",
    items: [
      "that Hensby Library open from 9.30am to 5pm on Tuesday, Thursday and Saturday, and from 1pm to 7pm on Wednesday;",
      "that Orton Library open from 9.30am to 1pm on Monday and Friday, and from 9.30am to 5pm on Saturday;",
      "that the changes take effect from 4 November 2024.",
    ],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    council: "Marshfield District Council",
    body: "Cabinet Member for Leisure and Culture",
    documentType: "Decision details",
    recordId: "4567",
    // No meeting: a Cabinet Member decides alone, so the date of decision stands in (madeUp says so).
    meetingDate: "2024-10-02",
    title: "Changes to Library Opening Hours at Hensby and Orton Libraries",
    record: "",
    outcome,
    // "Decision:" and "Minutes:" print the same words: read once.
    outcomes: [outcome],
    reasons:
      "The new hours match the times at which the consultation showed the libraries are most used, and save £38,000 a year.",
    alternatives:
      "Keeping the current hours, which would not make the saving agreed in the budget; closing Orton Library on Saturdays, which most respondents opposed.",
    conflictsOfInterest: "None",
    dispensations: "",
    // Subject to call-in, but the page prints no deadline.
    callIn: { deadline: null, text: "" },
    signedBy: null,
    publishedOn: "2024-10-03",
    source: {
      fileName: name,
      mediaType: "text/plain",
      sha256: ZERO_SHA,
      lines: {
        council: 1,
        documentType: 3,
        recordId: 5,
        title: 5,
        body: 7,
        statusAsPrinted: 9,
        keyDecision: 11,
        subjectToCallIn: 13,
        purpose: 16,
        outcomes: 19,
        reasons: 37,
        alternatives: 40,
        conflictsOfInterest: 43,
        wardsAffected: 45,
        publishedOn: 47,
        decidedOn: 49,
        effectiveFrom: 51,
      },
      part: 1,
      layout: "moderngov-decision",
    },
    decidedOn: "2024-10-02",
    keyDecision: false,
    subjectToCallIn: true,
    effectiveFrom: "2024-10-11",
    statusAsPrinted: "Approved",
    purpose:
      "To consider changes to the opening hours of Hensby and Orton libraries following the public consultation held over the summer.",
    wardsAffected: ["Hensby", "Orton Longueville"],
    decisionMakerKind: "executive-member",
    madeUp: ["meetingDate"],
  };

  it("reads the record: Decision and Minutes once, the report author left out", () => {
    const { layout, decisions } = readText(name);
    expect(layout.name).toBe("moderngov-decision");
    expect(decisions[0]!.record).toEqual(expected);
    expect(decisions[0]!.warnings).toEqual([]);
    expect(JSON.stringify(decisions[0]!.record)).not.toContain("Priya Chandran");
  });

  it("reads a Word paste (hard line wraps, non-breaking spaces, CRLF) as the clean text", () => {
    const pasted = "marshfield-library-opening-hours-word-paste.txt";
    const text = fixture(pasted);
    expect(text).toContain("\u00a0");
    expect(text).toContain("\r\n");
    const { decisions } = readText(pasted, text);
    expect(withoutSource(decisions[0]!.record)).toEqual(withoutSource(expected));
    expect(decisions[0]!.warnings).toEqual([]);
  });

  it("warns when a repeated label prints different words, and keeps the first", () => {
    const text = fixture(name).replace(
      "Minutes:\nAgreed:\n\n(a) that Hensby Library open from 9.30am to 5pm",
      "Minutes:\nAgreed:\n\n(a) that Hensby Library open from 10am to 5pm",
    );
    expect(text).not.toBe(fixture(name));
    const { decisions } = readText(name, text);
    expect(decisions[0]!.record.outcomes).toEqual([outcome]);
    expect(decisions[0]!.warnings).toEqual([
      {
        line: 27,
        message: '"Minutes" is printed again with different words: the first ("Decision", line 18) is kept',
      },
    ]);
  });

  it("reads labels in another order, and a value below its label", () => {
    const lines = fixture(name).split("\n");
    // Move "Publication date" and "Date of decision" to the top, and put the decision maker under its label.
    const moved = lines.slice(46, 49);
    const rest = [...lines.slice(0, 46), ...lines.slice(49)];
    const reordered = [...rest.slice(0, 6), ...moved, "", ...rest.slice(6)]
      .join("\n")
      .replace("Decision maker: Cabinet Member", "Decision maker:\nCabinet Member");
    const record = readText(name, reordered).decisions[0]!.record;
    expect(withoutSource(record)).toEqual(withoutSource(expected));
    expect(record.source!.lines).toMatchObject({ publishedOn: 7, decidedOn: 9, body: 12 });
  });
});

describe("ModernGov decision details page: an officer's decision (Someshire County Council)", () => {
  const name = "someshire-winter-gritting-contract.txt";
  const outcome = {
    kind: "DECIDED",
    text: "to:",
    items: [
      "Award the Winter Gritting and Highway Maintenance Contract 2025-2032 to Northway Highways Ltd at a total cost of £41.2 million over seven years.",
      "Delegate the signing of the contract to the Assistant Director, Highways, in consultation with the Head of Legal Services.",
    ],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    council: "Someshire County Council",
    body: "Director of Environment and Transport",
    documentType: "Decision details",
    // "[KD/2024/15]" is the forward plan's reference, not the decision's: taken out of the title only.
    recordId: null,
    meetingDate: "2024-11-14",
    title: "Award of the Winter Gritting and Highway Maintenance Contract 2025-2032",
    record: "",
    outcome,
    outcomes: [outcome],
    reasons:
      "Northway Highways Ltd submitted the most economically advantageous tender, scoring highest on both quality and price.",
    alternatives:
      "Bringing the service in house was considered and rejected because the Council does not own a gritting fleet or depots.",
    conflictsOfInterest: "",
    dispensations: "",
    callIn: { deadline: null, text: "" },
    signedBy: null,
    publishedOn: "2024-11-14",
    source: {
      fileName: name,
      mediaType: "text/plain",
      sha256: ZERO_SHA,
      lines: {
        council: 1,
        documentType: 1,
        title: 3,
        body: 5,
        statusAsPrinted: 7,
        subjectToCallIn: 9,
        purpose: 12,
        outcomes: 13,
        reasons: 18,
        alternatives: 21,
        wardsAffected: 23,
        decidedOn: 25,
        effectiveFrom: 27,
      },
      part: 1,
      layout: "moderngov-decision",
    },
    decidedOn: "2024-11-14",
    // Not printed ("- Key Decision" in the title is a hidden fragment, not the field).
    keyDecision: null,
    subjectToCallIn: false,
    effectiveFrom: "2024-11-22",
    statusAsPrinted: "Recommendations Approved (subject to call-in)",
    purpose:
      "To award the contract for winter gritting and reactive highway maintenance across the county for seven years from 1 April 2025, following an open tender.",
    wardsAffected: ["Ashcombe", "Bradleigh", "Coldharbour"],
    decisionMakerKind: "officer",
    madeUp: ["meetingDate", "publishedOn"],
  };

  it("reads the record; the purpose running into the decision is split at the operative word", () => {
    const { decisions } = readText(name);
    expect(decisions[0]!.record).toEqual(expected);
  });

  it("warns of the missing Decision label, the missing publication date and the contradictory call-in", () => {
    expect(readText(name).decisions[0]!.warnings).toEqual([
      {
        line: 13,
        message: 'no "Decision:" label: the decision is read from its operative words after the purpose',
      },
      { line: 1, message: "no publication date printed: the date of decision (2024-11-14) stands in for it" },
      {
        line: 9,
        message:
          'the status "Recommendations Approved (subject to call-in)" contradicts "subject to call-in: No"; both are kept as printed',
      },
    ]);
  });

  it("makes a title from the purpose when the page has none, and says so", () => {
    const text = fixture(name).replace(
      "[KD/2024/15] Award of the Winter Gritting and Highway Maintenance Contract 2025-2032 - Key Decision\n\n",
      "",
    );
    const { decisions } = readText(name, text);
    expect(decisions[0]!.record.title).toBe(
      "Award the contract for winter gritting and reactive highway maintenance across the county for seven…",
    );
    expect(decisions[0]!.record.madeUp).toEqual(["title", "meetingDate", "publishedOn"]);
    expect(decisions[0]!.warnings[1]).toEqual({
      line: 1,
      message:
        'no title: "Award the contract for winter gritting and reactive highway maintenance across the county for seven…" is made up from the purpose',
    });
  });

  it("refuses a page with no decision maker, at the line the page starts", () => {
    const text = fixture(name).replace("Decision Maker: Director of Environment and Transport\n", "");
    const error = documentError(text);
    expect(error.message).toMatch(/no decision maker/);
    expect(error.line).toBe(1);
  });

  it("refuses a page with no decision text", () => {
    const lines = fixture(name).split("\n");
    const text = [...lines.slice(0, 12), ...lines.slice(15)].join("\n");
    expect(documentError(text).message).toMatch(/the decision has no text/);
  });
});

describe("ModernGov decision details page: dates that are not dates", () => {
  const name = "household-support-fund-cabinet.txt";

  it("leaves out an impossible or missing date with a warning at its line, and reads the rest", () => {
    const text = fixture(name)
      .replace("Effective from: 20/09/2024", "Effective from: 31/09/2024")
      .replace("Call-in deadline date: 19/09/2024", "Call-in deadline date: to be confirmed");
    const { decisions } = readText(name, text);
    expect(decisions[0]!.record).toMatchObject({
      effectiveFrom: null,
      callIn: { deadline: null, text: "to be confirmed" },
      publishedOn: "2024-09-12",
    });
    expect(decisions[0]!.warnings).toEqual([
      {
        line: 44,
        message: '"Effective from": "31/09/2024" is not a real date (September 2024 has 30 days); left out',
      },
      { line: 46, message: '"Call-in deadline date" has no date ("to be confirmed"): left out' },
    ]);
  });
});

describe("a short ModernGov page: a decision maker and a decision, nothing else", () => {
  it("is read as a ModernGov page, with what it does not say left null", () => {
    const text = [
      "Decision details",
      "",
      "Grant to Hensby Community Association",
      "",
      "Decision Maker: Leader of the Council",
      "",
      "Decision:",
      "Agreed to award a grant of £5,000 to Hensby Community Association towards the new community hall roof.",
      "",
      "Publication date: 07/03/2025",
    ].join("\n");
    const { layout, decisions } = readDecisions(text, null);
    expect(layout.name).toBe("moderngov-decision");
    expect(decisions[0]!.record).toMatchObject({
      body: "Leader of the Council",
      decisionMakerKind: "executive-member",
      meetingDate: "2025-03-07",
      publishedOn: "2025-03-07",
      decidedOn: null,
      keyDecision: null,
      subjectToCallIn: null,
      effectiveFrom: null,
      wardsAffected: null,
      madeUp: ["meetingDate"],
      source: null,
    });
  });
});

describe("a title that ends in a council's name", () => {
  it("stays the title, below the page's heading or with none", () => {
    const page = (heading: string[]) =>
      [
        ...heading,
        "Transfer of the Recreation Ground to Hensby Parish Council",
        "",
        "Decision Maker: Cabinet Member for Finance and Assets",
        "",
        "Decision:",
        "Agreed to transfer the freehold of the recreation ground to Hensby Parish Council at nil cost.",
        "",
        "Publication date: 14/03/2025",
      ].join("\n");
    for (const heading of [["Marshfield District Council", "", "Decision details", ""], []]) {
      const record = readDecisions(page(heading), null).decisions[0]!.record;
      expect(record.title).toBe("Transfer of the Recreation Ground to Hensby Parish Council");
      expect(record.council).toBe(heading.length > 0 ? "Marshfield District Council" : null);
    }
  });
});
