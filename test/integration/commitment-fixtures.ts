import { readFile } from "node:fs/promises";

/**
 * Documents for the commitments tests: the Q2 performance update of a (made-up) council, Northbrook, whose
 * next-quarter list makes six commitments due in 2017-18 Q3, and short Cabinet proformas for the later decisions
 * that may fulfil them.
 */

export const Q2_FILE = "q2-family-services-performance.txt";

export async function q2Update(): Promise<Buffer> {
  return readFile(new URL(`../fixtures/commitments/${Q2_FILE}`, import.meta.url));
}

/** A short Cabinet proforma of `council`, made on `date` (as written: "14th December 2017"). */
export function proforma(options: {
  council?: string;
  body?: string;
  date: string;
  title: string;
  record: string;
}): Buffer {
  const council = options.council ?? "NORTHBROOK METROPOLITAN BOROUGH COUNCIL";
  const body = options.body ?? "Cabinet";
  return Buffer.from(
    `\n\n${council}\n\n${body.toUpperCase()} DECISION RECORD\n\nPROFORMA\n\n${body} Meeting${options.date}\n\n` +
      `1. Title of Item/Report\n\n${options.title}\n\n2. Record of the Decision\n\n${options.record}\n\n` +
      "RESOLVED that the recommendations in the report be approved.\n\n3. Reasons for the Decision\n\n" +
      "As set out in the report.\n\n4. Alternative Options Considered and Rejected\n\nNone.\n\n" +
      "5. Declared (Cabinet Member) Conflicts of Interest\n\nNone.\n\n6. Details of any Dispensations\n\nN/A\n\n" +
      "7. Date and Time by which Call In must be executed\n\nNot applicable\n\nProper Officer\n" +
      `${options.date.replace(/(\d+)(st|nd|rd|th)/, "$1")}\n`,
    "utf8",
  );
}

/** The later decision that fulfils the Q2 update's second commitment (the December report). */
export const ATTAINMENT = {
  date: "14th December 2017",
  title: "Educational Attainment of Children in Care 2016/17",
  record:
    "Consideration was given to a report on the educational attainment of children in care in 2016/17, by key stage, compared with their peers and with children in care nationally.",
};
