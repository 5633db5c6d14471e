import { describe, expect, it } from "vitest";
import { toSourceLines } from "../../../src/import/document-lines.js";
import { cleanItemTitle } from "../../../src/import/layouts/item-title.js";
import { readMeetingHeading } from "../../../src/import/layouts/meeting-heading.js";
import { findMinutesItems } from "../../../src/import/layouts/minutes-items.js";
import { readDecisions } from "../../../src/import/read-decisions.js";

describe("cleanItemTitle", () => {
  it.each([
    ["Medium Term Financial Plan (Pages 5 - 20)", "Medium Term Financial Plan", null],
    ["Medium Term Financial Plan PDF 250 KB", "Medium Term Financial Plan", null],
    [
      "Medium Term Financial Plan PDF 1.2 MB View the background to item 6.",
      "Medium Term Financial Plan",
      null,
    ],
    ["Local Plan Review (Key Decision) (Page 7)", "Local Plan Review", true],
    ["Local Plan Review [KEY DECISION]", "Local Plan Review", true],
    ["Housing\u00a0Strategy\t2025-2030", "Housing Strategy 2025-2030", null],
    [
      "Application 24/00512/FUL – Land off Brook Lane",
      "Application 24/00512/FUL – Land off Brook Lane",
      null,
    ],
  ])("%j → %j", (raw, title, keyDecision) => {
    expect(cleanItemTitle(raw)).toEqual({ title, keyDecision });
  });
});

describe("findMinutesItems: the ways minutes number their items", () => {
  const numbers = (text: string): Array<[string, string | null, number]> =>
    findMinutesItems(toSourceLines(text)).items.map((i) => [i.number, i.title, i.line]);

  it("reads 'Item 6' and '6 Title' (no dot) as items, and not the resolution's own numbers", () => {
    const text = [
      "Minutes of the meeting of the Licensing Committee held on 5 March 2025",
      "",
      "Item 5 Apologies",
      "",
      "None.",
      "",
      "6 Street Trading Fees",
      "",
      "RESOLVED that:",
      "",
      "1. the fees be increased by 4%;",
      "",
      "7. That the fees be reviewed annually.",
      "",
      "7 Taxi Licensing Policy",
      "",
      "RESOLVED that the policy be adopted.",
    ].join("\n");
    expect(numbers(text)).toEqual([
      ["5", "Apologies", 3],
      ["6", "Street Trading Fees", 7],
      ["7", "Taxi Licensing Policy", 15],
    ]);
  });

  it("joins a title wrapped onto the next line, and keeps a one-line note out of the title", () => {
    const text = [
      "Minutes of the meeting of the Cabinet held on 5 March 2025",
      "",
      "EX/12/25 Review of Fees and Charges for",
      "2025/26 (Pages 3 - 9)",
      "",
      "RESOLVED that the fees be approved.",
      "",
      "EX/13/25 Urgent Business",
      "There was none.",
    ].join("\n");
    expect(numbers(text)).toEqual([
      ["EX/12/25", "Review of Fees and Charges for 2025/26", 3],
      ["EX/13/25", "Urgent Business", 8],
    ]);
  });

  it("leaves a decision whose item has no title line with a made-up, marked title", () => {
    const text = [
      "Minutes of the meeting of the Cabinet held on 5 March 2025",
      "",
      "EX/14/25",
      "",
      "RESOLVED that the Leader's appointments to outside bodies be noted.",
    ].join("\n");
    const { decisions } = readDecisions(text, null);
    expect(decisions.map((d) => [d.record.title, d.record.madeUp, d.warnings])).toEqual([
      [
        "The Leader's appointments to outside bodies be noted",
        ["title", "publishedOn"],
        [
          {
            line: 3,
            message:
              "no title: \"The Leader's appointments to outside bodies be noted\" is made up from the decision's first words",
          },
          {
            line: 3,
            message: "no publication date printed: the date of decision (2025-03-05) stands in for it",
          },
        ],
      ],
    ]);
  });
});

describe("readMeetingHeading: the ways minutes name the meeting", () => {
  it.each([
    ["Minutes of the meeting of the Cabinet held on Thursday, 12 September 2024", "Cabinet", "2024-09-12"],
    ["MINUTES OF AN EXTRAORDINARY MEETING OF THE COUNCIL HELD ON 3 JULY 2024", "Council", "2024-07-03"],
    [
      "Minutes of the Licensing Sub-Committee meeting held on 4 June 2024",
      "Licensing Sub-Committee",
      "2024-06-04",
    ],
    ["Minutes of Cabinet held on Monday 1 July 2024 at 7pm", "Cabinet", "2024-07-01"],
    ["Scrutiny Board - Wednesday, 17th July, 2024 2.00 pm", "Scrutiny Board", "2024-07-17"],
    [
      "HARROWFIELD DISTRICT COUNCIL\n\nPLANNING COMMITTEE\n\nMINUTES\n\nTuesday 9 July 2024",
      "Planning Committee",
      "2024-07-09",
    ],
  ])("%j", (heading, body, date) => {
    const found = readMeetingHeading(toSourceLines(heading));
    expect([found.body, found.date]).toEqual([body, date]);
  });
});

describe("an item with 'Minutes:' and no 'Decision:'", () => {
  it("takes the agenda's description above 'Minutes:' for the purpose", () => {
    const text = [
      "Agenda, decisions and minutes",
      "",
      "Audit Committee - Monday, 3rd March, 2025 6.00 pm",
      "",
      "4.\tInternal Audit Plan 2025/26",
      "",
      "\tTo approve the internal audit plan for 2025/26.",
      "",
      "\tMinutes:",
      "",
      "\tThe Head of Internal Audit presented the plan.",
      "",
      "\tRESOLVED that the Internal Audit Plan 2025/26 be approved.",
    ].join("\n");
    const { decisions } = readDecisions(text, null);
    expect(
      decisions.map((d) => [
        d.record.body,
        d.record.title,
        d.record.purpose,
        d.record.record,
        d.record.outcome,
      ]),
    ).toEqual([
      [
        "Audit Committee",
        "Internal Audit Plan 2025/26",
        "To approve the internal audit plan for 2025/26.",
        "The Head of Internal Audit presented the plan.",
        { kind: "RESOLVED", text: "that the Internal Audit Plan 2025/26 be approved.", items: [] },
      ],
    ]);
  });
});
