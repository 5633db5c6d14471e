import fastifyMultipart, { type MultipartFile } from "@fastify/multipart";
import type { RoutePlugin } from "../route-plugin.js";
import { correctionRoutes } from "./correction-routes.js";
import { draftListRoutes, type UploadedFile, UPLOAD_LIMIT_BYTES } from "./draft-list-routes.js";
import { draftPublishRoutes } from "./draft-publish-routes.js";
import { draftSectionRoutes } from "./draft-section-routes.js";
import { meetingAgendaRoutes } from "./meeting-agenda-routes.js";
import { meetingFormRoutes } from "./meeting-form-routes.js";

/**
 * The workspace's drafting and publishing pages: meetings, drafts section by section, preview, publication by
 * the Proper Officer, the scrutiny chair's consent to urgency, and corrections of published records. Every
 * route declares its roles; every form carries the CSRF token and answers 303 (done) or 400 (the error summary).
 */
export const draftingRoutes: RoutePlugin = async (app, deps) => {
  // Document uploads (multipart) for this feature only: one file, kept in memory up to the limit; a larger one
  // arrives cut short and marked, and the form says so. The fields (the CSRF token) are the body, as with forms.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: "keyValues",
    throwFileSizeLimit: false,
    limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 10, parts: 12 },
    async onFile(part: MultipartFile) {
      const bytes = await part.toBuffer();
      const file: UploadedFile = { fileName: part.filename, bytes, truncated: part.file.truncated };
      (part as unknown as { value: UploadedFile }).value = file;
    },
  });
  await app.register(meetingFormRoutes, deps);
  await app.register(meetingAgendaRoutes, deps);
  await app.register(draftListRoutes, deps);
  await app.register(draftSectionRoutes, deps);
  await app.register(draftPublishRoutes, deps);
  await app.register(correctionRoutes, deps);
};
