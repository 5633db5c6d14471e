import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decisionRecordSchema, type DecisionRecord } from "../../../src/domain/decision-record.js";
import { DocumentError } from "../../../src/domain/errors.js";
import { parseProforma, type SourceDescription } from "../../../src/import/proforma-parser.js";

// Every expected value below is written from what the fixture document says, not from parser output.

function fixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8");
}

function sourceFor(fileName: string): SourceDescription {
  return { fileName, mediaType: "text/plain", sha256: "0".repeat(64) };
}

function parseFixture(name: string) {
  return parseProforma(fixture(`text/${name}`), sourceFor(name));
}

/** Replaces exactly one occurrence, so a variant cannot silently miss its target. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function documentError(text: string): DocumentError {
  try {
    parseProforma(text);
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error("expected a DocumentError");
}

function withoutSource(record: DecisionRecord): Omit<DecisionRecord, "source"> {
  const { source: _source, ...rest } = record;
  return rest;
}

describe("parseProforma: Cabinet Recommendations Proforma (2018)", () => {
  const name = "q3-childrens-performance.txt";
  const outcome = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "The report be noted.",
      // Split across a blank line in the source (line 31 / line 33).
      "The progress made in reducing the number of re-referrals to children's social care within 12 months be welcomed, and officers be asked to report on the causes of the rise in the number of children in our care.",
    ],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    council: "Stockton-on-Tees Borough Council",
    body: "Cabinet",
    documentType: "Cabinet Recommendations Proforma",
    recordId: null,
    meetingDate: "2018-02-15",
    title: "Children's Services Performance Update Q3 (October - December)",
    record: [
      "Consideration was given to a report that provided an update on performance across Children's Services for the third quarter of 2017/18, measured against the priorities of the Children's Services Strategy 2017-20.",
      "",
      "Members noted that the number of children in our care had continued to rise, reaching 512 at the end of December, and that the service was working with partners to understand the reasons for the increase.",
      "",
      "The next quarter would see:",
      "",
      "a. The launch of the new Early Help offer in the three localities",
      "b. A report to Cabinet on the sufficiency of placements for children in our care",
      "c. The outcome of the Ofsted focused visit on the front door and assessment arrangements, which was expected in March.",
    ].join("\n"),
    outcome,
    outcomes: [outcome],
    reasons:
      "To ensure that members are aware of performance and progress in the delivery of the Children's Services Strategy 2017-20.",
    alternatives: "None.",
    conflictsOfInterest: "None.",
    dispensations: "N/A",
    callIn: { deadline: "2018-02-23", text: "Midnight, 23 February 2018" },
    signedBy: "Proper Officer",
    publishedOn: "2018-02-19",
    decidedOn: "2018-02-15",
    keyDecision: null,
    subjectToCallIn: true,
    effectiveFrom: null,
    statusAsPrinted: null,
    purpose: null,
    wardsAffected: null,
    decisionMakerKind: "body",
    source: {
      ...sourceFor(name),
      lines: {
        council: 3,
        documentType: 5,
        body: 9,
        meetingDate: 9,
        title: 13,
        record: 17,
        outcomes: 27,
        reasons: 37,
        alternatives: 41,
        conflictsOfInterest: 45,
        dispensations: 49,
        callIn: 53,
        signedBy: 55,
        publishedOn: 56,
      },
    },
  };

  it("reads every field, with the line each was found on", () => {
    const { record, warnings } = parseFixture(name);
    expect(record).toEqual(expected);
    expect(warnings).toEqual([]);
    expect(decisionRecordSchema.parse(record)).toEqual(record);
  });

  it("reads the date glued to the heading, and the lettered list behind dashes", () => {
    const { record } = parseFixture(name);
    expect(record.meetingDate).toBe("2018-02-15");
    expect(record.record.split("\n").filter((l) => /^[a-z]\. /.test(l))).toHaveLength(3);
    expect(record.record).not.toMatch(/^- /m);
  });

  it("gives the same record for Windows line endings and a byte-order mark", () => {
    const text = "\uFEFF" + fixture(`text/${name}`).replace(/\n/g, "\r\n");
    expect(parseProforma(text, sourceFor(name)).record).toEqual(expected);
  });

  it('reads a call-in of "N/A" as not subject to call-in', () => {
    const text = replaceOnce(fixture(`text/${name}`), "Midnight, 23 February 2018", "N/A");
    expect(parseProforma(text).record.callIn).toEqual({ deadline: null, text: "N/A" });
  });
});

describe("parseProforma: Cabinet Decision Proforma with a recommendation to Council (2023)", () => {
  const name = "mtfp-decision-proforma.txt";
  const recommended = {
    kind: "RECOMMENDED",
    text: "to Council that:-",
    items: [
      "The Medium Term Financial Plan for 2023/24 to 2025/26 as set out in the report be approved.",
      "Council Tax for 2023/24 be increased by 2.99%, including 2% for the Adult Social Care precept.",
      "The Capital Programme as set out at Appendix C be approved.",
    ],
  };
  const resolved = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "The updated financial position for 2022/23 be noted.",
      "Authority be delegated to the Director of Finance, Development and Regeneration, in consultation with the Cabinet Member for Resources and Transformation, to agree the final Collection Fund surplus.",
    ],
  };

  it("reads both outcome blocks in order, and a call-in that does not apply", () => {
    const { record, warnings } = parseFixture(name);
    expect(record).toEqual({
      formatVersion: 1,
      council: "Stockton-on-Tees Borough Council",
      body: "Cabinet",
      documentType: "Cabinet Decision Proforma",
      recordId: null,
      meetingDate: "2023-02-09",
      title: "Medium Term Financial Plan Update and Council Tax Level 2023/24",
      record: [
        "Consideration was given to a report on the Medium Term Financial Plan (MTFP) and the level of Council Tax for 2023/24.",
        "",
        "The report set out the Council's financial position, the updated MTFP for 2023/24 to 2025/26 and the proposed level of Council Tax for 2023/24, which would be considered by Council on 22 February 2023.",
        "",
        "The main points were:",
        "",
        "a. the Local Government Finance Settlement for 2023/24 had been confirmed and was broadly in line with the provisional settlement;",
        "b. pay and price inflation had added significant pressure, in particular in adult social care and energy costs;",
        "c. a balanced budget had been achieved for 2023/24 through planned savings and the use of one-off resources.",
      ].join("\n"),
      outcome: recommended,
      outcomes: [recommended, resolved],
      reasons:
        "To set a balanced budget for 2023/24 and to plan the Council's finances over the medium term.",
      alternatives: "None.",
      conflictsOfInterest: "None.",
      dispensations: "N/A",
      callIn: { deadline: null, text: "Not applicable" },
      signedBy: "Proper Officer",
      publishedOn: "2023-02-13",
      decidedOn: "2023-02-09",
      keyDecision: null,
      subjectToCallIn: false,
      effectiveFrom: null,
      statusAsPrinted: null,
      purpose: null,
      wardsAffected: null,
      decisionMakerKind: "body",
      source: {
        ...sourceFor(name),
        lines: {
          council: 1,
          documentType: 3,
          body: 5,
          meetingDate: 5,
          title: 9,
          record: 13,
          outcomes: 23,
          reasons: 39,
          alternatives: 43,
          conflictsOfInterest: 47,
          dispensations: 51,
          callIn: 55,
          signedBy: 57,
          publishedOn: 58,
        },
      },
    } satisfies DecisionRecord);
    expect(warnings).toEqual([]);
  });
});

describe('parseProforma: the older web "View Cabinet Decision Record" layout (2011)', () => {
  const name = "d110016-web-record.txt";
  const outcome = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "the revised tariff for short stay car parks set out at Appendix 1 to the report be approved with effect from 1 April 2011.",
      "the evening charge be introduced and reviewed after six months.",
    ],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    council: null,
    body: "Cabinet",
    documentType: "Cabinet Decision Record",
    recordId: "D110016",
    meetingDate: "2011-03-10",
    title: "Stockton Town Centre Car Parking Charges",
    record: [
      "Consideration was given to a report on proposed changes to car parking charges in Stockton Town Centre, following consultation with traders, the Town Centre Partnership and the Chamber of Trade over the winter.",
      "",
      "Members were reminded that charges had last been reviewed in 2008.",
    ].join("\n"),
    outcome,
    outcomes: [outcome],
    reasons:
      "To support the vitality of the town centre while meeting the cost of managing the Council's car parks.",
    alternatives: "",
    conflictsOfInterest: "",
    dispensations: "",
    callIn: { deadline: "2011-03-18", text: "Midnight, 18th March 2011" },
    signedBy: null,
    publishedOn: "2011-03-14",
    decidedOn: "2011-03-10",
    keyDecision: null,
    subjectToCallIn: true,
    effectiveFrom: null,
    statusAsPrinted: null,
    purpose: null,
    wardsAffected: null,
    decisionMakerKind: "body",
    source: {
      ...sourceFor(name),
      // Empty sections have no line; there is no council line and no signature.
      lines: {
        documentType: 1,
        recordId: 2,
        body: 3,
        meetingDate: 3,
        title: 5,
        record: 7,
        outcomes: 9,
        reasons: 13,
        callIn: 18,
        publishedOn: 19,
      },
    },
  };

  it("reads headings without numbers, one paragraph a line, empty sections and the publication line", () => {
    const { record, warnings } = parseFixture(name);
    expect(record).toEqual(expected);
    // Empty sections 4-6 are how these pages say "none": imported without a word.
    expect(warnings).toEqual([]);
  });

  it("reads the same record when the page was copied with blank lines between blocks", () => {
    const spaced = fixture(`text/${name}`).split("\n").join("\n\n");
    expect(withoutSource(parseProforma(spaced).record)).toEqual(withoutSource(expected));
  });

  it("joins a line broken inside a sentence without merging the paragraphs around it", () => {
    const text = replaceOnce(
      fixture(`text/${name}`),
      "to the report be approved with effect from",
      "to the report be approved\nwith effect from",
    );
    expect(withoutSource(parseProforma(text).record)).toEqual(withoutSource(expected));
  });
});

describe("parseProforma: text extracted from a PDF", () => {
  const name = "haverton-hill-permits-pdf.txt";
  const outcome = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "A permit scheme for vans, pick-ups and trailers using the Household Waste Recycling Centre be introduced from 1 June 2019, as set out in the report.",
      "The Director of Community Services be authorised to make minor changes to the scheme in consultation with the Cabinet Member for Access, Communities and Community Safety.",
    ],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    council: "Stockton-on-Tees Borough Council",
    body: "Cabinet",
    documentType: "Cabinet Decision Proforma",
    recordId: null,
    meetingDate: "2019-03-14",
    title: "Household Waste Recycling Centre Permit Scheme",
    record: [
      "Consideration was given to a report on the introduction of a permit scheme for vans, pick-ups and trailers using the Household Waste Recycling Centre at Haverton Hill, following a review of the site by the Joint Waste Management Committee.",
      "",
      // "Page 1 of 2" falls inside this paragraph, and "esti-" / "mated" is hyphenated at a line end.
      "The review had found that a significant proportion of the waste taken to the site in commercial vehicles came from businesses, which should pay for its disposal, and from residents of neighbouring authorities. Disposal of that waste cost the Council an estimated £180,000 a year.",
      "",
      "Under the proposed scheme:",
      "",
      "a. residents would apply online or by telephone for a free permit, valid for twelve visits in a year, for each van, pick-up or trailer they owned or hired;",
      "b. permits would be checked at the site entrance from 1 June 2019;",
      "c. businesses would continue to be directed to the commercial waste service.",
    ].join("\n"),
    outcome,
    outcomes: [outcome],
    reasons:
      "To reduce the cost to the Council of disposing of trade waste deposited at the Household Waste Recycling Centre, while keeping the site free for residents.",
    alternatives:
      "To continue without a permit scheme. This was rejected because the cost of disposing of trade waste would continue to fall on Council Tax payers.",
    conflictsOfInterest: "None.",
    dispensations: "N/A",
    callIn: { deadline: "2019-03-22", text: "Midnight, 22nd March 2019" },
    signedBy: "Proper Officer",
    publishedOn: "2019-03-18",
    decidedOn: "2019-03-14",
    keyDecision: null,
    subjectToCallIn: true,
    effectiveFrom: null,
    statusAsPrinted: null,
    purpose: null,
    wardsAffected: null,
    decisionMakerKind: "body",
    source: {
      ...sourceFor(name),
      lines: {
        council: 1,
        documentType: 2,
        body: 3,
        meetingDate: 3,
        title: 5,
        record: 7,
        outcomes: 20,
        reasons: 26,
        alternatives: 29,
        conflictsOfInterest: 32,
        dispensations: 34,
        callIn: 36,
        signedBy: 37,
        publishedOn: 38,
      },
    },
  };

  it("rejoins wrapped lines, drops page footers and undoes hyphenation at line ends", () => {
    const { record, warnings } = parseFixture(name);
    expect(record).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it("keeps a real hyphen at a line end when the document spells the word with it elsewhere", () => {
    // The first paragraph rewrapped at 90 columns by a typesetter that breaks compounds at their hyphen.
    const text = replaceOnce(
      fixture(`text/${name}`),
      "for vans,\npick-ups and trailers using the Household Waste Recycling Centre at Haverton Hill,\nfollowing a review",
      "for vans, pick-\nups and trailers using the Household Waste Recycling Centre at Haverton Hill, following a\nreview",
    );
    expect(parseProforma(text).record.record).toBe(expected.record);
  });

  it("reads the page break as pdftotext writes it (a form feed before the next page)", () => {
    const text = replaceOnce(fixture(`text/${name}`), "Page 1 of 2\n", "Page 1 of 2\n\f");
    expect(withoutSource(parseProforma(text).record)).toEqual(withoutSource(expected));
  });

  it('drops other page footers: "- 1 -" and "1/2"', () => {
    for (const footer of ["- 1 -", "1/2"]) {
      const text = replaceOnce(fixture(`text/${name}`), "Page 1 of 2", footer);
      expect(parseProforma(text).record.record).toBe(expected.record);
    }
  });
});

describe("parseProforma: curly quotes, en dashes and a named weekday (2024)", () => {
  const name = "lcwip-curly-quotes.txt";
  const outcome = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "The outcome of the consultation be noted.",
      // Broken across a blank line before a capital ("... the Cabinet Member for" / "Access, ...").
      "The Local Cycling and Walking Infrastructure Plan 2024–2034 be approved, and the Director of Regeneration and Inclusive Growth be authorised to bid for “Active Travel England” funding in consultation with the Cabinet Member for Access, Communities and Community Safety.",
    ],
  };

  it("keeps the punctuation as printed and reads the weekday in the call-in", () => {
    const { record, warnings } = parseFixture(name);
    expect(record).toEqual({
      formatVersion: 1,
      council: "Stockton-on-Tees Borough Council",
      body: "Cabinet",
      documentType: "Cabinet Decision Proforma",
      recordId: null,
      meetingDate: "2024-06-13",
      title: "Local Cycling and Walking Infrastructure Plan 2024–2034",
      record: [
        "Consideration was given to a report on the outcome of consultation on the Borough’s draft Local Cycling and Walking Infrastructure Plan (LCWIP) for 2024–2034.",
        "",
        "The consultation ran from 8 January to 18 February 2024 and received 1,146 responses. Respondents’ main concerns were the safety of junctions on the A135 and the lack of secure cycle parking at Thornaby and Eaglescliffe stations. The plan had been amended to include the “quick wins” suggested by residents.",
      ].join("\n"),
      outcome,
      outcomes: [outcome],
      reasons:
        "To provide a “pipeline” of cycling and walking schemes ready for future funding – an adopted plan is a condition of Active Travel England’s capital funding.",
      alternatives:
        "Not to adopt the plan – rejected because the Council would not be eligible for most active travel funding.",
      conflictsOfInterest: "None.",
      dispensations: "N/A",
      callIn: { deadline: "2024-06-25", text: "Midnight Tuesday, 25 June 2024" },
      signedBy: "Proper Officer",
      publishedOn: "2024-06-19",
      decidedOn: "2024-06-13",
      keyDecision: null,
      subjectToCallIn: true,
      effectiveFrom: null,
      statusAsPrinted: null,
      purpose: null,
      wardsAffected: null,
      decisionMakerKind: "body",
      source: {
        ...sourceFor(name),
        lines: {
          council: 1,
          documentType: 3,
          body: 5,
          meetingDate: 5,
          title: 9,
          record: 13,
          outcomes: 17,
          reasons: 27,
          alternatives: 31,
          conflictsOfInterest: 35,
          dispensations: 39,
          callIn: 43,
          signedBy: 45,
          publishedOn: 46,
        },
      },
    } satisfies DecisionRecord);
    expect(warnings).toEqual([]);
    // The characters themselves, not look-alikes: ’ “ ” –.
    expect(record.title).toContain("\u2013");
    expect(record.record).toContain("Borough\u2019s");
    expect(record.record).toContain("\u201Cquick wins\u201D");
  });

  it("warns when the named weekday is not the date's weekday, and keeps the date", () => {
    const text = replaceOnce(
      fixture(`text/${name}`),
      "Midnight Tuesday, 25 June 2024",
      "Midnight Monday, 25 June 2024",
    );
    const { record, warnings } = parseProforma(text);
    expect(record.callIn).toEqual({ deadline: "2024-06-25", text: "Midnight Monday, 25 June 2024" });
    expect(warnings).toEqual([{ line: 43, message: 'call-in deadline "Monday, 25 June 2024" is a Tuesday' }]);
  });
});

describe("parseProforma: a record numbered CAB/41/25 (2025)", () => {
  const name = "cab-41-25-flood-strategy.txt";
  const outcome = {
    kind: "RESOLVED",
    text: "that the Local Flood Risk Management Strategy 2025-2031 be approved.",
    items: [],
  };
  const expected: DecisionRecord = {
    formatVersion: 1,
    council: "Stockton-on-Tees Borough Council",
    body: "Cabinet",
    documentType: "Cabinet Decision Proforma",
    recordId: "CAB/41/25",
    meetingDate: "2025-10-16",
    title: "Local Flood Risk Management Strategy 2025-2031",
    record: [
      "Consideration was given to a report seeking approval of the Local Flood Risk Management Strategy 2025-2031, which the Council as Lead Local Flood Authority was required to prepare under the Flood and Water Management Act 2010.",
      "",
      "The strategy set out four objectives:",
      "",
      "• understanding flood risk in the Borough and sharing that knowledge with communities;",
      "• managing the likelihood and impact of flooding from surface water, groundwater and ordinary watercourses;",
      "• helping communities and businesses to prepare for and recover from flooding;",
      "• making sure that new development does not increase flood risk.",
    ].join("\n"),
    outcome,
    outcomes: [outcome],
    reasons:
      "To meet the Council's duty as Lead Local Flood Authority to develop, maintain, apply and monitor a strategy for local flood risk management.",
    alternatives: "None.",
    conflictsOfInterest:
      "Councillor Smith declared a personal interest as a member of the Northumbria Regional Flood and Coastal Committee.",
    dispensations: "None.",
    callIn: { deadline: "2025-10-24", text: "Midnight, Friday 24 October 2025" },
    signedBy: "Proper Officer",
    publishedOn: "2025-10-20",
    decidedOn: "2025-10-16",
    keyDecision: null,
    subjectToCallIn: true,
    effectiveFrom: null,
    statusAsPrinted: null,
    purpose: null,
    wardsAffected: null,
    decisionMakerKind: "body",
    source: {
      ...sourceFor(name),
      lines: {
        council: 1,
        documentType: 3,
        body: 5,
        meetingDate: 5,
        recordId: 7,
        title: 11,
        record: 15,
        outcomes: 24,
        reasons: 28,
        alternatives: 32,
        conflictsOfInterest: 36,
        dispensations: 40,
        callIn: 44,
        signedBy: 46,
        publishedOn: 47,
      },
    },
  };

  it("reads the minute number, a one-sentence outcome and plain bullets as printed", () => {
    const { record, warnings } = parseFixture(name);
    expect(record).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it.each(["Decision Reference: CAB/41/25", "Record Number: CAB/41/25", "Item No: CAB/41/25"])(
    'reads the record id from "%s"',
    (line) => {
      const text = replaceOnce(fixture(`text/${name}`), "Minute No. CAB/41/25", line);
      expect(parseProforma(text).record.recordId).toBe("CAB/41/25");
    },
  );

  it("warns about a meeting date whose named weekday is wrong", () => {
    const text = replaceOnce(
      fixture(`text/${name}`),
      "Cabinet Meeting 16th October 2025",
      "Cabinet Meeting Wednesday 16th October 2025",
    );
    const { record, warnings } = parseProforma(text);
    expect(record.meetingDate).toBe("2025-10-16");
    expect(warnings).toEqual([
      { line: 5, message: 'meeting date "Wednesday 16th October 2025" is a Thursday' },
    ]);
  });

  it("warns about a publication date before the meeting", () => {
    const text = replaceOnce(fixture(`text/${name}`), "\n20 October 2025", "\n10 October 2025");
    expect(parseProforma(text).warnings).toEqual([
      { line: 47, message: "published before the meeting it records" },
    ]);
  });

  it("warns about a call-in deadline before the publication date", () => {
    const text = replaceOnce(
      fixture(`text/${name}`),
      "Midnight, Friday 24 October 2025",
      "Midnight, Friday 17 October 2025",
    );
    expect(parseProforma(text).warnings).toEqual([
      { line: 44, message: "call-in deadline is before the publication date" },
    ]);
  });

  it('reads "Date of Publication:" after the signature block is left out', () => {
    const text = replaceOnce(
      fixture(`text/${name}`),
      "Proper Officer\n20 October 2025",
      "Date of Publication: 20 October 2025",
    );
    const { record } = parseProforma(text);
    expect(record.publishedOn).toBe("2025-10-20");
    expect(record.signedBy).toBeNull();
  });
});

describe("parseProforma: documents that are not complete records", () => {
  it("rejects a record without section 3, at the heading found in its place", () => {
    const error = documentError(fixture("text-bad/missing-section-3.txt"));
    expect(error.message).toBe(
      'missing section 3 "Reasons for the Decision" after section 2 (line 11); found "Alternative Options Considered and Rejected" first',
    );
    expect(error.line).toBe(17);
  });

  it("rejects sections out of order, naming both lines", () => {
    const error = documentError(fixture("text-bad/sections-out-of-order.txt"));
    expect(error.message).toBe(
      'sections out of order: section 3 "Reasons for the Decision" (line 21) must come before section 4 "Alternative Options Considered and Rejected" (line 17)',
    );
    expect(error.line).toBe(17);
  });

  it("rejects an impossible meeting date, saying why", () => {
    const error = documentError(fixture("text-bad/impossible-meeting-date.txt"));
    expect(error.message).toBe('"31st February 2011" is not a real date (February 2011 has 28 days)');
    expect(error.line).toBe(3);
  });

  it("imports a record whose section 2 has no RESOLVED or RECOMMENDED, kept whole, with a warning at the heading", () => {
    const { record, warnings } = parseProforma(fixture("text-bad/no-outcome.txt"));
    expect(record.outcomes).toEqual([
      {
        kind: "DECIDED",
        text:
          "Consideration was given to a report on the outcome of the review of opening hours at the Borough's ten libraries.\n\n" +
          "Members welcomed the increase in Saturday opening at Thornaby and Billingham libraries.",
        items: [],
      },
    ]);
    expect(record.record).toBe("");
    expect(warnings).toContainEqual({
      line: 11,
      message: "section 2 has no RESOLVED or RECOMMENDED: its text is kept whole as the decision",
    });
  });

  it("refuses a record whose section 2 is empty: it records no decision", () => {
    const text = fixture("text-bad/no-outcome.txt")
      .replace(
        "Consideration was given to a report on the outcome of the review of opening hours at the Borough's ten libraries.\n",
        "",
      )
      .replace(
        "Members welcomed the increase in Saturday opening at Thornaby and Billingham libraries.\n",
        "",
      );
    const error = documentError(text);
    expect(error.message).toMatch(/^section 2 is empty: no decision recorded/);
    expect(error.line).toBe(11);
  });

  it("rejects a record with no publication date, at the signature", () => {
    const error = documentError(fixture("text-bad/no-publication-date.txt"));
    expect(error.message).toBe(
      'no publication date after section 7 (expected "Proper Officer" and the date, or "Date of Publication: ...")',
    );
    expect(error.line).toBe(37);
  });

  it("rejects a record that stops before section 7", () => {
    const good = fixture("text/q3-childrens-performance.txt");
    const text = good.slice(0, good.indexOf("7. Date and Time"));
    const error = documentError(text);
    expect(error.message).toBe(
      'missing section 7 "Date and Time by which Call In must be executed" after section 6 (line 47)',
    );
    expect(error.line).toBe(47);
  });

  it("imports a record with an empty section 3, warning at its heading", () => {
    const text = replaceOnce(
      fixture("text/q3-childrens-performance.txt"),
      "To ensure that members are aware of performance and progress in the delivery of the Children's Services Strategy 2017-20.\n",
      "",
    );
    const { record, warnings } = parseProforma(text);
    expect(record.reasons).toBe("");
    expect(warnings).toEqual([{ line: 35, message: "section 3 (Reasons for the Decision) is empty" }]);
  });

  it("makes up a title from the decision's first words when section 1 is empty, marked and warned", () => {
    const text = replaceOnce(
      fixture("text/q3-childrens-performance.txt"),
      "Children's Services Performance Update Q3 (October - December)\n",
      "\n",
    );
    const { record, warnings } = parseProforma(text);
    expect(record.title).toBe("The report be noted");
    expect(record.madeUp).toEqual(["title"]);
    expect(warnings).toEqual([
      {
        line: 11,
        message:
          'section 1 (title) is empty: "The report be noted" is made up from the decision\'s first words',
      },
    ]);
  });

  it("rejects an impossible call-in date", () => {
    const text = replaceOnce(
      fixture("text/q3-childrens-performance.txt"),
      "Midnight, 23 February 2018",
      "Midnight, 30 February 2018",
    );
    const error = documentError(text);
    expect(error.message).toBe('"30 February 2018" is not a real date (February 2018 has 28 days)');
    expect(error.line).toBe(53);
  });

  it("rejects a call-in with no date", () => {
    const text = replaceOnce(
      fixture("text/q3-childrens-performance.txt"),
      "Midnight, 23 February 2018",
      "Midnight on the fifth working day",
    );
    const error = documentError(text);
    expect(error.message).toBe(
      'call-in deadline "Midnight on the fifth working day" has no date (expected e.g. "Midnight, 24 November 2017" or "Not applicable")',
    );
    expect(error.line).toBe(53);
  });

  it('rejects a "Date of Publication:" line without a date', () => {
    const text = replaceOnce(
      fixture("text/d110016-web-record.txt"),
      "Date of Publication: 14 March 2011",
      "Date of Publication: to be confirmed",
    );
    const error = documentError(text);
    expect(error.message).toBe(
      '"Date of Publication: to be confirmed" has no date (expected e.g. "Date of Publication: 21 February 2011")',
    );
    expect(error.line).toBe(19);
  });

  it("rejects a record with no meeting date above section 1", () => {
    const text = replaceOnce(
      fixture("text/q3-childrens-performance.txt"),
      "Cabinet Meeting15th February 2018\n",
      "\n",
    );
    const error = documentError(text);
    expect(error.message).toBe(
      'no meeting date above section 1 (expected a line such as "Cabinet Meeting 16th November 2017")',
    );
    expect(error.line).toBe(11);
  });

  it("rejects empty text and text that is not a record", () => {
    expect(documentError(" \n\n").message).toBe("the document is empty");
    const error = documentError("Agenda\n\nApologies for absence\n");
    expect(error.message).toMatch(/^not a decision record: none of the proforma headings were found/);
    expect(error.line).toBe(1);
  });
});

describe("parseProforma: the officer's name above the signature", () => {
  it("puts a name printed above 'Proper Officer' into signedBy, not into the call-in text", () => {
    const text = replaceOnce(
      fixture("text/q3-childrens-performance.txt"),
      "Proper Officer",
      "Julie Butcher\nProper Officer",
    );
    const { record } = parseProforma(text);
    expect(record.signedBy).toBe("Julie Butcher, Proper Officer");
    expect(record.callIn.text).toBe("Midnight, 23 February 2018");
  });
});
