import { z } from "zod";
import { MONTH_NAMES, ukWallClock, WEEKDAY_NAMES } from "./uk-time.js";

/**
 * The status vocabulary of an executive decision, and how the public site words it.
 *
 * A status is never stored: it is derived from the facts for any instant (see decision-lifecycle.ts).
 *
 *   draft ─► published ─► effective ─────────────────────────────► implemented
 *                │                                                      ▲
 *                └──► called-in ─► confirmed ──────────────────────────┘
 *                          ├─────► referred-back         (stays; reconsideration is a new decision)
 *                          └─────► referred-to-council   (stays; Council's decision is recorded elsewhere)
 *   draft ─► effective                 (urgent: not subject to call-in, effective from publication)
 *   draft ─► recommended-to-council    (every outcome RECOMMENDED: Council decides, no call-in)
 *
 * "recommended-to-council" is a status of its own, not "effective": a recommendation has no effect until full
 * Council decides, so calling it "in effect" or letting it be "implemented" would mislead readers. Urgent
 * decisions need no status of their own: they are in effect, and the explanation says why there was no call-in.
 */
export const DECISION_STATUSES = [
  "draft",
  "published",
  "called-in",
  "effective",
  "confirmed",
  "referred-back",
  "referred-to-council",
  "implemented",
  "recommended-to-council",
] as const;

export const decisionStatusSchema = z.enum(DECISION_STATUSES);
export type DecisionStatus = z.infer<typeof decisionStatusSchema>;

export function isDecisionStatus(value: unknown): value is DecisionStatus {
  return typeof value === "string" && (DECISION_STATUSES as readonly string[]).includes(value);
}

export interface DecisionStatusText {
  /** Short, for a tag or a filter: "Call-in period open". */
  label: string;
  /** One sentence for the public site. */
  description: string;
}

export const DECISION_STATUS_TEXT: Readonly<Record<DecisionStatus, DecisionStatusText>> = Object.freeze({
  draft: {
    label: "Draft",
    description: "Not yet published. Drafts are never shown on the public site.",
  },
  published: {
    label: "Call-in period open",
    description:
      "Published. Councillors can call the decision in for scrutiny until the call-in period closes, and it cannot be implemented before then.",
  },
  "called-in": {
    label: "Called in for scrutiny",
    description:
      "Councillors have called the decision in. It cannot be implemented until overview and scrutiny has reviewed it.",
  },
  effective: {
    label: "In effect",
    description: "The decision is no longer open to call-in and can be implemented.",
  },
  confirmed: {
    label: "Confirmed after scrutiny",
    description:
      "Overview and scrutiny reviewed the called-in decision and let it stand, so it can be implemented.",
  },
  "referred-back": {
    label: "Referred back to the decision maker",
    description:
      "Overview and scrutiny asked the decision maker to reconsider. It cannot be implemented as it stands.",
  },
  "referred-to-council": {
    label: "Referred to full Council",
    description:
      "Overview and scrutiny referred the decision to full Council. It cannot be implemented as it stands.",
  },
  implemented: {
    label: "Implemented",
    description: "The decision has been carried out.",
  },
  "recommended-to-council": {
    label: "Recommendation to Council",
    description:
      "A recommendation to full Council, which makes the decision itself. It is not subject to call-in.",
  },
});

/** The statuses in which a decision may be implemented. */
export const IMPLEMENTABLE_STATUSES: readonly DecisionStatus[] = Object.freeze(["effective", "confirmed"]);

/** Whether the public site may show a decision in this status (drafts, including scheduled ones, never). */
export function isPublicStatus(status: DecisionStatus): boolean {
  return status !== "draft";
}

// ---------------------------------------------------------------------------------------------------------
// Instants in plain English, UK time, for explanations and reasons (built-in Intl time-zone data only).

interface LondonParts {
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function londonParts(instant: Date): LondonParts {
  const wall = ukWallClock(instant);
  const [year, month, day] = wall.date.split("-").map(Number) as [number, number, number];
  const weekday = WEEKDAY_NAMES[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
  const pad = (n: number) => String(n).padStart(2, "0");
  return {
    day: `${weekday} ${day} ${MONTH_NAMES[month - 1]} ${year}`,
    hour: pad(wall.hour),
    minute: pad(wall.minute),
    second: pad(wall.second),
  };
}

function londonDay(p: LondonParts): string {
  return p.day;
}

/**
 * "00:12 on Saturday 25 November 2017": UK time, 24-hour clock; seconds only when not zero, so that
 * "16:00:30" is not mistaken for a request made at the 16:00 cutoff.
 */
export function formatUkInstant(instant: Date): string {
  const p = londonParts(instant);
  const seconds = p.second === "00" ? "" : `:${p.second}`;
  return `${p.hour}:${p.minute}${seconds} on ${londonDay(p)}`;
}

/**
 * When a call-in window closes: "midnight at the end of Friday 24 November 2017" for a 00:00 cutoff (the way
 * constitutions say it), "midday on Thursday 7 February 2019", otherwise as `formatUkInstant`.
 */
export function formatCallInClose(cutoff: Date): string {
  const p = londonParts(cutoff);
  if (p.hour === "00" && p.minute === "00" && p.second === "00") {
    return `midnight at the end of ${londonDay(londonParts(new Date(cutoff.getTime() - 1)))}`;
  }
  if (p.hour === "12" && p.minute === "00" && p.second === "00") return `midday on ${londonDay(p)}`;
  return formatUkInstant(cutoff);
}
