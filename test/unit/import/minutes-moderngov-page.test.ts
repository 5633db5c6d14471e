import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractText } from "../../../src/import/extract/index.js";
import { readMinutes } from "../../../src/import/layouts/meeting-minutes-layout.js";
import { parseDocument } from "../../../src/import/parse-document.js";

const FILE = "kestrelford-cabinet-2024-10-08.html";

function bytes(): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/minutes/${FILE}`, import.meta.url)));
}

const source = {
  fileName: FILE,
  mediaType: "text/html",
  sha256: "97082d4386be2463009b1a12af32eaec2843d5d5ddff684e93ce833c8472dedd",
  layout: "meeting-minutes",
};

/** What every decision of the Kestrelford Cabinet on 8 October 2024 shares: no council, no publication date printed. */
const kestrelford = {
  formatVersion: 1,
  council: null,
  body: "Cabinet",
  documentType: "Agenda, decisions and minutes",
  recordId: null,
  meetingDate: "2024-10-08",
  reasons: "",
  alternatives: "",
  conflictsOfInterest: "",
  dispensations: "",
  callIn: { deadline: null, text: "" },
  signedBy: null,
  publishedOn: "2024-10-08",
  decidedOn: "2024-10-08",
  keyDecision: null,
  subjectToCallIn: null,
  effectiveFrom: null,
  statusAsPrinted: null,
  purpose: null,
  wardsAffected: null,
  decisionMakerKind: "body",
  madeUp: ["publishedOn"],
} as const;
const meetingLines = { body: 3, meetingDate: 3, decidedOn: 3 };

describe("ModernGov 'Agenda, decisions and minutes' page: Kestrelford Cabinet, 8 October 2024", () => {
  it("comes out of the HTML as one paragraph an item: number, tab, title; the cell's lines under it", async () => {
    const { text } = await extractText(bytes(), FILE);
    const lines = text.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "Agenda, decisions and minutes",
      "",
      "Cabinet - Tuesday, 8th October, 2024 7.00 pm",
    ]);
    expect(lines.slice(10, 15)).toEqual([
      "1.\tApologies for absence",
      "",
      "\tMinutes:",
      "",
      "\tApologies for absence were received from Councillor Ruth Pemberton.",
    ]);
    expect(lines).toContain("5.\tMedium Term Financial Plan 2025/26 - 2028/29 (Key Decision) PDF 412 KB");
    // Site header, menus and breadcrumbs are not the page's content.
    expect(text).not.toMatch(/Bins and recycling|Skip to main content|Committee meetings >/);
  });

  it("reads four decisions, skipping the procedural items and the unanswered public questions", async () => {
    const { layout, decisions } = await parseDocument(bytes(), FILE);
    expect(layout).toBe("meeting-minutes");
    expect(decisions.map((d) => [d.record.source?.part, d.record.title, d.record.outcome.kind])).toEqual([
      [1, "Medium Term Financial Plan 2025/26 - 2028/29", "RESOLVED"],
      [2, "Local Cycling and Walking Infrastructure Plan", "DECIDED"],
      [3, "Leisure Centre Management Contract", "RECOMMENDED"],
      [4, "Council Tax Reduction Scheme 2025/26", "AGREED"],
    ]);
    const reading = readMinutes((await extractText(bytes(), FILE)).text, null);
    expect(reading.items.map((i) => [i.item.number, i.kind])).toEqual([
      ["1", "procedural"],
      ["2", "procedural"],
      ["3", "procedural"],
      ["4", "no-decision"],
      ["5", "decision"],
      ["6", "decision"],
      ["7", "decision"],
      ["8", "decision"],
      ["9", "procedural"],
    ]);
  });

  it("reads the key decision: the 'Decision:' part, the discussion from 'Minutes:', the agenda's purpose, no link text", async () => {
    const { decisions } = await parseDocument(bytes(), FILE);
    const outcome = {
      kind: "RESOLVED",
      text: "that:",
      items: [
        "the updated Medium Term Financial Plan be noted;",
        "the savings proposals in Appendix A be approved for consultation.",
      ],
    };
    expect(decisions[0]).toEqual({
      record: {
        ...kestrelford,
        title: "Medium Term Financial Plan 2025/26 - 2028/29",
        keyDecision: true,
        purpose:
          "To consider the report of the Director of Resources on the updated Medium Term Financial Plan and the " +
          "budget process for 2025/26.",
        record:
          "The Leader introduced the report, which showed a funding gap of £1.9 million for 2025/26 rising to " +
          "£4.2 million by 2028/29.\n\nMembers asked about the effect of the savings proposals on rural bus " +
          "services. The Director of Resources confirmed that no reduction in subsidised routes was proposed.",
        outcome,
        outcomes: [outcome],
        reasons: "To enable the Council to set a balanced budget for 2025/26.",
        source: {
          ...source,

          part: 1,
          lines: { ...meetingLines, title: 37, purpose: 41, outcomes: 50, reasons: 55, record: 59 },
        },
      },
      warnings: [
        {
          line: 37,
          message: "no publication date printed: the date of decision (2024-10-08) stands in for it",
        },
        {
          line: 31,
          message: 'item 4 "Public questions" records no decision (no RESOLVED or "Decision:"): not imported',
        },
      ],
    });
  });

  it("reads a decision that is a bare numbered list as DECIDED, and says so", async () => {
    const { decisions } = await parseDocument(bytes(), FILE);
    const outcome = {
      kind: "DECIDED",
      text: "",
      items: [
        "That the Kestrelford Local Cycling and Walking Infrastructure Plan be adopted.",
        "That the Head of Planning be authorised to bid for funding for the schemes in its first phase.",
      ],
    };
    expect(decisions[1]).toEqual({
      record: {
        ...kestrelford,
        title: "Local Cycling and Walking Infrastructure Plan",
        purpose:
          "To consider the final Local Cycling and Walking Infrastructure Plan following public consultation.",
        record: "",
        outcome,
        outcomes: [outcome],
        source: {
          ...source,
          part: 2,
          lines: { ...meetingLines, title: 68, purpose: 70, outcomes: 74 },
        },
      },
      warnings: [
        { line: 74, message: "the decision is a numbered list with no operative word: read as DECIDED" },
        {
          line: 68,
          message: "no publication date printed: the date of decision (2024-10-08) stands in for it",
        },
      ],
    });
  });

  it("reads 'To RECOMMEND to Council' with the declaration made under item 2 about item 7", async () => {
    const { decisions } = await parseDocument(bytes(), FILE);
    const outcome = {
      kind: "RECOMMENDED",
      text:
        "to Council that the management contract for Kestrelford Leisure Centre be extended with Vale Leisure " +
        "Trust until 31 March 2027.",
      items: [],
    };
    expect(decisions[2]!.record).toEqual({
      ...kestrelford,
      title: "Leisure Centre Management Contract",
      purpose: "To consider the future management of Kestrelford Leisure Centre from April 2025.",
      record: "",
      outcome,
      outcomes: [outcome],
      conflictsOfInterest:
        "Councillor Amir Haddad declared a disclosable pecuniary interest in item 7 as his wife is employed by " +
        "Vale Leisure Trust, and left the meeting for that item.",
      source: {
        ...source,
        part: 3,
        lines: { ...meetingLines, title: 77, purpose: 79, outcomes: 83, conflictsOfInterest: 23 },
      },
    });
  });

  it("takes 'Cabinet agreed to' for the decision, not a councillor's promise to circulate figures", async () => {
    const { decisions } = await parseDocument(bytes(), FILE);
    expect(decisions[3]!.record.record).toBe(
      "The Cabinet Member for Finance outlined the options for the scheme. Councillor Tomlinson agreed to " +
        "circulate the modelling of each option to all Members.",
    );
    expect(decisions[3]!.record.outcomes).toEqual([
      {
        kind: "AGREED",
        text: "to consult on a scheme with a maximum award of 85% of Council Tax liability for working-age households.",
        items: [],
      },
    ]);
  });
});
