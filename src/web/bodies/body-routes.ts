import { NotFoundError } from "../../domain/errors.js";
import { getBody } from "../../services/councils/index.js";
import type { RoutePlugin } from "../route-plugin.js";
import { withCallIn } from "../shared/format.js";

const KIND_NAMES = {
  executive: "The executive (Cabinet)",
  committee: "Committee",
  "individual-member": "Individual executive member",
  officer: "Officer",
} as const;

/** GET /bodies/:id: a decision maker (Cabinet, a Cabinet member, an officer): its meetings and latest decisions. */
export const bodyRoutes: RoutePlugin = async (app, deps) => {
  app.get<{ Params: { id: string } }>("/bodies/:id", async (request, reply) => {
    const id = request.params.id;
    if (!/^\d{1,9}$/.test(id)) throw new NotFoundError(`no body "${id}"`);
    const at = deps.now();
    const body = await getBody(deps.database.db, Number(id), at, { decisionLimit: 10 });
    return reply.view("bodies/body.njk", {
      pageTitle: body.name,
      body,
      kindName: KIND_NAMES[body.kind] ?? body.kind,
      decisions: body.decisions.map((d) => withCallIn(d, at)),
      allDecisionsHref: `/decisions?${new URLSearchParams({ body: body.name }).toString()}`,
    });
  });
};
