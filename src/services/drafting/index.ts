// Drafting and publishing decision records in the register itself: drafts (never public), the scrutiny
// chair's consent to urgency, and publication by the Proper Officer (stamped date, call-in line, signature).
export {
  declarationInputSchema,
  dispensationInputSchema,
  draftChangeSchema,
  draftOutcomeSchema,
  newDraftSchema,
  type DraftChangeInput,
  type NewDraftInput,
} from "./draft-input.js";
export { bodyMembersOn, type MemberOnDate } from "./draft-context.js";
export { consentToUrgency, createDraft, discardDraft, updateDraft, type DraftResult } from "./drafts.js";
export { listDrafts, type DraftSummary } from "./list-drafts.js";
export { getDraft, type DraftView } from "./get-draft.js";
export { createDraftFromRecord } from "./draft-from-document.js";
export { publishDecision, type PublishedDecision, type PublishOptions } from "./publish-decision.js";
