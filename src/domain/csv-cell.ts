/**
 * CSV cells (RFC 4180) that a spreadsheet opens as text: a cell it would run as a formula (=, +, -, @, or a tab
 * or carriage return first, which some spreadsheets skip before looking) starts with an apostrophe, which
 * spreadsheets hide and `undefuseFormula` takes off again on the way back in.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const DEFUSED = /^'(?=[=+\-@\t\r])/;

export function defuseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function undefuseFormula(value: string): string {
  return value.replace(DEFUSED, "");
}

/** A cell with a comma, quote or line break quoted, its quotes doubled; other cells as they are. */
export function quoteCsvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A text cell: defused, then quoted as needed. (Figures that may be negative are quoted only.) */
export function csvCell(value: string): string {
  return quoteCsvCell(defuseFormula(value));
}
