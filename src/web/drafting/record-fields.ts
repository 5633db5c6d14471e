import type { Outcome } from "../../domain/decision-record.js";
import { field, type FormBody, type FormErrors } from "./form-helpers.js";

/**
 * The record's fields as the forms post them and show them again: outcomes (an operative word, the sentence,
 * numbered items one a line), and the rows of declarations and dispensations. Input ids follow the services'
 * field names ("outcomes.0.kind" ↔ "outcomes-0-kind"), so a service's ValidationError lands on its input.
 */

/** The operative words offered; another word already in a record (an imported "DECIDED") is offered too. */
export const OUTCOME_KINDS = [
  { value: "RESOLVED", text: "RESOLVED", hint: "The decision maker decided it" },
  {
    value: "RECOMMENDED",
    text: "RECOMMENDED to Council",
    hint: "Full Council decides (not subject to call-in)",
  },
  { value: "AGREED", text: "AGREED", hint: "As some decision makers word their decisions" },
];

const MAX_ROWS = 50;

export interface OutcomeFormRow {
  kind: string;
  text: string;
  items: string;
}

/** Outcomes as the form shows them: each one, and one blank for another. */
export function outcomeRows(outcomes: readonly Outcome[]): OutcomeFormRow[] {
  return [
    ...outcomes.map((o) => ({ kind: o.kind, text: o.text, items: o.items.join("\n") })),
    { kind: "RESOLVED", text: "", items: "" },
  ];
}

/**
 * The outcomes posted: rows with neither text nor items are left out (a blank extra, or one cleared to remove
 * it). `rowOf[i]` is the form row of outcome i, for errors. At least one is needed.
 */
export function readOutcomes(
  body: FormBody | undefined,
  errors: FormErrors,
): { outcomes: Outcome[]; rows: OutcomeFormRow[]; rowOf: number[] } {
  const rows: OutcomeFormRow[] = [];
  for (let i = 0; i < MAX_ROWS && body?.[`outcomes-${i}-text`] !== undefined; i++) {
    rows.push({
      kind: field(body, `outcomes-${i}-kind`).trim(),
      text: field(body, `outcomes-${i}-text`),
      items: field(body, `outcomes-${i}-items`),
    });
  }
  const outcomes: Outcome[] = [];
  const rowOf: number[] = [];
  rows.forEach((row, index) => {
    const items = row.items
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "");
    if (row.text.trim() === "" && items.length === 0) return;
    if (row.kind === "")
      errors.add(`outcomes-${index}-kind`, "Select the operative word: RESOLVED, RECOMMENDED or AGREED");
    outcomes.push({ kind: row.kind, text: row.text.trim(), items });
    rowOf.push(index);
  });
  if (outcomes.length === 0) {
    errors.add("outcomes-0-text", "Enter the decision: what was resolved, recommended or agreed");
  }
  if (rows.length === 0) rows.push({ kind: "RESOLVED", text: "", items: "" });
  return { outcomes, rows, rowOf };
}

/** "outcomes.1.items.0" → the input of the form's row for outcome 1. */
export function outcomeInputId(serviceField: string, rowOf: readonly number[]): string | undefined {
  const match = /^outcomes\.(\d+)(?:\.(kind|text|items))?/.exec(serviceField);
  if (!match) return undefined;
  return `outcomes-${rowOf[Number(match[1])] ?? 0}-${match[2] ?? "text"}`;
}

export interface DeclarationFormRow {
  personId: string;
  category: string;
  nature: string;
}

export interface GrantFormRow {
  personName: string;
  grantedBy: string;
  scope: string;
}

/** Posted rows `${prefix}-N-${name}` while any of `names` is present; all blank rows left out. */
function readRows<T extends Record<string, string>>(
  body: FormBody | undefined,
  prefix: string,
  names: readonly (keyof T & string)[],
): { rows: T[]; filled: { row: T; index: number }[] } {
  const rows: T[] = [];
  for (let i = 0; i < MAX_ROWS && names.some((n) => body?.[`${prefix}-${i}-${n}`] !== undefined); i++) {
    rows.push(Object.fromEntries(names.map((n) => [n, field(body, `${prefix}-${i}-${n}`).trim()])) as T);
  }
  return {
    rows,
    filled: rows.map((row, index) => ({ row, index })).filter(({ row }) => names.some((n) => row[n] !== "")),
  };
}

/** Declarations posted (member, category, nature); a row with a nature but no member is an error. */
export function readDeclarations(body: FormBody | undefined, errors: FormErrors) {
  const { rows, filled } = readRows<{ personId: string; category: string; nature: string }>(
    body,
    "declarations",
    ["personId", "category", "nature"],
  );
  const declarations: { personId: number; category: string; nature: string }[] = [];
  const rowOf: number[] = [];
  for (const { row, index } of filled) {
    if (row.personId === "" && row.nature === "") continue; // only a category left as it was
    if (!/^\d{1,9}$/.test(row.personId)) {
      errors.add(`declarations-${index}-personId`, "Select the member who declared the interest");
      continue;
    }
    declarations.push({ personId: Number(row.personId), category: row.category, nature: row.nature });
    rowOf.push(index);
  }
  return { declarations, rows, rowOf };
}

/** Dispensation grants posted (who, granted by whom, for what). */
export function readGrants(body: FormBody | undefined) {
  const { rows, filled } = readRows<{ personName: string; grantedBy: string; scope: string }>(
    body,
    "dispensationGrants",
    ["personName", "grantedBy", "scope"],
  );
  return { grants: filled.map(({ row }) => row), rows, rowOf: filled.map(({ index }) => index) };
}

/** "declarations.2.nature" → "declarations-<row>-nature", through the rows posted. */
export function rowInputId(
  serviceField: string,
  prefix: string,
  rowOf: readonly number[],
): string | undefined {
  const match = new RegExp(`^${prefix}\\.(\\d+)\\.(\\w+)`).exec(serviceField);
  if (!match) return undefined;
  return `${prefix}-${rowOf[Number(match[1])] ?? 0}-${match[2]}`;
}

/** Existing rows and `blank` empty ones for more. */
export function withBlankRows<T>(rows: readonly T[], blank: T, count = 2): T[] {
  return [...rows, ...Array.from({ length: count }, () => ({ ...blank }))];
}
