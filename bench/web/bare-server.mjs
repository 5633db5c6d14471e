// @ts-check
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:http";

/**
 * The floor for bench/web's cached decision pages: a bare node:http server with no framework, no session, no
 * database and no logging, answering GET /decisions/<id> with the bytes of decision-<id>.html from the folder
 * given as the first argument (the pages as the app served them), all held in memory. Tells the parent its port
 * over IPC, and stops on SIGTERM.
 */
const dir = process.argv[2];
if (!dir) throw new Error("usage: bare-server.mjs DIR");
/** @type {Map<string, Buffer>} */
const pages = new Map();
for (const name of readdirSync(dir)) {
  const match = /^decision-(\d+)\.html$/.exec(name);
  if (match) pages.set(`/decisions/${match[1]}`, readFileSync(join(dir, name)));
}
const server = createServer((request, response) => {
  const body = pages.get(request.url ?? "");
  if (!body) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
  response.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
