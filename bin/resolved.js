#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm install`).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("resolved: not built yet; run `npm install` (or `npm run build`) first\n");
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv);
