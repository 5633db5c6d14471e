/**
 * The numbered sections of an executive decision record (SI 2012/2089 reg 12), and the headings
 * councils print for them. Older web records print the same headings without numbers.
 */
export const proformaSections = [
  {
    key: "title",
    number: 1,
    heading: "Title of Item/Report",
    pattern:
      /^(?:title(?: of (?:the )?(?:item ?\/ ?report|item|report|decision))?|subject(?: of (?:the )?(?:item|report))?)$/,
  },
  {
    key: "record",
    number: 2,
    heading: "Record of the Decision",
    pattern: /^(?:record of (?:the )?decisions?|(?:the )?decisions?(?: taken| made)?)$/,
  },
  {
    key: "reasons",
    number: 3,
    heading: "Reasons for the Decision",
    pattern: /^reasons? for (?:the )?decisions?$/,
  },
  {
    key: "alternatives",
    number: 4,
    heading: "Alternative Options Considered and Rejected",
    pattern: /^alternatives?(?: options?)?(?: considered)?(?: and rejected)?$/,
  },
  {
    key: "conflictsOfInterest",
    number: 5,
    heading: "Declared (Cabinet Member) Conflicts of Interest",
    pattern:
      /^(?:declared )?(?:\((?:cabinet |executive )?members?\) )?(?:conflicts? of interests?|declarations? of interests?)(?: declared)?$/,
  },
  {
    key: "dispensations",
    number: 6,
    heading: "Details of any Dispensations",
    pattern: /^(?:details of )?(?:any )?dispensations?(?: granted)?$/,
  },
  {
    key: "callIn",
    number: 7,
    heading: "Date and Time by which Call In must be executed",
    pattern:
      /^(?:(?:date and )?time by which )?call[- ]?in (?:must be (?:executed|made|received)|deadline|period (?:ends|expires)|expiry(?: date)?)$|^deadline for call[- ]?in$/,
  },
] as const;

export type ProformaSection = (typeof proformaSections)[number];
export type SectionKey = ProformaSection["key"];

/** The section a line is the heading of, if it is one: "2. Record of the Decision", "Reasons for the decision:". */
export function matchSectionHeading(line: string): ProformaSection | null {
  if (line.length > 80) return null;
  const numbered = /^(\d)\s*[.)]?\s*(.*)$/.exec(line);
  const words = (numbered ? numbered[2]! : line)
    .toLowerCase()
    .replace(/(?<![:.])[:.]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
  const section = proformaSections.find((s) => s.pattern.test(words));
  if (!section) return null;
  // A number that disagrees with the heading ("3. Record of the Decision") is not a heading we trust.
  if (numbered && Number(numbered[1]) !== section.number) return null;
  return section;
}

export const SIGNATURE = /^proper officer$/i;
export const PUBLICATION_LINE = /^(?:date of publication|publication date|published(?: on)?)\s*:?\s*(.*)$/i;
