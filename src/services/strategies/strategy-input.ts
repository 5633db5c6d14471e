import { z } from "zod";
import { ValidationError } from "../../domain/errors.js";
import { parseFinancialYear } from "../../domain/financial-period.js";
import { isValidIsoDate, type IsoDate } from "../../domain/iso-date.js";
import { KPI_CODE_PATTERN, KPI_POLARITIES, KPI_UNITS } from "../../domain/kpi.js";

/**
 * A new strategy as `resolved strategy import strategy.json` and `POST /api/v1/strategies` take it:
 *
 *   { "title", "slug"?, "owner"?, "period": { "from", "to" }, "agreedBy"?: decision id or record id,
 *     "priorities": [{ "title", "kpis": [{ "code", "name", "unit", "polarity", "definition"?, "dataSource"?,
 *                                         "enteredBy"?: [account email, ...] }] }] }
 *
 * enteredBy names the accounts (of the council) who may enter the KPI's values besides officers and admins: the
 * service managers responsible for it.
 *
 * A period's ends are financial years ("2017-18": from 1 April 2017; to "2019-20": until 31 March 2020) or dates.
 * Every problem is a ValidationError naming the field as a path: "priorities.0.kpis.1.unit".
 */

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

export const periodBound = z
  .string()
  .trim()
  .refine(
    (value) => /^\d{4}-\d{2}$/.test(value) || (/^\d{4}-\d{2}-\d{2}$/.test(value) && isValidIsoDate(value)),
    {
      message: 'must be a financial year such as "2017-18" or a date such as "2017-04-01"',
    },
  );

export const newKpiSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(KPI_CODE_PATTERN, 'must be letters and digits (also . _ -), such as "CS01", at most 30'),
    name: text(300),
    unit: z.enum(KPI_UNITS, { error: `must be one of ${KPI_UNITS.join(", ")}` }),
    polarity: z.enum(KPI_POLARITIES, { error: `must be one of ${KPI_POLARITIES.join(", ")}` }),
    definition: z.string().trim().max(4_000).optional(),
    dataSource: z.string().trim().max(1_000).optional(),
    enteredBy: z.array(z.string().trim().min(1, "must not be empty").max(254)).max(50).optional().meta({
      description:
        "Emails of the council's accounts who may enter the KPI's values besides officers and admins (service managers)",
    }),
  })
  .strict();

export const newStrategySchema = z
  .object({
    title: text(300),
    slug: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens")
      .max(80)
      .optional(),
    owner: z.string().trim().max(300).optional(),
    period: z.object({ from: periodBound, to: periodBound }).strict(),
    agreedBy: z
      .union([z.number().int().positive(), z.string().trim().min(1).max(100)])
      .optional()
      .meta({ description: 'The decision that agreed it: its number, or its record id ("D080067")' }),
    priorities: z
      .array(z.object({ title: text(500), kpis: z.array(newKpiSchema).max(200) }).strict())
      .min(1, "give at least one priority")
      .max(50),
  })
  .strict()
  .meta({
    description: "A strategy with its priorities and their KPIs",
    examples: [
      {
        title: "Children's Services Strategy 2017-2020",
        period: { from: "2017-18", to: "2019-20" },
        agreedBy: "D080067",
        priorities: [
          {
            title: "Children are safe",
            kpis: [
              { code: "CS01", name: "Re-referrals within 12 months", unit: "%", polarity: "lower-is-better" },
            ],
          },
        ],
      },
    ],
  });

export type NewStrategy = z.infer<typeof newStrategySchema>;

export interface CheckedStrategy extends Omit<NewStrategy, "period"> {
  period: { from: IsoDate; to: IsoDate };
}

/** Checks a new strategy; the first problem is a ValidationError naming its field. */
export function checkNewStrategy(input: unknown): CheckedStrategy {
  const parsed = newStrategySchema.safeParse(input);
  if (!parsed.success) throw validationErrorOf(parsed.error);
  const strategy = parsed.data;
  const from = firstDayOf(strategy.period.from);
  const to = lastDayOf(strategy.period.to);
  if (to < from) {
    throw new ValidationError(
      `period.to: ${strategy.period.to} is before period.from ${strategy.period.from}`,
      "period.to",
    );
  }
  const seen = new Map<string, string>();
  strategy.priorities.forEach((priority, p) =>
    priority.kpis.forEach((kpi, k) => {
      const field = `priorities.${p}.kpis.${k}.code`;
      const first = seen.get(kpi.code.toLowerCase());
      if (first !== undefined) {
        throw new ValidationError(`${field}: KPI code ${kpi.code} is given twice (first at ${first})`, field);
      }
      seen.set(kpi.code.toLowerCase(), field);
    }),
  );
  return { ...strategy, period: { from, to } };
}

/** A zod error as one ValidationError: the first issue, its path joined with dots as the field. */
export function validationErrorOf(error: z.ZodError): ValidationError {
  const issue = error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") path.push(issue.keys[0] ?? "");
  const field = path.join(".") || "body";
  const message =
    issue.code === "unrecognized_keys"
      ? "is not a field here"
      : issue.code === "invalid_type" && issue.input === undefined
        ? "is required"
        : issue.message;
  return new ValidationError(`${field}: ${message}`, field);
}

export function firstDayOf(value: string): IsoDate {
  return /^\d{4}-\d{2}$/.test(value) ? `${parseFinancialYear(value, "period.from")}-04-01` : value;
}

export function lastDayOf(value: string): IsoDate {
  return /^\d{4}-\d{2}$/.test(value) ? `${parseFinancialYear(value, "period.to") + 1}-03-31` : value;
}
