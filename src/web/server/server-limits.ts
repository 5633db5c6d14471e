import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from "./security-headers.js";

/**
 * How long the server waits for a client, so that slow or silent ones (slowloris: headers trickled a byte at a
 * time, a body that never ends) cannot hold its sockets for ever. Node checks them every few seconds.
 */
export interface ServerTimeouts {
  /** The request line and every header must arrive within this (Node's headersTimeout). */
  headersMs: number;
  /** The whole request, body included (a document upload on a slow line), within this (requestTimeout). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this; above a reverse proxy's own idle timeout (60 s). */
  keepAliveMs: number;
  /** How often Node looks for requests past those limits (connectionsCheckingInterval). */
  checkEveryMs: number;
  /** A socket with no traffic at all for this long is closed: one opened and never written to, say. */
  idleMs: number;
}

export const SERVER_TIMEOUTS: Readonly<ServerTimeouts> = {
  headersMs: 20_000,
  requestMs: 120_000,
  keepAliveMs: 72_000,
  checkEveryMs: 5_000,
  idleMs: 120_000,
};

/**
 * Fastify's options for those timeouts. Headers larger than Node's 16 KB in all (the request line included:
 * a huge URL or query string) are refused by Node's parser with 431 before any of our code runs.
 */
export function serverTimeoutOptions(timeouts: ServerTimeouts) {
  return {
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
  };
}

const CLIENT_ERROR_CSP = contentSecurityPolicy("none").replace(/script-src [^;]+/, "script-src 'none'");

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (a malformed request line, headers too
 * large, a request too slow) with the same security headers as every other response, then closes the socket.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const status =
    error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const reason = STATUS_CODES[status]!;
  const body = `${reason}\n`;
  const headers = {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
    connection: "close",
    "content-security-policy": CLIENT_ERROR_CSP,
    ...STATIC_SECURITY_HEADERS,
  };
  if (socket.writable) {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${reason}\r\n${lines.join("")}\r\n${body}`);
  }
  socket.destroy(error);
}
