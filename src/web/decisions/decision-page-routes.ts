import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../domain/errors.js";
import type { DecisionRecord } from "../../domain/decision-record.js";
import {
  findDecision,
  getDecision,
  type DecisionDetail,
  decisionInterests,
} from "../../services/decisions/index.js";
import { decisionCommitments, listCommitments } from "../../services/commitments/index.js";
import { strategyLinksForDecision } from "../../services/strategy-updates/index.js";
import { quarterPageHref } from "../shared/strategy-links.js";
import { ukDateOf } from "../../domain/uk-time.js";
import { bodyMembersOn } from "../../services/people/index.js";
import { createPageCache, NONCE_PLACEHOLDER } from "../shared/page-cache.js";
import type { RouteDeps, RoutePlugin } from "../route-plugin.js";
import { proformaView } from "../shared/proforma-view.js";
import { recordFacts } from "./record-facts.js";
import { presentCallInRequests } from "../shared/call-in-requests.js";
import {
  attachmentDisposition,
  callInClose,
  downloadFileName,
  formatTimeLeft,
  positiveInteger,
  statusTag,
} from "../shared/format.js";

/**
 * One decision:
 *
 *   GET /decisions/:id             the page: every proforma section in order, the status now, the call-in
 *                                  window and how it was worked out, call-in requests, versions, downloads
 *   GET /decisions/:id.pdf|.docx   the record in the proforma layout (current version; ?version=N)
 *   GET /decisions/D180018         a council's record id: redirects to the numeric address (with .pdf too)
 *
 * `?version=N` shows (or downloads) an earlier version. Drafts are not public: 404.
 */

// The renderers (pdfkit, docx and their fonts) are loaded on the first download, not at start: they
// would add about 150 ms to every start for a page most visitors never ask for.
const DOWNLOADS: Record<
  "pdf" | "docx",
  { mediaType: string; render: () => Promise<(record: DecisionRecord) => Uint8Array> }
> = {
  pdf: {
    mediaType: "application/pdf",
    render: async () => (await import("../../import/render/render-pdf.js")).renderProformaPdf,
  },
  docx: {
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    render: async () => (await import("../../import/render/render-docx.js")).renderProformaDocx,
  },
};

type DownloadKind = keyof typeof DOWNLOADS;

const REF_PATTERN = /^(.+?)(?:\.(pdf|docx))?$/i;

/** Rendered decision pages kept in memory (see page-cache.ts): about 1,500 pages of 21 KB. */
const PAGE_CACHE_BYTES = 32 * 2 ** 20;
const MINUTE_MS = 60_000;

export const decisionPageRoutes: RoutePlugin = async (app, deps) => {
  const pages = createPageCache({ maxBytes: PAGE_CACHE_BYTES });
  app.get<{ Params: { ref: string }; Querystring: Record<string, unknown> }>(
    "/decisions/:ref",
    async (request, reply) => {
      const match = REF_PATTERN.exec(request.params.ref.trim());
      const ref = match?.[1] ?? "";
      const kind = match?.[2]?.toLowerCase() as DownloadKind | undefined;
      if (!/^\d{1,9}$/.test(ref)) return redirectToNumeric(request, reply, deps, ref, kind);
      const version = positiveInteger(request.query.version, "version", "The version");
      const at = deps.now();
      // A page is rendered again only when the register has changed or the minute it shows has passed (it
      // says "Status as at 3:05pm" and the time left to call in); a status changing by itself at a cutoff
      // bounds it too.
      const key = `${ref} ${version ?? ""}`;
      // From memory while this process hears of every change to the register (no query); see register-changes.ts.
      const heard = kind ? "" : deps.registerChanges.stamp();
      const stamp = typeof heard === "string" ? heard : await heard;
      const cached = kind ? undefined : pages.get(key, stamp, at, request.cspNonce);
      if (cached !== undefined) return reply.type("text/html; charset=utf-8").send(cached.body);
      const decision = await getDecision(deps.database.db, Number(ref), at, version ? { version } : {});
      if (!isPublic(decision)) throw new NotFoundError(`no decision ${ref}`);
      if (kind) return sendDownload(request, reply, decision, kind, version);
      const html = await reply.renderView("decisions/decision.njk", {
        ...(await decisionView(deps, decision, at)),
        cspNonce: NONCE_PLACEHOLDER,
      });
      const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
      const statusChange = decision.status?.until?.getTime() ?? Infinity;
      pages.set(key, html, stamp, new Date(minute), new Date(Math.min(minute + MINUTE_MS, statusChange)));
      return reply
        .type("text/html; charset=utf-8")
        .send(html.replaceAll(NONCE_PLACEHOLDER, request.cspNonce));
    },
  );
};

function isPublic(decision: DecisionDetail): boolean {
  return decision.publicationState !== "draft" && decision.status?.status !== "draft";
}

/** A record id ("D180018", "d180018.pdf") → 301 to /decisions/<id>[.ext], keeping the query. */
async function redirectToNumeric(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: RouteDeps,
  ref: string,
  kind: DownloadKind | undefined,
): Promise<FastifyReply> {
  if (ref === "" || ref.length > 100) throw new NotFoundError(`no decision "${ref}"`);
  let found: { id: number };
  try {
    found = await findDecision(deps.database.db, ref);
  } catch (error) {
    // Several councils' decisions share the id: the reader cannot be sent to one of them.
    if (error instanceof NotFoundError) throw error;
    throw new NotFoundError(`no single decision "${ref}"`);
  }
  const query = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
  return reply.redirect(`/decisions/${found.id}${kind ? `.${kind}` : ""}${query}`, 301);
}

async function sendDownload(
  request: FastifyRequest,
  reply: FastifyReply,
  decision: DecisionDetail,
  kind: DownloadKind,
  version: number | undefined,
): Promise<FastifyReply> {
  const download = DOWNLOADS[kind];
  const render = await download.render();
  const bytes = Buffer.from(render(decision.record));
  const etag = `"${kind}-${decision.id}-v${decision.recordVersion}-${createHash("sha256")
    .update(bytes)
    .digest("hex")
    .slice(0, 20)}"`;
  const fileName = downloadFileName(
    decision,
    kind,
    version === undefined ? undefined : decision.recordVersion,
  );
  reply
    .header("etag", etag)
    // A numbered version never changes; the current one may be corrected, so check each time.
    .header("cache-control", version === undefined ? "no-cache" : "public, max-age=86400")
    .header("content-disposition", attachmentDisposition(fileName))
    .header("x-content-type-options", "nosniff");
  const ifNoneMatch = request.headers["if-none-match"];
  if (typeof ifNoneMatch === "string" && ifNoneMatch.split(/\s*,\s*/).includes(etag)) {
    return reply.code(304).send();
  }
  return reply.type(download.mediaType).send(bytes);
}

const MEDIA_TYPE_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
  "text/plain": "Text",
  "text/html": "Web page",
};

function describeSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Everything the decision template shows, worked out here so the template only lays it out. */
async function decisionView(deps: RouteDeps, decision: DecisionDetail, at: Date) {
  const record = decision.record;
  const interests = await decisionInterests(deps.database.db, decision.id);
  // Who sat on the body that day (the Cabinet of 2019 for a decision of 2019), when memberships are recorded.
  const members = await bodyMembersOn(deps.database.db, decision.body.id, decision.meetingDate);
  const isCurrent = decision.recordVersion === decision.currentVersion;
  const versionQuery = isCurrent ? "" : `?version=${decision.recordVersion}`;
  const shownVersion = decision.versions.find((v) => v.version === decision.recordVersion);
  const original = shownVersion?.sourceDocument ?? null;

  const sections = proformaView(record);
  const today = ukDateOf(at);
  const commitments = await decisionCommitments(deps.database.db, decision.id, today);
  const fulfils = await listCommitments(deps.database.db, { fulfilledBy: decision.id }, today);
  const strategyLinks = await strategyLinksForDecision(deps.database.db, decision.id);

  const callIn = decision.callIn;
  const callInOpen = decision.status?.status === "published" && Boolean(callIn?.cutoff);
  return {
    pageTitle: record.title,
    decision,
    record,
    facts: recordFacts(decision),
    sections,
    tag: statusTag(decision.status),
    at,
    isCurrent,
    versionQuery,
    callIn,
    callInOpen,
    callInPast: Boolean(callIn?.cutoff) && Date.parse(callIn!.cutoff!) <= at.getTime(),
    callInCloses: callInClose(callIn?.cutoff),
    timeLeft: callIn?.cutoff ? formatTimeLeft(at, callIn.cutoff) : "",
    requests: presentCallInRequests(
      decision.callInRequests,
      decision.council.minCallInSignatories,
      callIn?.cutoff ?? null,
      at,
    ),
    versions: [...decision.versions].reverse(),
    original: original && {
      ...original,
      typeName: MEDIA_TYPE_NAMES[original.mediaType] ?? original.mediaType,
      sizeText: describeSize(original.size),
      href: `/decisions/${decision.id}/original${versionQuery}`,
    },
    downloads: {
      pdf: `/decisions/${decision.id}.pdf${versionQuery}`,
      docx: `/decisions/${decision.id}.docx${versionQuery}`,
    },
    declarations: interests.declarations,
    dispensations: interests.dispensations,
    members,
    commitments,
    fulfils,
    strategy: {
      agrees: strategyLinks.agrees,
      updateOf: strategyLinks.updateOf.map((link) => ({
        ...link,
        href: quarterPageHref(link.strategy.slug, link.startYear, link.quarter),
      })),
    },
  };
}
