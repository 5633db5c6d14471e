import type { CallInRequestView } from "../../services/call-in/index.js";
import { groundViews } from "./format.js";

/**
 * A decision's call-in requests as the public page and the councillors' call-in page show them: who signed and
 * when, how far a request still gathering signatures has got, and when a valid one called the decision in.
 */

export type RequestStage = "gathering" | "lapsed" | "called-in" | "invalid" | "withdrawn" | "unassessed";

export interface RequestPresentation {
  id: number;
  /** Made online: started by a councillor, signed from their accounts (each signature has its time). */
  online: boolean;
  heading: string;
  /** When the request was started (online) or received (recorded by an officer). */
  since: Date;
  signatures: { name: string; personId: number | null; signedAt: Date | null }[];
  grounds: { principle: string; explanation: string }[];
  stage: RequestStage;
  /** "Gathering signatures: 2 of 3 needed". */
  progress: string;
  signatureCount: number;
  signaturesNeeded: number;
  /** When a valid request called the decision in. */
  calledInAt: Date | null;
  reasons: string[];
  withdrawnAt: Date | null;
}

export function presentCallInRequests(
  requests: readonly CallInRequestView[],
  minSignatories: number,
  /** When call-in closes; null when it cannot be worked out or the decision is exempt. */
  cutoff: Date | string | null,
  at: Date,
): RequestPresentation[] {
  const closesAt = cutoff === null ? null : new Date(cutoff).getTime();
  return requests.map((request) => {
    // A signature made online names its councillor's person record; one copied from a paper request does not,
    // and its stored time is only when it was typed in.
    const online = request.signatures.length > 0 && request.signatures[0]!.personId !== null;
    const count = request.signatures.length;
    let stage: RequestStage;
    if (request.withdrawnAt !== null) stage = "withdrawn";
    else if (request.valid === true) stage = "called-in";
    else if (request.valid === false) stage = "invalid";
    else if (!online) stage = "unassessed";
    else if (closesAt !== null && at.getTime() < closesAt) stage = "gathering";
    else stage = "lapsed";
    return {
      id: request.id,
      online,
      heading: online ? "Request started" : "Request received",
      since: online ? request.startedAt : request.receivedAt,
      signatures: request.signatures.map((signature) => ({
        name: signature.name,
        personId: signature.personId,
        signedAt: signature.personId === null ? null : signature.signedAt,
      })),
      grounds: groundViews(request.grounds),
      stage,
      progress: `Gathering signatures: ${count} of ${minSignatories} needed`,
      signatureCount: count,
      signaturesNeeded: Math.max(0, minSignatories - count),
      calledInAt: request.valid === true ? request.receivedAt : null,
      reasons: request.reasons,
      withdrawnAt: request.withdrawnAt,
    };
  });
}
