import type { FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { listBodies } from "../../services/councils/index.js";
import {
  addMembership,
  createPerson,
  endMembership,
  getPerson,
  listPeople,
  updatePerson,
  type PersonDetail,
} from "../../services/people/index.js";
import { MEMBERSHIP_ROLE_LABELS } from "../councillors/councillor-routes.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import {
  accountActor,
  dateFromParts,
  dateParts,
  field,
  formBody,
  formErrors,
  problemsOf,
  redirectWithNotice,
  takeNotice,
  type DateParts,
  type FormBody,
  type FormErrors,
} from "./admin-forms.js";

/**
 * The admin's pages for people (their own council's), each change audited by the services:
 *
 *   GET  /workspace/people                                    everyone, with the bodies they sit on today
 *   GET  /workspace/people/new, POST /workspace/people        add a councillor or an officer
 *   GET  /workspace/people/:id, POST /workspace/people/:id    change their details
 *   POST /workspace/people/:id/memberships                    add a membership of a body (dated)
 *   POST /workspace/people/:id/memberships/:mid/end           end a membership on a date
 *
 * A post that succeeds redirects (303) to the person's page, which shows what was done in a banner; one that
 * does not is answered 400 with the form again, what was typed kept, and an error summary linking to each
 * field. The services check everything before writing anything.
 */

const ADMIN = { access: ["admin"] } as const;

interface PersonValues {
  name: string;
  role: string;
  ward: string;
  party: string;
  portfolio: string;
  jobTitle: string;
}

interface MembershipValues {
  body: string;
  role: string;
  from: DateParts;
  to: DateParts;
}

interface PersonPageState {
  personValues?: PersonValues;
  personErrors?: FormErrors;
  membershipValues?: MembershipValues;
  membershipErrors?: FormErrors;
  end?: { membershipId: number; values: DateParts; errors: FormErrors };
}

const EMPTY_DATE: DateParts = { day: "", month: "", year: "" };

export const peopleRoutes: RoutePlugin = async (app, deps) => {
  app.get("/workspace/people", { config: ADMIN }, async (request, reply) => {
    const account = request.account!;
    const people = await listPeople(deps.database.db, { councilId: account.councilId, on: today(deps) });
    noStore(reply);
    return reply.view("admin/people.njk", {
      pageTitle: "People",
      notice: takeNotice(request),
      people: people.map((p) => ({
        ...p,
        sitsOn: p.currentMemberships.map((m) => ({ ...m, roleLabel: MEMBERSHIP_ROLE_LABELS[m.role] })),
      })),
    });
  });

  app.get("/workspace/people/new", { config: ADMIN }, async (_request, reply) => {
    noStore(reply);
    return reply.view("admin/person-new.njk", newPersonView(reply, { role: "councillor" }));
  });

  app.post("/workspace/people", { config: ADMIN }, async (request, reply) => {
    const values = personValues(formBody(request));
    try {
      const { id } = await createPerson(
        deps.database,
        request.account!.councilId,
        values,
        accountActor(request),
      );
      return redirectWithNotice(
        request,
        reply,
        `/workspace/people/${id}`,
        `${clean(values.name)} has been added`,
      );
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      noStore(reply).code(400);
      return reply.view(
        "admin/person-new.njk",
        newPersonView(reply, values, formErrors(problems, { role: "role", "job-title": "job-title" })),
      );
    }
  });

  app.get<{ Params: { id: string } }>("/workspace/people/:id", { config: ADMIN }, async (request, reply) => {
    return personPage(request, reply, deps, personId(request.params.id), {});
  });

  app.post<{ Params: { id: string } }>("/workspace/people/:id", { config: ADMIN }, async (request, reply) => {
    const id = personId(request.params.id);
    const values = personValues(formBody(request));
    try {
      const { changed } = await updatePerson(deps.database, id, values, accountActor(request), {
        councilId: request.account!.councilId,
      });
      const notice = changed ? `${clean(values.name)}'s details have been saved` : "Nothing was changed";
      return redirectWithNotice(request, reply, `/workspace/people/${id}`, notice);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      return personPage(
        request,
        reply,
        deps,
        id,
        { personValues: values, personErrors: formErrors(problems) },
        400,
      );
    }
  });

  app.post<{ Params: { id: string } }>(
    "/workspace/people/:id/memberships",
    { config: ADMIN },
    async (request, reply) => {
      const id = personId(request.params.id);
      const body = formBody(request);
      const values: MembershipValues = {
        body: field(body, "body").trim(),
        role: field(body, "membership-role").trim(),
        from: dateParts(body, "from"),
        to: dateParts(body, "to"),
      };
      try {
        const added = await addMembership(
          deps.database,
          id,
          {
            body: /^\d{1,9}$/.test(values.body) ? Number(values.body) : values.body,
            role: values.role,
            from: dateFromParts(values.from),
            to: dateFromParts(values.to),
          },
          accountActor(request),
          { councilId: request.account!.councilId },
        );
        return redirectWithNotice(
          request,
          reply,
          `/workspace/people/${id}`,
          `Membership of ${added.bodyName} has been added`,
        );
      } catch (error) {
        const problems = problemsOf(error);
        if (!problems) throw error;
        const errors = formErrors(problems, { role: "membership-role", from: "from-day", to: "to-day" });
        return personPage(
          request,
          reply,
          deps,
          id,
          { membershipValues: values, membershipErrors: errors },
          400,
        );
      }
    },
  );

  app.post<{ Params: { id: string; membershipId: string } }>(
    "/workspace/people/:id/memberships/:membershipId/end",
    { config: ADMIN },
    async (request, reply) => {
      const id = personId(request.params.id);
      if (!/^\d{1,9}$/.test(request.params.membershipId)) throw new NotFoundError("no such membership");
      const membershipId = Number(request.params.membershipId);
      const prefix = `to-${membershipId}`;
      const values = dateParts(formBody(request), prefix);
      try {
        const ended = await endMembership(
          deps.database,
          membershipId,
          dateFromParts(values),
          accountActor(request),
          {
            councilId: request.account!.councilId,
            personId: id,
          },
        );
        return redirectWithNotice(
          request,
          reply,
          `/workspace/people/${id}`,
          `Membership of ${ended.bodyName} has been ended`,
        );
      } catch (error) {
        const problems = problemsOf(error);
        if (!problems) throw error;
        const errors = formErrors(problems, { to: `${prefix}-day` });
        return personPage(request, reply, deps, id, { end: { membershipId, values, errors } }, 400);
      }
    },
  );
};

function today(deps: RouteDeps): string {
  return ukDateOf(deps.now());
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header("cache-control", "no-store");
}

function clean(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function personId(text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new NotFoundError(`no person "${text}"`);
  return Number(text);
}

function personValues(body: FormBody): PersonValues {
  return {
    name: field(body, "name"),
    role: field(body, "role"),
    ward: field(body, "ward"),
    party: field(body, "party"),
    portfolio: field(body, "portfolio"),
    jobTitle: field(body, "job-title"),
  };
}

function valuesOf(person: PersonDetail): PersonValues {
  return {
    name: person.name,
    role: person.role,
    ward: person.ward ?? "",
    party: person.party ?? "",
    portfolio: person.portfolio ?? "",
    jobTitle: person.jobTitle ?? "",
  };
}

function newPersonView(reply: FastifyReply, values: Partial<PersonValues>, errors?: FormErrors) {
  return {
    pageTitle: "Add a person",
    hasErrors: errors !== undefined,
    errors,
    values,
    csrfToken: reply.generateCsrf(),
  };
}

/** The person's page: their details form, their memberships (each open one with a form to end it), and a form to add one. */
async function personPage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  id: number,
  state: PersonPageState,
  status = 200,
) {
  const councilId = request.account!.councilId;
  const person = await getPerson(deps.database.db, id, today(deps), { councilId });
  const bodies = await listBodies(deps.database.db, councilId);
  const summary = [
    ...(state.personErrors?.list ?? []),
    ...(state.membershipErrors?.list ?? []),
    ...(state.end?.errors.list ?? []),
  ];
  noStore(reply).code(status);
  return reply.view("admin/person.njk", {
    pageTitle: person.name,
    hasErrors: summary.length > 0,
    errorList: summary,
    notice: status === 200 ? takeNotice(request) : undefined,
    person,
    values: state.personValues ?? valuesOf(person),
    personErrors: state.personErrors?.byField ?? {},
    memberships: person.memberships.map((m) => ({
      ...m,
      roleLabel: MEMBERSHIP_ROLE_LABELS[m.role],
      endValues: state.end?.membershipId === m.id ? state.end.values : EMPTY_DATE,
      endError: state.end?.membershipId === m.id ? state.end.errors.byField.to : undefined,
    })),
    bodies: bodies.map((b) => ({ value: String(b.id), text: b.name })),
    membership: state.membershipValues ?? { body: "", role: "member", from: EMPTY_DATE, to: EMPTY_DATE },
    membershipErrors: state.membershipErrors?.byField ?? {},
    csrfToken: reply.generateCsrf(),
  });
}
