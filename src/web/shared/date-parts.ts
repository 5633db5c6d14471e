/**
 * A GOV.UK date input's three boxes (`<name>-day`, `-month`, `-year`), as posted and as shown: the workspace's
 * forms read them with this and check them their own way.
 */

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** The boxes of the date input `name` in a posted form, trimmed ("" for a box not posted). */
export function dateParts(body: Readonly<Record<string, unknown>> | undefined, name: string): DateParts {
  const box = (part: string) => {
    const value = body?.[`${name}-${part}`];
    const text = Array.isArray(value) ? value[0] : value;
    return typeof text === "string" ? text.trim() : "";
  };
  return { day: box("day"), month: box("month"), year: box("year") };
}

/** A date (YYYY-MM-DD) as the input shows it; empty boxes for no date. */
export function partsOf(date: string | null | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? "");
  return m
    ? { year: m[1]!, month: String(Number(m[2])), day: String(Number(m[3])) }
    : { day: "", month: "", year: "" };
}
