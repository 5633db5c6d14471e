import { describe, expect, it } from "vitest";
import { DocumentError } from "../../../src/domain/errors.js";
import { findUkDate, formatLongDate, formatOrdinalDate, parseUkDate } from "../../../src/import/uk-date.js";

function dateError(text: string, line?: number): DocumentError {
  try {
    findUkDate(text, line);
  } catch (error) {
    if (error instanceof DocumentError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe("findUkDate", () => {
  it.each([
    ["Midnight, 24 November 2017", "2017-11-24", "24 November 2017"],
    ["Cabinet Meeting16th November 2017", "2017-11-16", "16th November 2017"],
    ["Cabinet Decision: 17th February 2011", "2011-02-17", "17th February 2011"],
    ["Midnight Tuesday, 25 June 2024", "2024-06-25", "Tuesday, 25 June 2024"],
    ["Midnight, 25th July 2016", "2016-07-25", "25th July 2016"],
    ["Wednesday the 3rd of July 2024", "2024-07-03", "Wednesday the 3rd of July 2024"],
    ["Thurs. 13 June 2024", "2024-06-13", "Thurs. 13 June 2024"],
    ["June 25th, 2024", "2024-06-25", "June 25th, 2024"],
    ["Sept. 3, 2024", "2024-09-03", "Sept. 3, 2024"],
    ["Date of Publication: 21 Feb 2011", "2011-02-21", "21 Feb 2011"],
    ["25/06/2024", "2024-06-25", "25/06/2024"],
    ["published 25.06.24", "2024-06-25", "25.06.24"],
    ["2024-06-25", "2024-06-25", "2024-06-25"],
    ["29 February 2024", "2024-02-29", "29 February 2024"],
  ])("reads %j as %s", (text, iso, matched) => {
    const found = findUkDate(text);
    expect(found?.iso).toBe(iso);
    expect(found?.text).toBe(matched);
    expect(found?.weekdayMismatch).toBeUndefined();
  });

  it("gives where the date starts in the text", () => {
    expect(findUkDate("Midnight, 24 November 2017")?.index).toBe(10);
    expect(findUkDate("Cabinet Meeting16th November 2017")?.index).toBe(15);
  });

  it("takes the first date in the text", () => {
    expect(findUkDate("ran from 8 January to 18 February 2024")?.iso).toBe("2024-02-18");
    expect(findUkDate("published 20 November 2017 for the meeting of 16/11/2017")?.iso).toBe("2017-11-20");
  });

  it.each([
    "Not applicable",
    "N/A",
    "CAB/41/25",
    "D110016",
    "Strategy 2017-2020",
    "Q3 (October - December)",
    "in 2017/18",
  ])("finds no date in %j", (text) => {
    expect(findUkDate(text)).toBeNull();
  });

  it("names the real weekday when the text names another", () => {
    expect(findUkDate("Midnight Monday, 25 June 2024")).toEqual({
      iso: "2024-06-25",
      text: "Monday, 25 June 2024",
      index: 9,
      weekdayMismatch: "Tuesday",
    });
  });

  it("rejects impossible dates, saying what was expected, on the given line", () => {
    const february = dateError("Cabinet Decision: 31st February 2011", 3);
    expect(february.message).toBe('"31st February 2011" is not a real date (February 2011 has 28 days)');
    expect(february.line).toBe(3);
    expect(dateError("29 February 2023").message).toBe(
      '"29 February 2023" is not a real date (February 2023 has 28 days)',
    );
    expect(dateError("Midnight, 31 April 2024").message).toBe(
      '"31 April 2024" is not a real date (April 2024 has 30 days)',
    );
    expect(dateError("13/25/2024").message).toBe(
      '"13/25/2024" is not a real date (expected a month from 1 to 12)',
    );
  });
});

describe("parseUkDate", () => {
  it("returns the date, or says a date was expected", () => {
    expect(parseUkDate("20 November 2017")).toBe("2017-11-20");
    expect(() => parseUkDate("to be confirmed", 7)).toThrow(
      expect.objectContaining({
        name: "DocumentError",
        message: '"to be confirmed" is not a date (expected e.g. "24 November 2017")',
        line: 7,
      }),
    );
  });
});

describe("formatting dates the way the proforma prints them", () => {
  it.each([
    ["2017-11-16", "16th November 2017"],
    ["2024-06-01", "1st June 2024"],
    ["2024-06-02", "2nd June 2024"],
    ["2024-06-03", "3rd June 2024"],
    ["2024-06-11", "11th June 2024"],
    ["2024-06-12", "12th June 2024"],
    ["2024-06-13", "13th June 2024"],
    ["2024-06-21", "21st June 2024"],
    ["2024-06-22", "22nd June 2024"],
    ["2024-06-23", "23rd June 2024"],
  ])("ordinal %s is %s", (iso, text) => {
    expect(formatOrdinalDate(iso)).toBe(text);
    expect(findUkDate(text)?.iso).toBe(iso);
  });

  it("long dates", () => {
    expect(formatLongDate("2017-11-20")).toBe("20 November 2017");
    expect(formatLongDate("2011-02-07")).toBe("7 February 2011");
  });
});
