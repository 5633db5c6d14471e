import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { GOVUK_FRONTEND_DIST, GOVUK_FRONTEND_VERSION, OWN_ASSETS_DIR } from "./view-environment.js";

/**
 * Static files: govuk-frontend's stylesheet, script, fonts and images, and our own (src/web/assets).
 *
 *   /assets/fonts/*, /assets/images/*, /assets/manifest.json   govuk-frontend's assets, at the paths its
 *                                                               stylesheet refers to
 *   /stylesheets/govuk-frontend.min.css, /javascripts/govuk-frontend.min.js (+ .map)
 *   /javascripts/init.js                                        starts govuk-frontend's components
 *   /stylesheets/resolved.css, /images/*                        ours
 *
 * Templates link to `staticUrl("/stylesheets/resolved.css")`, which adds `?v=<version>`: the
 * govuk-frontend version for its files, a hash of the content for ours. A request carrying the current
 * version is cached for a year as immutable; any other (no or an old `v`) must revalidate (ETag). The
 * fonts' names carry a hash already and are always immutable.
 */

const GOVUK_DIR = join(GOVUK_FRONTEND_DIST, "govuk");
const GOVUK_ASSETS_DIR = join(GOVUK_DIR, "assets");

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";
const ONE_DAY = "public, max-age=86400";

/** A path under a static folder: plain names only, so no `..`, no hidden files. */
const SAFE_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export type AssetUrl = (path: string) => string;

function contentVersion(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex").slice(0, 12);
}

function initScript(): string {
  // An external module script (allowed by script-src 'self'): no inline script is needed.
  return [
    `import { initAll } from "./govuk-frontend.min.js?v=${GOVUK_FRONTEND_VERSION}";`,
    "",
    "initAll();",
    "",
  ].join("\n");
}

/** Registers the asset routes and returns `staticUrl` for templates. */
export async function registerStaticAssets(app: FastifyInstance): Promise<AssetUrl> {
  await app.register(fastifyStatic, {
    serve: false,
    cacheControl: false,
    index: false,
    dotfiles: "deny",
  });

  const versions = new Map<string, string>();
  const sendVersioned = (
    urlPath: string,
    version: string,
    send: (request: FastifyRequest, reply: FastifyReply) => FastifyReply,
  ) => {
    versions.set(urlPath, version);
    app.get(urlPath, { logLevel: "warn" }, (request, reply) => {
      const requested = (request.query as Record<string, unknown>).v;
      reply.header("cache-control", requested === version ? IMMUTABLE : REVALIDATE);
      return send(request, reply);
    });
  };

  // govuk-frontend's compiled stylesheet and script, versioned by the package version.
  for (const [urlPath, file] of [
    ["/stylesheets/govuk-frontend.min.css", "govuk-frontend.min.css"],
    ["/stylesheets/govuk-frontend.min.css.map", "govuk-frontend.min.css.map"],
    ["/javascripts/govuk-frontend.min.js", "govuk-frontend.min.js"],
    ["/javascripts/govuk-frontend.min.js.map", "govuk-frontend.min.js.map"],
  ] as const) {
    sendVersioned(urlPath, GOVUK_FRONTEND_VERSION, (_request, reply) => reply.sendFile(file, GOVUK_DIR));
  }

  const init = initScript();
  sendVersioned("/javascripts/init.js", contentVersion(init), (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").send(init),
  );

  // Ours, versioned by content (read once at start: they only change with a deployment).
  for (const [urlPath, file] of [
    ["/stylesheets/resolved.css", "stylesheets/resolved.css"],
    ["/images/favicon.svg", "images/favicon.svg"],
  ] as const) {
    const version = contentVersion(readFileSync(join(OWN_ASSETS_DIR, file)));
    sendVersioned(urlPath, version, (_request, reply) => reply.sendFile(file, OWN_ASSETS_DIR));
  }

  // govuk-frontend's fonts, images and manifest, where its stylesheet expects them.
  app.get("/assets/*", { logLevel: "warn" }, (request, reply) => {
    const path = (request.params as { "*": string })["*"];
    if (!SAFE_PATH.test(path)) return reply.callNotFound();
    reply.header("cache-control", path.startsWith("fonts/") ? IMMUTABLE : ONE_DAY);
    return reply.sendFile(path, GOVUK_ASSETS_DIR);
  });

  return (path: string) => {
    const version = versions.get(path);
    return version === undefined ? path : `${path}?v=${version}`;
  };
}
