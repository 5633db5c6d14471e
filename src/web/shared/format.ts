import type { CallInRule } from "../../domain/call-in-rule.js";
import { principleLabel, type CallInGround, type PrincipleKey } from "../../domain/call-in-request.js";
import { formatCallInClose, type DecisionStatus } from "../../domain/decision-status.js";
import { ValidationError } from "../../domain/errors.js";
import { listItemMarker } from "../../import/paragraphs.js";
import type { StatusView } from "../../services/decisions/index.js";
import { slugify } from "../../domain/slug.js";

/**
 * Presentation helpers shared by the public pages: status tags, "time left", decision text as blocks, file
 * names for downloads, and the few query parameters the pages read themselves (page, version).
 */

// ---------------------------------------------------------------------------------------------------------
// Status tags: GOV.UK tag colours, but the words carry the meaning.

const TAG_CLASSES: Record<DecisionStatus, string> = {
  draft: "govuk-tag--grey",
  published: "govuk-tag--yellow",
  "called-in": "govuk-tag--orange",
  effective: "govuk-tag--green",
  confirmed: "govuk-tag--teal",
  "referred-back": "govuk-tag--pink",
  "referred-to-council": "govuk-tag--purple",
  implemented: "",
  "recommended-to-council": "govuk-tag--grey",
};

export interface StatusTag {
  text: string;
  classes: string;
}

/** The tag for a decision's status; "Status not known" when it cannot be derived. */
export function statusTag(status: Pick<StatusView, "status" | "label"> | null | undefined): StatusTag {
  if (!status) return { text: "Status not known", classes: "govuk-tag--red" };
  return { text: status.label, classes: TAG_CLASSES[status.status] ?? "govuk-tag--grey" };
}

// ---------------------------------------------------------------------------------------------------------
// Time left

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function unit(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/**
 * How long from `now` to `until`, to the hour: "2 days 4 hours", "1 day", "5 hours", "35 minutes", "less than
 * a minute"; "closed" when `until` has passed. Rounded down: never more time than there is.
 */
export function formatTimeLeft(now: Date, until: Date | string): string {
  const end = typeof until === "string" ? Date.parse(until) : until.getTime();
  const ms = end - now.getTime();
  if (!Number.isFinite(ms) || ms <= 0) return "closed";
  if (ms < MINUTE) return "less than a minute";
  if (ms < HOUR) return unit(Math.floor(ms / MINUTE), "minute");
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms - days * DAY) / HOUR);
  if (days === 0) return unit(hours, "hour");
  return hours === 0 ? unit(days, "day") : `${unit(days, "day")} ${unit(hours, "hour")}`;
}

/** "midnight at the end of Thursday 26 November 2026" from an ISO cutoff; "" when there is none. */
export function callInClose(cutoff: string | null | undefined): string {
  if (!cutoff) return "";
  const date = new Date(cutoff);
  return Number.isNaN(date.getTime()) ? cutoff : formatCallInClose(date);
}

// ---------------------------------------------------------------------------------------------------------
// Decision text as paragraphs and lists

export type TextBlock =
  { kind: "paragraph"; text: string } | { kind: "list"; items: Array<{ marker: string; text: string }> };

const PLAIN_BULLETS = new Set(["-", "–", "•", "*", "▪", "◦"]);

/**
 * A record section as published (paragraphs separated by a blank line, list items one a line, "a. ..." or
 * "- a. ...") as blocks the templates render with escaping: never as markup.
 */
export function textBlocks(text: string | null | undefined): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const paragraph of (text ?? "").split(/\n[ \t]*\n/)) {
    let lines: string[] = [];
    let list: Array<{ marker: string; text: string }> = [];
    const flushLines = () => {
      if (lines.length > 0) blocks.push({ kind: "paragraph", text: lines.join("\n") });
      lines = [];
    };
    const flushList = () => {
      if (list.length > 0) blocks.push({ kind: "list", items: list });
      list = [];
    };
    for (const raw of paragraph.split("\n")) {
      const line = raw.trim();
      if (line === "") continue;
      let item = listItemMarker(line);
      // "- a. The award ...": a dash before a lettered item.
      if (item && PLAIN_BULLETS.has(item.marker)) {
        const inner = listItemMarker(item.rest);
        if (inner && !PLAIN_BULLETS.has(inner.marker)) item = inner;
      }
      if (item) {
        flushLines();
        list.push({ marker: PLAIN_BULLETS.has(item.marker) ? "" : item.marker, text: item.rest });
      } else if (list.length > 0 && lines.length === 0 && /^[a-z]/.test(line)) {
        // A wrapped continuation of the last list item.
        const last = list[list.length - 1]!;
        last.text = `${last.text} ${line}`;
      } else {
        flushList();
        lines.push(line);
      }
    }
    flushLines();
    flushList();
  }
  return blocks;
}

/** Grounds for a template: the principle's wording and the councillors' explanation. */
export function groundViews(
  grounds: ReadonlyArray<CallInGround>,
): Array<{ principle: string; explanation: string }> {
  return grounds.map((ground) => ({
    principle: ground.principle ? principleLabel(ground.principle as PrincipleKey) : "",
    explanation: ground.explanation ?? "",
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Downloads

/**
 * "D180018-crisis-and-resilience-fund-2026-27.pdf": the record id (or "decision-ID"), then the title; an older
 * version gets "-v1" before the extension.
 */
export function downloadFileName(
  decision: { id: number; recordId: string | null; title: string },
  extension: string,
  version?: number,
): string {
  const prefix = decision.recordId ? slugify(decision.recordId, 30).toUpperCase() : `decision-${decision.id}`;
  const title = slugify(decision.title);
  const suffix = version === undefined ? "" : `-v${version}`;
  return `${[prefix, title].filter((part) => part !== "").join("-")}${suffix}.${extension}`;
}

/**
 * A link a council gave (a meeting's page), when it is a web address: anything else (javascript:, data:, a
 * relative path) is not linked, since following it would run or show something on our own origin.
 */
export function webAddress(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `attachment; filename="..."` with an RFC 5987 form too, for names that are not plain ASCII. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

// ---------------------------------------------------------------------------------------------------------
// The council's call-in rule in words

const ORDINALS = [
  "",
  "first",
  "second",
  "third",
  "fourth",
  "fifth",
  "sixth",
  "seventh",
  "eighth",
  "ninth",
  "tenth",
];

function ordinal(n: number): string {
  if (ORDINALS[n]) return ORDINALS[n];
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th");
  return `${n}${suffix}`;
}

const REGIONS: Record<string, string> = {
  "england-and-wales": "England and Wales",
  scotland: "Scotland",
  "northern-ireland": "Northern Ireland",
};

/**
 * "Call-in closes at midnight at the end of the fifth working day after publication, counting the publication
 * day. Weekends and bank holidays (England and Wales) are not counted."
 */
export function describeCallInRule(rule: CallInRule): string {
  const when =
    rule.cutoff === "24:00"
      ? "midnight at the end of"
      : rule.cutoff === "12:00"
        ? "midday on"
        : rule.cutoff === "00:00"
          ? "the very start of"
          : `${rule.cutoff} (UK time) on`;
  const dayWord = rule.dayKind === "working" ? "working day" : "day";
  const counting =
    rule.countFrom === "publication-day"
      ? "counting the day of publication as the first"
      : "counting from the day after publication";
  const sentences = [`Call-in closes at ${when} the ${ordinal(rule.days)} ${dayWord}, ${counting}.`];
  if (rule.dayKind === "working") {
    const holidays = `bank holidays (${REGIONS[rule.holidayRegion] ?? rule.holidayRegion})`;
    sentences.push(
      rule.closureDays.length > 0
        ? `Weekends, ${holidays} and the council's own closure days are not counted.`
        : `Weekends and ${holidays} are not counted.`,
    );
  }
  return sentences.join(" ");
}

// ---------------------------------------------------------------------------------------------------------
// Query parameters the pages read themselves

/** A query value that may be given once: the last when repeated. */
export function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[value.length - 1]);
  return typeof value === "string" ? value : undefined;
}

/** A whole number of at least 1 from a query parameter, or ValidationError naming it. Absent or "" → undefined. */
export function positiveInteger(value: unknown, field: string, label: string): number | undefined {
  const text = single(value)?.trim();
  if (text === undefined || text === "") return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new ValidationError(`${label} must be a whole number, 1 or more (you gave "${text}")`, field);
  }
  return Number(text);
}

/** A summary with what the decision lists show: its tag, and when call-in closes and how long is left. */
export function withCallIn<
  D extends { status: { status: DecisionStatus; label: string } | null; callInCutoff: string | null },
>(decision: D, at: Date) {
  return {
    ...decision,
    tag: statusTag(decision.status),
    closes: callInClose(decision.callInCutoff),
    timeLeft: decision.callInCutoff ? formatTimeLeft(at, decision.callInCutoff) : "",
  };
}
