import { RECORD_FORMAT_VERSION, type DecisionRecord } from "../../src/domain/decision-record.js";
import { isoDate, type IsoDate } from "../../src/domain/iso-date.js";
import { renderProformaText } from "../../src/import/render/render-proforma.js";
import type { ImportInput } from "../../src/services/import/index.js";
import { printedCallIn } from "../parse/generate-proformas.js";
import { between, pick, seededRandom } from "../random.js";

/**
 * The register for bench/web: decisions of realistic length (300-1,500 words, spread evenly), in the
 * proforma text layout, from 2004 to November 2026, made by Cabinet and four Cabinet members, ten to a meeting. Every decision has a subject (children's services, highways, housing, ...), and its
 * words are drawn from that subject's vocabulary, the council's everyday vocabulary and ordinary English,
 * each by a Zipf-like law (a few words very common, most rare); a subject's vocabulary has its set phrases
 * ("temporary accommodation", "care leavers"), written together as councils write them; the borough's
 * places and partner bodies are named now and then, so a search finds what it would in a real register: "council" nearly everywhere,
 * "Ofsted" in one subject, "Wynyard" rarely. The same documents for the same arguments; made a chunk at a time
 * so 100,000 never have to be in memory at once.
 */

interface Subject {
  titles: readonly string[];
  words: readonly string[];
}

const SUBJECTS: readonly Subject[] = [
  {
    titles: [
      "Children's Services Strategy Performance Update",
      "Children Looked After Sufficiency Strategy",
      "Youth Justice Plan",
      "Early Help Partnership Arrangements",
      "Special Educational Needs and Disabilities Transport Policy",
    ],
    words:
      "children, young people, families, placements, fostering, adoption, safeguarding, Ofsted, inspection, social workers, caseloads, early help, schools, attainment, exclusions, youth justice, care leavers, sufficiency, residential homes, independent fostering agencies, disabilities, special educational needs, school transport, nursery places, childcare, edge of care, reunification, permanence, children looked after".split(
        ", ",
      ),
  },
  {
    titles: [
      "Adult Social Care Fees and Charges",
      "Better Care Fund Plan",
      "Domiciliary Care Framework Contract",
      "Extra Care Housing Scheme",
    ],
    words:
      "adults, older people, domiciliary care, care homes, providers, fees, charging, reablement, hospital discharge, carers, dementia, learning disability, mental health, nursing care, residential care, framework, commissioning, personal budgets, direct payments, safeguarding adults, integrated care, clinical commissioning".split(
        ", ",
      ),
  },
  {
    titles: [
      "Medium Term Financial Plan",
      "Treasury Management Strategy",
      "Revenue Budget Monitoring",
      "Capital Programme Update",
      "Council Tax Support Scheme",
    ],
    words:
      "budget, revenue, capital, reserves, savings, income, grant, settlement, treasury management, borrowing, investments, pension fund, council tax, business rates, collection fund, deficit, surplus, inflation, pressures, efficiencies, allocations, contingency, prudential indicators, minimum revenue provision".split(
        ", ",
      ),
  },
  {
    titles: [
      "Local Cycling and Walking Infrastructure Plan",
      "Highways Maintenance Programme",
      "Winter Maintenance Plan",
      "Parking Enforcement Policy",
      "Street Lighting Replacement",
    ],
    words:
      "highways, roads, carriageway, footways, resurfacing, potholes, cycling, walking, bus routes, junctions, traffic, congestion, parking, enforcement, street lighting, bridges, drainage, gritting, winter maintenance, traffic signals, speed limits, pedestrian crossings, public transport, rail station".split(
        ", ",
      ),
  },
  {
    titles: [
      "Housing Revenue Account Business Plan",
      "Homelessness and Rough Sleeping Strategy",
      "Selective Licensing Scheme",
      "Empty Homes Strategy",
      "Affordable Housing Delivery Plan",
    ],
    words:
      "housing, homes, tenants, landlords, homelessness, rough sleeping, temporary accommodation, affordable housing, rent, selective licensing, empty properties, allocations, registered providers, disabled facilities grants, adaptations, repairs, stock condition, viability, tenure, private rented sector".split(
        ", ",
      ),
  },
  {
    titles: [
      "Leisure Centre Refurbishment Contract",
      "Parks and Open Spaces Strategy",
      "Libraries Review",
      "Cultural Events Programme",
      "Allotments Policy",
    ],
    words:
      "leisure centre, swimming pool, gym, sports pitches, parks, open spaces, playgrounds, allotments, libraries, museums, heritage, events, festival, culture, arts, theatre, riverside, trails, volunteers, visitors, attendance, refurbishment, tourism".split(
        ", ",
      ),
  },
  {
    titles: [
      "Waste Management Strategy",
      "Climate Change Action Plan",
      "Flood Risk Management Strategy",
      "Air Quality Action Plan",
    ],
    words:
      "waste, recycling, collections, bins, landfill, incineration, energy, carbon emissions, climate change, net zero, flooding, flood defences, drainage, watercourses, air quality, pollution, biodiversity, trees, environment, fly tipping, enforcement, street cleansing".split(
        ", ",
      ),
  },
  {
    titles: [
      "Town Centre Regeneration Programme",
      "Local Plan Review",
      "Economic Strategy",
      "Levelling Up Fund Bid",
      "Enterprise Zone Development",
    ],
    words:
      "regeneration, town centre, masterplan, development, planning, local plan, economic growth, jobs, employment, skills, apprenticeships, business, investment, land disposal, acquisition, demolition, heritage, high street, retail, offices, enterprise zone, infrastructure".split(
        ", ",
      ),
  },
  {
    titles: [
      "Public Health Annual Report",
      "Health and Wellbeing Strategy",
      "Substance Misuse Service Contract",
    ],
    words:
      "public health, wellbeing, obesity, smoking, alcohol, drugs, substance misuse, sexual health, immunisation, screening, life expectancy, health inequalities, physical activity, healthy weight, prevention, pandemic, outbreak, testing, vaccination".split(
        ", ",
      ),
  },
  {
    titles: [
      "Community Safety Plan",
      "Licensing Policy Statement",
      "Gambling Policy",
      "Civil Enforcement Policy",
    ],
    words:
      "community safety, crime, antisocial behaviour, police, neighbourhood wardens, CCTV, licensing, premises, alcohol, gambling, taxis, hackney carriage, private hire, enforcement, trading standards, domestic abuse, prevent, cohesion".split(
        ", ",
      ),
  },
];

const COUNCIL_WORDS =
  "council cabinet report members officers service services strategy priorities delivery performance partners residents borough consultation review plan programme contract procurement award tender decision approval director corporate outcomes quarter update progress risk assessment funding investment policy framework proposals recommendations implementation monitoring scrutiny committee statutory duty equality impact legal financial implications resources workforce staff customers demand pressure targets indicators benchmarking improvement evaluation governance".split(
    " ",
  );

const ENGLISH_WORDS =
  "the of and to in a is that for it as with was on be by this are from at or an have which not has but were been all their more will would there also other its new than most these some such into only any may should could about first over after where between under within during including through both each while however across against following further given made number part period current previous year years month months week weeks level levels range rate rates total increase reduction change changes position basis support need needs set sets provide provides provided ensure ensuring continue continued work working required requirement requirements identified approach key main local national regional wider existing future significant additional specific particular appropriate available relevant overall full".split(
    " ",
  );

const PLACES = [
  "Stockton",
  "Thornaby",
  "Billingham",
  "Yarm",
  "Norton",
  "Ingleby Barwick",
  "Eaglescliffe",
  "Hartburn",
  "Fairfield",
  "Roseworth",
  "Mandale",
  "Preston Park",
  "Wynyard",
  "Port Clarence",
  "Portrack",
  "Hardwick",
  "Newtown",
  "Bishopsgarth",
  "Elm Tree",
  "Grangefield",
];

const ORGANISATIONS = [
  "Tees Valley Combined Authority",
  "Ofsted",
  "the Care Quality Commission",
  "NHS Tees Valley",
  "Cleveland Police",
  "the Environment Agency",
  "Homes England",
  "the Department for Education",
  "Northern Powergrid",
  "Durham Tees Valley Airport",
  "Teesside University",
  "Thirteen Group",
];

const BODIES = [
  "Cabinet",
  "Cabinet",
  "Cabinet",
  "Cabinet Member for Children and Young People",
  "Cabinet Member for Environment and Transport",
  "Cabinet Member for Housing and Community Safety",
  "Cabinet Member for Regeneration and Housing",
];

/**
 * The words a reader might search the generated register for: every subject's words and set phrases, the
 * council's everyday words and the borough's places (ordinary English left out: stop words find nothing).
 */
export const SEARCH_VOCABULARY: readonly string[] = [
  ...new Set([...SUBJECTS.flatMap((subject) => subject.words), ...COUNCIL_WORDS, ...PLACES]),
];

/** A Zipf-like pick: index i with weight 1/(i+1). */
function zipf<T>(random: () => number, items: readonly T[]): T {
  // Inverse of the continuous 1/x law over [1, n+1): a good enough stand-in for the discrete one.
  const n = items.length;
  const index = Math.floor(Math.exp(random() * Math.log(n + 1))) - 1;
  return items[Math.min(n - 1, Math.max(0, index))]!;
}

function sentence(random: () => number, subject: Subject, min: number, max: number): string {
  const length = between(random, min, max);
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = random();
    if (roll < 0.5) words.push(zipf(random, ENGLISH_WORDS));
    else if (roll < 0.75) words.push(zipf(random, COUNCIL_WORDS));
    else if (roll < 0.994) words.push(zipf(random, subject.words));
    else if (roll < 0.998) words.push(pick(random, PLACES));
    else words.push(pick(random, ORGANISATIONS));
  }
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1) + ".";
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

interface MeetingPlan {
  date: IsoDate;
  body: string;
}

/** Meetings from 2004 to 20 November 2026, about three a week across the bodies, oldest first. */
function meetingAt(random: () => number, index: number, total: number): MeetingPlan {
  const first = Date.UTC(2004, 0, 5);
  const last = Date.UTC(2026, 10, 20);
  const day = new Date(first + Math.floor(((last - first) * index) / Math.max(1, total - 1)));
  // Meetings fall on weekdays.
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return {
    date: isoDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()),
    body: pick(random, BODIES),
  };
}

/** The n-th decision's record, and how many words it has. */
function decisionRecord(
  random: () => number,
  n: number,
  meeting: MeetingPlan,
): { record: DecisionRecord; words: number } {
  const subject = pick(random, SUBJECTS);
  const target = between(random, 300, 1500);
  const place = random() < 0.3 ? ` (${pick(random, PLACES)})` : "";
  const year = meeting.date.slice(0, 4);
  const title = `${pick(random, subject.titles)} ${year}${place}`;
  const recommended = random() < 0.15;
  const statedNotApplicable = random() < 0.05;
  const items = Array.from({ length: between(random, 1, 6) }, () => sentence(random, subject, 8, 30));
  const outcome = {
    kind: recommended ? "RECOMMENDED" : "RESOLVED",
    text: recommended ? "to Council that:-" : "that:-",
    items,
  };
  const reasons = Array.from({ length: between(random, 2, 5) }, () => sentence(random, subject, 10, 30)).join(
    " ",
  );
  const alternatives = random() < 0.5 ? "None." : sentence(random, subject, 10, 30);
  const conflicts =
    random() < 0.9
      ? "None."
      : `Councillor ${pick(random, ["Cook", "Beall", "Lewis", "Nelson", "Rose", "Hampton"])} declared a personal non prejudicial interest as ${pick(random, ["a governor of a school in the borough", "a member of the Tees Valley Combined Authority", "a trustee of a local charity"])}.`;
  let used = wordCount(title) + items.reduce((sum, item) => sum + wordCount(item), 0) + wordCount(reasons);
  const paragraphs: string[] = [];
  while (used < target) {
    const paragraph =
      random() < 0.2
        ? Array.from(
            { length: between(random, 2, 6) },
            (_, j) => `${"abcdef"[j]}. ${sentence(random, subject, 6, 20)}`,
          ).join("\n")
        : Array.from({ length: between(random, 2, 5) }, () => sentence(random, subject, 10, 32)).join(" ");
    paragraphs.push(paragraph);
    used += wordCount(paragraph);
  }
  const meetingDay = new Date(`${meeting.date}T12:00:00Z`);
  const published = new Date(meetingDay);
  published.setUTCDate(published.getUTCDate() + between(random, 1, 3));
  while (published.getUTCDay() === 0 || published.getUTCDay() === 6)
    published.setUTCDate(published.getUTCDate() + 1);
  const publishedOn = published.toISOString().slice(0, 10) as IsoDate;
  // The deadline as the council wrote it (mostly the rule's; the register flags the rest, as it would).
  const deadlineDay = new Date(published);
  for (let counted = 1; counted < 5;) {
    deadlineDay.setUTCDate(deadlineDay.getUTCDate() + 1);
    if (deadlineDay.getUTCDay() !== 0 && deadlineDay.getUTCDay() !== 6) counted++;
  }
  const deadline =
    recommended || statedNotApplicable ? null : (deadlineDay.toISOString().slice(0, 10) as IsoDate);
  const record: DecisionRecord = {
    formatVersion: RECORD_FORMAT_VERSION,
    council: "Stockton-on-Tees Borough Council",
    body: meeting.body,
    documentType: recommended ? "Cabinet Recommendations Proforma" : "Cabinet Decision Proforma",
    recordId: `W${year.slice(2)}${String(n).padStart(6, "0")}`,
    meetingDate: meeting.date,
    title,
    record: paragraphs.join("\n\n"),
    outcome,
    outcomes: [outcome],
    reasons,
    alternatives,
    conflictsOfInterest: conflicts,
    dispensations: "N/A",
    callIn: printedCallIn(deadline),
    signedBy: "Proper Officer",
    publishedOn,
    source: null,
  };
  return { record, words: used };
}

export interface GeneratedChunk {
  inputs: ImportInput[];
  words: number[];
}

/**
 * Documents start..start+size-1 of a register of `total`, in the proforma text layout. Meetings are laid out
 * over the whole register, so any chunk has the dates it would have in the full one.
 */
export function generateRegisterChunk(
  start: number,
  size: number,
  total: number,
  seed = 2026,
): GeneratedChunk {
  const random = seededRandom(seed * 1_000_003 + start);
  const meetings = Math.ceil(total / 10);
  const inputs: ImportInput[] = [];
  const words: number[] = [];
  for (let n = start; n < start + size; n++) {
    // Ten decisions a meeting on average: decision n belongs to meeting floor(n / 10), with its own body.
    const meetingIndex = Math.floor(n / 10);
    const meetingRandom = seededRandom(seed + meetingIndex * 7919);
    const meeting = meetingAt(meetingRandom, meetingIndex, meetings);
    const { record, words: count } = decisionRecord(random, n, meeting);
    inputs.push({
      bytes: Buffer.from(renderProformaText(record), "utf8"),
      fileName: `${record.recordId}.txt`,
    });
    words.push(count);
  }
  return { inputs, words };
}
