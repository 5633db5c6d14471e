import type { FastifyInstance } from "fastify";
import { apiRoutes } from "./api/api-routes.js";
import { strategyRoutes } from "./api/strategy-routes.js";
import { strategyUpdateRoutes } from "./api/strategy-update-routes.js";
import { apiWriteRoutes } from "./api/write-routes.js";
import { bodyRoutes } from "./bodies/body-routes.js";
import { adminRoutes } from "./admin/admin-routes.js";
import { callInRoutes } from "./call-in/call-in-routes.js";
import { commitmentRoutes } from "./api/commitment-routes.js";
import { commitmentManageRoutes } from "./commitments/commitment-manage-routes.js";
import { commitmentReviewRoutes } from "./commitments/commitment-review-routes.js";
import { publicCommitmentRoutes } from "./commitments/public-commitments-routes.js";
import { councilRoutes } from "./council/council-routes.js";
import { councillorRoutes } from "./councillors/councillor-routes.js";
import { decisionPageRoutes } from "./decisions/decision-page-routes.js";
import { decisionSearchRoutes } from "./decisions/decision-search-routes.js";
import { draftingRoutes } from "./drafting/drafting-routes.js";
import { feedRoutes } from "./feeds/feed-routes.js";
import { healthRoutes } from "./health/health-routes.js";
import { homeRoutes } from "./home/home-routes.js";
import { publicFeature } from "./auth/access.js";
import { meetingRoutes } from "./meetings/meeting-routes.js";
import type { RouteDeps } from "./route-plugin.js";
import { signInRoutes } from "./sign-in/sign-in-routes.js";
import { singleSignOnRoutes } from "./sign-in/single-sign-on-routes.js";
import { quarterlyPageRoutes } from "./strategies/quarterly-page-routes.js";
import { strategyPageRoutes } from "./strategies/strategy-page-routes.js";
import { strategyUpdateReviewRoutes } from "./strategy-updates/strategy-update-review-routes.js";
import { kpiEntryRoutes } from "./kpi-entry/kpi-entry-routes.js";
import { strategyEditRoutes } from "./kpi-entry/strategy-edit-routes.js";
import { workspaceRoutes } from "./workspace/workspace-routes.js";

/**
 * The single place feature routes are registered, in this order. A feature is a folder of src/web with its
 * routes and templates (see docs/architecture.md); add a new one here. Every route declares who may use it
 * (`config.access`, src/web/auth/access.ts): the public register's features are public throughout.
 */
export async function registerRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  // Probes first: /ping and /health.
  await app.register(publicFeature(healthRoutes), deps);

  // The public website's pages, server-rendered:
  await app.register(publicFeature(homeRoutes), deps); // /: open call-in windows, latest decisions, upcoming meetings
  await app.register(publicFeature(decisionSearchRoutes), deps); // /decisions: search and browse (the query stays in the URL)
  await app.register(publicFeature(decisionPageRoutes), deps); // /decisions/:id, and its .pdf and .docx downloads
  await app.register(publicFeature(meetingRoutes), deps); // /meetings, /meetings/:id
  await app.register(publicFeature(bodyRoutes), deps); // /bodies/:id
  await app.register(publicFeature(councilRoutes), deps); // /council
  await app.register(publicFeature(councillorRoutes), deps); // /councillors, /councillors/:id
  await app.register(publicFeature(strategyPageRoutes), deps); // /strategies, /strategies/:slug: KPIs at their latest position
  await app.register(publicFeature(quarterlyPageRoutes), deps); // /strategies/:slug/:year/q:n (and .pdf): a quarter's performance, trend charts
  await app.register(publicFeature(publicCommitmentRoutes), deps); // /commitments: every commitment, overdue first

  // Open data: the JSON API (errors answered in JSON under /api/), its docs page and the original documents.
  await app.register(publicFeature(apiRoutes), deps); // /api/v1/..., /api/openapi.json, /api/docs, /decisions/:id/original

  // Signing in, and the council's workspace: each route declares the roles it allows (src/web/auth).
  await app.register(signInRoutes, deps); // /sign-in, /sign-out
  await app.register(singleSignOnRoutes, deps); // /sign-in/sso, /sign-in/sso/callback (OpenID Connect, when set up)
  await app.register(workspaceRoutes, deps); // /workspace
  await app.register(apiWriteRoutes, deps); // the write API: POST/PATCH under /api/v1 with an API token
  await app.register(strategyRoutes, deps); // /api/v1/strategies, /api/v1/kpis/:code: public reads, officers write
  await app.register(strategyUpdateRoutes, deps); // /api/v1/strategy-updates/:id/confirmation, /rejection: officers
  await app.register(commitmentRoutes, deps); // /api/v1/decisions/:id/commitments, /api/v1/commitments (public); fulfilment, rejections (officers)
  await app.register(adminRoutes, deps); // /workspace/people, /workspace/accounts, /workspace/council: admins only
  await app.register(kpiEntryRoutes, deps); // /workspace/strategies, /workspace/kpis/:code: officers, admins, service managers enter KPI values
  await app.register(strategyEditRoutes, deps); // /workspace/strategies/:slug: officers and admins change a strategy
  await app.register(commitmentReviewRoutes, deps); // /workspace/commitments: officers confirm or reject fulfilments
  await app.register(strategyUpdateReviewRoutes, deps); // /workspace/strategy-updates: officers confirm quarterly updates
  await app.register(commitmentManageRoutes, deps); // /workspace/commitments/:id: owner, due, progress, drop, reopen
  await app.register(callInRoutes, deps); // /workspace/decisions/:id/call-in, /workspace/call-ins, .../scrutiny-outcome
  await app.register(draftingRoutes, deps); // /workspace/meetings, /workspace/drafts/..., /workspace/decisions/:id/correct

  // Feeds and downloads of many decisions.
  await app.register(publicFeature(feedRoutes), deps); // /decisions.atom, .csv, .jsonl, /call-in.ics
}
