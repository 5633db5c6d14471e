import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../../src/domain/errors.js";
import type { DecisionRecord } from "../../../src/domain/decision-record.js";
import { inferCouncilCallInRule } from "../../../src/services/call-in/index.js";
import { findOrCreateCouncil, setCouncilRule } from "../../../src/services/councils/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import { formatLongDate } from "../../../src/import/uk-date.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "./register-fixtures.js";

const t = useTestDatabase();
const actor = "test";

/** A Stockton Cabinet decision proforma as the council publishes it (text), with the given call-in line. */
function proforma(minute: string, title: string, meeting: string, callIn: string, published: string): Buffer {
  return Buffer.from(
    `STOCKTON-ON-TEES BOROUGH COUNCIL

CABINET DECISION PROFORMA

Cabinet Meeting ${formatLongDate(meeting)}

Minute No. ${minute}

1. Title of Item/Report

${title}

2. Record of the Decision

Consideration was given to a report on ${title.toLowerCase()}.

RESOLVED that the recommendations in the report be approved.

3. Reasons for the Decision

To deliver the Council Plan.

4. Alternative Options Considered and Rejected

None.

5. Declared (Cabinet Member) Conflicts of Interest

None.

6. Details of any Dispensations

None.

7. Date and Time by which Call In must be executed

${callIn}

Proper Officer
${formatLongDate(published)}
`,
    "utf8",
  );
}

async function importProforma(...args: Parameters<typeof proforma>): Promise<void> {
  const [minute] = args;
  await importDocument(
    t.database,
    { bytes: proforma(...args), fileName: `${minute.replace(/\//g, "-")}.txt` },
    { actor },
  );
}

// Stockton's practice (midnight ending the 5th working day, counting the publication day), as printed.
const STOCKTON_DECISIONS: Array<[string, string, string, string, string]> = [
  ["CAB/31/22", "Household Support Fund", "2022-09-15", "Midnight, Thursday 22 September 2022", "2022-09-15"],
  ["CAB/45/22", "Winter Maintenance Plan", "2022-12-15", "Midnight, 29 December 2022", "2022-12-21"],
  ["CAB/12/23", "Highways Asset Management", "2023-03-30", "Midnight, 5 April 2023", "2023-03-30"],
  ["CAB/13/23", "Schools Capital Programme", "2023-04-04", "Midnight, 12th April 2023", "2023-04-04"],
  ["CAB/18/23", "Libraries Strategy", "2023-05-03", "Midnight, Wednesday 10 May 2023", "2023-05-03"],
  ["CAB/30/23", "Local Plan Review", "2023-08-24", "Midnight, 31 August 2023", "2023-08-24"],
  ["CAB/41/23", "Medium Term Financial Plan", "2023-11-16", "Midnight, 24 November 2023", "2023-11-20"],
  [
    "CAB/44/23",
    "Town Centre Regeneration",
    "2023-12-14",
    "Midnight, Wednesday 27 December 2023",
    "2023-12-19",
  ],
];

describe("inferCouncilCallInRule", () => {
  it("finds Stockton's rule from imported proformas, and lists the one that disagrees", async () => {
    for (const decision of STOCKTON_DECISIONS) await importProforma(...decision);
    // One record with a slip (Mon 20 Nov → the 27th), one recommendation to Council (not subject to call-in).
    await importProforma(
      "CAB/42/23",
      "Leisure Centre Fees",
      "2023-11-16",
      "Midnight, 27 November 2023",
      "2023-11-20",
    );
    await importProforma("CAB/43/23", "Council Tax Base", "2023-11-16", "Not applicable", "2023-11-20");
    // The council's rule, before: 3 calendar days at 17:00 (how it scores on the same pairs is reported).
    await setCouncilRule(
      t.db,
      "stockton-on-tees",
      { rule: { days: 3, dayKind: "calendar", countFrom: "next-day", cutoff: "17:00" } },
      actor,
    );

    const { council, inference } = await inferCouncilCallInRule(t.db, "stockton");
    expect(council.slug).toBe("stockton-on-tees");
    expect(inference.best).toEqual({
      rule: { countFrom: "publication-day", days: 5, dayKind: "working", cutoff: "24:00" },
      explained: 8,
      total: 9,
      share: 8 / 9,
    });
    expect(inference.unexplained).toEqual([
      expect.objectContaining({
        label: "CAB/42/23",
        publishedOn: "2023-11-20",
        printed: { deadline: "2023-11-27", effectiveFrom: null, cutoff: "24:00" },
        ruleGives: { deadline: "2023-11-24", cutoff: "24:00", effectiveFrom: "2023-11-25" },
        mismatch: "date",
      }),
    ]);
    expect(inference.leftOut).toEqual([
      expect.objectContaining({ label: "CAB/43/23", reason: "not subject to call-in" }),
    ]);
    expect(inference).toMatchObject({ considered: 10, usable: 9, compared: { explained: 0, total: 9 } });
  });

  it("reads effective-from dates and printed times from the current version's record; drafts do not count", async () => {
    const salford = (overrides: Partial<DecisionRecord>): DecisionRecord =>
      stocktonRecord({
        council: "Salford City Council",
        body: "Lead Member for Planning",
        documentType: "Decision",
        meetingDate: "2024-06-10",
        ...overrides,
      });
    // Salford: the 5th working day after publication, at 16:00. Some pages print the deadline with its time,
    // others only "Effective from" (the next working day after the deadline).
    const records = [
      salford({
        recordId: "S1",
        title: "Bus lane enforcement",
        publishedOn: "2024-06-10",
        callIn: { deadline: "2024-06-17", text: "4.00pm on 17 June 2024" },
      }),
      salford({
        recordId: "S2",
        title: "Ward budgets",
        publishedOn: "2024-08-22",
        // Fri 23, Tue 27 (Mon 26 is the summer bank holiday), Wed 28, Thu 29, Fri 30 August.
        callIn: { deadline: "2024-08-30", text: "16:00, 30 August 2024" },
      }),
      salford({
        recordId: "S3",
        title: "Street lighting",
        publishedOn: "2024-03-26",
        callIn: { deadline: null, text: "" },
        // Wed 27, Thu 28, Tue 2, Wed 3, Thu 4 April (Easter): effective from Fri 5 April.
        effectiveFrom: "2024-04-05",
        subjectToCallIn: true,
      }),
      salford({
        recordId: "S4",
        title: "Parks events",
        publishedOn: "2024-10-07",
        callIn: { deadline: null, text: "" },
        effectiveFrom: "2024-10-15",
      }),
      salford({
        recordId: "S5",
        title: "Urgent repairs",
        publishedOn: "2024-10-08",
        callIn: { deadline: "2024-10-15", text: "4.00pm on 15 October 2024" },
        subjectToCallIn: false,
      }),
    ];
    for (const record of records) await seedDecision(t.database, record);
    // A draft that follows no rule at all is not the council's practice yet.
    await seedDecision(
      t.database,
      salford({
        recordId: "S6",
        title: "Draft",
        publishedOn: "2024-10-08",
        callIn: { deadline: "2024-12-24", text: "Noon, 24 December 2024" },
      }),
      { status: "draft" },
    );

    const { council, inference } = await inferCouncilCallInRule(t.db, "salford");
    expect(council.name).toBe("Salford City Council");
    expect(inference.best).toMatchObject({
      rule: { countFrom: "next-day", days: 5, dayKind: "working", cutoff: "16:00" },
      explained: 4,
      total: 4,
    });
    expect(inference.equallyGood.map((r) => r.rule)).toContainEqual({
      countFrom: "publication-day",
      days: 6,
      dayKind: "working",
      cutoff: "16:00",
    });
    expect(inference.leftOut).toEqual([
      expect.objectContaining({ label: "S5", reason: "not subject to call-in" }),
    ]);
    expect(inference.considered).toBe(5);
  });

  it("has nothing to infer from for a council without published decisions; an unknown council is not found", async () => {
    await t.database.transaction((trx) =>
      findOrCreateCouncil(trx, { name: "Colchester City Council" }, actor),
    );
    const { inference } = await inferCouncilCallInRule(t.db, "colchester");
    expect(inference.best).toBeNull();
    expect(inference.nothingToInferFrom).toBe(
      "there are no published decisions to infer a call-in rule from",
    );

    await expect(inferCouncilCallInRule(t.db, "gloucestershire")).rejects.toThrow(NotFoundError);
    await expect(inferCouncilCallInRule(t.db, "gloucestershire")).rejects.toThrow(
      /no council "gloucestershire"/,
    );
  });
});
