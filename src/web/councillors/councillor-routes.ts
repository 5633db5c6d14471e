import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { InterestCategory } from "../../domain/interest-category.js";
import { ukDateOf } from "../../domain/uk-time.js";
import {
  declarationsByMember,
  getPerson,
  listCouncillors,
  type MembershipView,
  type PersonSummary,
} from "../../services/people/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { single } from "../shared/format.js";

/**
 * The public pages about councillors:
 *
 *   GET /councillors       every councillor: ward, party, cabinet portfolio, the bodies they sit on today;
 *                          ?sort=name|ward|party (links, no JavaScript needed)
 *   GET /councillors/:id   one councillor: their memberships with dates, and the register of declarations by
 *                          member (every interest they declared in a published decision)
 *
 * Officers are not listed and have no page here (404): they appear in records by their post, and the register
 * of declarations is about elected members.
 */

export const SORTS = {
  name: "Name",
  ward: "Ward",
  party: "Party",
} as const;
type Sort = keyof typeof SORTS;

export const INTEREST_LABELS: Record<InterestCategory, string> = {
  "disclosable-pecuniary": "Disclosable pecuniary interest",
  "other-registrable": "Other registrable interest",
  "non-registrable": "Non-registrable interest",
  personal: "Personal interest",
  prejudicial: "Prejudicial interest",
  other: "Other interest",
};

export const MEMBERSHIP_ROLE_LABELS = {
  chair: "Chair",
  "vice-chair": "Vice-chair",
  member: "Member",
} as const;

export const councillorRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Querystring: Record<string, unknown> }>("/councillors", async (request, reply) => {
    const sortParam = single(request.query.sort) ?? "name";
    if (!Object.hasOwn(SORTS, sortParam)) {
      throw new ValidationError(`Sort by ${Object.keys(SORTS).join(", ")}`, "sort");
    }
    const sort = sortParam as Sort;
    const today = ukDateOf(deps.now());
    const councillors = sortCouncillors(await listCouncillors(deps.database.db, { on: today }), sort);
    return reply.view("councillors/councillors.njk", {
      pageTitle: "Councillors",
      sort,
      sorts: Object.entries(SORTS).map(([key, label]) => ({
        key,
        label,
        href: key === "name" ? "/councillors" : `/councillors?sort=${key}`,
        current: key === sort,
      })),
      groups: groupCouncillors(councillors, sort),
      count: councillors.length,
    });
  });

  app.get<{ Params: { id: string } }>("/councillors/:id", async (request, reply) => {
    const id = request.params.id;
    if (!/^\d{1,9}$/.test(id)) throw new NotFoundError(`no councillor "${id}"`);
    const today = ukDateOf(deps.now());
    const person = await getPerson(deps.database.db, Number(id), today);
    if (person.role !== "councillor") throw new NotFoundError(`no councillor ${id}`);
    const declarations = await declarationsByMember(deps.database.db, person.id, today);
    return reply.view("councillors/councillor.njk", {
      pageTitle: person.name,
      person,
      current: person.memberships.filter((m) => m.current).map(membershipView),
      past: person.memberships.filter((m) => !m.current).map(membershipView),
      declarations: declarations.map((d) => ({
        ...d,
        categoryLabel: INTEREST_LABELS[d.category] ?? d.category,
      })),
    });
  });
};

function membershipView(membership: MembershipView) {
  return { ...membership, roleLabel: MEMBERSHIP_ROLE_LABELS[membership.role] ?? membership.role };
}

const collator = new Intl.Collator("en-GB", { sensitivity: "base", numeric: true });

function sortCouncillors(councillors: PersonSummary[], sort: Sort): PersonSummary[] {
  if (sort === "name") return councillors;
  // Those without a ward or party last; by name within each.
  return [...councillors].sort((a, b) => {
    const [x, y] = [a[sort], b[sort]];
    if (x === y) return collator.compare(a.name, b.name);
    if (x === null) return 1;
    if (y === null) return -1;
    return collator.compare(x, y) || collator.compare(a.name, b.name);
  });
}

/** Sorted by ward or party, the councillors come in groups with a heading; by name, in one table. */
function groupCouncillors(councillors: PersonSummary[], sort: Sort) {
  const rows = councillors.map((c) => ({
    ...c,
    sitsOn: c.currentMemberships.map(membershipView),
  }));
  if (sort === "name") return [{ heading: null, rows }];
  const groups: Array<{ heading: string; rows: typeof rows }> = [];
  for (const row of rows) {
    const heading = row[sort] ?? (sort === "ward" ? "No ward recorded" : "No party recorded");
    const last = groups[groups.length - 1];
    if (last && last.heading === heading) last.rows.push(row);
    else groups.push({ heading, rows: [row] });
  }
  return groups;
}
