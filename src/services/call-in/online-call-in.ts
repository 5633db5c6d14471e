import {
  type CallInGround,
  assessCallInRequest,
  parseCallInRequest,
  signatoryKey,
} from "../../domain/call-in-request.js";
import { formatCallInClose } from "../../domain/decision-status.js";
import { ConflictError, PermissionError } from "../../domain/errors.js";
import type { Database, Executor } from "../../storage/database.js";
import type { Actor } from "../accounts/account-actor.js";
import { appendAudit } from "../audit/audit-log.js";
import { loadDecisionForChange } from "../decision-changes/decision-for-change.js";
import type { DecisionRef } from "../decisions/decision-rows.js";
import { type CallInRequestView, loadCallInRequests } from "./call-in-request-views.js";

/**
 * Call-in online: a councillor starts a request on the decision's page (the grounds and explanation) and is its
 * first signatory; other councillors sign from their own accounts. The request becomes valid the moment the
 * council's minimum number of signatories is reached before the cutoff, and the decision is called in at that
 * moment (the request's receivedAt). Until then the request is gathering signatures (valid is null).
 *
 * A request that cannot succeed is refused outright (ConflictError, nothing written): the decision is not
 * subject to call-in, not published, already called in, or its window has closed.
 */

export interface OnlineCallInResult {
  request: CallInRequestView;
  /** Signatures still needed for the request to be valid; 0 once it is. */
  signaturesNeeded: number;
  minSignatories: number;
}

/** Starts a request with `actor` (a councillor) as its first signatory. */
export async function startCallInRequest(
  database: Database,
  ref: DecisionRef,
  input: { grounds: { principle: string; explanation: string }[] },
  actor: Actor,
  now: Date = new Date(),
): Promise<OnlineCallInResult> {
  const person = await councillorOf(database.db, actor);
  const request = parseCallInRequest({
    signatories: [person.name],
    grounds: input?.grounds,
    receivedAt: now,
  });
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    if (row.councilId !== actor.councilId || row.status === "draft") {
      throw new ConflictError("this decision has not been published, so it cannot be called in yet");
    }
    refuseUnlessOpen(row.status, facts, now, council.name);
    const assessment = assessOpenRequest(request, facts, council);
    const inserted = await trx
      .insertInto("callInRequest")
      .values({
        decisionId: row.id,
        receivedAt: now,
        grounds: JSON.stringify(request.grounds satisfies CallInGround[]),
        valid: assessment.valid ? true : null,
        invalidReason: null,
        assessedAt: assessment.valid ? now : null,
        assessedBy: assessment.valid ? "the signatory threshold was met" : null,
        // The clock the request was made by, not the database's: pages show when it was started and signed.
        createdAt: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("callInSignatory")
      .values({
        callInRequestId: inserted.id,
        position: 1,
        personId: person.id,
        name: person.name,
        createdAt: now,
      })
      .execute();
    await appendAudit(trx, {
      actor: actor.label,
      action: "call-in.started",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: {
        requestId: inserted.id,
        signatory: person.name,
        personId: person.id,
        principles: request.grounds.map((g) => g.principle),
        minSignatories: council.minCallInSignatories,
        valid: assessment.valid,
      },
    });
    return resultFor(trx, row.id, inserted.id, council.minCallInSignatories);
  });
}

/** Adds `actor`'s signature (a councillor who has not signed it) to a request still gathering signatures. */
export async function signCallInRequest(
  database: Database,
  ref: DecisionRef,
  requestId: number,
  actor: Actor,
  now: Date = new Date(),
): Promise<OnlineCallInResult> {
  const person = await councillorOf(database.db, actor);
  return database.transaction(async (trx) => {
    const { row, council, facts } = await loadDecisionForChange(trx, ref);
    const request = await trx
      .selectFrom("callInRequest")
      .selectAll()
      .where("id", "=", requestId)
      .where("decisionId", "=", row.id)
      .forUpdate()
      .executeTakeFirst();
    if (!request || row.councilId !== actor.councilId) {
      throw new ConflictError(`decision ${row.id} has no call-in request ${requestId}`);
    }
    if (request.withdrawnAt !== null) throw new ConflictError("this call-in request was withdrawn");
    if (request.valid !== null) {
      throw new ConflictError(
        request.valid
          ? "this call-in request already has enough signatures: the decision is called in"
          : "this call-in request was assessed as invalid and cannot be signed",
      );
    }
    refuseUnlessOpen(row.status, facts, now, council.name);
    const signatories = await trx
      .selectFrom("callInSignatory")
      .select(["name", "personId", "position"])
      .where("callInRequestId", "=", requestId)
      .orderBy("position")
      .execute();
    if (
      signatories.some((s) => s.personId === person.id || signatoryKey(s.name) === signatoryKey(person.name))
    ) {
      throw new ConflictError("you have already signed this call-in request");
    }
    await trx
      .insertInto("callInSignatory")
      .values({
        callInRequestId: requestId,
        position: signatories.length + 1,
        personId: person.id,
        name: person.name,
        // The clock that decides validity also dates the signature.
        createdAt: now,
      })
      .execute();
    const names = [...signatories.map((s) => s.name), person.name];
    const assessment = assessOpenRequest(
      parseCallInRequest({
        signatories: names,
        grounds: JSON.parse(request.grounds) as unknown,
        receivedAt: now,
      }),
      facts,
      council,
    );
    if (assessment.valid) {
      // The moment the threshold is met is the moment the decision is called in.
      await trx
        .updateTable("callInRequest")
        .set({ valid: true, receivedAt: now, assessedAt: now, assessedBy: "the signatory threshold was met" })
        .where("id", "=", requestId)
        .execute();
    }
    await appendAudit(trx, {
      actor: actor.label,
      action: assessment.valid ? "call-in.signed-and-valid" : "call-in.signed",
      entity: "decision",
      entityId: row.id,
      councilId: council.id,
      details: {
        requestId,
        signatory: person.name,
        personId: person.id,
        signatures: names.length,
        minSignatories: council.minCallInSignatories,
        valid: assessment.valid,
      },
    });
    return resultFor(trx, row.id, requestId, council.minCallInSignatories);
  });
}

/**
 * A request on a decision whose window refuseUnlessOpen found open (published, not called in): valid once
 * enough councillors have signed it.
 */
function assessOpenRequest(
  request: ReturnType<typeof parseCallInRequest>,
  facts: DecisionFacts,
  council: { name: string; minCallInSignatories: number },
) {
  return assessCallInRequest(request, {
    cutoff: facts.callInCutoff,
    exemption: facts.exemption,
    minSignatories: council.minCallInSignatories,
    published: true,
    alreadyCalledIn: false,
    councilName: council.name,
  });
}

type DecisionFacts = Awaited<ReturnType<typeof loadDecisionForChange>>["facts"];

/** The councillor an account stands for; PermissionError for an account with no councillor record. */
async function councillorOf(db: Executor, actor: Actor): Promise<{ id: number; name: string }> {
  const person =
    actor.personId === null
      ? undefined
      : await db
          .selectFrom("person")
          .select(["id", "name", "role"])
          .where("id", "=", actor.personId)
          .executeTakeFirst();
  if (!person || person.role !== "councillor") {
    throw new PermissionError("Only a councillor can start or sign a call-in request.");
  }
  return person;
}

/** Refuses (ConflictError, in words) when no request made now could call the decision in. */
function refuseUnlessOpen(status: string, facts: DecisionFacts, now: Date, councilName: string): void {
  if (status === "withdrawn") throw new ConflictError("this decision has been withdrawn");
  if (facts.exemption !== null) {
    throw new ConflictError(`this decision is not subject to call-in: ${facts.exemption.explanation}`);
  }
  if (facts.publishedAt === null || facts.publishedAt.getTime() > now.getTime()) {
    throw new ConflictError("this decision has not been published, so it cannot be called in yet");
  }
  if (facts.callInRequests.some((r) => r.valid)) {
    throw new ConflictError("this decision has already been called in");
  }
  if (facts.callInCutoff === null) {
    throw new ConflictError(
      `the call-in deadline of this decision cannot be worked out under ${councilName}'s rule`,
    );
  }
  if (now.getTime() >= facts.callInCutoff.getTime()) {
    throw new ConflictError(`the call-in window closed at ${formatCallInClose(facts.callInCutoff)}`);
  }
}

async function resultFor(
  db: Executor,
  decisionId: number,
  requestId: number,
  minSignatories: number,
): Promise<OnlineCallInResult> {
  const request = (await loadCallInRequests(db, decisionId)).find((r) => r.id === requestId)!;
  const distinct = new Set(request.signatories.map(signatoryKey)).size;
  return {
    request,
    signaturesNeeded: request.valid ? 0 : Math.max(0, minSignatories - distinct),
    minSignatories,
  };
}
