import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatQuarter } from "../../../src/domain/financial-period.js";
import {
  extractCommitments,
  titleQuarter,
  type CommitmentSource,
} from "../../../src/import/commitment-extractor.js";
import { parseSingleDecision } from "../../../src/import/parse-document.js";

const FIXTURES = new URL("../../fixtures/", import.meta.url);

function source(overrides: Partial<CommitmentSource>): CommitmentSource {
  return {
    title: "Highways Asset Management Plan",
    meetingDate: "2017-11-16",
    record: "",
    outcomes: [{ kind: "RESOLVED", text: "that the report be noted.", items: [] }],
    ...overrides,
  };
}

/** Each commitment as "text | due | phrase | confidence", for whole-list comparisons. */
function summary(found: ReturnType<typeof extractCommitments>): string[] {
  return found.map((c) => `${c.text} | ${formatQuarter(c.due)} | ${c.duePhrase} | ${c.confidence}`);
}

const Q2_UPDATE_RECORD = [
  "Consideration was given to a report on performance in the second quarter, measured against the Plan agreed by Cabinet in May 2017.",
  "",
  "The next quarter would see:",
  "",
  "a. The award of the contract for the integrated school nursing and health visiting service",
  "b. A report on educational attainment of children in care to Cabinet in December",
  "c. The findings of the regional peer review of the front door",
  "d. An update on the waiting times for speech and language therapy assessments, which remained a significant concern.",
  "e. An update on the borough-wide Family Hubs consultation and how its results will be used.",
  "f. Feedback from the care leavers' forum and the foster carers' conference, both being held in November.",
].join("\n");

describe("commitments in a decision record", () => {
  it("reads the six items of a Q2 update's next-quarter list as due in 2017-18 Q3", () => {
    const found = extractCommitments(
      source({ title: "Family Services Performance Update Q2 (July - Sept)", record: Q2_UPDATE_RECORD }),
    );
    expect(summary(found)).toEqual([
      "The award of the contract for the integrated school nursing and health visiting service | 2017-18 Q3 | The next quarter would see | high",
      "A report on educational attainment of children in care to Cabinet in December | 2017-18 Q3 | The next quarter would see | high",
      "The findings of the regional peer review of the front door | 2017-18 Q3 | The next quarter would see | high",
      "An update on the waiting times for speech and language therapy assessments, which remained a significant concern. | 2017-18 Q3 | The next quarter would see | high",
      "An update on the borough-wide Family Hubs consultation and how its results will be used. | 2017-18 Q3 | The next quarter would see | high",
      "Feedback from the care leavers' forum and the foster carers' conference, both being held in November. | 2017-18 Q3 | The next quarter would see | high",
    ]);
  });

  it("gives the December report the same quarter on its own as in the list", () => {
    const alone = extractCommitments(
      source({
        record:
          "Members were told that a report on educational attainment of children in care would be brought to Cabinet in December.",
      }),
    );
    expect(summary(alone)).toEqual([
      "Members were told that a report on educational attainment of children in care would be brought to Cabinet in December. | 2017-18 Q3 | in December | medium",
    ]);
  });

  it("reads the Q2 update from a proforma document, list markers and all", async () => {
    const bytes = readFileSync(new URL("commitments/q2-family-services-performance.txt", FIXTURES));
    const { record } = await parseSingleDecision(bytes, "q2-family-services-performance.txt");
    const found = extractCommitments(record);
    expect(found).toHaveLength(6);
    expect(found.map((c) => formatQuarter(c.due))).toEqual(Array(6).fill("2017-18 Q3"));
    expect(found[0]!.text).toBe(
      "The award of the contract for the integrated school nursing and health visiting service",
    );
    // "agreed by Cabinet in May 2017" is history, and the list of the report's parts is no promise.
    expect(found.some((c) => /May 2017/.test(c.text))).toBe(false);
  });

  it("uses the meeting's own quarter when the title names none", () => {
    const found = extractCommitments(
      source({
        meetingDate: "2018-02-08",
        record: "In the next quarter officers would bring:\n\n- a. A revised charging policy",
      }),
    );
    expect(summary(found)).toEqual([
      "A revised charging policy | 2018-19 Q1 | In the next quarter officers would bring | high",
    ]);
  });

  it("never makes a late update's next quarter one already over", () => {
    const found = extractCommitments(
      source({
        title: "Adult Social Care Performance Update Q1 (April - June 2026)",
        meetingDate: "2026-10-15",
        record:
          "The next quarter would see:\n- a. A report to Cabinet in December on day opportunities; and\n- b. The new carers' hub;",
      }),
    );
    expect(summary(found)).toEqual([
      "A report to Cabinet in December on day opportunities | 2026-27 Q3 | The next quarter would see | high",
      "The new carers' hub | 2026-27 Q3 | The next quarter would see | high",
    ]);
  });

  it("reads a Q4 update considered in the next financial year against the year it reports on", () => {
    const found = extractCommitments(
      source({
        title: "Adult Social Care Performance Update Quarter 4",
        meetingDate: "2018-06-21",
        record: "The next quarter would see:\na. The refreshed carers' strategy",
      }),
    );
    expect(summary(found)).toEqual([
      "The refreshed carers' strategy | 2018-19 Q1 | The next quarter would see | high",
    ]);
  });

  it("reads single sentences: months, months from now, the new year, explicit dates", () => {
    const record = [
      "The Director would report back in six months on the take-up of the scheme.",
      "A further report on the options for the depot would be presented in the new year.",
      "Proposals for consultation would be brought to Cabinet by March 2018.",
      "It was an evolution of the first version reported to Cabinet in July 2016.",
      "Permits would be checked at the site entrance from 1 June 2018.",
      "Residents could make twelve visits in a year.",
    ].join("\n\n");
    expect(summary(extractCommitments(source({ record })))).toEqual([
      "The Director would report back in six months on the take-up of the scheme. | 2018-19 Q1 | in six months | medium",
      "A further report on the options for the depot would be presented in the new year. | 2017-18 Q4 | in the new year | low",
      "Proposals for consultation would be brought to Cabinet by March 2018. | 2017-18 Q4 | by March 2018 | high",
    ]);
  });

  it("reads commitments in the outcome too", () => {
    const found = extractCommitments(
      source({
        outcomes: [
          {
            kind: "RESOLVED",
            text: "that:-",
            items: [
              "The revised policy be approved.",
              "A review of its operation be reported to Cabinet in twelve months' time.",
            ],
          },
        ],
      }),
    );
    expect(summary(found)).toEqual([
      "A review of its operation be reported to Cabinet in twelve months' time. | 2018-19 Q3 | in twelve months' time | medium",
    ]);
  });

  it("finds nothing in a record that promises nothing", () => {
    const record =
      "Consideration was given to a report on the Highways Asset Management Plan.\n\nThe plan set out how the Council maintained its roads.\n\nThe following points were made:\n\na. Roads were in a fair condition;\nb. Footways needed more work.";
    expect(extractCommitments(source({ record }))).toEqual([]);
  });

  it("reads the quarter a title names", () => {
    expect(titleQuarter("Performance Update Q2 (July - Sept)", "2017-11-16")).toEqual({
      startYear: 2017,
      quarter: 2,
    });
    expect(titleQuarter("Performance Report Quarter Three 2016/17", "2017-11-16")).toEqual({
      startYear: 2016,
      quarter: 3,
    });
    expect(titleQuarter("Children's Services Strategy 2017-2020", "2017-06-21")).toBeNull();
  });
});
