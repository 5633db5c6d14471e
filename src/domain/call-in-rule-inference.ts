import { computeCallInDeadline, type HolidayCalendar } from "./call-in-deadline.js";
import type { CallInRule } from "./call-in-rule.js";
import { ValidationError } from "./errors.js";
import { addDays, type IsoDate } from "./iso-date.js";

/**
 * A council's call-in rule, inferred from its own published decisions: which rule (days, working or calendar,
 * publication day counted or not, cutoff) explains most of the (publication date, printed deadline or
 * effective-from date) pairs. Pure: the holiday calendar and closure days come in, as for call-in-deadline.ts.
 *
 * How a pair is tested against a candidate rule (deadline D = the rule's last day for the publication date):
 * - A printed call-in deadline is explained when it is D and, if the record printed a time of day ("5.00pm",
 *   "Midnight"), that time is the rule's cutoff. A deadline printed without a time agrees with any cutoff.
 * - An effective-from date (ModernGov's "Effective from") is used only when no deadline is printed. It is
 *   explained when it is the day after D, the first working day after D (ModernGov councils print either), or
 *   the rule's own effective-from date (D itself for a daytime cutoff: implementation from the cutoff time).
 *
 * Whatever the data, some rules cannot be told apart: counting the publication day, the Nth working day is the
 * (N-1)th working day after publication, and 7 calendar days after a weekday publication are 5 working days
 * unless a bank holiday falls between. Ties are broken toward the more usual rule (see `simplicity`), and the
 * rules that explain exactly as many pairs are reported with the best so the reader sees the alternatives.
 */

/** What a candidate rule decides; the holiday region and closure days are the council's and stay as they are. */
export type InferredRuleShape = Pick<CallInRule, "countFrom" | "days" | "dayKind" | "cutoff">;

/** One decision's evidence: its publication date and what it printed about the end of call-in. */
export interface CallInEvidence {
  /** The decision's id in the register, when it has one. */
  decisionId?: number | null;
  /** How a person finds it: the record id ("D170042") or the title. */
  label: string;
  publishedOn: IsoDate | null;
  /** The printed last day for call-in. */
  deadline?: IsoDate | null;
  /** The printed "Effective from" date. */
  effectiveFrom?: IsoDate | null;
  /** The time of day the printed call-in line names, "HH:MM" ("24:00" for midnight), or null. */
  printedCutoff?: string | null;
  /** False when the decision is not subject to call-in (a recommendation to Council, urgent, "No"). */
  subjectToCallIn?: boolean;
}

export type LeftOutReason =
  | "not subject to call-in"
  | "no publication date"
  | "no deadline or effective-from date"
  | "cannot be computed";

export interface LeftOutPair {
  decisionId: number | null;
  label: string;
  reason: LeftOutReason;
  /** Why it cannot be computed (e.g. bank holidays not known for the year); absent otherwise. */
  detail?: string;
}

export interface RuleScore {
  rule: InferredRuleShape;
  /** Pairs the rule explains. */
  explained: number;
  /** Usable pairs (the same for every rule). */
  total: number;
  /** explained / total. */
  share: number;
}

export interface UnexplainedPair {
  decisionId: number | null;
  label: string;
  publishedOn: IsoDate;
  /** Which printed date was tested: the deadline, or (when no deadline was printed) the effective-from date. */
  evidence: "deadline" | "effective-from";
  printed: { deadline: IsoDate | null; effectiveFrom: IsoDate | null; cutoff: string | null };
  /** What the best rule gives for the publication date. */
  ruleGives: { deadline: IsoDate; cutoff: string; effectiveFrom: IsoDate };
  /** "date": the rule gives another day; "time": the right day, but the printed time is not the rule's cutoff. */
  mismatch: "date" | "time";
}

export interface CallInRuleInference {
  /** The rule that explains most pairs, or null when there is nothing to infer from. */
  best: RuleScore | null;
  /** Rules that explain exactly as many pairs as the best (other readings of the same practice). */
  equallyGood: RuleScore[];
  /** The next best rules, explaining fewer pairs, best first; of rules explaining the same pairs, the simplest. */
  runnersUp: RuleScore[];
  /** The pairs the best rule does not explain, in input order. */
  unexplained: UnexplainedPair[];
  /** How a given rule (the council's current one) scores on the same pairs; null when none was given. */
  compared: RuleScore | null;
  /** Pairs considered: usable + left out. */
  considered: number;
  usable: number;
  leftOut: LeftOutPair[];
  /** When best is null, why, in one sentence. */
  nothingToInferFrom: string | null;
}

export interface InferenceOptions {
  /** Bank holidays of the council's region (consulted for working-day rules). */
  calendar: HolidayCalendar;
  /** The council's own closure days, skipped like bank holidays. */
  closureDays?: readonly IsoDate[];
  /** Longest window tried, in days (default 15). */
  maxDays?: number;
  /** A rule to score on the same pairs (the council's current rule), for comparison. */
  compareWith?: InferredRuleShape;
  /** How many runners-up to return (default 5). */
  runnersUp?: number;
}

export const DEFAULT_MAX_DAYS = 15;
const MIDNIGHT = "24:00";

/** Lengths councils' constitutions actually use, most usual first: they win a tie over other lengths. */
const USUAL_DAYS = [5, 10, 3, 7, 14];

const COUNT_FROMS = ["publication-day", "next-day"] as const;
const DAY_KINDS = ["working", "calendar"] as const;
type Sequence = `${(typeof DAY_KINDS)[number]}/${(typeof COUNT_FROMS)[number]}`;

/** A usable pair with what every candidate needs precomputed. */
interface Prepared {
  evidence: CallInEvidence & { publishedOn: IsoDate };
  uses: "deadline" | "effective-from";
  /** For each (day kind, count from): the counted days in order; the Nth is the N-day rule's deadline. */
  days: Record<Sequence, IsoDate[]>;
  /** For an effective-from pair: each possible deadline D → the effective-from dates that D explains. */
  effectiveFor: Map<IsoDate, { dayAfter: IsoDate; nextWorkingDay: IsoDate }>;
}

export function inferCallInRule(
  pairs: readonly CallInEvidence[],
  options: InferenceOptions,
): CallInRuleInference {
  const maxDays = options.maxDays ?? DEFAULT_MAX_DAYS;
  if (!Number.isInteger(maxDays) || maxDays < 1 || maxDays > 30) {
    throw new ValidationError("the longest window tried must be from 1 to 30 days", "maxDays");
  }
  // The compared rule may be longer than the windows tried; the counted days are computed far enough for both.
  const sequenceLength = Math.max(maxDays, options.compareWith?.days ?? 1);
  const context = { calendar: options.calendar, closureDays: [...(options.closureDays ?? [])] };

  const leftOut: LeftOutPair[] = [];
  const usable: Prepared[] = [];
  for (const pair of pairs) {
    const decisionId = pair.decisionId ?? null;
    const leave = (reason: LeftOutReason, detail?: string) =>
      leftOut.push({ decisionId, label: pair.label, reason, ...(detail !== undefined && { detail }) });
    if (pair.subjectToCallIn === false) leave("not subject to call-in");
    else if (!pair.publishedOn) leave("no publication date");
    else if (!pair.deadline && !pair.effectiveFrom) leave("no deadline or effective-from date");
    else {
      try {
        usable.push(prepare({ ...pair, publishedOn: pair.publishedOn }, sequenceLength, context));
      } catch (error) {
        // A year the bank-holiday calendar does not cover: no rule can be tested on it, so it is out for all.
        if (!(error instanceof ValidationError)) throw error;
        leave("cannot be computed", error.message);
      }
    }
  }

  const base = {
    considered: pairs.length,
    usable: usable.length,
    leftOut,
  };
  const compared = options.compareWith ? scoreOf(options.compareWith, usable) : null;

  if (usable.length === 0) {
    return {
      ...base,
      best: null,
      equallyGood: [],
      runnersUp: [],
      unexplained: [],
      compared,
      nothingToInferFrom: nothingToInferFrom(pairs.length, leftOut),
    };
  }

  const cutoffs = candidateCutoffs(usable);
  // Each candidate with the set of pairs it explains (as a string key), so that readings of the same practice
  // ("5 working days counting the publication day" = "4 working days after it") are listed once as runners-up.
  const ranked: Array<RuleScore & { which: string }> = [];
  for (const dayKind of DAY_KINDS) {
    for (const countFrom of COUNT_FROMS) {
      for (let days = 1; days <= maxDays; days++) {
        for (const cutoff of cutoffs) {
          const rule = { countFrom, days, dayKind, cutoff };
          const which = usable.map((p) => (explains(rule, p) ? "1" : "0")).join("");
          const explained = which.split("1").length - 1;
          if (explained > 0) ranked.push({ ...score(rule, explained, usable.length), which });
        }
      }
    }
  }
  ranked.sort(
    (a, b) =>
      b.explained - a.explained || compareKeys(simplicity(a.rule, cutoffs), simplicity(b.rule, cutoffs)),
  );

  const first = ranked[0];
  if (first === undefined) {
    // Every usable pair disagrees with every candidate (e.g. deadlines before publication).
    return {
      ...base,
      best: null,
      equallyGood: [],
      runnersUp: [],
      unexplained: [],
      compared,
      nothingToInferFrom:
        (usable.length === 1
          ? "the one decision with a printed date fits no rule"
          : `none of the ${usable.length} decisions with a printed date fits any rule`) +
        ` of 1 to ${maxDays} working or calendar days`,
    };
  }
  const plain = ({ which: _which, ...rest }: RuleScore & { which: string }): RuleScore => rest;
  const best = plain(first);
  const equallyGood = ranked.slice(1).filter((r) => r.explained === best.explained);
  const listed = new Set(ranked.slice(0, 1 + equallyGood.length).map((r) => r.which));
  const runnersUp: RuleScore[] = [];
  for (const candidate of ranked.slice(1 + equallyGood.length)) {
    if (runnersUp.length >= Math.max(0, options.runnersUp ?? 5)) break;
    if (listed.has(candidate.which)) continue;
    listed.add(candidate.which);
    runnersUp.push(plain(candidate));
  }
  const unexplained = usable
    .filter((p) => !explains(best.rule, p))
    .map((p) => describeMiss(best.rule, p, context));
  return {
    ...base,
    best,
    equallyGood: equallyGood.map(plain),
    runnersUp,
    unexplained,
    compared,
    nothingToInferFrom: null,
  };
}

// ---------------------------------------------------------------------------------------------------------

interface Context {
  calendar: HolidayCalendar;
  closureDays: IsoDate[];
}

function fullRule(shape: InferredRuleShape, context: Context): CallInRule {
  return {
    ...shape,
    holidayRegion: context.calendar.region,
    closureDays: context.closureDays,
    timeZone: "Europe/London",
  };
}

/** The days counted for the longest window, per kind and starting day: every shorter rule is a prefix. */
function prepare(evidence: Prepared["evidence"], maxDays: number, context: Context): Prepared {
  // Counting from the day after publication counts the same days, less the publication day itself: one
  // computation per kind of day serves both. Two days more than any window, so that the next working day after
  // every possible deadline is in the working days.
  const days = {} as Record<Sequence, IsoDate[]>;
  for (const dayKind of DAY_KINDS) {
    const rule = fullRule(
      { countFrom: "publication-day", days: maxDays + 2, dayKind, cutoff: MIDNIGHT },
      context,
    );
    const counted = computeCallInDeadline(evidence.publishedOn, rule, context.calendar).daysCounted;
    days[`${dayKind}/publication-day`] = counted;
    days[`${dayKind}/next-day`] = counted[0] === evidence.publishedOn ? counted.slice(1) : counted;
  }
  const uses = evidence.deadline ? "deadline" : "effective-from";
  const effectiveFor = new Map<IsoDate, { dayAfter: IsoDate; nextWorkingDay: IsoDate }>();
  if (uses === "effective-from") {
    const workingDays = days["working/publication-day"];
    for (const deadline of new Set(Object.values(days).flat())) {
      effectiveFor.set(deadline, {
        dayAfter: addDays(deadline, 1),
        nextWorkingDay: workingDays.find((day) => day > deadline) ?? nextWorkingDay(deadline, context),
      });
    }
  }
  return { evidence, uses, days, effectiveFor };
}

/** Only when a deadline lies beyond the counted days (it does not: they run two working days further). */
function nextWorkingDay(date: IsoDate, context: Context): IsoDate {
  const rule = fullRule({ countFrom: "next-day", days: 1, dayKind: "working", cutoff: MIDNIGHT }, context);
  return computeCallInDeadline(date, rule, context.calendar).deadline;
}

function deadlineOf(rule: InferredRuleShape, pair: Prepared): IsoDate {
  return pair.days[`${rule.dayKind}/${rule.countFrom}`][rule.days - 1] as IsoDate;
}

function explains(rule: InferredRuleShape, pair: Prepared): boolean {
  const deadline = deadlineOf(rule, pair);
  const { evidence } = pair;
  if (pair.uses === "deadline") {
    if (evidence.deadline !== deadline) return false;
    return !evidence.printedCutoff || evidence.printedCutoff === rule.cutoff;
  }
  const effective = pair.effectiveFor.get(deadline);
  if (effective === undefined) return false;
  const ruleEffectiveFrom = rule.cutoff === MIDNIGHT ? effective.dayAfter : deadline;
  return (
    evidence.effectiveFrom === effective.dayAfter ||
    evidence.effectiveFrom === effective.nextWorkingDay ||
    evidence.effectiveFrom === ruleEffectiveFrom
  );
}

function score(rule: InferredRuleShape, explained: number, total: number): RuleScore {
  return { rule, explained, total, share: explained / total };
}

function scoreOf(rule: InferredRuleShape, usable: Prepared[]): RuleScore {
  if (usable.length === 0) return score(rule, 0, 0);
  return score(rule, usable.filter((p) => explains(rule, p)).length, usable.length);
}

/**
 * The printed times of day, most frequent first (midnight first among equals, then earliest); midnight alone
 * when nothing printed a time. Each is tried with every window, so a council whose time changed over the years
 * gets the time that explains the most pairs together with the days, not separately.
 */
function candidateCutoffs(usable: Prepared[]): string[] {
  const counts = new Map<string, number>();
  for (const { evidence } of usable) {
    if (evidence.printedCutoff)
      counts.set(evidence.printedCutoff, (counts.get(evidence.printedCutoff) ?? 0) + 1);
  }
  if (counts.size === 0) return [MIDNIGHT];
  return [...counts]
    .sort(
      ([a, m], [b, n]) =>
        n - m || Number(b === MIDNIGHT) - Number(a === MIDNIGHT) || (a < b ? -1 : a > b ? 1 : 0),
    )
    .map(([cutoff]) => cutoff);
}

/**
 * Tie-break, smaller first: working days before calendar days (most constitutions count working days; a
 * calendar rule has to earn its place around a bank holiday), then the usual lengths (5, 10, 3, 7, 14) before
 * others and shorter before longer, then counting from the day after publication ("N clear days") before
 * counting the publication day, then the most often printed time of day.
 */
function simplicity(rule: InferredRuleShape, cutoffs: string[]): number[] {
  const usual = USUAL_DAYS.indexOf(rule.days);
  return [
    rule.dayKind === "working" ? 0 : 1,
    usual >= 0 ? usual : USUAL_DAYS.length + rule.days,
    rule.countFrom === "next-day" ? 0 : 1,
    cutoffs.indexOf(rule.cutoff),
  ];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function describeMiss(rule: InferredRuleShape, pair: Prepared, context: Context): UnexplainedPair {
  const { evidence } = pair;
  const computed = computeCallInDeadline(evidence.publishedOn, fullRule(rule, context), context.calendar);
  const dateMatches = pair.uses === "deadline" && evidence.deadline === computed.deadline;
  return {
    decisionId: evidence.decisionId ?? null,
    label: evidence.label,
    publishedOn: evidence.publishedOn,
    evidence: pair.uses,
    printed: {
      deadline: evidence.deadline ?? null,
      effectiveFrom: evidence.effectiveFrom ?? null,
      cutoff: evidence.printedCutoff ?? null,
    },
    ruleGives: { deadline: computed.deadline, cutoff: rule.cutoff, effectiveFrom: computed.effectiveFrom },
    mismatch: dateMatches ? "time" : "date",
  };
}

const LEFT_OUT_WORDS: Record<LeftOutReason, string> = {
  "not subject to call-in": "not subject to call-in",
  "no publication date": "without a publication date",
  "no deadline or effective-from date": "with neither a call-in deadline nor an effective-from date",
  "cannot be computed": "outside the years the bank holidays are known for",
};

/** "12 left out: 10 not subject to call-in, 2 with neither a call-in deadline nor an effective-from date" */
export function describeLeftOut(leftOut: readonly LeftOutPair[]): string {
  const counts = new Map<LeftOutReason, number>();
  for (const pair of leftOut) counts.set(pair.reason, (counts.get(pair.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${LEFT_OUT_WORDS[reason]}`).join(", ");
}

function nothingToInferFrom(considered: number, leftOut: LeftOutPair[]): string {
  if (considered === 0) return "there are no published decisions to infer a call-in rule from";
  return (
    (considered === 1
      ? "the one published decision does not give"
      : `none of the ${considered} published decisions gives`) +
    ` both a publication date and a call-in deadline or effective-from date (${describeLeftOut(leftOut)})`
  );
}
