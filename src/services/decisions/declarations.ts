import type { DecisionRecord } from "../../domain/decision-record.js";
import type { InterestCategory } from "../../domain/interest-category.js";
import type { IsoDate } from "../../domain/iso-date.js";
import { declaredInterests } from "../../import/declared-interests.js";
import type { Executor } from "../../storage/database.js";

/**
 * A decision's declaration_of_interest rows follow its current version's section 5, so the register can
 * list who declared what across decisions; the section text itself stays as written in the record.
 */
export function declarationRows(decisionId: number, record: DecisionRecord) {
  return declaredInterests(record.conflictsOfInterest).map((d) => ({
    decisionId,
    personName: d.personName,
    category: d.category,
    nature: d.nature,
  }));
}

/** Inserts the rows for new decisions (nothing to replace). */
export async function insertDeclarations(
  db: Executor,
  rows: ReturnType<typeof declarationRows>,
): Promise<void> {
  if (rows.length > 0) await db.insertInto("declarationOfInterest").values(rows).execute();
}

/** Replaces a decision's rows when it gets a new version; in the transaction that writes the version. */
export async function syncDeclarations(
  db: Executor,
  decisionId: number,
  record: DecisionRecord,
): Promise<void> {
  await db.deleteFrom("declarationOfInterest").where("decisionId", "=", decisionId).execute();
  await insertDeclarations(db, declarationRows(decisionId, record));
}

export interface DeclarationView {
  id: number;
  personName: string;
  category: InterestCategory;
  nature: string;
}

export interface DispensationView {
  id: number;
  personName: string;
  grantedBy: string;
  grantedOn: IsoDate | null;
  expiresOn: IsoDate | null;
  scope: string;
}

/** The declarations of interest and dispensations recorded against a decision (besides its sections 5-6). */
export async function decisionInterests(
  db: Executor,
  decisionId: number,
): Promise<{ declarations: DeclarationView[]; dispensations: DispensationView[] }> {
  const declarations = await db
    .selectFrom("declarationOfInterest")
    .select(["id", "personName", "category", "nature"])
    .where("decisionId", "=", decisionId)
    .orderBy("id")
    .execute();
  const dispensations = await db
    .selectFrom("dispensation")
    .select(["id", "personName", "grantedBy", "grantedOn", "expiresOn", "scope"])
    .where("decisionId", "=", decisionId)
    .orderBy("id")
    .execute();
  return { declarations, dispensations };
}
