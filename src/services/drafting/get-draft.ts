import type { DecisionRecord } from "../../domain/decision-record.js";
import { NotFoundError } from "../../domain/errors.js";
import { INTEREST_CATEGORIES, type InterestCategory } from "../../domain/interest-category.js";
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
  /** The item on the meeting's agenda it is filed under, if any. */
  agendaItemId: number | null;
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
      "decision.agendaItemId",
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
  const grantRows = await db
    .selectFrom("dispensation")
    .select(["personName", "grantedBy", "scope"])
    .where("decisionId", "=", id)
    .orderBy("id")
    .execute();

  const section5 = paragraphsOf(record.conflictsOfInterest);
  const declarations: DraftView["declarations"] = [];
  // Only a paragraph in the words the form writes (declarationSentence) is a pick; anything else (typed by
  // hand, imported) stays text, so saving the form never writes it twice.
  for (const paragraph of [...section5]) {
    const pick = pickedDeclaration(paragraph, members);
    if (pick && takeParagraph(section5, paragraph)) declarations.push(pick);
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

/** The declaration a sentence of declarationSentence's states, if it is one about one of `members`. */
function pickedDeclaration(
  paragraph: string,
  members: readonly MemberOnDate[],
): DraftView["declarations"][number] | undefined {
  const marker = "\u0000";
  for (const member of members) {
    for (const category of INTEREST_CATEGORIES) {
      const [before] = declarationSentence(member, category, marker).split(marker);
      if (paragraph.startsWith(before!) && paragraph.endsWith(".") && paragraph.length > before!.length + 1) {
        const nature = paragraph.slice(before!.length, -1);
        if (declarationSentence(member, category, nature) === paragraph) {
          return { personId: member.personId, category, nature };
        }
      }
    }
  }
  return undefined;
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
