import { describe, expect, it } from "vitest";
import { canonicalOperativeLine, readDecisionText } from "../../../src/import/decision-text.js";
import type { SourceLine } from "../../../src/import/document-lines.js";

/** Lines numbered from 20, as a decision part-way down a document would be. */
function lines(text: string): SourceLine[] {
  return text.split("\n").map((t, i) => ({ text: t, line: 20 + i }));
}

describe("canonicalOperativeLine", () => {
  it.each([
    ["RESOLVED that the report be noted.", "RESOLVED that the report be noted."],
    ["Resolved:", "RESOLVED"],
    ["Resolved", "RESOLVED"],
    ["Resolved: That the report be noted.", "RESOLVED That the report be noted."],
    ["Resolved – that the report be noted.", "RESOLVED that the report be noted."],
    ["RESOLVED - That the plan be approved.", "RESOLVED That the plan be approved."],
    ["RESOLVED:- (1) That the plan be approved.", "RESOLVED (1) That the plan be approved."],
    [
      "RECOMMENDED to Council that the budget be approved.",
      "RECOMMENDED to Council that the budget be approved.",
    ],
    [
      "To RECOMMEND to Council that the budget be approved.",
      "RECOMMENDED to Council that the budget be approved.",
    ],
    ["To recommend:", "RECOMMENDED"],
    ["AGREED that the report be noted.", "AGREED that the report be noted."],
    ["Agreed - that the report be noted.", "AGREED that the report be noted."],
    ["ORDERED that the accounts be paid.", "ORDERED that the accounts be paid."],
    ["The Committee resolved to approve the application.", "RESOLVED to approve the application."],
    [
      "The Overview and Scrutiny Committee resolved that the report be noted.",
      "RESOLVED that the report be noted.",
    ],
    ["Cabinet RESOLVED that the plan be adopted.", "RESOLVED that the plan be adopted."],
    ["Cabinet RESOLVED:", "RESOLVED"],
    ["It was resolved that the plan be adopted.", "RESOLVED that the plan be adopted."],
    ["Members agreed to note the report.", "AGREED to note the report."],
    ["The Panel agreed unanimously that the fees be set.", "AGREED unanimously that the fees be set."],
  ])("%j opens an outcome: %j", (text, expected) => {
    expect(canonicalOperativeLine(text)).toBe(expected);
  });

  it.each([
    "Councillor Smith agreed to circulate the figures.",
    "The Chair agreed to write to the Minister.",
    "The Leader agreed that officers would report back.",
    "Agreed budgets were set in February 2024 for each service.",
    "Resolution of the outstanding issues was expected by March.",
    "Recommended reading was listed in the appendix.",
    "The recommendations were agreed by the working group.",
    "To consider the report of the Director of Finance.",
  ])("%j is narrative", (text) => {
    expect(canonicalOperativeLine(text)).toBeNull();
  });
});

describe("readDecisionText", () => {
  it("reads RESOLVED that with numbered items, after the narrative", () => {
    expect(
      readDecisionText(
        lines(
          "The Director presented the report.\n\nRESOLVED that:\n1. the report be noted;\n2. the plan be adopted.",
        ),
      ),
    ).toEqual({
      narrative: "The Director presented the report.",
      outcomes: [
        { kind: "RESOLVED", text: "that:", items: ["the report be noted;", "the plan be adopted."] },
      ],
      outcomeLine: 22,
      wording: "operative-word",
    });
  });

  it("reads 'Resolved:' on a line of its own, its sentence on the next", () => {
    expect(readDecisionText(lines("Resolved:\nThat the report be noted."))).toEqual({
      narrative: "",
      outcomes: [{ kind: "RESOLVED", text: "That the report be noted.", items: [] }],
      outcomeLine: 20,
      wording: "operative-word",
    });
  });

  it("reads 'RESOLVED -' and keeps '(1)' items", () => {
    expect(
      readDecisionText(
        lines("RESOLVED -\n(1) That the plan be approved.\n(2) That the Director be authorised."),
      ),
    ).toEqual({
      narrative: "",
      outcomes: [
        {
          kind: "RESOLVED",
          text: "",
          items: ["That the plan be approved.", "That the Director be authorised."],
        },
      ],
      outcomeLine: 20,
      wording: "operative-word",
    });
  });

  it("reads RECOMMENDED and 'To RECOMMEND' as RECOMMENDED outcomes, one after another", () => {
    expect(
      readDecisionText(
        lines(
          "RESOLVED that the consultation responses be noted.\n\nTo RECOMMEND to Council that the Council Tax be increased by 4.99%.",
        ),
      ),
    ).toEqual({
      narrative: "",
      outcomes: [
        { kind: "RESOLVED", text: "that the consultation responses be noted.", items: [] },
        { kind: "RECOMMENDED", text: "to Council that the Council Tax be increased by 4.99%.", items: [] },
      ],
      outcomeLine: 20,
      wording: "operative-word",
    });
    expect(readDecisionText(lines("RECOMMENDED to Council that the budget be approved.")).outcomes).toEqual([
      { kind: "RECOMMENDED", text: "to Council that the budget be approved.", items: [] },
    ]);
  });

  it.each([
    ["AGREED that the fees be frozen.", "AGREED", "that the fees be frozen."],
    ["ORDERED that the accounts be paid.", "ORDERED", "that the accounts be paid."],
    ["The Committee resolved to grant permission.", "RESOLVED", "to grant permission."],
    ["Cabinet RESOLVED that the plan be adopted.", "RESOLVED", "that the plan be adopted."],
    ["It was resolved that the plan be adopted.", "RESOLVED", "that the plan be adopted."],
  ])("reads %j", (text, kind, rest) => {
    expect(readDecisionText(lines(text))).toEqual({
      narrative: "",
      outcomes: [{ kind, text: rest, items: [] }],
      outcomeLine: 20,
      wording: "operative-word",
    });
  });

  it("reads a bare numbered list with no operative word as one DECIDED outcome", () => {
    expect(
      readDecisionText(
        lines(
          "The Panel considered the fees.\n1. That the fees be increased by 3%.\n2. That the fees be reviewed.",
        ),
      ),
    ).toEqual({
      narrative: "The Panel considered the fees.",
      outcomes: [
        {
          kind: "DECIDED",
          text: "",
          items: ["That the fees be increased by 3%.", "That the fees be reviewed."],
        },
      ],
      outcomeLine: 21,
      wording: "bare-list",
    });
  });

  it("keeps text with no operative word whole, as a DECIDED outcome", () => {
    expect(
      readDecisionText(lines("That the report be noted.\n\nThat officers report back in March.")),
    ).toEqual({
      narrative: "",
      outcomes: [
        {
          kind: "DECIDED",
          text: "That the report be noted.\n\nThat officers report back in March.",
          items: [],
        },
      ],
      outcomeLine: 20,
      wording: "no-operative-word",
    });
  });

  it("does not take a councillor's or the Chair's agreement, or 'Agreed budgets', for the outcome", () => {
    expect(
      readDecisionText(
        lines(
          [
            "Councillor Smith agreed to circulate the figures.",
            "",
            "The Chair agreed to write to the Minister.",
            "",
            "Agreed budgets were set in February.",
            "",
            "RESOLVED that the report be noted.",
          ].join("\n"),
        ),
      ),
    ).toEqual({
      narrative:
        "Councillor Smith agreed to circulate the figures.\n\nThe Chair agreed to write to the Minister.\n\n" +
        "Agreed budgets were set in February.",
      outcomes: [{ kind: "RESOLVED", text: "that the report be noted.", items: [] }],
      outcomeLine: 26,
      wording: "operative-word",
    });
  });

  it("rejoins a hard-wrapped resolution", () => {
    const text = [
      "Members discussed the proposals at length and asked about the effect on the",
      "rural bus routes.",
      "RESOLVED that the revised timetable be approved and that the Head of",
      "Transport be asked to report on patronage in six months.",
    ].join("\n");
    expect(readDecisionText(lines(text))).toEqual({
      narrative:
        "Members discussed the proposals at length and asked about the effect on the rural bus routes.",
      outcomes: [
        {
          kind: "RESOLVED",
          text: "that the revised timetable be approved and that the Head of Transport be asked to report on patronage in six months.",
          items: [],
        },
      ],
      outcomeLine: 22,
      wording: "operative-word",
    });
  });

  it("is empty for no text", () => {
    expect(readDecisionText(lines(""))).toEqual({ narrative: "", outcomes: [], wording: "empty" });
  });
});
