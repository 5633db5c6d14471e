import type { FastifyReply } from "fastify";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  signCallInRequest,
  startCallInRequest,
  type OnlineCallInResult,
} from "../../services/call-in/index.js";
import { correctDecision, recordScrutinyOutcome } from "../../services/decision-changes/index.js";
import { getDecision } from "../../services/decisions/index.js";
import {
  consentToUrgency,
  createDraft,
  getDraft,
  listDrafts,
  publishDecision,
  updateDraft,
  type DraftView,
} from "../../services/drafting/index.js";
import {
  addAgendaItem,
  scheduleMeeting,
  type NewAgendaItem,
  type NewMeeting,
} from "../../services/meetings/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { API_PREFIX, decisionDetailJson, instant, links } from "./present.js";
import type {
  AgendaItemCreatedJson,
  CallInRequestJson,
  DraftJson,
  MeetingCreatedJson,
  VersionCreatedJson,
} from "./write-schemas.js";

/**
 * The write API: the council's own programs record meetings, draft, publish and correct decisions, and
 * councillors call decisions in, over the same services as the workspace's forms. Authenticated by API token
 * only (`Authorization: Bearer rsv_...`, made with `resolved token create`): 401 without one, 403 without the
 * role, 400 naming the field, 409 when the decision's state does not allow it (a published draft, a closed
 * call-in window). Every change is audited under the token's account.
 *
 *   POST  /api/v1/meetings                                          officer, proper-officer
 *   POST  /api/v1/meetings/:id/agenda-items                         officer, proper-officer
 *   GET   /api/v1/drafts, /api/v1/drafts/:id                        officer, proper-officer, scrutiny-chair
 *   POST  /api/v1/decisions                   (a draft)             officer
 *   PATCH /api/v1/decisions/:id               (drafts only)         officer
 *   POST  /api/v1/decisions/:id/publish                             proper-officer
 *   POST  /api/v1/decisions/:id/corrections                         officer
 *   POST  /api/v1/decisions/:id/urgency-consent (drafts)            scrutiny-chair
 *   POST  /api/v1/decisions/:id/call-in-requests                    councillor
 *   POST  /api/v1/decisions/:id/call-in-requests/:rid/signatures    councillor
 *   POST  /api/v1/decisions/:id/scrutiny-outcome                    scrutiny-chair
 */

// As on the workspace's pages: officers record meetings, draft and correct; the Proper Officer publishes (an
// account that does both holds both roles); whoever publishes or consents to urgency may read the drafts.
const MEETINGS = { config: { access: ["officer", "proper-officer"] as const } };
const DRAFTING = { config: { access: ["officer"] as const } };
const READING_DRAFTS = { config: { access: ["officer", "proper-officer", "scrutiny-chair"] as const } };
const PUBLISHING = { config: { access: ["proper-officer"] as const } };
const COUNCILLORS = { config: { access: ["councillor"] as const } };
const SCRUTINY = { config: { access: ["scrutiny-chair"] as const } };

type IdParams = { Params: { id: string } };

export const apiWriteRoutes: RoutePlugin = async (app, deps) => {
  const actor = (request: { account: Parameters<typeof actorFor>[0] | null }) => actorFor(request.account!);

  app.post<{ Body: unknown }>(`${API_PREFIX}/meetings`, MEETINGS, async (request, reply) => {
    const body = objectBody(request.body);
    const meeting = await scheduleMeeting(
      deps.database,
      body as unknown as NewMeeting,
      actor(request),
      ukDateOf(deps.now()),
    );
    const json: MeetingCreatedJson = {
      data: meeting,
      links: { self: links.meeting(meeting.id), html: links.meetingPage(meeting.id) },
    };
    return created(reply, json.links.self, json);
  });

  app.post<IdParams & { Body: unknown }>(
    `${API_PREFIX}/meetings/:id/agenda-items`,
    MEETINGS,
    async (request, reply) => {
      const meetingId = idOf(request.params.id);
      const body = objectBody(request.body);
      const unknown = Object.keys(body).find((key) => !["number", "title", "exemptParagraph"].includes(key));
      if (unknown !== undefined)
        throw new ValidationError(`${unknown}: is not a field of an agenda item`, unknown);
      const item = await addAgendaItem(
        deps.database,
        meetingId,
        body as unknown as NewAgendaItem,
        actor(request),
      );
      const json: AgendaItemCreatedJson = {
        data: item,
        links: { meeting: links.meeting(meetingId), html: links.meetingPage(meetingId) },
      };
      return created(reply, json.links.meeting, json);
    },
  );

  app.get(`${API_PREFIX}/drafts`, READING_DRAFTS, async (request, reply) => {
    const drafts = await listDrafts(deps.database.db, actor(request).councilId);
    noStore(reply);
    return {
      data: drafts.map((d) => ({ ...d, updatedAt: instant(d.updatedAt) })),
      links: { self: `${API_PREFIX}/drafts` },
    };
  });

  app.get<IdParams>(`${API_PREFIX}/drafts/:id`, READING_DRAFTS, async (request, reply) => {
    const draft = await getDraft(deps.database.db, actor(request).councilId, idOf(request.params.id));
    noStore(reply);
    return draftJson(draft);
  });

  app.post<{ Body: unknown }>(`${API_PREFIX}/decisions`, DRAFTING, async (request, reply) => {
    const { id } = await createDraft(deps.database, objectBody(request.body), actor(request));
    const json = draftJson(await getDraft(deps.database.db, actor(request).councilId, id));
    return created(reply, json.links.self, json);
  });

  app.patch<IdParams & { Body: unknown }>(`${API_PREFIX}/decisions/:id`, DRAFTING, async (request, reply) => {
    const id = idOf(request.params.id);
    await updateDraft(deps.database, id, objectBody(request.body), actor(request));
    noStore(reply);
    return draftJson(await getDraft(deps.database.db, actor(request).councilId, id));
  });

  app.post<IdParams & { Body: unknown }>(
    `${API_PREFIX}/decisions/:id/publish`,
    PUBLISHING,
    async (request, reply) => {
      const id = idOf(request.params.id);
      const body = objectBody(request.body ?? {});
      const unknown = Object.keys(body).find((key) => key !== "publishedOn");
      if (unknown !== undefined) throw new ValidationError(`${unknown}: is not a field of publish`, unknown);
      const publishedOn = body.publishedOn;
      if (publishedOn !== undefined && typeof publishedOn !== "string") {
        throw new ValidationError("publishedOn: must be a date as YYYY-MM-DD", "publishedOn");
      }
      const now = deps.now();
      await publishDecision(
        deps.database,
        id,
        { ...(publishedOn !== undefined && { publishedOn }), now },
        actor(request),
      );
      noStore(reply);
      return decisionDetailJson(await getDecision(deps.database.db, id, now));
    },
  );

  app.post<IdParams & { Body: unknown }>(
    `${API_PREFIX}/decisions/:id/corrections`,
    DRAFTING,
    async (request, reply) => {
      const id = idOf(request.params.id);
      const body = objectBody(request.body);
      const unknown = Object.keys(body).find((key) => key !== "record" && key !== "reason");
      if (unknown !== undefined)
        throw new ValidationError(`${unknown}: is not a field of a correction`, unknown);
      const added = await correctDecision(
        deps.database,
        id,
        { record: body.record, reason: body.reason },
        actor(request),
      );
      const json: VersionCreatedJson = {
        data: {
          decisionId: id,
          version: added.version,
          changedFields: added.changedFields,
          warnings: added.warnings.map((w) => w.message),
        },
        links: { self: links.version(id, added.version), decision: links.decision(id) },
      };
      return created(reply, json.links.self, json);
    },
  );

  app.post<IdParams>(`${API_PREFIX}/decisions/:id/urgency-consent`, SCRUTINY, async (request, reply) => {
    const id = idOf(request.params.id);
    await consentToUrgency(deps.database, id, actor(request));
    noStore(reply);
    return draftJson(await getDraft(deps.database.db, actor(request).councilId, id));
  });

  app.post<IdParams & { Body: unknown }>(
    `${API_PREFIX}/decisions/:id/call-in-requests`,
    COUNCILLORS,
    async (request, reply) => {
      const id = idOf(request.params.id);
      const body = objectBody(request.body);
      const unknown = Object.keys(body).find((key) => key !== "grounds");
      if (unknown !== undefined)
        throw new ValidationError(`${unknown}: is not a field of a call-in request`, unknown);
      const result = await startCallInRequest(
        deps.database,
        id,
        { grounds: body.grounds as { principle: string; explanation: string }[] },
        actor(request),
        deps.now(),
      );
      const json = callInJson(id, result);
      return created(reply, json.links.sign, json);
    },
  );

  app.post<{ Params: { id: string; rid: string } }>(
    `${API_PREFIX}/decisions/:id/call-in-requests/:rid/signatures`,
    COUNCILLORS,
    async (request, reply) => {
      const id = idOf(request.params.id);
      const result = await signCallInRequest(
        deps.database,
        id,
        idOf(request.params.rid, "rid"),
        actor(request),
        deps.now(),
      );
      const json = callInJson(id, result);
      return created(reply, json.links.sign, json);
    },
  );

  app.post<IdParams & { Body: unknown }>(
    `${API_PREFIX}/decisions/:id/scrutiny-outcome`,
    SCRUTINY,
    async (request, reply) => {
      const id = idOf(request.params.id);
      const body = objectBody(request.body);
      const unknown = Object.keys(body).find((key) => key !== "outcome" && key !== "decidedOn");
      if (unknown !== undefined)
        throw new ValidationError(`${unknown}: is not a field of a scrutiny outcome`, unknown);
      if (typeof body.outcome !== "string") {
        throw new ValidationError(
          "outcome: give one of confirmed, referred-back, referred-to-council",
          "outcome",
        );
      }
      if (body.decidedOn !== undefined && typeof body.decidedOn !== "string") {
        throw new ValidationError("decidedOn: must be a date as YYYY-MM-DD", "decidedOn");
      }
      const now = deps.now();
      const decision = await getDecision(deps.database.db, id, now);
      if (decision.council.id !== actor(request).councilId || decision.publicationState === "draft") {
        throw new ValidationError(`there is no published decision ${id}`, "id");
      }
      await recordScrutinyOutcome(deps.database, id, {
        outcome: body.outcome,
        decidedOn: body.decidedOn ?? ukDateOf(now),
        actor: actor(request).label,
      });
      noStore(reply);
      return decisionDetailJson(await getDecision(deps.database.db, id, deps.now()));
    },
  );
};

function draftJson(draft: DraftView): DraftJson {
  if (draft.status !== "draft") throw new NotFoundError(`there is no draft ${draft.id}`);
  return {
    data: {
      id: draft.id,
      status: "draft",
      meetingId: draft.meetingId,
      agendaItemId: draft.agendaItemId,
      keyDecision: draft.keyDecision,
      exemptParagraph: draft.exemptParagraph,
      urgency:
        draft.urgent && draft.urgencyReason !== null
          ? { reason: draft.urgencyReason, consent: draft.urgencyChairConsent }
          : null,
      record: draft.record,
    },
    links: {
      self: `${API_PREFIX}/drafts/${draft.id}`,
      publish: `${API_PREFIX}/decisions/${draft.id}/publish`,
      workspace: `/workspace/drafts/${draft.id}`,
    },
  };
}

function callInJson(decisionId: number, result: OnlineCallInResult): CallInRequestJson {
  const { request } = result;
  return {
    data: {
      id: request.id,
      decisionId,
      signatories: request.signatories,
      signatures: request.signatures.map((s) => ({ name: s.name, signedAt: instant(s.signedAt) })),
      valid: request.valid,
      reasons: request.reasons,
      signaturesNeeded: result.signaturesNeeded,
      minSignatories: result.minSignatories,
      receivedAt: instant(request.receivedAt),
    },
    links: {
      decision: links.decision(decisionId),
      sign: `${API_PREFIX}/decisions/${decisionId}/call-in-requests/${request.id}/signatures`,
    },
  };
}

/** A JSON object body, or a 400 saying what to send. */
function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ValidationError(
      "send a JSON object (Content-Type: application/json) as the request body",
      "body",
    );
  }
  return body as Record<string, unknown>;
}

function idOf(value: string, field = "id"): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new ValidationError(`${field}: "${value.slice(0, 40)}" is not a number; use the numeric id`, field);
  }
  return Number(value);
}

function created<T>(reply: FastifyReply, location: string, body: T): FastifyReply {
  noStore(reply);
  return reply.code(201).header("location", location).send(body);
}

function noStore(reply: FastifyReply): void {
  reply.header("cache-control", "no-store");
}
