import type { DecisionMakerKind } from "../../domain/decision-record.js";

// Order matters: "Cabinet Member for ..." names Cabinet, "Chief Executive" names the Executive.
const EXECUTIVE_MEMBER =
  /\b(?:cabinet member|executive member|portfolio holder|lead member|leader of the council|deputy leader|(?<!team |service |project |group )leader|elected mayor)\b/i;
const OFFICER =
  /\b(?:director|chief executive|chief officer|team leader|service lead(?:er)?|head of|assistant director|corporate director|service director|manager|officer|section 151|treasurer|solicitor|town clerk|county clerk)\b/i;
const BODY =
  /\b(?:cabinet|executive|committee|sub-committee|council|board|panel|forum|commission|partnership)\b/i;

/**
 * Who a decision maker as printed is: a body ("Cabinet", "Planning Committee"), one executive member
 * ("Cabinet Member for Highways", "Leader of the Council", "Portfolio Holder for Housing") or an officer
 * ("Director of Finance", "Chief Executive", "Head of Planning"); null when the words say none of these.
 */
export function decisionMakerKind(decisionMaker: string): DecisionMakerKind | null {
  if (EXECUTIVE_MEMBER.test(decisionMaker)) return "executive-member";
  if (OFFICER.test(decisionMaker)) return "officer";
  if (BODY.test(decisionMaker)) return "body";
  return null;
}
