import { RECORD_FORMAT_VERSION, type DecisionRecord } from "../../src/domain/decision-record.js";
import { isoDate } from "../../src/domain/iso-date.js";
import { formatLongDate } from "../../src/import/uk-date.js";
import { between, pick, seededRandom } from "../random.js";

const SUBJECTS = [
  "Children's Services Performance Update",
  "Adult Social Care Fees and Charges",
  "Medium Term Financial Plan",
  "Local Cycling and Walking Infrastructure Plan",
  "Housing Revenue Account Business Plan",
  "Tees Valley Flood Risk Management Strategy",
  "Leisure Centre Refurbishment Contract",
  "Council Tax Support Scheme",
];
const VOCABULARY =
  "the council report cabinet members noted that performance services strategy delivery priorities residents partners budget contract award review consultation outcomes inspection workforce housing transport funding investment schools care homes families young people improvement plan quarter progress risk savings income capital programme scheme approved agreed".split(
    " ",
  );

function sentence(random: () => number, min: number, max: number): string {
  const words = Array.from({ length: between(random, min, max) }, () => pick(random, VOCABULARY));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1) + ".";
}

function paragraph(random: () => number): string {
  return Array.from({ length: between(random, 1, 4) }, () => sentence(random, 8, 28)).join(" ");
}

/** Section 7 as the proforma prints it: "Midnight, 24 November 2017", or "Not applicable". */
export function printedCallIn(deadline: string | null): DecisionRecord["callIn"] {
  return deadline
    ? { deadline, text: `Midnight, ${formatLongDate(deadline)}` }
    : { deadline: null, text: "Not applicable" };
}

/** Realistic proforma records (a few hundred words each), the same ones for a given seed. */
export function generateRecords(count: number, seed = 2017): DecisionRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const year = between(random, 2008, 2026);
    const meetingDate = isoDate(year, between(random, 1, 12), between(random, 1, 28));
    const published = new Date(`${meetingDate}T12:00:00Z`);
    published.setUTCDate(published.getUTCDate() + between(random, 1, 6));
    const publishedOn = published.toISOString().slice(0, 10);
    const deadlineDate = new Date(published);
    deadlineDate.setUTCDate(deadlineDate.getUTCDate() + 6);
    const recommended = random() < 0.2;
    const outcome = {
      kind: recommended ? "RECOMMENDED" : "RESOLVED",
      text: recommended ? "to Council that:-" : "that the report be noted, and in particular:-",
      items: Array.from({ length: between(random, 0, 5) }, () => sentence(random, 6, 24)),
    };
    const narrative = Array.from({ length: between(random, 2, 6) }, () =>
      random() < 0.25
        ? Array.from(
            { length: between(random, 2, 6) },
            (_, j) => `${"abcdef"[j]}. ${sentence(random, 5, 18)}`,
          ).join("\n")
        : paragraph(random),
    ).join("\n\n");
    const deadline = recommended ? null : deadlineDate.toISOString().slice(0, 10);
    return {
      formatVersion: RECORD_FORMAT_VERSION,
      council: "Stockton-on-Tees Borough Council",
      body: "Cabinet",
      documentType: pick(random, ["Cabinet Decision Proforma", "Cabinet Recommendations Proforma"]),
      recordId: `D${String(year % 100).padStart(2, "0")}${String(i).padStart(4, "0")}`,
      meetingDate,
      title: `${pick(random, SUBJECTS)} ${year}`,
      record: narrative,
      outcome,
      outcomes: [outcome],
      reasons: paragraph(random),
      alternatives: random() < 0.6 ? "None." : paragraph(random),
      conflictsOfInterest: random() < 0.9 ? "None." : paragraph(random),
      dispensations: "N/A",
      callIn: printedCallIn(deadline),
      signedBy: "Proper Officer",
      publishedOn,
      source: null,
    };
  });
}
