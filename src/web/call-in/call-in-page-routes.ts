import type { FastifyReply, FastifyRequest } from "fastify";
import { PRINCIPLES_OF_DECISION_MAKING } from "../../domain/call-in-request.js";
import { NotFoundError } from "../../domain/errors.js";
import { actorFor } from "../../services/accounts/index.js";
import {
  signCallInRequest,
  startCallInRequest,
  type OnlineCallInResult,
} from "../../services/call-in/index.js";
import type { DecisionDetail } from "../../services/decisions/index.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { presentCallInRequests } from "../shared/call-in-requests.js";
import { callInClose, formatTimeLeft, statusTag } from "../shared/format.js";
import {
  EMPTY_CALL_IN_FORM,
  MAX_EXPLANATION_LENGTH,
  readCallInForm,
  type CallInFormValues,
  type FormError,
} from "./call-in-form.js";
import { refusal } from "./refusals.js";
import { setNotice, takeNotice } from "./workspace-notice.js";
import { DECISION_ID, workspaceDecision } from "./workspace-decision.js";

/**
 * The councillors' call-in page for a decision:
 *
 *   GET  /workspace/decisions/:id/call-in                   the window and time left, the requests so far with
 *                                                           their signatures, a form to start a request and a
 *                                                           "Sign this request" button on each one the
 *                                                           councillor can still sign
 *   POST /workspace/decisions/:id/call-in                   start a request (the councillor is its first signatory)
 *   POST /workspace/decisions/:id/call-in/:requestId/sign   add the councillor's signature
 *
 * A post redirects back here (303) with a notification banner; a refusal (the window has closed, already
 * signed, not subject to call-in) shows the page again with the reason in an error summary (400, 403 or 409).
 */

const ACCESS = { access: ["councillor"] as const };

interface Params {
  id: string;
  requestId?: string;
}

export const callInPageRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Params: Params }>(
    "/workspace/decisions/:id/call-in",
    { config: ACCESS },
    async (request, reply) => {
      const decision = await workspaceDecision(deps, request.account!, request.params.id);
      return renderPage(request, reply, deps, decision, { notice: takeNotice(request) });
    },
  );

  app.post<{ Params: Params }>(
    "/workspace/decisions/:id/call-in",
    { config: ACCESS },
    async (request, reply) => {
      const account = request.account!;
      const decision = await workspaceDecision(deps, account, request.params.id);
      const form = readCallInForm(request.body);
      if (!form.ok) {
        return renderPage(request, reply, deps, decision, {
          status: 400,
          errors: form.errors,
          values: form.values,
        });
      }
      let result: OnlineCallInResult;
      try {
        result = await startCallInRequest(
          deps.database,
          decision.id,
          { grounds: form.grounds },
          actorFor(account),
          deps.now(),
        );
      } catch (error) {
        const refused = refusal(error, "#start-request");
        if (!refused) throw error;
        return renderPage(request, reply, deps, decision, { ...refused, values: form.values });
      }
      setNotice(
        request,
        result.request.valid
          ? {
              heading: "The decision is called in",
              text: "Your request had the signatures it needs as soon as you started it.",
            }
          : {
              heading: "Call-in request started",
              text:
                `You are its first signatory. It needs ${signatures(result.signaturesNeeded)} more from other ` +
                `councillors before call-in closes at ${callInClose(decision.callIn?.cutoff)} (UK time).`,
            },
      );
      return reply.redirect(pageUrl(decision.id), 303);
    },
  );

  app.post<{ Params: Params }>(
    "/workspace/decisions/:id/call-in/:requestId/sign",
    { config: ACCESS },
    async (request, reply) => {
      const account = request.account!;
      const decision = await workspaceDecision(deps, account, request.params.id);
      const requestId = request.params.requestId ?? "";
      if (!DECISION_ID.test(requestId))
        throw new NotFoundError(`decision ${decision.id} has no call-in request ${requestId}`);
      let result: OnlineCallInResult;
      try {
        result = await signCallInRequest(
          deps.database,
          decision.id,
          Number(requestId),
          actorFor(account),
          deps.now(),
        );
      } catch (error) {
        const refused = refusal(error, `#request-${requestId}`);
        if (!refused) throw error;
        return renderPage(request, reply, deps, decision, refused);
      }
      setNotice(
        request,
        result.request.valid
          ? {
              heading: "The decision is called in",
              text:
                `Your signature was the last of the ${signatures(result.minSignatories)} needed: ` +
                "overview and scrutiny will now review the decision.",
            }
          : {
              heading: "You have signed the call-in request",
              text: `It needs ${signatures(result.signaturesNeeded)} more before call-in closes.`,
            },
      );
      return reply.redirect(pageUrl(decision.id), 303);
    },
  );
};

function pageUrl(id: number): string {
  return `/workspace/decisions/${id}/call-in`;
}

function signatures(count: number): string {
  return `${count} signature${count === 1 ? "" : "s"}`;
}

async function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  decision: DecisionDetail,
  options: {
    status?: number;
    errors?: FormError[];
    values?: CallInFormValues;
    notice?: { heading: string; text?: string } | undefined;
  },
): Promise<FastifyReply> {
  const account = request.account!;
  const at = deps.now();
  const callIn = decision.callIn;
  const callInOpen =
    decision.status?.status === "published" &&
    Boolean(callIn?.cutoff) &&
    Date.parse(callIn!.cutoff!) > at.getTime();
  const requests = presentCallInRequests(
    decision.callInRequests,
    decision.council.minCallInSignatories,
    callIn?.cutoff ?? null,
    at,
  ).map((shown) => {
    const signed = shown.signatures.some((s) => s.personId !== null && s.personId === account.personId);
    return { ...shown, signed, canSign: callInOpen && shown.stage === "gathering" && !signed };
  });
  reply.code(options.status ?? 200).header("cache-control", "no-store");
  return reply.view("call-in/call-in.njk", {
    pageTitle: `Call in: ${decision.title}`,
    hasErrors: Boolean(options.errors?.length),
    errors: options.errors ?? [],
    notice: options.notice,
    decision,
    tag: statusTag(decision.status),
    at,
    callIn,
    callInOpen,
    callInPast: Boolean(callIn?.cutoff) && Date.parse(callIn!.cutoff!) <= at.getTime(),
    callInCloses: callInClose(callIn?.cutoff),
    timeLeft: callIn?.cutoff ? formatTimeLeft(at, callIn.cutoff) : "",
    minSignatories: decision.council.minCallInSignatories,
    requests,
    principles: PRINCIPLES_OF_DECISION_MAKING,
    values: options.values ?? EMPTY_CALL_IN_FORM,
    maxExplanationLength: MAX_EXPLANATION_LENGTH,
    csrfToken: reply.generateCsrf(),
  });
}
