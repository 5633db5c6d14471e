import type { CallInRule } from "../../domain/call-in-rule.js";
import { NotFoundError } from "../../domain/errors.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import { type BodySummary, listBodies } from "./bodies.js";
import { DEFAULT_COUNCIL, getCouncil } from "./councils.js";

export interface CouncilOverview {
  slug: string;
  name: string;
  /** False before anything of the council has been imported: the default rule is shown. */
  inRegister: boolean;
  callInRule: CallInRule;
  minCallInSignatories: number;
  keyDecisionThreshold: number | null;
  bodies: BodySummary[];
  decisionCount: number;
  meetingCount: number;
  firstMeeting: IsoDate | null;
  lastMeeting: IsoDate | null;
}

/**
 * The council `slug` names, with its bodies and totals. The default council is shown with its default rule
 * before anything has been imported; any other unknown council is a NotFoundError.
 */
export async function getCouncilOverview(
  db: Executor,
  slug: string,
  options: { defaultCouncil: string },
): Promise<CouncilOverview> {
  const exists = await db.selectFrom("council").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!exists) {
    if (slug !== options.defaultCouncil) throw new NotFoundError(`no council "${slug}"`);
    const isStockton = slug === DEFAULT_COUNCIL.slug;
    return {
      slug,
      name: isStockton ? DEFAULT_COUNCIL.name : slug,
      inRegister: false,
      callInRule: DEFAULT_COUNCIL.callInRule,
      minCallInSignatories: DEFAULT_COUNCIL.minCallInSignatories,
      keyDecisionThreshold: isStockton ? DEFAULT_COUNCIL.keyDecisionThreshold : null,
      bodies: [],
      decisionCount: 0,
      meetingCount: 0,
      firstMeeting: null,
      lastMeeting: null,
    };
  }
  const council = await getCouncil(db, slug);
  const bodies = await listBodies(db, council.id);
  const decisions = await db
    .selectFrom("decision")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("councilId", "=", council.id)
    .where("status", "<>", "draft")
    .executeTakeFirstOrThrow();
  const meetings = await db
    .selectFrom("meeting")
    .innerJoin("body", "body.id", "meeting.bodyId")
    .select((eb) => [
      eb.fn.countAll<number>().as("count"),
      eb.fn.min("meeting.date").as("first"),
      eb.fn.max("meeting.date").as("last"),
    ])
    .where("body.councilId", "=", council.id)
    .where("meeting.status", "<>", "cancelled")
    .executeTakeFirstOrThrow();
  return {
    slug: council.slug,
    name: council.name,
    inRegister: true,
    callInRule: council.callInRule,
    minCallInSignatories: council.minCallInSignatories,
    keyDecisionThreshold: council.keyDecisionThreshold,
    bodies,
    decisionCount: Number(decisions.count),
    meetingCount: Number(meetings.count),
    firstMeeting: (meetings.first as IsoDate | null) ?? null,
    lastMeeting: (meetings.last as IsoDate | null) ?? null,
  };
}
