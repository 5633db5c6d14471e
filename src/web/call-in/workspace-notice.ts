import type { FastifyRequest } from "fastify";

/**
 * A message for the page a form redirects to (post, redirect, get): kept in the session for one page view and
 * shown there as a GOV.UK success notification banner.
 */

export interface WorkspaceNotice {
  heading: string;
  text?: string;
}

declare module "fastify" {
  interface Session {
    /** Shown once by the next call-in workspace page, then removed. */
    callInNotice?: WorkspaceNotice;
  }
}

export function setNotice(request: FastifyRequest, notice: WorkspaceNotice): void {
  request.session.callInNotice = notice;
}

/** The notice left for this page, if any; it is removed, so reloading the page does not show it again. */
export function takeNotice(request: FastifyRequest): WorkspaceNotice | undefined {
  const notice = request.session.callInNotice;
  if (notice !== undefined) delete request.session.callInNotice;
  return notice;
}
