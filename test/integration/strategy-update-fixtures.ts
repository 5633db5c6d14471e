/**
 * Documents for the strategy-updates tests: Cabinet proformas of a made-up council, Harrowfield, which agreed
 * its Adult Social Care Strategy 2019-2022 in June 2019 and considers a performance update each quarter.
 */

export const HARROWFIELD = "HARROWFIELD METROPOLITAN BOROUGH COUNCIL";

/** A Cabinet proforma; `date` as written ("20th June 2019"); `resolved` the whole outcome line. */
export function cabinetRecord(options: {
  council?: string;
  date: string;
  title: string;
  record: string;
  resolved?: string;
}): Buffer {
  const council = options.council ?? HARROWFIELD;
  const resolved = options.resolved ?? "RESOLVED that the report be noted.";
  return Buffer.from(
    `\n\n${council}\n\nCABINET DECISION RECORD\n\nPROFORMA\n\nCabinet Meeting${options.date}\n\n` +
      `1. Title of Item/Report\n\n${options.title}\n\n2. Record of the Decision\n\n${options.record}\n\n` +
      `${resolved}\n\n3. Reasons for the Decision\n\n` +
      "As set out in the report.\n\n4. Alternative Options Considered and Rejected\n\nNone.\n\n" +
      "5. Declared (Cabinet Member) Conflicts of Interest\n\nNone.\n\n6. Details of any Dispensations\n\nN/A\n\n" +
      "7. Date and Time by which Call In must be executed\n\nNot applicable\n\nProper Officer\n" +
      `${options.date.replace(/(\d+)(st|nd|rd|th)/, "$1")}\n`,
    "utf8",
  );
}

export const ASC_STRATEGY = {
  date: "20th June 2019",
  title: "Adult Social Care Strategy 2019-2022",
  record:
    "Consideration was given to a report that presented the Adult Social Care Strategy 2019-2022. The strategy set out how the Council would help people to live independently at home for longer, and the measures by which progress would be judged.",
  resolved: "RESOLVED that the Adult Social Care Strategy 2019-2022 be approved.",
};

export const ASC_Q2 = {
  date: "21st November 2019",
  title: "Adult Social Care Performance Update Q2 (July - Sept)",
  record:
    "Consideration was given to a report on performance in relation to the Adult Social Care Strategy 2019-22. The strategy, approved by Cabinet in June 2019, set out the priorities for adult social care and the indicators by which delivery would be measured.",
};

/** A Q3 update that names no strategy: linked by its title's subject. */
export const ASC_Q3 = {
  date: "13th February 2020",
  title: "Adult Social Care Performance Update Q3 (October - December)",
  record:
    "Consideration was given to a report that summarised performance across adult social care in the third quarter, including delayed transfers of care and the take-up of direct payments.",
};

/** Another council's update: never linked to Harrowfield's strategy. */
export const OTHER_COUNCIL_Q2 = {
  council: "BRAMLEY VALE DISTRICT COUNCIL",
  ...ASC_Q2,
};
