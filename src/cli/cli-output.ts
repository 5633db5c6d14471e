import { toUkIsoString } from "../domain/uk-time.js";
import type { CliIo } from "./cli-io.js";

/** JSON with instants as ISO 8601 in UK time with the offset ("2017-11-25T00:00:00+00:00"). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(toJsonValue(value), null, 2)}\n`);
}

export function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return toUkIsoString(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJsonValue(inner)]));
  }
  return value;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
