import type { DecisionRecord } from "../../domain/decision-record.js";
import { NotFoundError } from "../../domain/errors.js";
import type { InterestCategory } from "../../domain/interest-category.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { DecisionStatus } from "../../storage/schema.js";
import { type MemberOnDate, bodyMembersOn } from "./draft-context.js";
import type { DispensationInput } from "./draft-input.js";
import { declarationSentence, dispensationSentence } from "./draft-record.js";

/**
 * A decision as the workspace's forms edit it: the current version's record, the register's own facts (key
 * decision, exempt information, urgency), the body's members on the date, and sections 5 and 6 split back into
 * what the form picked (declarations, dispensation grants) and what was typed besides: the inverse of
 * createDraft/updateDraft's `declarations`, `dispensationGrants` and `sectionText`.
 */
export interface DraftView {
  id: number;
  /** The stored state: "draft", "published" or "withdrawn". */
  status: DecisionStatus;
  meetingId: number | null;
  bodyId: number;
  body: string;
  meetingDate: IsoDate;
  keyDecision: boolean;
  exemptParagraph: number | null;
  urgent: boolean;
  urgencyReason: string | null;
  urgencyChairConsent: string | null;
  currentVersion: number;
  record: DecisionRecord;
  members: MemberOnDate[];
  declarations: { personId: number; category: InterestCategory; nature: string }[];
  /** Section 5 less the sentences of `declarations`. */
  otherDeclarations: string;
  dispensationGrants: DispensationInput[];
  /** Section 6 less the sentences of `dispensationGrants`. */
  otherDispensations: string;
}

/** One of the council's decisions (a draft or published) for the workspace; NotFoundError otherwise. */
export async function getDraft(db: Executor, councilId: number, id: number): Promise<DraftView> {
  const row = await db
    .selectFrom("decision")
    .innerJoin("body", "body.id", "decision.bodyId")
    .select([
      "decision.id",
      "decision.status",
      "decision.meetingId",
      "decision.bodyId",
      "body.name as body",
      "decision.meetingDate",
      "decision.keyDecision",
      "decision.exemptParagraph",
      "decision.urgent",
      "decision.urgencyReason",
      "decision.urgencyChairConsent",
      "decision.currentVersion",
    ])
    .where("decision.id", "=", id)
    .where("decision.councilId", "=", councilId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`there is no decision ${id}`);
  const { record } = await db
    .selectFrom("decisionVersion")
    .select("record")
    .where("decisionId", "=", id)
    .where("version", "=", row.currentVersion)
    .executeTakeFirstOrThrow();
  const members = await bodyMembersOn(db, row.bodyId, row.meetingDate);
  const declarationRows = await db
    .selectFrom("declarationOfInterest")
    .select(["personId", "category", "nature"])
    .where("decisionId", "=", id)
    .where("personId", "is not", null)
    .orderBy("id")
    .execute();
  const grantRows = await db
    .selectFrom("dispensation")
    .select(["personName", "grantedBy", "scope"])
    .where("decisionId", "=", id)
    .orderBy("id")
    .execute();

  const section5 = paragraphsOf(record.conflictsOfInterest);
  const declarations: DraftView["declarations"] = [];
  for (const declaration of declarationRows) {
    const member = members.find((m) => m.personId === declaration.personId);
    if (!member) continue;
    // Only a declaration whose sentence is in the section as the form wrote it is a pick; anything else
    // (typed by hand, imported) stays text, so saving the form never writes it twice.
    const sentence = declarationSentence(member, declaration.category, declaration.nature);
    if (takeParagraph(section5, sentence)) {
      declarations.push({
        personId: member.personId,
        category: declaration.category,
        nature: declaration.nature,
      });
    }
  }
  const section6 = paragraphsOf(record.dispensations);
  const dispensationGrants = grantRows.filter((grant) =>
    takeParagraph(section6, dispensationSentence(grant)),
  );
  return {
    ...row,
    status: row.status,
    record,
    members,
    declarations,
    otherDeclarations: section5.join("\n\n"),
    dispensationGrants,
    otherDispensations: section6.join("\n\n"),
  };
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

/** Removes `paragraph` from `paragraphs` if it is there; whether it was. */
function takeParagraph(paragraphs: string[], paragraph: string): boolean {
  const index = paragraphs.indexOf(paragraph);
  if (index < 0) return false;
  paragraphs.splice(index, 1);
  return true;
}
