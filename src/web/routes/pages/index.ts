import type { RoutePlugin } from "../index.js";
import { bodyRoutes } from "./bodies.js";
import { councilRoutes } from "./council.js";
import { decisionPageRoutes } from "./decision.js";
import { decisionsRoutes } from "./decisions.js";
import { homeRoutes } from "./home.js";
import { meetingRoutes } from "./meetings.js";

/**
 * The public website's pages (views in src/web/views/pages/):
 *
 *   /                       open call-in windows, latest decisions, upcoming meetings
 *   /decisions              search and browse (the query stays in the URL)
 *   /decisions/:id          one decision; /decisions/:id.pdf and .docx download it in the proforma layout
 *   /meetings, /meetings/:id, /bodies/:id, /council
 */
export const pageRoutes: RoutePlugin = async (app, deps) => {
  await app.register(homeRoutes, deps);
  await app.register(decisionsRoutes, deps);
  await app.register(decisionPageRoutes, deps);
  await app.register(meetingRoutes, deps);
  await app.register(bodyRoutes, deps);
  await app.register(councilRoutes, deps);
};
