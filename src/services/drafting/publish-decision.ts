import { callInExemption, parseUrgencyConsent } from "../../domain/call-in-exemption.js";
import { parseIsoDateInput } from "../../domain/date-input.js";
import { ConflictError, ValidationError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { ukDateOf } from "../../domain/uk-time.js";
import type { Database } from "../../storage/database.js";
import type { Actor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";
import { callInDeadlineFor } from "../call-in/call-in-deadline.js";
import { NOT_APPLICABLE, callInLineFor } from "../call-in/call-in-text.js";
import { storeCommitments } from "../commitments/store-commitments.js";
import { linkDecisionsToStrategies } from "../strategy-updates/propose-links.js";
import { getCouncilById } from "../councils/councils.js";
import { decisionColumnsFromRecord } from "../decisions/record-columns.js";
import { lockDraft } from "./draft-context.js";
import { writeDraftVersion } from "./drafts.js";

export interface PublishOptions {
  /** The publication date; default today in the UK. Not in the future, not before the decision. */
  publishedOn?: IsoDate;
  /** The clock (tests pin it). */
  now?: Date;
}

export interface PublishedDecision {
  id: number;
  publishedOn: IsoDate;
  /** The last day of call-in; null when not subject to call-in. */
  callInDeadline: IsoDate | null;
  /** The instant the window closes (ISO 8601, UK offset); null when not subject to call-in. */
  callInCutoff: string | null;
  callInText: string;
  signedBy: string;
}

/**
 * Publishes a draft (the Proper Officer): stamps the publication date, signs the record with the Proper
 * Officer's name and works out section 7 from the council's call-in rule ("Not applicable" for a
 * recommendation to Council or an urgent decision). An urgent draft needs its reason and the scrutiny chair's
 * consent first. The record as published is version 1; it changes afterwards only by a correction.
 */
export async function publishDecision(
  database: Database,
  id: number,
  options: PublishOptions,
  actor: Actor,
): Promise<PublishedDecision> {
  const today = ukDateOf(options.now ?? new Date());
  const publishedOn =
    options.publishedOn === undefined ? today : parseIsoDateInput(options.publishedOn, "publishedOn");
  if (publishedOn > today) {
    throw new ValidationError(
      `publishedOn: ${publishedOn} is in the future; publish on the day the record is published`,
      "publishedOn",
    );
  }
  return database.transaction(async (trx) => {
    const row = await lockDraft(trx, actor.councilId, id);
    if (publishedOn < row.meetingDate) {
      throw new ValidationError(
        `publishedOn: ${publishedOn} is before the decision was made (${row.meetingDate})`,
        "publishedOn",
      );
    }
    if (row.urgent && (row.urgencyReason === null || row.urgencyChairConsent === null)) {
      throw new ConflictError(
        "this decision is marked urgent: the chair of overview and scrutiny must consent to the urgency before it is published",
      );
    }
    const council = await getCouncilById(trx, row.councilId);
    const draft = (
      await trx
        .selectFrom("decisionVersion")
        .select("record")
        .where("decisionId", "=", id)
        .where("version", "=", 1)
        .executeTakeFirstOrThrow()
    ).record;
    const consent = row.urgencyChairConsent === null ? null : parseUrgencyConsent(row.urgencyChairConsent);
    const urgency =
      row.urgent && row.urgencyReason !== null
        ? {
            reason: row.urgencyReason,
            consent: consent ?? { name: row.urgencyChairConsent ?? "", role: "scrutiny-chair" as const },
          }
        : null;
    const exemption = callInExemption({ outcomes: draft.outcomes, urgency });
    let callIn: { deadline: IsoDate | null; text: string };
    let cutoff: string | null = null;
    if (exemption !== null) {
      callIn = { deadline: null, text: NOT_APPLICABLE };
    } else {
      const deadline = callInDeadlineFor(council, publishedOn);
      callIn = {
        deadline: deadline.deadline,
        text: callInLineFor(deadline.deadline, council.callInRule.cutoff),
      };
      cutoff = deadline.cutoff;
    }
    const record = { ...draft, publishedOn, callIn, signedBy: actor.name };
    await writeDraftVersion(trx, id, record, actor, true);
    await trx
      .updateTable("decision")
      .set({
        ...decisionColumnsFromRecord(record),
        status: "published",
        notSubjectToCallIn: exemption !== null,
        expectedCallInDeadline: callIn.deadline,
        deadlineMismatch: false,
      })
      .where("id", "=", id)
      .execute();
    await storeCommitments(trx, [{ decisionId: id, record }]); // what the record promises, tracked from now
    await linkDecisionsToStrategies(trx, [{ decisionId: id, record }], actor.label); // strategies it agrees or updates
    await appendAudit(trx, {
      actor: actor.label,
      action: "decision.published",
      entity: "decision",
      entityId: id,
      councilId: council.id,
      details: {
        publishedOn,
        callInDeadline: callIn.deadline,
        callInCutoff: cutoff,
        notSubjectToCallIn: exemption?.reason ?? null,
        signedBy: actor.name,
      },
    });
    return {
      id,
      publishedOn,
      callInDeadline: callIn.deadline,
      callInCutoff: cutoff,
      callInText: callIn.text,
      signedBy: actor.name,
    };
  });
}
