import { API_PREFIX } from "./present.js";
import { commitmentQuerySchema } from "./commitment-schemas.js";
import {
  ERRORS,
  idParameter,
  jsonResponse,
  NOT_FOUND,
  numericId,
  operation,
  queryParameters,
  ref,
  write,
  type HttpMethod,
  type OpenApiDocument,
  type OpenApiOperation,
  type OpenApiParameter,
} from "./openapi-parts.js";

/** The paths of the API's writes, and of the strategies and commitments features, for the OpenAPI document. */

export function commitmentPaths(): OpenApiDocument["paths"] {
  const commitment = numericId("id", "The commitment's number.");
  const officerWrite = (
    method: "post" | "patch",
    operationId: string,
    summary: string,
    description: string,
    body: "FulfilmentRequest" | "CommitmentChange" | "ProgressRequest",
    response: { description: string; schema: "FulfilmentResult" | "CommitmentResult" },
  ): Partial<Record<HttpMethod, OpenApiOperation>> => {
    const op = write(method, operationId, ["officer"], summary, description, [commitment], null, {
      status: "200",
      ...response,
    });
    op[method]!.tags = ["Commitments"];
    op[method]!.requestBody = { required: true, content: { "application/json": { schema: ref(body) } } };
    return op;
  };
  const verdict = (operationId: string, summary: string, description: string) =>
    officerWrite("post", operationId, summary, description, "FulfilmentRequest", {
      description: "The commitment's status after the verdict.",
      schema: "FulfilmentResult",
    });
  return {
    [`${API_PREFIX}/decisions/{id}/commitments`]: operation(
      "listDecisionCommitments",
      "Commitments",
      "A decision's commitments",
      "What the record promised, in its order: each with its due quarter (and the words it was worked out from), " +
        "its status (overdue: open past its due quarter), the decision that fulfilled it, and for an open one the " +
        "later decisions of the same council that may fulfil it, best first.",
      [idParameter],
      { "200": jsonResponse("The decision's commitments.", "DecisionCommitments"), ...ERRORS, ...NOT_FOUND },
    ),
    [`${API_PREFIX}/commitments`]: operation(
      "listCommitments",
      "Commitments",
      "Commitments across the register",
      "Earliest due first; status=overdue lists every open commitment whose due quarter has ended.",
      queryParameters(commitmentQuerySchema, Object.keys(commitmentQuerySchema.shape)),
      { "200": jsonResponse("The commitments.", "CommitmentList"), ...ERRORS },
    ),
    [`${API_PREFIX}/commitments/{id}/fulfilment`]: verdict(
      "confirmFulfilment",
      "Confirm the decision that fulfilled a commitment",
      "Marks the commitment done, fulfilled by the decision (a later published decision of the same council); audited.",
    ),
    [`${API_PREFIX}/commitments/{id}/rejections`]: verdict(
      "rejectFulfilment",
      "Reject a suggested fulfilment",
      "Records that the decision does not fulfil the commitment: it is never suggested for it again; audited.",
    ),
    [`${API_PREFIX}/commitments/{id}`]: officerWrite(
      "patch",
      "changeCommitment",
      "Change a commitment's owner, due quarter or status",
      'Any of: owner (free text; null clears it), due ("2017-18 Q3"), status "dropped" with a reason (shown ' +
        'publicly), or status "open" to reopen a dropped or done one (its fulfilment is cleared). All or nothing; ' +
        "audited. Answers the commitment as it now is.",
      "CommitmentChange",
      { description: "The commitment after the change.", schema: "CommitmentResult" },
    ),
    [`${API_PREFIX}/commitments/{id}/progress`]: officerWrite(
      "post",
      "recordCommitmentProgress",
      "Record progress on a commitment",
      "Adds a dated progress note to the commitment's history (shown publicly, oldest first); audited.",
      "ProgressRequest",
      { description: "The commitment with its progress history.", schema: "CommitmentResult" },
    ),
  };
}

export function strategyUpdatePaths(): OpenApiDocument["paths"] {
  const link = numericId(
    "id",
    "The link's number (updateOf[].id in a decision, updates[].id in a strategy).",
  );
  const verdict = (operationId: string, summary: string, description: string) => {
    const op = write("post", operationId, ["officer"], summary, description, [link], null, {
      status: "200",
      description: "The link after the verdict.",
      schema: "StrategyUpdateVerdict",
    });
    op.post!.tags = ["Strategies and KPIs"];
    return op;
  };
  return {
    [`${API_PREFIX}/strategy-updates/{id}/confirmation`]: verdict(
      "confirmStrategyUpdate",
      "Confirm a quarterly update",
      "Confirms that the decision considered the strategy's performance update for that quarter (one decision a quarter); audited.",
    ),
    [`${API_PREFIX}/strategy-updates/{id}/rejection`]: verdict(
      "rejectStrategyUpdate",
      "Reject a quarterly update link",
      "Removes the link; the decision is never proposed as an update of that strategy again; audited.",
    ),
  };
}

export function writePaths(): OpenApiDocument["paths"] {
  const decision = numericId("id", "The decision's number.");
  const drafting = ["officer"];
  const meetings = ["officer", "proper-officer"];
  const readingDrafts = ["officer", "proper-officer", "scrutiny-chair"];
  return {
    [`${API_PREFIX}/meetings`]: {
      ...write(
        "post",
        "createMeeting",
        meetings,
        "Record a meeting",
        "A meeting of one of the council's bodies, so that decisions can be drafted under it.",
        [],
        "NewMeeting",
        { status: "201", description: "The meeting, with its id.", schema: "MeetingCreated" },
      ),
    },
    [`${API_PREFIX}/meetings/{id}/agenda-items`]: write(
      "post",
      "addAgendaItem",
      meetings,
      "Add an item to a meeting's agenda",
      "At the end of the agenda; decisions can then be drafted under it (agendaItemId).",
      [numericId("id", "The meeting's number.")],
      "NewAgendaItem",
      {
        status: "201",
        description: "The agenda item, with its id and position.",
        schema: "AgendaItemCreated",
      },
    ),
    [`${API_PREFIX}/drafts`]: write(
      "get",
      "listDrafts",
      readingDrafts,
      "The council's drafts",
      "Drafts are never public.",
      [],
      null,
      { status: "200", description: "The drafts, most recently changed first.", schema: "Draft" },
    ),
    [`${API_PREFIX}/drafts/{id}`]: write(
      "get",
      "getDraft",
      readingDrafts,
      "One draft",
      "The draft's record and facts.",
      [numericId("id", "The draft's number.")],
      null,
      { status: "200", description: "The draft.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions`]: write(
      "post",
      "createDraft",
      drafting,
      "Draft a decision record",
      "A record in the interchange format (as `resolved parse --json` prints it, without source), plus meetingId, or body and meetingDate for a decision by an executive member or officer with no meeting. declarations are picked from the body's members on the date (personId, category, nature).",
      [],
      "NewDraft",
      { status: "201", description: "The draft, with its id and status draft.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions/{id}`]: write(
      "patch",
      "updateDraft",
      drafting,
      "Change a draft",
      "Only the fields given change. Drafts only: a published record changes by a correction.",
      [decision],
      "DraftChange",
      { status: "200", description: "The draft as changed.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions/{id}/publish`]: write(
      "post",
      "publishDecision",
      ["proper-officer"],
      "Publish a draft",
      "Stamps the publication date (default today), signs the record with the Proper Officer's name and works out the call-in deadline from the council's rule (Not applicable for a recommendation to Council or an urgent decision, which needs the scrutiny chair's consent first).",
      [decision],
      "Publish",
      { status: "200", description: "The published decision, with its call-in window.", schema: "Decision" },
    ),
    [`${API_PREFIX}/decisions/{id}/corrections`]: write(
      "post",
      "correctDecision",
      drafting,
      "Correct a published record",
      "The whole corrected record and the reason: a new version.",
      [decision],
      "Correction",
      { status: "201", description: "The new version.", schema: "VersionCreated" },
    ),
    [`${API_PREFIX}/decisions/{id}/urgency-consent`]: write(
      "post",
      "consentToUrgency",
      ["scrutiny-chair"],
      "Consent to an urgent draft",
      "The scrutiny chair agrees that the draft is urgent and cannot wait for call-in.",
      [decision],
      null,
      { status: "200", description: "The draft, with the consent.", schema: "Draft" },
    ),
    [`${API_PREFIX}/decisions/{id}/call-in-requests`]: write(
      "post",
      "startCallInRequest",
      ["councillor"],
      "Start a call-in request",
      "The councillor is its first signatory. It becomes valid, and the decision called in, the moment the council's minimum number of councillors have signed before the cutoff.",
      [decision],
      "NewCallInRequest",
      {
        status: "201",
        description: "The request, with its signatures and validity.",
        schema: "CallInRequest",
      },
    ),
    [`${API_PREFIX}/decisions/{id}/call-in-requests/{rid}/signatures`]: write(
      "post",
      "signCallInRequest",
      ["councillor"],
      "Sign a call-in request",
      "Another councillor adds their signature.",
      [decision, numericId("rid", "The request's number.")],
      null,
      {
        status: "201",
        description: "The request, with its signatures and validity.",
        schema: "CallInRequest",
      },
    ),
    [`${API_PREFIX}/decisions/{id}/scrutiny-outcome`]: write(
      "post",
      "recordScrutinyOutcome",
      ["scrutiny-chair"],
      "Record the outcome of scrutiny",
      "For a decision that was called in: confirmed, referred back to the decision maker, or referred to full Council.",
      [decision],
      "ScrutinyOutcome",
      { status: "200", description: "The decision, with its status now.", schema: "Decision" },
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Strategies and KPIs (src/web/api/strategy-routes.ts)

export function strategyPaths(): OpenApiDocument["paths"] {
  const code: OpenApiParameter = {
    name: "code",
    in: "path",
    required: true,
    description: 'The KPI\'s code ("CS01"), as the strategy gives it.',
    schema: { type: "string" },
    example: "CS01",
  };
  const officers = ["officer"];
  return {
    [`${API_PREFIX}/strategies`]: {
      ...operation(
        "listStrategies",
        "Strategies and KPIs",
        "Strategies",
        "The council's strategies, newest period first, each with its id, slug, period and the decision that agreed it.",
        [],
        { "200": jsonResponse("The strategies.", "StrategyList") },
      ),
      ...write(
        "post",
        "createStrategy",
        officers,
        "Create a strategy",
        "A strategy with its priorities and their KPIs, as `resolved strategy import` reads it. A period's ends are financial years (\"2017-18\") or dates; agreedBy is the decision's number or record id.",
        [],
        "NewStrategy",
        { status: "201", description: "The strategy, with its id and slug.", schema: "Strategy" },
      ),
    },
    [`${API_PREFIX}/strategies/{id}`]: operation(
      "getStrategy",
      "Strategies and KPIs",
      "One strategy",
      "Its priorities, and under each its KPIs with every quarter's figures, RAG and directions of travel, and the council's RAG rule.",
      [{ ...idParameter, description: "The strategy's number or slug.", example: "1" }],
      { "200": jsonResponse("The strategy.", "Strategy"), ...ERRORS, ...NOT_FOUND },
    ),
    [`${API_PREFIX}/kpis/{code}`]: operation(
      "getKpi",
      "Strategies and KPIs",
      "One KPI",
      "Every quarter's actual and target, oldest first, with its RAG and its direction against the quarter before and the same quarter a year before.",
      [code],
      { "200": jsonResponse("The KPI.", "Kpi"), ...ERRORS, ...NOT_FOUND },
    ),
    [`${API_PREFIX}/kpis/{code}/values/{period}`]: write(
      "put",
      "setKpiValue",
      ["officer", "admin", "service-manager"],
      "Enter a quarter's figures",
      "The actual, the target and commentary of one quarter; a field left out keeps what is stored. A service manager may enter only the KPIs that name them (403 for others).",
      [
        code,
        {
          name: "period",
          in: "path",
          required: true,
          description: 'The financial quarter, "2017-18 Q2" (URL-encode the space: 2017-18%20Q2).',
          schema: { type: "string" },
          example: "2017-18%20Q2",
        },
      ],
      "KpiValueInput",
      { status: "200", description: "The KPI with every quarter.", schema: "Kpi" },
    ),
  };
}

/** Changing a strategy, its priorities and KPIs (officers and admins); each change audited with before and after. */
export function strategyEditPaths(): OpenApiDocument["paths"] {
  const managers = ["officer", "admin"];
  const strategy = { ...idParameter, description: "The strategy's number or slug.", example: "1" };
  const priority = numericId("pid", "The priority's id (priorities[].id in the strategy).");
  const code: OpenApiParameter = {
    name: "code",
    in: "path",
    required: true,
    description: 'The KPI\'s code ("CS01").',
    schema: { type: "string" },
    example: "CS01",
  };
  const theStrategy = {
    status: "200" as const,
    description: "The strategy as it is now.",
    schema: "Strategy" as const,
  };
  const noContent = (
    operationId: string,
    summary: string,
    description: string,
    parameters: OpenApiParameter[],
  ): Partial<Record<HttpMethod, OpenApiOperation>> => {
    const op = write("delete", operationId, managers, summary, description, parameters, null, {
      ...theStrategy,
    });
    const { "200": _ok, ...rest } = op.delete!.responses;
    op.delete!.responses = { "204": { description: "Removed." }, ...rest };
    return op;
  };
  return {
    [`${API_PREFIX}/strategies/{id}`]: write(
      "patch",
      "changeStrategy",
      managers,
      "Change a strategy",
      "Its title, owner, period or agreedBy (null or empty: none); a field left out stays as it is.",
      [strategy],
      "StrategyChanges",
      theStrategy,
    ),
    [`${API_PREFIX}/strategies/{id}/priorities`]: write(
      "post",
      "addStrategyPriority",
      managers,
      "Add a priority",
      "Last, or at the position given (those from there move down one).",
      [strategy],
      "NewPriority",
      { ...theStrategy, status: "201" },
    ),
    [`${API_PREFIX}/strategies/{id}/priorities/{pid}`]: {
      ...write(
        "patch",
        "changeStrategyPriority",
        managers,
        "Rename or move a priority",
        "A new title, or a new position (the other priorities keep their order).",
        [strategy, priority],
        "PriorityChanges",
        theStrategy,
      ),
      ...noContent(
        "removeStrategyPriority",
        "Remove a priority",
        "Only a priority with no KPIs (409 otherwise: move or remove them first); the later ones move up.",
        [strategy, priority],
      ),
    },
    [`${API_PREFIX}/strategies/{id}/kpis`]: write(
      "post",
      "addKpi",
      managers,
      "Add a KPI",
      "A KPI under one of the strategy's priorities (priorityId); its code must be new to the council (409 otherwise). enteredBy names the accounts (service managers) who may enter its values.",
      [strategy],
      "NewKpi",
      { status: "201", description: "The KPI.", schema: "Kpi" },
    ),
    [`${API_PREFIX}/kpis/{code}`]: {
      ...write(
        "patch",
        "changeKpi",
        managers,
        "Change a KPI",
        "Its name, definition, unit, polarity or data source, or priorityId to move it to another priority of its strategy.",
        [code],
        "KpiChanges",
        { status: "200", description: "The KPI.", schema: "Kpi" },
      ),
      ...noContent(
        "removeKpi",
        "Remove a KPI",
        "Only a KPI with no values (409 otherwise: the record of its figures stays).",
        [code],
      ),
    },
  };
}
