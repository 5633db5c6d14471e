import type { IsoDate } from "../../domain/iso-date.js";
import type { SourceLine } from "../document-lines.js";
import { titleCaseIfShouting } from "../title-case.js";
import { findUkDate } from "../uk-date.js";
import type { ParseWarning } from "../parsed-record.js";

/** What the top of a meeting's minutes says about the meeting, with the lines it says it on. */
export interface MeetingHeading {
  council: string | null;
  councilLine?: number;
  /** "Cabinet", "Planning Committee": the body that met. */
  body: string | null;
  bodyLine?: number;
  date: IsoDate | null;
  dateLine?: number;
  /** "Minutes", or "Agenda, decisions and minutes" for a ModernGov meeting page. */
  documentType: string;
  publishedOn: IsoDate | null;
  publishedLine?: number;
  /** A call-in deadline printed for the meeting's decisions as a whole. */
  callIn: { deadline: IsoDate | null; text: string };
  callInLine?: number;
  warnings: ParseWarning[];
}

interface Paragraph {
  text: string;
  line: number;
}

// Words are split at every blank or hyphen, and a word may not hold a hyphen itself: when both could take one,
// "A-A-A-...-A x" has 2^n ways to fail (exponential). With the i flag, [A-Z] takes "on" and "upon" too.
const COUNCIL_NAME =
  /^(?:the\s+)?(?:[A-Z][\p{L}'’]*(?:[\s-]+[A-Z][\p{L}'’]*)*-*\s+)?(?:Borough|District|County|City|Metropolitan Borough|Metropolitan District|Town|Parish|Unitary)\s+Council$|^(?:Council of the|London Borough of|Royal Borough of)\s+[A-Z]/iu;
const MEETING_OF =
  /\bminutes of (?:the |an? )?(?:(?:ordinary|extraordinary|special|annual|reconvened|additional|inquorate) )*meeting of (?:the )?(.+?),?\s+(?:held|which was held|that was held|convened)\b/i;
const BODY_MEETING = /\bminutes of (?:the |an? )?(?!(?:the |an? )?meeting\b)(.+?) meeting,?\s+(?:held|on)\b/i;
const BODY_DASH_DATE =
  /^(.+?)\s+[-–—]\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+/i;
const MINUTES_OF_MEETING_HELD =
  /\bminutes of (?:the |an? )?meeting held\b|^(?:draft |confirmed |approved )?minutes$/i;
// "Minutes of Cabinet held on ...", "Minutes of the Licensing Sub-Committee, held on ...".
const MINUTES_OF_BODY = /\bminutes of (?:the )?(?!(?:the |an? )?meeting\b)(.+?),?\s+held\b/i;
const PUBLISHED =
  /^(?:date of publication|publication date|date published|published(?: on)?)\s*[:-]?\s*(.+)$/i;
const CALL_IN =
  /^(?:call[- ]?in (?:deadline|expiry|period ends?|date)|deadline for call[- ]?in|last date for call[- ]?in)\s*[:-]?\s*(.+)$/i;

/** Paragraphs of the heading: wrapped lines joined, so a heading broken across lines reads whole. */
function paragraphs(lines: readonly SourceLine[]): Paragraph[] {
  const out: Paragraph[] = [];
  let current: Paragraph | null = null;
  for (const l of lines) {
    if (l.text === "") {
      current = null;
    } else if (
      current &&
      !/^(?:date of publication|publication date|call[- ]?in|published|minutes of)\b/i.test(l.text)
    ) {
      current.text += ` ${l.text}`;
    } else {
      current = { text: l.text, line: l.line };
      out.push(current);
    }
  }
  return out;
}

/** The meeting named at the top of minutes or a ModernGov meeting page (the lines before the first item). */
export function readMeetingHeading(lines: readonly SourceLine[]): MeetingHeading {
  const paras = paragraphs(lines);
  const heading: MeetingHeading = {
    council: null,
    body: null,
    date: null,
    documentType: "Minutes",
    publishedOn: null,
    callIn: { deadline: null, text: "" },
    warnings: [],
  };
  if (paras.some((p) => /^agenda,? decisions and minutes$/i.test(p.text))) {
    heading.documentType = "Agenda, decisions and minutes";
  }

  const council = paras.find((p) => COUNCIL_NAME.test(p.text));
  if (council) {
    heading.council = titleCaseIfShouting(council.text.replace(/^the\s+/i, ""));
    heading.councilLine = council.line;
  }

  let dated: Paragraph | undefined;
  for (const [index, p] of paras.entries()) {
    const body =
      MEETING_OF.exec(p.text)?.[1] ??
      BODY_MEETING.exec(p.text)?.[1] ??
      MINUTES_OF_BODY.exec(p.text)?.[1] ??
      BODY_DASH_DATE.exec(p.text)?.[1];
    if (body && !/\bminutes\b/i.test(body)) {
      heading.body = titleCaseIfShouting(body.trim());
      heading.bodyLine = p.line;
      dated = p;
      break;
    }
    if (MINUTES_OF_MEETING_HELD.test(p.text)) {
      // "PLANNING COMMITTEE" above "Minutes of the meeting held on ..." (or above "MINUTES"): the body is
      // the nearest short line before it that is neither the council nor a date.
      const above = paras
        .slice(0, index)
        .reverse()
        .find(
          (q) =>
            q !== council &&
            !/\bminutes\b/i.test(q.text) &&
            q.text.length < 80 &&
            findUkDate(q.text, q.line) === null,
        );
      if (above) {
        heading.body = titleCaseIfShouting(above.text.replace(/[.:]$/, ""));
        heading.bodyLine = above.line;
      }
      dated = p;
      break;
    }
  }

  const dateSources = dated ? [dated, ...paras] : paras;
  for (const p of dateSources) {
    if (PUBLISHED.test(p.text) || CALL_IN.test(p.text)) continue;
    const found = findUkDate(p.text, p.line);
    if (!found) continue;
    heading.date = found.iso;
    heading.dateLine = p.line;
    if (found.weekdayMismatch) {
      heading.warnings.push({
        line: p.line,
        message: `meeting date "${found.text}" is a ${found.weekdayMismatch}`,
      });
    }
    break;
  }

  for (const p of paras) {
    const published = PUBLISHED.exec(p.text);
    if (published && heading.publishedOn === null) {
      const found = findUkDate(published[1]!, p.line);
      if (found) {
        heading.publishedOn = found.iso;
        heading.publishedLine = p.line;
      }
    }
    const callIn = CALL_IN.exec(p.text);
    if (callIn && heading.callIn.text === "") {
      const found = findUkDate(callIn[1]!, p.line);
      heading.callIn = { deadline: found?.iso ?? null, text: callIn[1]!.trim() };
      heading.callInLine = p.line;
    }
  }
  return heading;
}
