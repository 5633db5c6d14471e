import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractText } from "../../../src/import/extract/index.js";
import { readMinutes } from "../../../src/import/layouts/meeting-minutes-layout.js";
import { parseDocument } from "../../../src/import/parse-document.js";

const FILE = "hollinsbrook-planning-2024-10-02.pdf";

function bytes(): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/minutes/${FILE}`, import.meta.url)));
}

const hollinsbrook = {
  formatVersion: 1,
  council: "Hollinsbrook Borough Council",
  body: "Planning Committee",
  documentType: "Minutes",
  recordId: null,
  meetingDate: "2024-10-02",
  reasons: "",
  alternatives: "",
  conflictsOfInterest: "",
  dispensations: "",
  callIn: { deadline: null, text: "" },
  signedBy: null,
  publishedOn: "2024-10-02",
  decidedOn: "2024-10-02",
  keyDecision: null,
  subjectToCallIn: null,
  effectiveFrom: null,
  statusAsPrinted: null,
  purpose: null,
  wardsAffected: null,
  decisionMakerKind: "body",
  madeUp: ["publishedOn"],
} as const;
const source = {
  fileName: FILE,
  mediaType: "application/pdf",
  layout: "meeting-minutes",
};
// The body is the heading above "Minutes of the meeting held on ...", the date is on that line.
const meetingLines = { council: 1, body: 3, meetingDate: 4, decidedOn: 4 };
const published = (line: number) => ({
  line,
  message: "no publication date printed: the date of decision (2024-10-02) stands in for it",
});

describe("PDF minutes with plain minute numbers: Hollinsbrook Planning Committee, 2 October 2024", () => {
  it("recognises items 57 to 64 by number, not the numbered reasons for refusal", async () => {
    const { text } = await extractText(bytes(), FILE);
    const reading = readMinutes(text, null);
    expect(reading.items.map((i) => [i.item.number, i.item.line, i.kind, i.item.title])).toEqual([
      ["57", 13, "procedural", "Apologies for Absence"],
      ["58", 18, "procedural", "Declarations of Interest"],
      ["59", 23, "procedural", "Minutes"],
      ["60", 28, "decision", "Application 24/00512/FUL – Land off Brook Lane, Hollinsbrook"],
      ["61", 46, "decision", "Application 24/00733/HOU – 9 Orchard Close, Hollinsbrook"],
      ["62", 59, "no-decision", "Planning Appeals Update"],
      ["63", 64, "decision", "Tree Preservation Order No. 4 of 2024 – Hollinsbrook Park Road"],
      ["64", 71, "procedural", "Date of Next Meeting"],
    ]);
  });

  it("reads 'The Committee resolved to' with the discussion before it, wrapped lines rejoined", async () => {
    const { layout, decisions } = await parseDocument(bytes(), FILE);
    expect(layout).toBe("meeting-minutes");
    expect(decisions).toHaveLength(3);
    const outcome = {
      kind: "RESOLVED",
      text:
        "to grant planning permission subject to the conditions set out in the report and the completion of a " +
        "legal agreement securing the affordable housing and a contribution of £212,000 towards primary school places.",
      items: [],
    };
    const { sha256 } = decisions[0]!.record.source!;
    expect(decisions[0]).toEqual({
      record: {
        ...hollinsbrook,
        // "(Pages 5 - 20)" from the agenda pack is not part of the title.
        title: "Application 24/00512/FUL – Land off Brook Lane, Hollinsbrook",
        record:
          "The Principal Planning Officer presented the application for the erection of 48 dwellings with " +
          "associated access, open space and drainage on land off Brook Lane. The site was allocated for housing " +
          "in the Hollinsbrook Local Plan and the proposal included 30% affordable housing, which accorded with " +
          "policy.\n\nMr Keith Arnold spoke in objection on behalf of the Brook Lane Residents’ Association, " +
          "raising concerns about flooding and the capacity of the junction with the A614. The agent for the " +
          "applicant, Ms Laura Finch, spoke in support of the application.\n\nMembers discussed the drainage " +
          "strategy and the proposed improvements to the junction, and were advised that the Lead Local Flood " +
          "Authority had raised no objection subject to conditions.",
        outcome,
        outcomes: [outcome],
        source: {
          ...source,
          sha256,
          part: 1,
          lines: { ...meetingLines, title: 28, record: 30, outcomes: 42 },
        },
      },
      warnings: [
        published(28),
        {
          line: 59,
          message:
            'item 62 "Planning Appeals Update" records no decision (no RESOLVED or "Decision:"): not imported',
        },
      ],
    });
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("reads a refusal with numbered reasons, and the declaration made under minute 58 about minute 61", async () => {
    const { decisions } = await parseDocument(bytes(), FILE);
    const outcome = {
      kind: "RESOLVED",
      text: "that planning permission be refused for the following reasons:",
      items: [
        "The extension, by reason of its height and position close to the boundary, would have an overbearing " +
          "effect on 11 Orchard Close, contrary to Policy DM4 of the Local Plan.",
        "The dormer window would appear as a dominant and incongruous addition to the roofscape of Orchard " +
          "Close, contrary to Policy DM2 of the Local Plan.",
      ],
    };
    expect(decisions[1]).toEqual({
      record: {
        ...hollinsbrook,
        title: "Application 24/00733/HOU – 9 Orchard Close, Hollinsbrook",
        record:
          "The Committee considered an application for a two-storey side extension and a dormer window to the " +
          "rear of 9 Orchard Close.",
        outcome,
        outcomes: [outcome],
        conflictsOfInterest:
          "Councillor Owen Birch declared a non-registrable interest in minute 61 as a neighbour of the " +
          "applicant, and took no part in the discussion or vote on that item.",
        source: {
          ...source,
          sha256: decisions[1]!.record.source!.sha256,
          part: 2,
          lines: { ...meetingLines, title: 46, record: 48, outcomes: 51, conflictsOfInterest: 20 },
        },
      },
      warnings: [published(46)],
    });
    expect(decisions[2]!.record.title).toBe("Tree Preservation Order No. 4 of 2024 – Hollinsbrook Park Road");
    expect(decisions[2]!.record.source?.part).toBe(3);
  });
});
