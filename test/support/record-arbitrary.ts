import fc from "fast-check";
import {
  RECORD_FORMAT_VERSION,
  type DecisionRecord,
  type Outcome,
} from "../../src/domain/decision-record.js";
import { formatLongDate } from "../../src/import/uk-date.js";

/**
 * Arbitrary decision records of the kind councils write, for round-trip properties. The words come
 * from real proformas' vocabulary, including curly quotes, en dashes and figures.
 */
const WORDS = [
  "the",
  "council",
  "report",
  "strategy",
  "performance",
  "children’s",
  "services",
  "budget",
  "contract",
  "award",
  "of",
  "and",
  "for",
  "in",
  "to",
  "with",
  "2017/18",
  "£1.2m",
  "0-19",
  "Ofsted",
  "SEND",
  "Stockton",
  "Cabinet",
  "members",
  "progress",
  "delivery",
  "priorities",
  "care",
  "homes",
  "“Fair",
  "Deal”",
  "–",
  "review",
  "consultation",
  "residents",
  "partners",
  "workforce",
  "scheme",
  "approved",
  "noted",
  "agreed",
  "fees",
  "rates",
  "2024-25",
  "Tees",
  "Valley",
  "(July",
  "Sept)",
  "housing",
  "transport",
  "plan",
  "quarter",
  "Q3",
];

const word = fc.constantFrom(...WORDS);
// A dash at the end of a line means the sentence runs on, in any document; keep it inside phrases.
const words = (min: number, max: number) =>
  fc.array(word, { minLength: min, maxLength: max }).map((w) => w.join(" ").replace(/ –$/, " – review"));
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A sentence: starts with a capital word, at least four words, ends with a full stop. */
export const sentence = fc
  .tuple(fc.constantFrom("The", "It", "Members", "A", "This", "Officers", "Consideration"), words(3, 18))
  .map(([first, rest]) => `${first} ${rest}.`);

const paragraph = fc.array(sentence, { minLength: 1, maxLength: 3 }).map((s) => s.join(" "));
const letteredList = fc
  .array(fc.tuple(words(3, 12), fc.constantFrom(".", ";", "")), { minLength: 1, maxLength: 6 })
  .map((items) => items.map(([text, end], i) => `${"abcdefghij"[i]}. ${capitalise(text)}${end}`).join("\n"));
const narrative = fc
  .array(fc.oneof({ weight: 3, arbitrary: paragraph }, { weight: 1, arbitrary: letteredList }), {
    maxLength: 5,
  })
  .map((blocks) => blocks.join("\n\n"));

const outcome: fc.Arbitrary<Outcome> = fc.record({
  kind: fc.constantFrom("RESOLVED", "RECOMMENDED", "AGREED"),
  text: fc.oneof(
    words(3, 20).map((w) => `that ${w}.`),
    words(3, 12).map((w) => `that ${w}:-`),
    words(2, 8).map((w) => `to Council that ${w}:`),
  ),
  items: fc.array(sentence, { maxLength: 4 }),
});

const isoDateIn = (from: number, to: number) =>
  fc
    .date({ min: new Date(Date.UTC(from, 0, 1)), max: new Date(Date.UTC(to, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

const sectionText = fc.oneof(fc.constantFrom("None.", "None", "N/A", ""), paragraph);

export const decisionRecordArbitrary: fc.Arbitrary<DecisionRecord> = fc
  .record({
    council: fc.constantFrom(
      "Stockton-on-Tees Borough Council",
      "Redcar and Cleveland Borough Council",
      "King's Lynn and West Norfolk Borough Council",
      "Newcastle upon Tyne City Council",
      null,
    ),
    body: fc.constantFrom("Cabinet", "Executive"),
    documentType: fc.constantFrom(
      "Cabinet Recommendations Proforma",
      "Cabinet Decision Proforma",
      "Cabinet Decision Record",
    ),
    recordId: fc.oneof(
      fc.constant(null),
      fc.integer({ min: 1, max: 999_999 }).map((n) => `D${String(n).padStart(6, "0")}`),
      fc
        .tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 10, max: 30 }))
        .map(([n, y]) => `CAB/${n}/${y}`),
    ),
    meetingDate: isoDateIn(2005, 2027),
    title: fc
      .tuple(fc.constantFrom("Children’s", "Medium", "Adult", "Housing", "Tees"), words(1, 12))
      .map(([a, b]) => `${a} ${b}`),
    record: narrative,
    outcomes: fc.array(outcome, { minLength: 1, maxLength: 3 }),
    reasons: sectionText,
    alternatives: sectionText,
    conflictsOfInterest: sectionText,
    dispensations: sectionText,
    deadline: fc.option(isoDateIn(2005, 2027)),
    signedBy: fc.constantFrom("Proper Officer", "Julie Butcher, Proper Officer", null),
    publishedOn: isoDateIn(2005, 2027),
  })
  .map(({ outcomes, deadline, ...r }) => ({
    formatVersion: RECORD_FORMAT_VERSION,
    ...r,
    outcome: outcomes[0]!,
    outcomes,
    callIn: deadline
      ? { deadline, text: `Midnight, ${formatLongDate(deadline)}` }
      : { deadline: null, text: "Not applicable" },
    source: null,
    // What a proforma states of the fields added within version 1: a meeting's decision (decided that day, by
    // a body), subject to call-in exactly when section 7 gives a deadline, and nothing about the rest.
    decidedOn: r.meetingDate,
    keyDecision: null,
    subjectToCallIn: deadline !== null,
    effectiveFrom: null,
    statusAsPrinted: null,
    purpose: null,
    wardsAffected: null,
    decisionMakerKind: "body" as const,
  }));
