import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { importDocument, type ImportResult } from "../../src/services/import/index.js";
import type { Database } from "../../src/storage/database.js";

/**
 * A register for the search, API and feed tests, built the way real registers are: by importing documents with
 * the importer. The example records (three Cabinet meetings, October and November 2026), the text fixtures
 * (older records, 2011-2025), and a few records written here for what the tests need to find.
 */

/** "Now" for these tests: the 19 November 2026 decisions are in their call-in period (closing at midnight
 * ending 26 November); the earlier ones are in effect. */
export const AT = new Date("2026-11-22T12:00:00Z");
/** Call-in closes for the 19 November decisions: midnight at the end of Thursday 26 November 2026. */
export const NEXT_CUTOFF = new Date("2026-11-27T00:00:00Z");

const EXAMPLES = fileURLToPath(new URL("../../examples/records/", import.meta.url));
const TEXT_FIXTURES = fileURLToPath(new URL("../fixtures/text/", import.meta.url));

export interface ProformaText {
  title: string;
  record: string;
  resolved: string[];
  reasons?: string;
  /** "19th November 2026" */
  meeting?: string;
  /** "Midnight, 26 November 2026" */
  callIn?: string;
  /** "20 November 2026" */
  published?: string;
}

/** A record in the layout of the examples (Stockton's Cabinet proforma). */
export function proforma(p: ProformaText): string {
  const items = p.resolved.map((text, i) => `${i + 1}. ${text}`).join("\n\n");
  return [
    "",
    "",
    "STOCKTON-ON-TEES BOROUGH COUNCIL",
    "",
    "CABINET RECOMMENDATIONS",
    "",
    "PROFORMA",
    "",
    `Cabinet Meeting ${p.meeting ?? "19th November 2026"}`,
    "",
    "1. Title of Item/Report",
    "",
    p.title,
    "",
    "2. Record of the Decision",
    "",
    p.record,
    "",
    "RESOLVED that:-",
    "",
    items,
    "",
    "3. Reasons for the Decision",
    "",
    p.reasons ?? "To deliver the Council's priorities.",
    "",
    "4. Alternative Options Considered and Rejected",
    "",
    "None.",
    "",
    "5. Declared (Cabinet Member) Conflicts of Interest",
    "",
    "None.",
    "",
    "6. Details of any Dispensations",
    "",
    "N/A",
    "",
    "7. Date and Time by which Call In must be executed",
    "",
    p.callIn ?? "Midnight, 26 November 2026",
    "",
    "Proper Officer",
    p.published ?? "20 November 2026",
  ].join("\n");
}

/** Records written for the tests, by name. */
export const EXTRA_RECORDS = {
  /** "zebra" in the title only. */
  zebraTitle: proforma({
    title: "Zebra Crossings Programme 2027",
    record: "Consideration was given to a report on new pedestrian crossings near schools.",
    resolved: ["The programme of new crossings be approved."],
  }),
  /** "zebra" in the record only, three times. */
  zebraBody: proforma({
    title: "Road Safety Annual Report",
    record:
      "Consideration was given to the annual road safety report. A zebra crossing on the High Street had been " +
      "renewed, a second zebra crossing had been moved, and a survey of every zebra crossing was planned.",
    resolved: ["The report be noted."],
  }),
  /** HTML in the text, which must come out escaped. */
  script: proforma({
    title: "Website <b>Accessibility</b> Statement",
    record:
      'The report quoted a test string <script>alert("quokka")</script> submitted to the quokka feedback form, ' +
      "and said that every form on the website now escapes what is typed into it & shows it as text.",
    resolved: ["The accessibility statement be approved."],
  }),
  /** Text a spreadsheet would run as a formula, and CSV's own special characters. */
  formula: proforma({
    title: '=HYPERLINK("http://example.com/x","Click here"), for; the "Record"',
    record: "+44 1642 393939 was the number given, and @everyone was told; -1 was the answer.",
    resolved: ["@once the spreadsheet, be approved."],
  }),
} as const;

export type ExtraName = keyof typeof EXTRA_RECORDS;

export interface SeededRegister {
  examples: ImportResult[];
  fixtures: ImportResult[];
  extra: Record<ExtraName, number>;
  /** Every decision id imported. */
  all: number[];
}

async function importFolder(database: Database, folder: string): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const name of (await readdir(folder)).filter((n) => n.endsWith(".txt")).sort()) {
    const bytes = await readFile(`${folder}${name}`);
    results.push(await importDocument(database, { bytes, fileName: name }, { actor: "test:search" }));
  }
  return results;
}

export async function seedRegister(database: Database): Promise<SeededRegister> {
  const examples = await importFolder(database, EXAMPLES);
  const fixtures = await importFolder(database, TEXT_FIXTURES);
  const extra = {} as Record<ExtraName, number>;
  for (const [name, text] of Object.entries(EXTRA_RECORDS) as Array<[ExtraName, string]>) {
    const result = await importDocument(
      database,
      { bytes: Buffer.from(text, "utf8"), fileName: `${name}.txt` },
      { actor: "test:search" },
    );
    extra[name] = result.decisionId;
  }
  const all = [...new Set([...examples, ...fixtures].map((r) => r.decisionId).concat(Object.values(extra)))];
  return { examples, fixtures, extra, all };
}
