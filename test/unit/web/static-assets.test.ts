import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerStaticAssets } from "../../../src/web/server/static-assets.js";

describe("static assets", () => {
  it("serves the start-up script, and the module it imports resolves to govuk-frontend's script", async () => {
    const app = Fastify();
    const staticUrl = await registerStaticAssets(app);
    const initUrl = staticUrl("/javascripts/init.js");
    const init = await app.inject({ method: "GET", url: initUrl });
    expect(init.statusCode).toBe(200);
    const imported = /from "([^"]+)"/.exec(init.body)?.[1];
    expect(imported).toBeDefined();
    // The browser resolves the import against the script's own URL.
    const resolved = new URL(imported!, `http://localhost${initUrl}`);
    const script = await app.inject({ method: "GET", url: `${resolved.pathname}${resolved.search}` });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain("initAll");
    await app.close();
  });
});
