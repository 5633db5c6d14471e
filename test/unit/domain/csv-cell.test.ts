import { describe, expect, it } from "vitest";
import { csvCell, defuseFormula, quoteCsvCell, undefuseFormula } from "../../../src/domain/csv-cell.js";

describe("CSV cells a spreadsheet opens as text", () => {
  it("puts an apostrophe before anything a spreadsheet would run, and takes it off again", () => {
    for (const formula of ['=HYPERLINK("http://x")', "+44 1642", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]) {
      expect(defuseFormula(formula)).toBe(`'${formula}`);
      expect(undefuseFormula(defuseFormula(formula))).toBe(formula);
    }
    for (const text of ["Cabinet", "'quoted already", "a = b", " =1", ""]) {
      expect(defuseFormula(text)).toBe(text);
      expect(undefuseFormula(text)).toBe(text);
    }
  });

  it("quotes cells with commas, quotes and line breaks, doubling quotes", () => {
    expect(quoteCsvCell('He said "no", twice')).toBe('"He said ""no"", twice"');
    expect(quoteCsvCell("line one\nline two")).toBe('"line one\nline two"');
    expect(quoteCsvCell("-3.5")).toBe("-3.5");
    expect(csvCell("=1,2")).toBe('"\'=1,2"');
  });
});
