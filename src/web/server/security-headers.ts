import { randomFillSync } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Security headers on every response. The Content Security Policy allows scripts from our own origin
 * and inline scripts carrying this request's nonce (govuk-frontend's template has one: it adds the
 * `js-enabled` class); nothing else runs, and no page can frame ours.
 */

const NONCE_BYTES = 16;
// Drawn from the system's generator 256 nonces at a time (each byte used once): one call per request was a
// noticeable share of serving a cached page.
const noncePool = Buffer.alloc(NONCE_BYTES * 256);
let noncePoolUsed = noncePool.length;

export function createNonce(): string {
  if (noncePoolUsed === noncePool.length) {
    randomFillSync(noncePool);
    noncePoolUsed = 0;
  }
  const nonce = noncePool.toString("base64", noncePoolUsed, noncePoolUsed + NONCE_BYTES);
  noncePoolUsed += NONCE_BYTES;
  return nonce;
}

const [CSP_BEFORE_NONCE, CSP_AFTER_NONCE] = [
  "default-src 'self'",
  "script-src 'self' 'nonce-NONCE'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
]
  .join("; ")
  .split("NONCE") as [string, string];

export function contentSecurityPolicy(nonce: string): string {
  return `${CSP_BEFORE_NONCE}${nonce}${CSP_AFTER_NONCE}`;
}

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  "cross-origin-opener-policy": "same-origin",
};

const STATIC_HEADER_ENTRIES = Object.entries(STATIC_SECURITY_HEADERS);

/**
 * Gives the request its nonce (once) and sets the headers. Called for every request in onRequest, and
 * again by the error paths that Fastify reaches without running hooks (a malformed URL).
 */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (!request.cspNonce) request.cspNonce = createNonce();
  reply.header("content-security-policy", contentSecurityPolicy(request.cspNonce));
  for (const [name, value] of STATIC_HEADER_ENTRIES) reply.header(name, value);
}
