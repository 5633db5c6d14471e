import {
  RECORD_FORMAT_VERSION,
  type DecisionRecord,
  type MadeUpField,
  type RecordFieldName,
} from "../domain/decision-record.js";
import { saysNotSubjectToCallIn } from "../domain/call-in-exemption.js";
import { DocumentError } from "../domain/errors.js";
import { toSourceLines, type SourceLine } from "./document-lines.js";
import { blocksToText, estimateWrapWidth, hyphenatedCompounds, toBlocks, type Block } from "./paragraphs.js";
import { parseProformaHeader } from "./proforma-header.js";
import { splitOutcomes } from "./proforma-outcome.js";
import {
  matchSectionHeading,
  proformaSections,
  PUBLICATION_LINE,
  SIGNATURE,
  type ProformaSection,
  type SectionKey,
} from "./proforma-sections.js";
import { findUkDate } from "./uk-date.js";
import { readDecisionText, type DecisionText } from "./decision-text.js";
import { madeUpTitle, outcomeWords } from "./record-builder.js";
import type { ParsedRecord, ParseWarning, SourceDescription } from "./parsed-record.js";

export type { ParsedRecord, ParseWarning, SourceDescription } from "./parsed-record.js";

interface FoundSection {
  section: ProformaSection;
  headingLine: number;
  lines: SourceLine[];
}

/**
 * Parses the text of an executive decision record (a Cabinet proforma, a decision record web page,
 * text taken from a PDF or Word file) into the interchange record. Throws DocumentError, with the
 * line where known, for text that is not a complete record.
 */
export function parseProforma(text: string, source: SourceDescription | null = null): ParsedRecord {
  return parseProformaLines(toSourceLines(text), source);
}

/**
 * Like parseProforma, on lines already numbered: a proforma inside a longer document (a decision list) keeps
 * the document's line numbers in its record and its errors.
 */
export function parseProformaLines(
  lines: readonly SourceLine[],
  source: SourceDescription | null = null,
): ParsedRecord {
  if (lines.every((l) => l.text === ""))
    throw new DocumentError("the document is empty", lines[0]?.line ?? 1);
  const wrapWidth = estimateWrapWidth(lines);
  const compounds = hyphenatedCompounds(lines);
  const warnings: ParseWarning[] = [];

  const { header, sections, signature } = locateSections(lines);
  const firstSection = sections.get("title")!;
  const head = parseProformaHeader(header, firstSection.headingLine);
  const fieldLines: Partial<Record<RecordFieldName, number>> = { ...head.lines };

  const sectionText = (key: SectionKey): string => {
    const found = sections.get(key)!;
    const content = found.lines.find((l) => l.text !== "");
    if (content) fieldLines[fieldFor(key)] = content.line;
    return blocksToText(toBlocks(found.lines, wrapWidth, compounds));
  };

  const recordSection = sections.get("record")!;
  const split = splitOutcomes(toBlocks(recordSection.lines, wrapWidth, compounds));
  let decision: Pick<DecisionText, "narrative" | "outcomes" | "outcomeLine"> = {
    narrative: blocksToText(split.narrative),
    outcomes: split.outcomes,
    ...(split.outcomeLine !== undefined && { outcomeLine: split.outcomeLine }),
  };
  if (split.outcomes.length === 0) {
    // No RESOLVED or RECOMMENDED: read it as any council's decision text is read (other operative words, a
    // bare numbered list, or the text whole), and say so. Only an empty section 2 holds no decision at all.
    const read = readDecisionText(recordSection.lines);
    if (read.wording === "empty") {
      throw new DocumentError(
        'section 2 is empty: no decision recorded (expected e.g. a paragraph starting "RESOLVED that")',
        recordSection.headingLine,
      );
    }
    decision = read;
    warnings.push({
      line: recordSection.headingLine,
      message:
        read.wording === "bare-list"
          ? "section 2 has no RESOLVED or RECOMMENDED: its numbered list is read as the decision"
          : read.wording === "operative-word"
            ? `section 2 has no RESOLVED or RECOMMENDED: read from "${read.outcomes[0]!.kind}"`
            : "section 2 has no RESOLVED or RECOMMENDED: its text is kept whole as the decision",
    });
  }
  const firstContent = recordSection.lines.find((l) => l.text !== "");
  if (firstContent) fieldLines.record = firstContent.line;
  fieldLines.outcomes = decision.outcomeLine!;

  let title = sectionText("title").replace(/\s*\n+\s*/g, " ");
  const madeUp: MadeUpField[] = [];
  if (title === "") {
    // Real records are published with an empty title line: a title from the decision's first words, marked.
    title = madeUpTitle(outcomeWords(decision.outcomes[0]!)) || `Decision of ${head.body}`;
    madeUp.push("title");
    warnings.push({
      line: firstSection.headingLine,
      message: `section 1 (title) is empty: "${title}" is made up from the decision's first words`,
    });
  }
  // The regulations require the reasons; an empty alternatives, interests or dispensations section is how
  // older records say "none", so only an empty section 3 is worth a warning.
  for (const key of ["reasons"] as const) {
    const found = sections.get(key)!;
    if (found.lines.every((l) => l.text === "")) {
      warnings.push({
        line: found.headingLine,
        message: `section ${found.section.number} (${found.section.heading}) is empty`,
      });
    }
  }

  const callInSection = sections.get("callIn")!;
  const callInBlocks = toBlocks(callInSection.lines, wrapWidth, compounds);
  const signer = signerAboveSignature(callInBlocks, signature);
  if (signer) {
    callInBlocks.pop();
    signature.unshift({ text: signer.text, line: signer.line });
  }
  const callInText = blocksToText(callInBlocks);
  if (callInBlocks[0]) fieldLines.callIn = callInBlocks[0].line;
  const callInLine = fieldLines.callIn ?? callInSection.headingLine;
  let deadline: string | null = null;
  if (callInText !== "" && !saysNotSubjectToCallIn(callInText)) {
    const found = findUkDate(callInText, callInLine);
    if (!found) {
      throw new DocumentError(
        `call-in deadline "${callInText}" has no date (expected e.g. "Midnight, 24 November 2017" or "Not applicable")`,
        callInLine,
      );
    }
    deadline = found.iso;
    if (found.weekdayMismatch) {
      warnings.push({
        line: callInLine,
        message: `call-in deadline "${found.text}" is a ${found.weekdayMismatch}`,
      });
    }
  }

  const publication = parseSignature(signature, callInSection);
  fieldLines.publishedOn = publication.line;
  if (publication.signedByLine !== undefined) fieldLines.signedBy = publication.signedByLine;

  if (head.meetingDateFound.weekdayMismatch) {
    warnings.push({
      line: head.lines.meetingDate,
      message: `meeting date "${head.meetingDateFound.text}" is a ${head.meetingDateFound.weekdayMismatch}`,
    });
  }
  if (publication.date < head.meetingDate) {
    warnings.push({ line: publication.line, message: "published before the meeting it records" });
  }
  if (deadline !== null && deadline < publication.date) {
    warnings.push({ line: callInLine, message: "call-in deadline is before the publication date" });
  }

  const record: DecisionRecord = {
    formatVersion: RECORD_FORMAT_VERSION,
    council: head.council,
    body: head.body,
    documentType: head.documentType,
    recordId: head.recordId,
    meetingDate: head.meetingDate,
    title,
    record: decision.narrative,
    outcome: decision.outcomes[0]!,
    outcomes: decision.outcomes,
    reasons: sectionText("reasons"),
    alternatives: sectionText("alternatives"),
    conflictsOfInterest: sectionText("conflictsOfInterest"),
    dispensations: sectionText("dispensations"),
    callIn: { deadline, text: callInText },
    signedBy: publication.signedBy,
    publishedOn: publication.date,
    source: source && { ...source, lines: fieldLines },
    // A proforma records a meeting's decisions: the date of decision is the meeting's. It states call-in
    // through section 7 (a deadline, or "Not applicable"); the rest it does not state.
    decidedOn: head.meetingDate,
    keyDecision: null,
    subjectToCallIn: callInText === "" ? null : deadline !== null,
    effectiveFrom: null,
    statusAsPrinted: null,
    purpose: null,
    wardsAffected: null,
    decisionMakerKind: "body",
    ...(madeUp.length > 0 && { madeUp }),
  };
  return { record, warnings };
}

function fieldFor(key: SectionKey): RecordFieldName {
  return key === "record" ? "record" : key;
}

/** Finds the seven section headings in order, the header above them and the signature below. */
function locateSections(lines: readonly SourceLine[]): {
  header: SourceLine[];
  sections: Map<SectionKey, FoundSection>;
  signature: SourceLine[];
} {
  const sections = new Map<SectionKey, FoundSection>();
  const header: SourceLine[] = [];
  const signature: SourceLine[] = [];
  let current: FoundSection | null = null;
  let nextIndex = 0;

  for (const [position, line] of lines.entries()) {
    if (signature.length > 0 || (current?.section.key === "callIn" && isSignatureStart(line.text))) {
      signature.push(line);
      continue;
    }
    const heading = matchSectionHeading(line.text);
    const index = heading ? proformaSections.indexOf(heading) : -1;
    if (heading && index >= nextIndex) {
      if (index > nextIndex) {
        const missing = proformaSections[nextIndex]!;
        const later = lines.slice(position + 1).find((l) => matchSectionHeading(l.text) === missing);
        if (later) throw outOfOrder(missing, later.line, heading, line.line);
        throw missingSection(missing, current, heading, line.line);
      }
      current = { section: heading, headingLine: line.line, lines: [] };
      sections.set(heading.key, current);
      nextIndex = index + 1;
    } else if (current) {
      current.lines.push(line);
    } else {
      header.push(line);
    }
  }
  if (nextIndex === 0) {
    throw new DocumentError(
      'not a decision record: none of the proforma headings were found (expected "1. Title of Item/Report", "2. Record of the Decision", ...)',
      1,
    );
  }
  if (nextIndex < proformaSections.length) {
    throw missingSection(proformaSections[nextIndex]!, current, null, lines[lines.length - 1]!.line);
  }
  return { header, sections, signature };
}

function isSignatureStart(text: string): boolean {
  return SIGNATURE.test(text) || PUBLICATION_LINE.test(text);
}

function missingSection(
  missing: ProformaSection,
  previous: FoundSection | null,
  found: ProformaSection | null,
  line: number,
): DocumentError {
  const after = previous ? ` after section ${previous.section.number} (line ${previous.headingLine})` : "";
  const instead = found ? `; found "${found.heading}" first` : "";
  return new DocumentError(
    `missing section ${missing.number} "${missing.heading}"${after}${instead}`,
    found ? line : (previous?.headingLine ?? line),
  );
}

function outOfOrder(
  section: ProformaSection,
  sectionLine: number,
  before: ProformaSection,
  beforeLine: number,
): DocumentError {
  return new DocumentError(
    `sections out of order: section ${section.number} "${section.heading}" (line ${sectionLine}) must come before section ${before.number} "${before.heading}" (line ${beforeLine})`,
    beforeLine,
  );
}

/**
 * A name printed above "Proper Officer" ("Julie Butcher") belongs to the signature, not to the
 * call-in deadline above it: a last short paragraph with no figures, after the deadline itself.
 */
function signerAboveSignature(
  callInBlocks: readonly Block[],
  signature: readonly SourceLine[],
): Block | null {
  const marker = signature.find((l) => l.text !== "");
  const last = callInBlocks[callInBlocks.length - 1];
  if (!marker || !SIGNATURE.test(marker.text) || callInBlocks.length < 2 || !last) return null;
  const nameLike = last.kind === "paragraph" && last.text.length <= 80 && !/[\d.:;]/.test(last.text);
  return nameLike ? last : null;
}

function parseSignature(
  lines: SourceLine[],
  callIn: FoundSection,
): { date: string; line: number; signedBy: string | null; signedByLine?: number } {
  let signedBy: string | null = null;
  let signedByLine: number | undefined;
  for (const { text, line } of lines) {
    if (text === "") continue;
    const published = PUBLICATION_LINE.exec(text);
    const found = findUkDate(published ? published[1]! : text, line);
    if (found)
      return { date: found.iso, line, signedBy, ...(signedByLine !== undefined && { signedByLine }) };
    if (published)
      throw new DocumentError(
        `"${text}" has no date (expected e.g. "Date of Publication: 21 February 2011")`,
        line,
      );
    signedBy = signedBy ? `${signedBy}, ${text}` : text;
    signedByLine ??= line;
  }
  throw new DocumentError(
    'no publication date after section 7 (expected "Proper Officer" and the date, or "Date of Publication: ...")',
    lines[0]?.line ?? callIn.headingLine,
  );
}
