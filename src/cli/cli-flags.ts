import { ValidationError } from "../domain/errors.js";
import { parseUkDateTime } from "../domain/date-input.js";

/** Command-line flags as values, each error naming its flag. */

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function optionalInstant(text: string | undefined, flagName: string): Date {
  return text === undefined ? new Date() : parseUkDateTime(text, flagName);
}

export function wholeNumber(text: string, flagName: string, min: number): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new ValidationError(`"${text}" is not a whole number of at least ${min}`, flagName);
  }
  return Number(value);
}

/** Runs a parser, naming the flag in its ValidationError. */
export function flag<T>(flagName: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(error.message, flagName);
    throw error;
  }
}
