import type { FastifyRequest } from "fastify";

/**
 * Post, redirect, get: the message a form leaves for the next page the account sees ("Draft created"), kept
 * in the session for that one page view and shown there in a GOV.UK success banner. One slot for every
 * workspace feature, so a message is never left behind for another feature's page.
 */

declare module "fastify" {
  interface Session {
    /** Set before a form's 303 redirect, shown and cleared by the next page. */
    notice?: string;
  }
}

export function setNotice(request: FastifyRequest, message: string): void {
  request.session.notice = message;
}

/** The message left for this page, if any; removed, so reloading the page does not show it again. */
export function takeNotice(request: FastifyRequest): string | undefined {
  const notice = request.session.notice;
  if (notice !== undefined) delete request.session.notice;
  return notice;
}
