import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decisionRecordSchema, type DecisionRecord } from "../../../src/domain/decision-record.js";
import { parseDocument } from "../../../src/import/parse-document.js";
import { parseProforma, type SourceDescription } from "../../../src/import/proforma-parser.js";
import { readDecisions } from "../../../src/import/read-decisions.js";

// Every expected value below is written from what the fixture list says, not from reader output.

function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8");
}

const ZERO_SHA = "0".repeat(64);

function sourceFor(fileName: string): SourceDescription {
  return { fileName, mediaType: "text/plain", sha256: ZERO_SHA };
}

describe("a council's decision list for a meeting (Eastmarch City Council Cabinet)", () => {
  const name = "eastmarch-cabinet-decision-list.txt";
  const read = () => readDecisions(fixture(`moderngov/${name}`), sourceFor(name));

  // What the list's heading states once for every decision, and where.
  const fromHeading = {
    council: "Eastmarch City Council",
    body: "Cabinet",
    documentType: "Cabinet Decision List",
    meetingDate: "2024-10-08",
    decidedOn: "2024-10-08",
    publishedOn: "2024-10-10",
    callIn: { deadline: "2024-10-17", text: "5pm, 17 October 2024" },
    signedBy: null,
    // The heading's note gives a date the decisions come into force, in prose, not as a field: not read.
    effectiveFrom: null,
    subjectToCallIn: null,
    statusAsPrinted: null,
    purpose: null,
    decisionMakerKind: "body",
    recordId: null,
    formatVersion: 1,
    record: "",
    dispensations: "",
  } as const;
  const headingLines = { council: 1, documentType: 3, body: 5, meetingDate: 5, publishedOn: 7, callIn: 9 };

  it("is read as a decision list of three decisions, in order, numbered 1 to 3", () => {
    const { layout, decisions } = read();
    expect(layout.name).toBe("decision-list");
    expect(decisions.map((d) => d.record.title)).toEqual([
      "Riverside Quarter Car Parking Charges",
      "Treasury Management Mid-Year Review 2024-25",
      "Eastmarch Local Plan - Regulation 19 Consultation",
    ]);
    expect(decisions.map((d) => d.record.source?.part)).toEqual([1, 2, 3]);
    expect(decisions.map((d) => d.warnings)).toEqual([[], [], []]);
    for (const d of decisions) expect(decisionRecordSchema.parse(d.record)).toEqual(d.record);
  });

  it("reads the first decision whole, with the heading's facts and their lines", () => {
    const outcome = {
      kind: "RESOLVED",
      text: "that:",
      items: [
        "The parking charges for the Riverside Quarter car parks set out in Appendix A be approved from 1 January 2025.",
        "Free parking after 6pm on Thursdays be kept for a further year.",
      ],
    };
    const expected: DecisionRecord = {
      ...fromHeading,
      callIn: { ...fromHeading.callIn },
      title: "Riverside Quarter Car Parking Charges",
      outcome,
      outcomes: [outcome],
      reasons:
        "To manage demand for parking in the Riverside Quarter and to meet the cost of maintaining the car parks.",
      alternatives:
        "Leaving the charges unchanged, which would not cover the cost of maintaining the car parks.",
      conflictsOfInterest:
        "Councillor Okafor declared a personal interest as the holder of a Riverside Quarter business permit.",
      keyDecision: true,
      wardsAffected: ["Castle", "Riverside"],
      source: {
        fileName: name,
        mediaType: "text/plain",
        sha256: ZERO_SHA,
        lines: {
          ...headingLines,
          title: 13,
          keyDecision: 15,
          wardsAffected: 17,
          outcomes: 20,
          reasons: 27,
          alternatives: 30,
          conflictsOfInterest: 33,
        },
        part: 1,
        layout: "decision-list",
      },
    };
    expect(read().decisions[0]!.record).toEqual(expected);
  });

  it("reads a recommendation to Council, and a decision that is a bare numbered list", () => {
    const [, second, third] = read().decisions;
    expect(second!.record.outcomes).toEqual([
      {
        kind: "RECOMMENDED",
        text: "to Council that the Treasury Management Mid-Year Review 2024-25 be noted and the revised prudential indicators in Appendix 2 be approved.",
        items: [],
      },
    ]);
    expect(second!.record).toMatchObject({ keyDecision: false, wardsAffected: ["All Wards"] });
    expect(second!.record.source!.lines).toMatchObject({ title: 35, keyDecision: 37, outcomes: 42 });
    expect(third!.record.outcomes).toEqual([
      {
        kind: "DECIDED",
        text: "",
        items: [
          "The Eastmarch Local Plan Publication Draft be approved for consultation under Regulation 19 for six weeks from 4 November 2024.",
          "Authority be delegated to the Director of Place, in consultation with the Cabinet Member for Planning, to make minor changes before publication.",
        ],
      },
    ]);
    // "[KD/2024/31]" is the forward plan's reference: out of the title, not the record id.
    expect(third!.record).toMatchObject({ recordId: null, keyDecision: true });
    expect(third!.record.source!.lines).toMatchObject({ title: 53, outcomes: 60, conflictsOfInterest: 71 });
  });
});

describe("a ModernGov decisions list holding a Cabinet proforma and an officer decision (Stockton-on-Tees)", () => {
  const name = "stockton-decisions-list-with-proforma.txt";
  const text = fixture(`moderngov/${name}`);
  const read = () => readDecisions(text, sourceFor(name));

  it("reads the proforma in the list as a proforma, with the document's line numbers", () => {
    const { layout, decisions } = read();
    expect(layout.name).toBe("decision-list");
    expect(decisions).toHaveLength(2);
    const outcome = {
      kind: "RESOLVED",
      text: "that:-",
      items: [
        "The decarbonisation works at Billingham Forum and Thornaby Pool be approved at a total cost of £3.1 million.",
        "The grant of £1.9 million from the Public Sector Decarbonisation Scheme be accepted.",
      ],
    };
    const expected: DecisionRecord = {
      formatVersion: 1,
      council: "Stockton-on-Tees Borough Council",
      body: "Cabinet",
      documentType: "Cabinet Decision Proforma",
      // The list's "(Ref. 2211)": ModernGov's number for the decision; the proforma has none of its own.
      recordId: "2211",
      meetingDate: "2024-09-12",
      title: "Leisure Centre Decarbonisation Works",
      record:
        "Consideration was given to a report on works to replace the gas boilers at Billingham Forum and Thornaby Pool with air source heat pumps, funded in part by the Public Sector Decarbonisation Scheme.",
      outcome,
      outcomes: [outcome],
      reasons:
        "To reduce the carbon emissions and energy costs of the Council's two largest leisure centres.",
      alternatives: "Replacing the boilers like for like, which would not reduce emissions.",
      conflictsOfInterest: "None.",
      dispensations: "N/A",
      callIn: { deadline: "2024-09-23", text: "Midnight, 23 September 2024" },
      signedBy: "Proper Officer",
      publishedOn: "2024-09-16",
      source: {
        fileName: name,
        mediaType: "text/plain",
        sha256: ZERO_SHA,
        lines: {
          // From the list's fields above the proforma.
          recordId: 7,
          statusAsPrinted: 13,
          keyDecision: 15,
          wardsAffected: 17,
          effectiveFrom: 19,
          // From the proforma, numbered as the list document numbers them.
          council: 23,
          documentType: 25,
          body: 27,
          meetingDate: 27,
          title: 31,
          record: 35,
          outcomes: 37,
          reasons: 45,
          alternatives: 49,
          conflictsOfInterest: 53,
          dispensations: 57,
          callIn: 61,
          signedBy: 63,
          publishedOn: 64,
        },
        part: 1,
        layout: "decision-list",
      },
      decidedOn: "2024-09-12",
      keyDecision: true,
      subjectToCallIn: true,
      effectiveFrom: "2024-09-24",
      statusAsPrinted: "Recommendations Approved (subject to call-in)",
      purpose: null,
      wardsAffected: ["Billingham Central", "Thornaby Town"],
      decisionMakerKind: "body",
    };
    expect(decisions[0]!.record).toEqual(expected);
    expect(decisions[0]!.warnings).toEqual([]);
  });

  it("reads the proforma's slice as parseProforma reads the proforma alone", () => {
    const lines = text.split("\n");
    const alone = parseProforma(lines.slice(22, 64).join("\n"), sourceFor("alone.txt")).record;
    const inList = read().decisions[0]!.record;
    for (const field of [
      "title",
      "record",
      "outcomes",
      "reasons",
      "callIn",
      "publishedOn",
      "meetingDate",
    ] as const) {
      expect(inList[field]).toEqual(alone[field]);
    }
    // Line 1 of the slice is line 23 of the list.
    expect(inList.source!.lines.title).toBe(alone.source!.lines.title! + 22);
  });

  it("warns when the list's call-in flag contradicts the proforma's call-in section, and keeps the proforma's", () => {
    const contradicting = text.replace(
      "Is Key decision?: Yes\n",
      "Is Key decision?: Yes\n\nIs subject to call in?: No\n",
    );
    const { decisions } = readDecisions(contradicting, sourceFor(name));
    expect(decisions[0]!.record.subjectToCallIn).toBe(true);
    expect(decisions[0]!.warnings).toEqual([
      {
        line: 17,
        message:
          "the list says subject to call-in: No, but the proforma's call-in section says \"Midnight, 23 September 2024\"; the proforma's is kept",
      },
    ]);
  });

  it("reads the officer's decision after it, with no meeting and the lead officer left out", () => {
    const { decisions } = read();
    const outcome = {
      kind: "DECIDED",
      text: "To approve an uplift of 5.2% to the hourly rate paid to domiciliary care providers from 1 April 2024, in line with the Council's approved budget.",
      items: [],
    };
    const expected: DecisionRecord = {
      formatVersion: 1,
      council: "Stockton-on-Tees Borough Council",
      body: "Director of Adults, Health and Wellbeing",
      documentType: "Decisions",
      recordId: "2214",
      meetingDate: "2024-09-17",
      title: "Domiciliary Care Provider Uplift 2024-25",
      record: "",
      outcome,
      outcomes: [outcome],
      reasons:
        "To keep the market for home care sustainable and meet the increase in the National Living Wage.",
      alternatives: "A lower uplift, which would put at risk the supply of home care in the borough.",
      conflictsOfInterest: "",
      dispensations: "",
      callIn: { deadline: null, text: "" },
      signedBy: null,
      publishedOn: "2024-09-18",
      source: {
        fileName: name,
        mediaType: "text/plain",
        sha256: ZERO_SHA,
        lines: {
          council: 1,
          documentType: 3,
          recordId: 68,
          title: 68,
          body: 70,
          publishedOn: 72,
          effectiveFrom: 74,
          outcomes: 77,
          reasons: 80,
          alternatives: 83,
          subjectToCallIn: 85,
          decidedOn: 87,
        },
        part: 2,
        layout: "decision-list",
      },
      decidedOn: "2024-09-17",
      keyDecision: null,
      subjectToCallIn: false,
      effectiveFrom: "2024-09-18",
      statusAsPrinted: null,
      purpose: null,
      wardsAffected: null,
      decisionMakerKind: "officer",
      madeUp: ["meetingDate"],
    };
    expect(decisions[1]!.record).toEqual(expected);
    expect(decisions[1]!.warnings).toEqual([
      {
        line: 77,
        message:
          "the decision has no operative word (RESOLVED, AGREED, ...) or numbered list: kept whole, as printed",
      },
    ]);
    expect(JSON.stringify(decisions.map((d) => d.record))).not.toMatch(/Helen Marsh|Andrew Kirby/);
  });
});

describe("a saved ModernGov delegated decisions page (Harbridge Borough Council)", () => {
  const name = "harbridge-delegated-decisions.html";
  const read = () =>
    parseDocument(readFileSync(new URL(`../../fixtures/moderngov/${name}`, import.meta.url)), name);

  it("gives three decisions in order, each with its own maker, dates and reference", async () => {
    const { layout, decisions } = await read();
    expect(layout).toBe("decision-list");
    expect(
      decisions.map(({ record }) => ({
        part: record.source?.part,
        title: record.title,
        recordId: record.recordId,
        body: record.body,
        decisionMakerKind: record.decisionMakerKind,
        publishedOn: record.publishedOn,
        effectiveFrom: record.effectiveFrom,
        keyDecision: record.keyDecision,
        wardsAffected: record.wardsAffected,
      })),
    ).toEqual([
      {
        part: 1,
        title: "Harbridge Town Centre Public Toilets - Cleaning Contract Extension",
        recordId: "5120",
        body: "Head of Environmental Services",
        decisionMakerKind: "officer",
        publishedOn: "2024-11-05",
        effectiveFrom: "2024-11-05",
        keyDecision: null,
        wardsAffected: null,
      },
      {
        part: 2,
        title: "Residents' Parking Scheme - Mill Lane and Quarry Road",
        recordId: "5131",
        body: "Portfolio Holder for Transport and Highways",
        decisionMakerKind: "executive-member",
        publishedOn: "2024-11-14",
        effectiveFrom: "2024-11-22",
        keyDecision: null,
        wardsAffected: ["Millbrook"],
      },
      {
        part: 3,
        title: "Disposal of Land at Fenwick Road Depot",
        recordId: "5139",
        body: "Cabinet Member for Finance and Assets",
        decisionMakerKind: "executive-member",
        publishedOn: "2024-11-28",
        effectiveFrom: "2024-12-06",
        keyDecision: true,
        wardsAffected: null,
      },
    ]);
    expect(JSON.stringify(decisions.map((d) => d.record))).not.toMatch(
      /Tom Ashworth|Sunita Rao|Gareth Lewis/,
    );
  });

  it("reads each decision's words: plain text, a member's RESOLVED, an Agreed", async () => {
    const { decisions } = await read();
    expect(decisions.map((d) => d.record.outcomes)).toEqual([
      [
        {
          kind: "DECIDED",
          text: "To extend the contract for cleaning the public toilets in Harbridge town centre with Brightwater Facilities Ltd for twelve months from 1 December 2024, at a cost of £48,600, as allowed for in the contract.",
          items: [],
        },
      ],
      [
        {
          kind: "RESOLVED",
          text: "that:",
          items: [
            "The objections to the proposed residents' parking scheme in Mill Lane and Quarry Road be noted.",
            "The scheme be introduced as advertised, with permits at £35 a year.",
          ],
        },
      ],
      [
        {
          kind: "AGREED",
          text: "to sell the freehold of the former Fenwick Road Depot to Harbridge Homes Ltd for £1.35 million, subject to planning permission for affordable housing.",
          items: [],
        },
      ],
    ]);
    // No meeting and no date of decision: the publication date stands in for the meeting, and says so.
    expect(decisions.map((d) => [d.record.decidedOn, d.record.meetingDate, d.record.madeUp])).toEqual([
      [null, "2024-11-05", ["meetingDate"]],
      [null, "2024-11-14", ["meetingDate"]],
      [null, "2024-11-28", ["meetingDate"]],
    ]);
    expect(decisions.map((d) => d.warnings)).toEqual([
      [
        {
          line: 12,
          message:
            "the decision has no operative word (RESOLVED, AGREED, ...) or numbered list: kept whole, as printed",
        },
      ],
      [],
      [],
    ]);
    expect(decisions[1]!.record.source!.lines).toEqual({
      documentType: 1,
      recordId: 14,
      title: 14,
      body: 15,
      publishedOn: 16,
      effectiveFrom: 17,
      outcomes: 19,
      wardsAffected: 22,
    });
  });
});

describe("decisions with no blank line between them", () => {
  it("takes the one line above each decision maker as its title, not the last decision's words", () => {
    const text = [
      "Delegated decisions",
      "- Playground Equipment at Orchard Park",
      "Decision Maker: Head of Parks and Open Spaces",
      "Decision published: 02/12/2024",
      "Decision:",
      "1. New play equipment be installed at Orchard Park at a cost of £62,000.",
      "2. The old equipment be removed and recycled.",
      "- Christmas Parking Offer 2024",
      "Decision Maker: Cabinet Member for Town Centres",
      "Decision published: 03/12/2024",
      "Decision:",
      "Agreed that parking in council car parks be free after 3pm on Saturdays in December.",
    ].join("\n");
    const { layout, decisions } = readDecisions(text, null);
    expect(layout.name).toBe("decision-list");
    expect(decisions.map((d) => d.record.title)).toEqual([
      "Playground Equipment at Orchard Park",
      "Christmas Parking Offer 2024",
    ]);
    expect(decisions[0]!.record.outcomes).toEqual([
      {
        kind: "DECIDED",
        text: "",
        items: [
          "New play equipment be installed at Orchard Park at a cost of £62,000.",
          "The old equipment be removed and recycled.",
        ],
      },
    ]);
  });
});
