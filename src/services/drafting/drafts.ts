import { formatUrgencyConsent } from "../../domain/call-in-exemption.js";
import type { DecisionRecord } from "../../domain/decision-record.js";
import { ConflictError, ValidationError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import type { DecisionRow } from "../../storage/schema.js";
import type { Actor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";
import { createBody, findBody } from "../councils/bodies.js";
import { getCouncilById } from "../councils/councils.js";
import { syncDeclarations } from "../decisions/declarations.js";
import { changedRecordFields, decisionColumnsFromRecord } from "../decisions/record-columns.js";
import {
  type DraftChangeInput,
  type NewDraftInput,
  draftChangeSchema,
  newDraftSchema,
  parseDraftInput,
} from "./draft-input.js";
import {
  type MemberOnDate,
  agendaItemOfMeeting,
  bodyMembersOn,
  linkDeclarationsToMembers,
  lockDraft,
  meetingForDraft,
} from "./draft-context.js";
import { declarationSentence, dispensationSentence, draftRecord, sectionText } from "./draft-record.js";

/**
 * Draft decision records: made, changed and discarded by officers before the Proper Officer publishes them.
 * A draft is never public. It holds one version (version 1), replaced whenever the draft changes: the versions
 * a published decision shows start at publication, and every change to a draft is in the audit log with the
 * fields before and after.
 */

export interface DraftResult {
  id: number;
  record: DecisionRecord;
}

/** Makes a draft from the fields given (see draft-input.ts); ValidationError naming the field that is wrong. */
export async function createDraft(database: Database, input: unknown, actor: Actor): Promise<DraftResult> {
  const draft = parseDraftInput(newDraftSchema, input satisfies NewDraftInput | unknown);
  return database.transaction(async (trx) => {
    const council = await getCouncilById(trx, actor.councilId);
    let bodyId: number;
    let bodyName: string;
    let meetingDate: string;
    let meetingId: number | null = null;
    // An agenda item names its meeting.
    const item =
      draft.agendaItemId === null
        ? null
        : await agendaItemOfMeeting(trx, draft.agendaItemId, draft.meetingId ?? null);
    const givenMeetingId = draft.meetingId ?? item?.meetingId ?? null;
    if (givenMeetingId !== null) {
      const meeting = await meetingForDraft(trx, council.id, givenMeetingId);
      if (draft.body !== undefined && draft.body !== meeting.bodyName) {
        throw new ValidationError(
          `body: meeting ${meeting.id} is a meeting of ${meeting.bodyName}, not ${draft.body}`,
          "body",
        );
      }
      if (draft.meetingDate !== undefined && draft.meetingDate !== meeting.date) {
        throw new ValidationError(
          `meetingDate: meeting ${meeting.id} is on ${meeting.date}, not ${draft.meetingDate}`,
          "meetingDate",
        );
      }
      ({ bodyId, bodyName, date: meetingDate, id: meetingId } = meeting);
    } else {
      // A decision by an executive member or an officer: no meeting, a decision maker and a date.
      if (draft.body === undefined) {
        throw new ValidationError("body: give the meeting (meetingId) or the decision maker (body)", "body");
      }
      if (draft.meetingDate === undefined) {
        throw new ValidationError("meetingDate: give the date the decision was made", "meetingDate");
      }
      bodyName = draft.body;
      meetingDate = draft.meetingDate;
      bodyId =
        (await findBody(trx, council.id, bodyName))?.id ??
        (await createBody(trx, council, bodyName, actor.label)).id;
    }
    const members = await bodyMembersOn(trx, bodyId, meetingDate);
    const record = draftRecord({
      council: council.name,
      body: bodyName,
      meetingDate,
      documentType: draft.documentType,
      recordId: draft.recordId,
      title: draft.title,
      record: draft.record,
      outcomes: draft.outcomes,
      reasons: draft.reasons,
      alternatives: draft.alternatives,
      conflictsOfInterest: declarationsText(draft.declarations, draft.conflictsOfInterest, members),
      dispensations: sectionText(draft.dispensationGrants.map(dispensationSentence), draft.dispensations),
    });
    const inserted = await trx
      .insertInto("decision")
      .values({
        councilId: council.id,
        bodyId,
        meetingId,
        agendaItemId: item?.id ?? null,
        ...decisionColumnsFromRecord(record),
        publishedOn: null,
        status: "draft",
        keyDecision: draft.keyDecision,
        exemptParagraph: draft.exemptParagraph,
        urgent: draft.urgencyReason !== null && draft.urgencyReason !== "",
        urgencyReason: draft.urgencyReason || null,
        currentVersion: 1,
      })
      .returning("id")
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        throw duplicateRecordIdOf(error, record.recordId) ?? error;
      });
    await writeDraftVersion(trx, inserted.id, record, actor, false);
    await writeDraftInterests(trx, inserted.id, record, members, draft.dispensationGrants);
    await appendAudit(trx, {
      actor: actor.label,
      action: "decision.drafted",
      entity: "decision",
      entityId: inserted.id,
      councilId: council.id,
      details: { title: record.title, body: bodyName, meetingId, meetingDate, recordId: record.recordId },
    });
    return { id: inserted.id, record };
  });
}

/** Changes a draft: only the fields given; the rest stay. ConflictError once it is published. */
export async function updateDraft(
  database: Database,
  id: number,
  input: unknown,
  actor: Actor,
): Promise<DraftResult> {
  const change = parseDraftInput(draftChangeSchema, input satisfies DraftChangeInput | unknown);
  return database.transaction(async (trx) => {
    const row = await lockDraft(trx, actor.councilId, id);
    const before = await currentRecord(trx, row);
    if (change.meetingId !== undefined || change.body !== undefined || change.meetingDate !== undefined) {
      await moveDraft(trx, row, change, actor);
    }
    const moved = await trx
      .selectFrom("decision")
      .innerJoin("body", "body.id", "decision.bodyId")
      .select(["decision.bodyId", "body.name as bodyName", "decision.meetingDate"])
      .where("decision.id", "=", id)
      .executeTakeFirstOrThrow();
    if (change.agendaItemId !== undefined) {
      const meetingNow = await trx
        .selectFrom("decision")
        .select("meetingId")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      if (change.agendaItemId !== null) {
        if (meetingNow.meetingId === null) {
          throw new ValidationError(
            "agendaItemId: a decision not made at a meeting has no agenda item",
            "agendaItemId",
          );
        }
        await agendaItemOfMeeting(trx, change.agendaItemId, meetingNow.meetingId);
      }
      await trx
        .updateTable("decision")
        .set({ agendaItemId: change.agendaItemId })
        .where("id", "=", id)
        .execute();
    } else if (change.meetingId !== undefined) {
      // Filed under another meeting: the old meeting's agenda item no longer applies.
      await trx.updateTable("decision").set({ agendaItemId: null }).where("id", "=", id).execute();
    }
    const members = await bodyMembersOn(trx, moved.bodyId, moved.meetingDate);
    const record = draftRecord({
      council: before.council ?? "",
      body: moved.bodyName,
      meetingDate: moved.meetingDate,
      documentType: change.documentType ?? before.documentType,
      recordId: change.recordId !== undefined ? change.recordId : before.recordId,
      title: change.title ?? before.title,
      record: change.record ?? before.record,
      outcomes: change.outcomes ?? before.outcomes,
      reasons: change.reasons ?? before.reasons,
      alternatives: change.alternatives ?? before.alternatives,
      conflictsOfInterest:
        change.declarations !== undefined
          ? declarationsText(change.declarations, change.conflictsOfInterest ?? "", members)
          : (change.conflictsOfInterest ?? before.conflictsOfInterest),
      dispensations:
        change.dispensationGrants !== undefined
          ? sectionText(change.dispensationGrants.map(dispensationSentence), change.dispensations ?? "")
          : (change.dispensations ?? before.dispensations),
    });
    const urgencyReason =
      change.urgencyReason !== undefined ? change.urgencyReason || null : row.urgencyReason;
    await trx
      .updateTable("decision")
      .set({
        ...decisionColumnsFromRecord(record),
        publishedOn: null,
        ...(change.keyDecision !== undefined && { keyDecision: change.keyDecision }),
        ...(change.exemptParagraph !== undefined && { exemptParagraph: change.exemptParagraph }),
        urgent: urgencyReason !== null,
        urgencyReason,
        // A consent was given to the reason as it stood: a new reason needs consent again.
        ...(urgencyReason !== row.urgencyReason && { urgencyChairConsent: null }),
      })
      .where("id", "=", id)
      .execute()
      .catch((error: unknown) => {
        throw duplicateRecordIdOf(error, record.recordId) ?? error;
      });
    await writeDraftVersion(trx, id, record, actor, true);
    await writeDraftInterests(trx, id, record, members, change.dispensationGrants);
    const changedFields = changedRecordFields(before, record);
    await appendAudit(trx, {
      actor: actor.label,
      action: "decision.draft-changed",
      entity: "decision",
      entityId: id,
      councilId: row.councilId,
      details: {
        changedFields,
        before: Object.fromEntries(
          changedFields.map((f) => [f, JSON.parse(JSON.stringify(before[f] ?? null))]),
        ),
        after: Object.fromEntries(
          changedFields.map((f) => [f, JSON.parse(JSON.stringify(record[f] ?? null))]),
        ),
        ...(change.keyDecision !== undefined && { keyDecision: change.keyDecision }),
        ...(change.exemptParagraph !== undefined && { exemptParagraph: change.exemptParagraph }),
        ...(change.urgencyReason !== undefined && { urgencyReason }),
      },
    });
    return { id, record };
  });
}

/** Throws a draft away (it was never public); ConflictError once published. */
export async function discardDraft(database: Database, id: number, actor: Actor): Promise<void> {
  await database.transaction(async (trx) => {
    const row = await lockDraft(trx, actor.councilId, id);
    await trx.deleteFrom("declarationOfInterest").where("decisionId", "=", id).execute();
    await trx.deleteFrom("dispensation").where("decisionId", "=", id).execute();
    await trx.deleteFrom("callInRequest").where("decisionId", "=", id).execute();
    await trx.deleteFrom("decision").where("id", "=", id).execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "decision.draft-discarded",
      entity: "decision",
      entityId: id,
      councilId: row.councilId,
      details: { title: row.title, recordId: row.recordId },
    });
  });
}

/**
 * The scrutiny chair's consent to an urgent draft: recorded with their name, for the reason as it stands
 * (changing the reason afterwards clears it). ConflictError when the draft is not urgent.
 */
export async function consentToUrgency(database: Database, id: number, actor: Actor): Promise<void> {
  await database.transaction(async (trx) => {
    const row = await lockDraft(trx, actor.councilId, id);
    if (!row.urgent || row.urgencyReason === null) {
      throw new ConflictError(`decision ${id} is not marked urgent: there is nothing to consent to`);
    }
    const consent = formatUrgencyConsent({ name: actor.name, role: "scrutiny-chair" });
    await trx.updateTable("decision").set({ urgencyChairConsent: consent }).where("id", "=", id).execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "decision.urgency-consented",
      entity: "decision",
      entityId: id,
      councilId: row.councilId,
      details: { reason: row.urgencyReason, consent },
    });
  });
}

async function currentRecord(db: Executor, row: DecisionRow): Promise<DecisionRecord> {
  const version = await db
    .selectFrom("decisionVersion")
    .select("record")
    .where("decisionId", "=", row.id)
    .where("version", "=", row.currentVersion)
    .executeTakeFirstOrThrow();
  return version.record;
}

/** A draft's meeting, decision maker or date changed. */
async function moveDraft(
  trx: Executor,
  row: DecisionRow,
  change: { meetingId?: number | null; body?: string; meetingDate?: string },
  actor: Actor,
): Promise<void> {
  const council = await getCouncilById(trx, row.councilId);
  const meetingId = change.meetingId !== undefined ? change.meetingId : row.meetingId;
  if (meetingId !== null) {
    const meeting = await meetingForDraft(trx, council.id, meetingId);
    if (change.body !== undefined && change.body !== meeting.bodyName) {
      throw new ValidationError(
        `body: meeting ${meeting.id} is a meeting of ${meeting.bodyName}, not ${change.body}`,
        "body",
      );
    }
    if (change.meetingDate !== undefined && change.meetingDate !== meeting.date) {
      throw new ValidationError(
        `meetingDate: meeting ${meeting.id} is on ${meeting.date}, not ${change.meetingDate}`,
        "meetingDate",
      );
    }
    await trx
      .updateTable("decision")
      .set({ meetingId: meeting.id, bodyId: meeting.bodyId, meetingDate: meeting.date })
      .where("id", "=", row.id)
      .execute();
    return;
  }
  const bodyId =
    change.body === undefined
      ? row.bodyId
      : ((await findBody(trx, council.id, change.body))?.id ??
        (await createBody(trx, council, change.body, actor.label)).id);
  await trx
    .updateTable("decision")
    .set({ meetingId: null, bodyId, meetingDate: change.meetingDate ?? row.meetingDate })
    .where("id", "=", row.id)
    .execute();
}

/** Version 1 holds the draft: written anew for each change (a draft's history is the audit log's). */
export async function writeDraftVersion(
  trx: Executor,
  decisionId: number,
  record: DecisionRecord,
  actor: Actor,
  replace: boolean,
): Promise<void> {
  if (replace) await trx.deleteFrom("decisionVersion").where("decisionId", "=", decisionId).execute();
  await trx
    .insertInto("decisionVersion")
    .values({ decisionId, version: 1, record: JSON.stringify(record), reason: null, createdBy: actor.label })
    .execute();
}

async function writeDraftInterests(
  trx: Executor,
  decisionId: number,
  record: DecisionRecord,
  members: readonly MemberOnDate[],
  grants: readonly { personName: string; grantedBy: string; scope: string }[] | undefined,
): Promise<void> {
  await syncDeclarations(trx, decisionId, record);
  await linkDeclarationsToMembers(trx, decisionId, members);
  if (grants === undefined) return;
  await trx.deleteFrom("dispensation").where("decisionId", "=", decisionId).execute();
  if (grants.length > 0) {
    await trx
      .insertInto("dispensation")
      .values(
        grants.map((g) => ({ decisionId, personName: g.personName, grantedBy: g.grantedBy, scope: g.scope })),
      )
      .execute();
  }
}

/** Section 5 from the declarations picked from the body's members, and any text typed besides. */
function declarationsText(
  declarations: readonly {
    personId: number;
    category: Parameters<typeof declarationSentence>[1];
    nature: string;
  }[],
  typed: string,
  members: readonly MemberOnDate[],
): string {
  const sentences = declarations.map((declaration, index) => {
    const member = members.find((m) => m.personId === declaration.personId);
    if (!member) {
      throw new ValidationError(
        `declarations.${index}.personId: person ${declaration.personId} was not a member of the decision maker on the date of the decision`,
        `declarations.${index}.personId`,
      );
    }
    return declarationSentence(member, declaration.category, declaration.nature);
  });
  return sectionText(sentences, typed);
}

function duplicateRecordIdOf(error: unknown, recordId: string | null): ConflictError | undefined {
  const code = (error as { code?: string } | null)?.code;
  if (code === "23505" && recordId !== null) {
    return new ConflictError(`recordId: another decision already has the record id ${recordId}`);
  }
  return undefined;
}
