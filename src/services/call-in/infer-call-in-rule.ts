import { sql } from "kysely";
import {
  type CallInEvidence,
  type CallInRuleInference,
  inferCallInRule,
} from "../../domain/call-in-rule-inference.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import type { Council } from "../councils/councils.js";
import { findCouncil } from "../councils/find-council.js";
import { getHolidayCalendar } from "./bank-holidays.js";
import { printedCutoffTime } from "./call-in-window.js";

/**
 * A council's call-in rule from its own history: the rule that explains most of its published decisions'
 * (publication date, printed deadline or effective-from date) pairs, so a council joining the register starts
 * from its own practice. Read-only; `resolved council infer-rule --apply` sets the rule through setCouncilRule.
 */

export interface CouncilRuleInference {
  council: Council;
  inference: CallInRuleInference;
}

/** The council `ref` names (see findCouncil), its published decisions' evidence, and the inferred rule. */
export async function inferCouncilCallInRule(
  db: Executor,
  ref: string,
  options: { maxDays?: number } = {},
): Promise<CouncilRuleInference> {
  const council = await findCouncil(db, ref);
  const evidence = await callInEvidence(db, council.id);
  const { countFrom, days, dayKind, cutoff } = council.callInRule;
  const inference = inferCallInRule(evidence, {
    calendar: getHolidayCalendar(council.callInRule.holidayRegion),
    closureDays: council.callInRule.closureDays,
    compareWith: { countFrom, days, dayKind, cutoff },
    ...(options.maxDays !== undefined && { maxDays: options.maxDays }),
  });
  return { council, inference };
}

/**
 * Each published decision of the council, oldest first: the publication date and printed deadline from the
 * decision's columns, and the effective-from date, the printed call-in line and "subject to call-in?" from its
 * current version's record (the columns do not hold them).
 */
async function callInEvidence(db: Executor, councilId: number): Promise<CallInEvidence[]> {
  const record = sql.ref("decisionVersion.record");
  const rows = await db
    .selectFrom("decision")
    .innerJoin("decisionVersion", (join) =>
      join
        .onRef("decisionVersion.decisionId", "=", "decision.id")
        .onRef("decisionVersion.version", "=", "decision.currentVersion"),
    )
    .select([
      "decision.id",
      "decision.recordId",
      "decision.title",
      "decision.publishedOn",
      "decision.callInDeadline",
      "decision.notSubjectToCallIn",
      "decision.urgent",
      sql<IsoDate | null>`${record}->>'effectiveFrom'`.as("effectiveFrom"),
      sql<string | null>`${record}->'callIn'->>'text'`.as("callInText"),
      sql<boolean | null>`(${record}->>'subjectToCallIn')::boolean`.as("subjectToCallIn"),
    ])
    .where("decision.councilId", "=", councilId)
    .where("decision.status", "=", "published")
    .orderBy("decision.publishedOn")
    .orderBy("decision.id")
    .execute();
  return rows.map((row) => ({
    decisionId: row.id,
    label: row.recordId ?? row.title,
    publishedOn: row.publishedOn,
    deadline: row.callInDeadline,
    effectiveFrom: row.effectiveFrom,
    printedCutoff: row.callInText ? printedCutoffTime(row.callInText) : null,
    // The register's own judgement (a recommendation to Council, "Not applicable"), urgency, or the record's
    // "Is subject to call in?: No".
    subjectToCallIn: !(row.notSubjectToCallIn || row.urgent || row.subjectToCallIn === false),
  }));
}
