import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractText } from "../../../src/import/extract/index.js";
import { readMinutesTable } from "../../../src/import/layouts/minutes-table-layout.js";
import { parseDocument } from "../../../src/import/parse-document.js";
import { readDecisions } from "../../../src/import/read-decisions.js";

function bytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/minutes/${name}`, import.meta.url)));
}

const ELMSTEAD = "elmstead-planning-2009-03-09.txt";
const WEXCOMBE = "wexcombe-environment-2006-11-21.html";

const elmstead = {
  formatVersion: 1,
  council: "Elmstead Town Council",
  body: "Planning and Highways Committee",
  documentType: "Minutes",
  meetingDate: "2009-03-09",
  reasons: "",
  alternatives: "",
  conflictsOfInterest: "",
  dispensations: "",
  callIn: { deadline: null, text: "" },
  signedBy: null,
  publishedOn: "2009-03-09",
  decidedOn: "2009-03-09",
  keyDecision: null,
  subjectToCallIn: null,
  effectiveFrom: null,
  statusAsPrinted: null,
  purpose: null,
  wardsAffected: null,
  decisionMakerKind: "body",
  madeUp: ["publishedOn"],
} as const;
const elmsteadSource = {
  fileName: ELMSTEAD,
  mediaType: "text/plain",
  sha256: "42fc3648c29e993d61c88ee7f183ae481d7ad7c48338e280ca0b70d900c97037",
  layout: "minutes-table",
};
const elmsteadLines = { body: 3, council: 1, meetingDate: 3, decidedOn: 3 };
const noPublicationDate = (line: number) => ({
  line,
  message: "no publication date printed: the date of decision (2009-03-09) stands in for it",
});

describe("Item | Description | Decision minutes as tab-separated text: Elmstead Town Council, 9 March 2009", () => {
  it("reads four decisions, in order, and recognises the four procedural rows", async () => {
    const { layout, decisions } = await parseDocument(bytes(ELMSTEAD), ELMSTEAD);
    expect(layout).toBe("minutes-table");
    expect(decisions.map((d) => [d.record.source?.part, d.record.recordId, d.record.title])).toEqual([
      [1, "P/104/09", "Planning application 08/1123 – Extension to 14 Mill Lane"],
      [2, "P/105/09", "Bus shelter, Church Street"],
      [3, "P/106/09", "Christmas lights 2009"],
      [4, "P/107/09", "Street lighting, Station Approach"],
    ]);
    const text = new TextDecoder().decode(bytes(ELMSTEAD));
    expect(readMinutesTable(text, null).map((i) => [i.number, i.line, i.procedural, i.title])).toEqual([
      ["P/101/09", 10, true, "Apologies"],
      ["P/102/09", 11, true, "Declarations of interest"],
      ["P/103/09", 13, true, "Minutes of the meeting held on 9 February 2009"],
      ["P/104/09", 15, false, "Planning application 08/1123 – Extension to 14 Mill Lane"],
      ["P/105/09", 18, false, "Bus shelter, Church Street"],
      ["P/106/09", 22, false, "Christmas lights 2009"],
      ["P/107/09", 24, false, "Street lighting, Station Approach"],
      ["P/108/09", 28, true, "Date of next meeting"],
    ]);
  });

  it("reads 'The Committee resolved to' across the column's wrapped lines, and a title wrapped in its cell", async () => {
    const { decisions } = await parseDocument(bytes(ELMSTEAD), ELMSTEAD);
    const outcome = {
      kind: "RESOLVED",
      text: "to object to the application on the grounds of overlooking of 12 Mill Lane and loss of light.",
      items: [],
    };
    expect(decisions[0]).toEqual({
      record: {
        ...elmstead,
        recordId: "P/104/09",
        title: "Planning application 08/1123 – Extension to 14 Mill Lane",
        record: "",
        outcome,
        outcomes: [outcome],
        source: {
          ...elmsteadSource,
          part: 1,
          lines: { ...elmsteadLines, recordId: 15, title: 15, outcomes: 15 },
        },
      },
      warnings: [noPublicationDate(15)],
    });
  });

  it("reads a decision that is a bare numbered list, with the description's narrative", async () => {
    const { decisions } = await parseDocument(bytes(ELMSTEAD), ELMSTEAD);
    const outcome = {
      kind: "DECIDED",
      text: "",
      items: [
        "That the Clerk obtain three quotations for a replacement shelter.",
        "That the Highways Authority be asked to repair the kerb.",
      ],
    };
    expect(decisions[1]).toEqual({
      record: {
        ...elmstead,
        recordId: "P/105/09",
        title: "Bus shelter, Church Street",
        record: "The shelter was damaged by a vehicle in January.",
        outcome,
        outcomes: [outcome],
        source: {
          ...elmsteadSource,
          part: 2,
          lines: { ...elmsteadLines, recordId: 18, title: 18, record: 19, outcomes: 18 },
        },
      },
      warnings: [
        { line: 18, message: "the decision is a numbered list with no operative word: read as DECIDED" },
        noPublicationDate(18),
      ],
    });
  });

  it("attributes the declaration made under P/102/09 to P/106/09, and reads RECOMMENDED to Full Council", async () => {
    const { decisions } = await parseDocument(bytes(ELMSTEAD), ELMSTEAD);
    const lights = {
      kind: "RESOLVED",
      text: "that £2,500 be allocated from reserves for the Christmas lights.",
      items: [],
    };
    expect(decisions[2]!.record).toEqual({
      ...elmstead,
      recordId: "P/106/09",
      title: "Christmas lights 2009",
      record: "",
      outcome: lights,
      outcomes: [lights],
      conflictsOfInterest:
        "Councillor Hollis declared a personal interest in item P/106/09 as a member of the Elmstead Traders.",
      source: {
        ...elmsteadSource,
        part: 3,
        lines: { ...elmsteadLines, recordId: 22, title: 22, outcomes: 22, conflictsOfInterest: 11 },
      },
    });
    const lamps = {
      kind: "RECOMMENDED",
      text: "to Full Council that the two lamps in Station Approach be adopted by the Town Council.",
      items: [],
    };
    expect(decisions[3]!.record).toEqual({
      ...elmstead,
      recordId: "P/107/09",
      title: "Street lighting, Station Approach",
      record: "The Clerk reported that the District Council would no longer maintain the two lamps.",
      outcome: lamps,
      outcomes: [lamps],
      source: {
        ...elmsteadSource,
        part: 4,
        lines: { ...elmsteadLines, recordId: 24, title: 24, record: 25, outcomes: 24 },
      },
    });
  });

  it("reads the same table aligned with spaces", () => {
    const text = [
      "Minutes of the meeting of the Allotments Committee held on 3 June 2010",
      "",
      "Item  Description             Decision",
      "12    Apologies               None.",
      "13    Water charges           RESOLVED that the water charge be",
      "                              £12 a plot from 1 October 2010.",
      "14    Waiting list            AGREED that the list be closed until",
      "      review                  April 2011.",
      "",
    ].join("\n");
    const { layout, decisions } = readDecisions(text, null);
    expect(layout.name).toBe("minutes-table");
    expect(decisions.map((d) => [d.record.recordId, d.record.title, d.record.outcomes])).toEqual([
      [
        null,
        "Water charges",
        [{ kind: "RESOLVED", text: "that the water charge be £12 a plot from 1 October 2010.", items: [] }],
      ],
      [
        null,
        "Waiting list review",
        [{ kind: "AGREED", text: "that the list be closed until April 2011.", items: [] }],
      ],
    ]);
  });
});

describe("Minute | Subject | Decision minutes as an HTML table: Wexcombe District Council, 21 November 2006", () => {
  it("comes out of the HTML with each row's number, a tab and its title; other lines indented by column", async () => {
    const { text } = await extractText(bytes(WEXCOMBE), WEXCOMBE);
    const lines = text.split("\n");
    expect(lines.slice(8, 26)).toEqual([
      "Minute\tSubject\tDecision",
      "",
      "41\tApologies for Absence\tApologies were received from Councillor T. Gale.",
      "",
      "42\tMinutes\tRESOLVED – that the minutes of the meeting held on 17th October 2006 be approved and signed by the Chairman.",
      "",
      "43\tRecycling Credits 2007/08 (Pages 12 - 18)",
      "\t\tRESOLVED –",
      "",
      "\t\t(1) that the recycling credit paid to community groups be increased to £46 per tonne from 1st April 2007;",
      "",
      "\t\t(2) that the Head of Environmental Services report on the take-up of credits in twelve months.",
      "",
      "44\tDog Control Orders",
      "",
      "\tThe Committee considered the responses to the consultation on dog control orders for the district's parks and play areas.",
      "\t\tThe Committee resolved to make the Dog Control Orders as advertised, to come into force on 1st February 2007.",
      "",
    ]);
  });

  it("reads three decisions; 'noted' with no operative word is kept whole and warned about", async () => {
    const { layout, decisions } = await parseDocument(bytes(WEXCOMBE), WEXCOMBE);
    expect(layout).toBe("minutes-table");
    const base = {
      formatVersion: 1,
      council: "Wexcombe District Council",
      body: "Environment Committee",
      documentType: "Minutes",
      recordId: null,
      meetingDate: "2006-11-21",
      reasons: "",
      alternatives: "",
      conflictsOfInterest: "",
      dispensations: "",
      callIn: { deadline: null, text: "" },
      signedBy: null,
      publishedOn: "2006-11-21",
      decidedOn: "2006-11-21",
      keyDecision: null,
      subjectToCallIn: null,
      effectiveFrom: null,
      statusAsPrinted: null,
      purpose: null,
      wardsAffected: null,
      decisionMakerKind: "body",
      madeUp: ["publishedOn"],
    };
    const source = {
      fileName: WEXCOMBE,
      mediaType: "text/html",
      sha256: "16a4798cb516e3a3d8c5deac55b8d104a199bd826f96fd937328df71204cadc5",
      layout: "minutes-table",
    };
    const lines = { body: 5, council: 1, meetingDate: 5, decidedOn: 5 };
    const credits = {
      kind: "RESOLVED",
      text: "",
      items: [
        "that the recycling credit paid to community groups be increased to £46 per tonne from 1st April 2007;",
        "that the Head of Environmental Services report on the take-up of credits in twelve months.",
      ],
    };
    const dogs = {
      kind: "RESOLVED",
      text: "to make the Dog Control Orders as advertised, to come into force on 1st February 2007.",
      items: [],
    };
    const toilets = {
      kind: "DECIDED",
      text: "The Committee noted the report and asked for options for the future of the building to be brought to the January meeting.",
      items: [],
    };
    const published = (line: number) => ({
      line,
      message: "no publication date printed: the date of decision (2006-11-21) stands in for it",
    });
    expect(decisions).toEqual([
      {
        record: {
          ...base,
          title: "Recycling Credits 2007/08",
          record: "",
          outcome: credits,
          outcomes: [credits],
          source: { ...source, part: 1, lines: { ...lines, title: 15, outcomes: 16 } },
        },
        warnings: [published(15)],
      },
      {
        record: {
          ...base,
          title: "Dog Control Orders",
          record:
            "The Committee considered the responses to the consultation on dog control orders for the district's parks and play areas.",
          outcome: dogs,
          outcomes: [dogs],
          source: { ...source, part: 2, lines: { ...lines, title: 22, record: 24, outcomes: 25 } },
        },
        warnings: [published(22)],
      },
      {
        record: {
          ...base,
          title: "Public Conveniences, Harbour Road",
          record: "",
          outcome: toilets,
          outcomes: [toilets],
          source: { ...source, part: 3, lines: { ...lines, title: 27, outcomes: 27 } },
        },
        warnings: [
          {
            line: 27,
            message:
              "the decision has no operative word (RESOLVED, AGREED, ...) or numbered list: kept whole, as printed",
          },
          published(27),
        ],
      },
    ]);
  });
});

describe("Item | Description | Decision minutes as a PDF: Ashcombe St Mary Parish Council, 14 May 2012", () => {
  const ASHCOMBE = "ashcombe-parish-2012-05-14.pdf";

  it("reads rows whose columns the PDF's text ran together, by number, tab and operative word", async () => {
    const { layout, decisions } = await parseDocument(bytes(ASHCOMBE), ASHCOMBE);
    expect(layout).toBe("minutes-table");
    const swings = {
      kind: "RESOLVED",
      text: "that the quotation from Meadow Play Ltd of £3,860 be accepted, to be met from the play area reserve.",
      items: [],
    };
    const jubilee = {
      kind: "RESOLVED",
      text:
        "that £400 be given towards the village celebration on 4 June 2012 and that the Clerk order " +
        "commemorative mugs for the school.",
      items: [],
    };
    const base = {
      formatVersion: 1,
      council: "Ashcombe St Mary Parish Council",
      body: "Parish Council",
      documentType: "Minutes",
      meetingDate: "2012-05-14",
      record: "",
      reasons: "",
      alternatives: "",
      conflictsOfInterest: "",
      dispensations: "",
      callIn: { deadline: null, text: "" },
      signedBy: null,
      publishedOn: "2012-05-14",
      decidedOn: "2012-05-14",
      keyDecision: null,
      subjectToCallIn: null,
      effectiveFrom: null,
      statusAsPrinted: null,
      purpose: null,
      wardsAffected: null,
      decisionMakerKind: "body",
      madeUp: ["publishedOn"],
    };
    const source = {
      fileName: ASHCOMBE,
      mediaType: "application/pdf",
      sha256: decisions[0]!.record.source!.sha256,
      layout: "minutes-table",
    };
    // Line 1 is the running header, which names the council too.
    const lines = { council: 1, body: 5, meetingDate: 5, decidedOn: 5 };
    expect(decisions.map((d) => d.record)).toEqual([
      {
        ...base,
        recordId: "AP/12/33",
        title: "Playing field: replacement of the swings",
        outcome: swings,
        outcomes: [swings],
        source: { ...source, part: 1, lines: { ...lines, recordId: 17, title: 17, outcomes: 17 } },
      },
      {
        ...base,
        recordId: "AP/12/34",
        title: "Queen’s Diamond Jubilee",
        outcome: jubilee,
        outcomes: [jubilee],
        source: { ...source, part: 2, lines: { ...lines, recordId: 21, title: 21, outcomes: 21 } },
      },
    ]);
    const { text } = await extractText(bytes(ASHCOMBE), ASHCOMBE);
    expect(readMinutesTable(text, null).map((i) => [i.number, i.procedural, i.title])).toEqual([
      ["AP/12/31", true, "Apologies for absence"],
      // The PDF left no gap between "16" and "Approved", and the decision has no operative word to split at:
      // the title is wrong, but it still reads as the procedural minutes item.
      ["AP/12/32", true, "Minutes of the meeting held on 16 Approved and signed."],
      ["AP/12/33", false, "Playing field: replacement of the swings"],
      ["AP/12/34", false, "Queen’s Diamond Jubilee"],
      ["AP/12/35", true, "Date of next meeting"],
    ]);
  });
});
