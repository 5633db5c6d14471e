import { callInExemption } from "../../domain/call-in-exemption.js";
import type { DecisionRecord } from "../../domain/decision-record.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { callInDeadlineFor, callInLineFor, NOT_APPLICABLE } from "../../services/call-in/index.js";
import { getCouncilById } from "../../services/councils/index.js";
import type { DraftView } from "../../services/drafting/index.js";
import type { Executor } from "../../storage/database.js";
import { callInClose } from "../shared/format.js";

/**
 * A draft as it will be published: the record's sections laid out as the public decision page lays them out
 * (drafting/proforma-record.njk mirrors decisions/decision.njk's record), and the call-in line publication on a
 * given date would stamp (publishDecision works it out the same way).
 */

export interface ProjectedCallIn {
  subjectToCallIn: boolean;
  deadline: IsoDate | null;
  /** Section 7 as it will be printed. */
  text: string;
  /** "midnight at the end of Friday 27 November 2026"; "" when not subject to call-in. */
  closes: string;
  explanation: string;
}

/** The call-in line publishing `draft` on `publishedOn` gives, with the council's rule. */
export async function projectCallIn(
  db: Executor,
  councilId: number,
  draft: Pick<DraftView, "record" | "urgent">,
  publishedOn: IsoDate,
): Promise<ProjectedCallIn> {
  const recommendation = callInExemption({ outcomes: draft.record.outcomes, urgency: null });
  if (recommendation !== null || draft.urgent) {
    return {
      subjectToCallIn: false,
      deadline: null,
      text: NOT_APPLICABLE,
      closes: "",
      explanation:
        recommendation?.explanation ??
        "The decision is urgent, so it is not subject to call-in (with the consent of the chair of overview and scrutiny).",
    };
  }
  const council = await getCouncilById(db, councilId);
  const deadline = callInDeadlineFor(council, publishedOn);
  return {
    subjectToCallIn: true,
    deadline: deadline.deadline,
    text: callInLineFor(deadline.deadline, council.callInRule.cutoff),
    closes: callInClose(deadline.cutoff),
    explanation: deadline.explanation,
  };
}

/** The record as publication on `publishedOn` will stamp it (the signature is the Proper Officer's name). */
export function recordAsPublished(
  record: DecisionRecord,
  publishedOn: IsoDate,
  callIn: ProjectedCallIn,
  signedBy: string | null,
): DecisionRecord {
  return { ...record, publishedOn, callIn: { deadline: callIn.deadline, text: callIn.text }, signedBy };
}
