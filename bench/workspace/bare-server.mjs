// @ts-check
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

/**
 * The floor for bench/workspace: a bare node:http server answering every request with the bytes of the file
 * given as the first argument (a signed-in page, saved), with no framework, no session, no database. Tells the
 * parent its port over IPC, and stops on SIGTERM.
 */
const file = process.argv[2];
if (!file) throw new Error("usage: bare-server.mjs FILE");
const body = readFileSync(file);
const server = createServer((_request, response) => {
  response.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
  response.end(body);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
