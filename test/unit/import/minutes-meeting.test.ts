import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../../src/domain/decision-record.js";
import { DocumentError } from "../../../src/domain/errors.js";
import { readMinutes } from "../../../src/import/layouts/meeting-minutes-layout.js";
import { isProceduralTitle } from "../../../src/import/layouts/procedural-items.js";
import { parseDocument } from "../../../src/import/parse-document.js";
import { readDecisions } from "../../../src/import/read-decisions.js";

const MARLBRIDGE = "minutes/marlbridge-cabinet-2024-09-12.txt";

function bytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)));
}

function text(path: string): string {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), "utf8");
}

const marlbridgeSource = {
  fileName: "marlbridge-cabinet-2024-09-12.txt",
  mediaType: "text/plain",
  sha256: "8003c9a60ec4a976326abd07e24a9a788289ef1dbdf9ac6a17e2f46ef50734a6",
  layout: "meeting-minutes",
};
const meetingLines = { body: 3, council: 1, meetingDate: 3, decidedOn: 3, publishedOn: 15 };
const callInMeeting = { deadline: "2024-09-23", text: "5.00 pm, Monday 23 September 2024" };

/** What every decision of the Marlbridge Cabinet on 12 September 2024 shares. */
const marlbridge = {
  formatVersion: 1,
  council: "Marlbridge Borough Council",
  body: "Cabinet",
  documentType: "Minutes",
  meetingDate: "2024-09-12",
  reasons: "",
  alternatives: "",
  conflictsOfInterest: "",
  dispensations: "",
  callIn: callInMeeting,
  signedBy: null,
  publishedOn: "2024-09-16",
  decidedOn: "2024-09-12",
  keyDecision: null,
  subjectToCallIn: true,
  effectiveFrom: null,
  statusAsPrinted: null,
  purpose: null,
  wardsAffected: null,
  decisionMakerKind: "body",
} as const;

describe("meeting minutes: Marlbridge Cabinet, 12 September 2024 (text, hard-wrapped, no-break spaces)", () => {
  it("is read as minutes: six decisions in order, numbered by source.part", async () => {
    const { layout, decisions } = await parseDocument(bytes(MARLBRIDGE), "marlbridge-cabinet-2024-09-12.txt");
    expect(layout).toBe("meeting-minutes");
    expect(decisions.map((d) => [d.record.source?.part, d.record.recordId, d.record.title])).toEqual([
      [1, "CAB/41/25", "Medium Term Financial Plan 2025/26 to 2027/28"],
      [2, "CAB/42/25", "Household Waste Collection Contract"],
      [3, "CAB/43/25", "Community Transport Grant 2025/26"],
      [
        4,
        "CAB/44/25",
        "The Public Spaces Protection Order for Marlbridge Town Centre be extended for three years from 1…",
      ],
      [5, "CAB/45/25", "Treasury Management Annual Report 2023/24"],
      [6, "CAB/48/25", "Acquisition of Land at Station Road"],
    ]);
  });

  it("reads each decision whole", async () => {
    const { decisions } = await parseDocument(bytes(MARLBRIDGE), "marlbridge-cabinet-2024-09-12.txt");
    const records: DecisionRecord[] = decisions.map((d) => d.record);
    const mtfpOutcome = {
      kind: "RESOLVED",
      text: "that:",
      items: [
        "the updated Medium Term Financial Plan be noted;",
        "the Director of Finance be asked to bring savings proposals of at least £3.4 million to Cabinet on 14 November 2024.",
      ],
    };
    expect(records[0]).toEqual({
      ...marlbridge,
      recordId: "CAB/41/25",
      title: "Medium Term Financial Plan 2025/26 to 2027/28",
      record:
        "The Cabinet Member for Finance, Councillor David Okafor, presented the updated Medium Term Financial Plan. " +
        "The forecast budget gap for 2025/26 had risen to £3.4 million, mainly because of the cost of temporary " +
        "accommodation and the pay award.\n\nCouncillor Fenwick asked how the gap would be closed. The Director of " +
        "Finance explained that savings proposals would be brought to Cabinet in November.",
      outcome: mtfpOutcome,
      outcomes: [mtfpOutcome],
      reasons: "To ensure that the Council sets a balanced budget for 2025/26.",
      source: {
        ...marlbridgeSource,
        part: 1,
        lines: {
          ...meetingLines,
          title: 33,
          recordId: 33,
          record: 35,
          outcomes: 43,
          reasons: 48,
          callIn: 16,
          subjectToCallIn: 16,
        },
      },
    });
    const wasteOutcome = {
      kind: "RESOLVED",
      text:
        "that the contract for household waste collection be awarded to Greenway Environmental Ltd for seven " +
        "years from 1 April 2025.",
      items: [],
    };
    expect(records[1]).toEqual({
      ...marlbridge,
      recordId: "CAB/42/25",
      title: "Household Waste Collection Contract",
      record:
        "The Head of Environmental Services reported on the procurement of a new household waste collection " +
        "contract from April 2025. Three tenders had been received and evaluated on price and quality.",
      outcome: wasteOutcome,
      outcomes: [wasteOutcome],
      reasons: "The tender was the most economically advantageous.",
      alternatives:
        "To extend the current contract for one year, which was rejected because it would cost more.",
      source: {
        ...marlbridgeSource,
        part: 2,
        lines: {
          ...meetingLines,
          title: 51,
          recordId: 51,
          record: 53,
          outcomes: 57,
          reasons: 60,
          alternatives: 62,
          callIn: 16,
          subjectToCallIn: 16,
        },
      },
    });
    const grantOutcome = {
      kind: "RESOLVED",
      text: "that a grant of £84,000 be awarded to the Marlbridge Community Transport Association for 2025/26.",
      items: [],
    };
    expect(records[2]).toEqual({
      ...marlbridge,
      recordId: "CAB/43/25",
      title: "Community Transport Grant 2025/26",
      record: "Councillor Raman, having declared a personal interest, left the meeting for this item.",
      outcome: grantOutcome,
      outcomes: [grantOutcome],
      // The declaration made under CAB/39/25 names this item; the item's own note follows it.
      conflictsOfInterest:
        "Councillor Priya Raman declared a personal interest in item CAB/43/25 as a trustee of the Marlbridge " +
        "Community Transport Association.\n\nCouncillor Raman, having declared a personal interest, left the " +
        "meeting for this item.",
      source: {
        ...marlbridgeSource,
        part: 3,
        lines: {
          ...meetingLines,
          title: 65,
          recordId: 65,
          record: 67,
          outcomes: 70,
          conflictsOfInterest: 24,
          callIn: 16,
          subjectToCallIn: 16,
        },
      },
    });
    const psproOutcome = {
      kind: "RESOLVED",
      text:
        "that the Public Spaces Protection Order for Marlbridge Town Centre be extended for three years from " +
        "1 October 2024.",
      items: [],
    };
    expect(records[3]).toEqual({
      ...marlbridge,
      recordId: "CAB/44/25",
      title:
        "The Public Spaces Protection Order for Marlbridge Town Centre be extended for three years from 1…",
      record:
        "Further to minute CAB/29/25, Cabinet considered the responses to the consultation on the Marlbridge " +
        "Town Centre Public Spaces Protection Order.",
      outcome: psproOutcome,
      outcomes: [psproOutcome],
      madeUp: ["title"],
      source: {
        ...marlbridgeSource,
        part: 4,
        lines: { ...meetingLines, recordId: 73, record: 75, outcomes: 78, callIn: 16, subjectToCallIn: 16 },
      },
    });
    const treasuryOutcome = {
      kind: "RECOMMENDED",
      text: "to Council that the Treasury Management Annual Report 2023/24 be approved.",
      items: [],
    };
    expect(records[4]).toEqual({
      ...marlbridge,
      recordId: "CAB/45/25",
      title: "Treasury Management Annual Report 2023/24",
      record:
        "The Director of Finance presented the annual report on treasury management activity and the " +
        "prudential indicators for 2023/24.",
      outcome: treasuryOutcome,
      outcomes: [treasuryOutcome],
      // The item's own note overrides the meeting's call-in deadline.
      callIn: { deadline: null, text: "This recommendation is not subject to call-in." },
      subjectToCallIn: false,
      source: {
        ...marlbridgeSource,
        part: 5,
        lines: {
          ...meetingLines,
          title: 81,
          recordId: 81,
          record: 83,
          outcomes: 86,
          callIn: 89,
          subjectToCallIn: 89,
        },
      },
    });
    const landOutcome = {
      kind: "RESOLVED",
      text:
        "that the Director of Place be authorised to acquire the land at Station Road on the terms set out in " +
        "the exempt report.",
      items: [],
    };
    expect(records[5]).toEqual({
      ...marlbridge,
      recordId: "CAB/48/25",
      title: "Acquisition of Land at Station Road",
      record:
        "Cabinet considered an exempt report on the purchase of land at Station Road for affordable housing.",
      outcome: landOutcome,
      outcomes: [landOutcome],
      source: {
        ...marlbridgeSource,
        part: 6,
        lines: {
          ...meetingLines,
          title: 102,
          recordId: 102,
          record: 104,
          outcomes: 107,
          callIn: 16,
          subjectToCallIn: 16,
        },
      },
    });
  });

  it("warns only about the made-up title, at the item's line", async () => {
    const { decisions } = await parseDocument(bytes(MARLBRIDGE), "marlbridge-cabinet-2024-09-12.txt");
    expect(decisions.map((d) => d.warnings)).toEqual([
      [],
      [],
      [],
      [
        {
          line: 73,
          message:
            'no title: "The Public Spaces Protection Order for Marlbridge Town Centre be extended for three ' +
            "years from 1…\" is made up from the decision's first words",
        },
      ],
      [],
      [],
    ]);
  });

  it("recognises the procedural items, even those minuted with RESOLVED, and makes no record of them", () => {
    const reading = readMinutes(text(MARLBRIDGE), null);
    expect(reading.items.map((i) => [i.item.number, i.item.line, i.kind, i.item.title])).toEqual([
      ["CAB/38/25", 18, "procedural", "Apologies for Absence"],
      ["CAB/39/25", 22, "procedural", "Declarations of Interest"],
      ["CAB/40/25", 28, "procedural", "Minutes of the Previous Meeting"],
      ["CAB/41/25", 33, "decision", "Medium Term Financial Plan 2025/26 to 2027/28"],
      ["CAB/42/25", 51, "decision", "Household Waste Collection Contract"],
      ["CAB/43/25", 65, "decision", "Community Transport Grant 2025/26"],
      ["CAB/44/25", 73, "decision", null],
      ["CAB/45/25", 81, "decision", "Treasury Management Annual Report 2023/24"],
      ["CAB/46/25", 91, "procedural", "Urgent Business"],
      ["CAB/47/25", 95, "procedural", "Exclusion of the Press and Public"],
      ["CAB/48/25", 102, "decision", "Acquisition of Land at Station Road"],
      ["CAB/49/25", 110, "procedural", "Date of Next Meeting"],
    ]);
    expect(reading.meeting).toEqual({
      council: "Marlbridge Borough Council",
      councilLine: 1,
      body: "Cabinet",
      bodyLine: 3,
      date: "2024-09-12",
      dateLine: 3,
      documentType: "Minutes",
      publishedOn: "2024-09-16",
      publishedLine: 15,
      callIn: callInMeeting,
      callInLine: 16,
      warnings: [],
    });
  });

  it("does not let the closing lines run into the last item", () => {
    const reading = readMinutes(text(MARLBRIDGE), null);
    const last = reading.items[reading.items.length - 1]!.item;
    expect(last.lines.map((l) => l.text).filter((t) => t !== "")).toEqual([
      "The next meeting will be held on Thursday, 10 October 2024 at 6.00 pm.",
    ]);
  });
});

describe("isProceduralTitle", () => {
  it.each([
    "Apologies for Absence",
    "APOLOGIES",
    "To receive any apologies for absence",
    "Declarations of Interest",
    "Declarations of Members' Interests",
    "Disclosures of pecuniary and other interests",
    "Minutes",
    "Minutes of the Previous Meeting",
    "Minutes of the last meeting",
    "To confirm the minutes of the meeting held on 4 June 2024",
    "Confirmation of Minutes",
    "Urgent Business",
    "Any other urgent business",
    "Items of Urgent Business",
    "Exclusion of the Press and Public",
    "Exclusion of the public",
    "Date of Next Meeting",
    "Date and time of next meeting",
    "Chair's Announcements",
  ])("%j is procedural", (title) => {
    expect(isProceduralTitle(title)).toBe(true);
  });

  it.each([
    "Medium Term Financial Plan 2025/26",
    "Minimum Revenue Provision Policy",
    "Interest Rate Risk in the Treasury Strategy",
    "Urgent Repairs to Riverside Car Park",
    "Publication of the Local Plan",
  ])("%j is not", (title) => {
    expect(isProceduralTitle(title)).toBe(false);
  });
});

describe("meeting minutes: what cannot be read", () => {
  it("refuses minutes that name no meeting", () => {
    expect(() =>
      readDecisions("MINUTES\n\n57. Parking Charges\n\nRESOLVED that the charges be approved.\n", null),
    ).toThrow(DocumentError);
  });
});

describe("which layout reads what", () => {
  it.each([
    "text/cab-41-25-flood-strategy.txt",
    "text/d110016-web-record.txt",
    "text/mtfp-decision-proforma.txt",
    "html/household-support-fund-2024.html",
    "html/view-cabinet-decision-record-2011.html",
    "pdf/mtfp-2024-25-recommendations.pdf",
  ])("%s is still a proforma", async (path) => {
    const { layout } = await parseDocument(bytes(path), path.split("/").pop()!);
    expect(layout).toBe("proforma");
  });

  it("does not take a text that only mentions minutes, with no numbered items, for minutes", () => {
    const text = "Minutes of the meeting of the Cabinet held on 4 June 2024\n\nThe minutes were approved.\n";
    expect(() => readDecisions(text, null)).toThrow(/no layout the importer reads was recognised/);
  });
});
