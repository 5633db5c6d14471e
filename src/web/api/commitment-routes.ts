import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  changeCommitment,
  confirmFulfilment,
  getCommitment,
  recordProgress,
  decisionCommitments,
  listCommitments,
  COMMITMENT_STATES,
  rejectSuggestion,
  suggestFulfilments,
  type CommitmentListItem,
  type CommitmentView,
} from "../../services/commitments/index.js";
import { findCouncil } from "../../services/councils/index.js";
import { getDecision } from "../../services/decisions/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { normaliseParameters } from "../shared/decision-query.js";
import { maxAgeFor, sendCached } from "../shared/http-caching.js";
import {
  commitmentChangeSchema,
  commitmentQuerySchema,
  fulfilmentRequestSchema,
  progressRequestSchema,
} from "./commitment-schemas.js";
import { API_PREFIX, instant, links } from "./present.js";

/**
 * Commitments over the API (issue 10): what decisions promised, when it is due, and what fulfilled it.
 *
 *   GET  /api/v1/decisions/:id/commitments                  public: a decision's commitments, each open one with
 *                                                           the later decisions that may fulfil it, best first
 *   GET  /api/v1/commitments?status=overdue&council=&limit= public: across the register, earliest due first
 *   POST /api/v1/commitments/:id/fulfilment  { decisionId }  officer (API token): confirm, the commitment is done
 *   POST /api/v1/commitments/:id/rejections  { decisionId }  officer (API token): not this one, never suggested again
 *   PATCH /api/v1/commitments/:id  { owner?, due?, status?: dropped|open, reason? }  officer: manage it
 *   POST /api/v1/commitments/:id/progress    { note }        officer (API token): a dated progress note
 *
 * Reads are cached briefly (a new decision changes the suggestions; the calendar, what is overdue).
 */

const JSON_TYPE = "application/json; charset=utf-8";
/** A minute: suggestions follow the register closely enough, and overdue changes only at a quarter's end. */
const MAX_AGE = 60;
const OFFICERS = { config: { access: ["officer"] as const } };

export interface CommitmentJson {
  id: number;
  position: number;
  text: string;
  /** "2017-18 Q3". */
  due: string;
  dueMonths: string;
  duePhrase: string;
  confidence: string;
  status: string;
  owner: string | null;
  progress: { note: string; recordedAt: string }[];
  droppedReason: string | null;
  fulfilledBy: { decisionId: number; title: string; links: { self: string; html: string } } | null;
  confirmedAt: string | null;
  suggestions: { decisionId: number; title: string; meetingDate: string; score: number }[];
  links: { decision: string; html: string };
}

function commitmentJson(c: CommitmentView, suggestions: CommitmentJson["suggestions"]): CommitmentJson {
  return {
    id: c.id,
    position: c.position,
    text: c.text,
    due: c.due,
    dueMonths: c.dueMonths,
    duePhrase: c.duePhrase,
    confidence: c.confidence,
    status: c.status,
    owner: c.owner,
    progress: c.progress.map((p) => ({ note: p.note, recordedAt: instant(p.recordedAt) })),
    droppedReason: c.droppedReason,
    fulfilledBy:
      c.fulfilledBy === null
        ? null
        : {
            decisionId: c.fulfilledBy.id,
            title: c.fulfilledBy.title,
            links: { self: links.decision(c.fulfilledBy.id), html: links.decisionPage(c.fulfilledBy.id) },
          },
    confirmedAt: c.confirmedAt === null ? null : instant(c.confirmedAt),
    suggestions,
    links: {
      decision: links.decision(c.decisionId),
      html: `${links.decisionPage(c.decisionId)}#commitments`,
    },
  };
}

function listItemJson(c: CommitmentListItem) {
  return {
    ...commitmentJson(c, []),
    decision: {
      id: c.decision.id,
      title: c.decision.title,
      meetingDate: c.decision.meetingDate,
      links: { self: links.decision(c.decision.id), html: links.decisionPage(c.decision.id) },
    },
    suggestions: undefined,
  };
}

/** The first problem of a write's body as a ValidationError naming its field. */
function bodyError(error: z.ZodError, fallback: string, hint: string): ValidationError {
  const issue = error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    return new ValidationError(`${key}: is not a field here; ${hint}`, key);
  }
  const field = issue && issue.path.length > 0 ? String(issue.path[0]) : fallback;
  return new ValidationError(`${field}: ${issue?.message ?? "is not valid"}; ${hint}`, field);
}

export const commitmentRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;

  function sendJson(request: FastifyRequest, reply: FastifyReply, value: unknown) {
    return sendCached(request, reply, {
      body: JSON.stringify(value),
      contentType: JSON_TYPE,
      maxAge: maxAgeFor(deps.now(), null, MAX_AGE),
    });
  }

  app.get<{ Params: { id: string } }>(
    `${API_PREFIX}/decisions/:id/commitments`,
    { config: { access: "public" } },
    async (request, reply) => {
      const at = deps.now();
      const decisionId = await publicDecisionId(request.params.id, at);
      const commitments = await decisionCommitments(db(), decisionId, ukDateOf(at));
      const data: CommitmentJson[] = [];
      for (const c of commitments) {
        const open = c.status === "open" || c.status === "overdue";
        data.push(commitmentJson(c, open ? await suggestFulfilments(db(), c.id) : []));
      }
      return sendJson(request, reply, {
        data,
        links: {
          self: `${API_PREFIX}/decisions/${decisionId}/commitments`,
          decision: links.decision(decisionId),
        },
      });
    },
  );

  app.get(`${API_PREFIX}/commitments`, { config: { access: "public" } }, async (request, reply) => {
    const given = normaliseParameters(request.query, Object.keys(commitmentQuerySchema.shape));
    const parsed = commitmentQuerySchema.safeParse(given);
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? "status");
      throw new ValidationError(
        field === "status"
          ? `status: use one of ${COMMITMENT_STATES.join(", ")}`
          : field === "limit"
            ? "limit: use a whole number from 1 to 500"
            : `${field}: is too long`,
        field,
      );
    }
    const { status, limit = 100 } = parsed.data;
    const council =
      parsed.data.council === undefined ? undefined : await findCouncil(db(), parsed.data.council);
    const items = await listCommitments(
      db(),
      { ...(status && { status }), ...(council && { councilId: council.id }), limit },
      ukDateOf(deps.now()),
    );
    const params = new URLSearchParams(
      Object.entries(given).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return sendJson(request, reply, {
      data: items.map(listItemJson),
      links: { self: `${API_PREFIX}/commitments${params.size > 0 ? `?${params.toString()}` : ""}` },
      meta: { count: items.length, limit },
    });
  });

  for (const [path, verdict] of [
    ["fulfilment", "confirmed"],
    ["rejections", "rejected"],
  ] as const) {
    app.post<{ Params: { id: string }; Body: unknown }>(
      `${API_PREFIX}/commitments/:id/${path}`,
      OFFICERS,
      async (request, reply) => {
        const commitmentId = idOf(request.params.id, "id");
        const body = fulfilmentRequestSchema.safeParse(request.body);
        if (!body.success) {
          const issue = body.error.issues[0];
          const field = issue?.code === "unrecognized_keys" ? issue.keys[0]! : "decisionId";
          throw new ValidationError(
            field === "decisionId"
              ? 'decisionId: send a JSON object with the decision\'s number: { "decisionId": 123 }'
              : `${field}: is not a field here; send { "decisionId": 123 }`,
            field,
          );
        }
        const { decisionId } = body.data;
        const actor = actorFor(request.account!);
        const act = verdict === "confirmed" ? confirmFulfilment : rejectSuggestion;
        const result = await act(deps.database, commitmentId, decisionId, actor, deps.now());
        reply.header("cache-control", "no-store");
        return reply.code(200).send({
          data: { ...result, verdict },
          links: { decision: links.decision(decisionId) },
        });
      },
    );
  }

  /** The commitment as it now is, after a write (the officer's council's: it was found there). */
  async function answerCommitment(reply: FastifyReply, commitmentId: number, councilId: number) {
    const view = await getCommitment(db(), commitmentId, ukDateOf(deps.now()), councilId);
    reply.header("cache-control", "no-store");
    return reply.code(200).send({
      data: listItemJson(view),
      links: { self: `${API_PREFIX}/commitments/${commitmentId}` },
    });
  }

  app.patch<{ Params: { id: string }; Body: unknown }>(
    `${API_PREFIX}/commitments/:id`,
    OFFICERS,
    async (request, reply) => {
      const commitmentId = idOf(request.params.id, "id");
      const body = commitmentChangeSchema.safeParse(request.body);
      if (!body.success) {
        throw bodyError(
          body.error,
          "owner",
          'send any of { "owner", "due": "2017-18 Q3", "status": "dropped" | "open", "reason" }',
        );
      }
      const actor = actorFor(request.account!);
      const { owner, due, status, reason } = body.data;
      await changeCommitment(
        deps.database,
        commitmentId,
        {
          ...(owner !== undefined && { owner }),
          ...(due !== undefined && { due }),
          ...(status !== undefined && { status }),
          ...(reason !== undefined && { reason }),
        },
        actor,
      );
      return answerCommitment(reply, commitmentId, actor.councilId);
    },
  );

  app.post<{ Params: { id: string }; Body: unknown }>(
    `${API_PREFIX}/commitments/:id/progress`,
    OFFICERS,
    async (request, reply) => {
      const commitmentId = idOf(request.params.id, "id");
      const body = progressRequestSchema.safeParse(request.body);
      if (!body.success) {
        throw bodyError(body.error, "note", 'send { "note": "what has happened so far" }');
      }
      const actor = actorFor(request.account!);
      await recordProgress(deps.database, commitmentId, body.data.note, actor, deps.now());
      return answerCommitment(reply, commitmentId, actor.councilId);
    },
  );

  /** A published decision's number, from its number or record id; NotFoundError for drafts and unknowns. */
  async function publicDecisionId(ref: string, at: Date): Promise<number> {
    const text = ref.trim();
    if (text === "" || text.length > 100 || /\p{Cc}/u.test(text)) throw new NotFoundError("no such decision");
    const detail = await getDecision(db(), text, at);
    const published =
      detail.publicationState !== "draft" &&
      (detail.status ? detail.status.status !== "draft" : (detail.publishedOn ?? "9999") <= ukDateOf(at));
    if (!published) throw new NotFoundError(`no decision "${ref}"`);
    return detail.id;
  }
};

function idOf(value: string, field: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new ValidationError(`${field}: "${value.slice(0, 40)}" is not a number; use the numeric id`, field);
  }
  return Number(value);
}
