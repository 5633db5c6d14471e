/** Commitments (issue 10): read from records, tracked, matched to the later decisions that fulfil them. */
export { refreshCommitments, storeCommitments, type CommitmentRefresh } from "./store-commitments.js";
export {
  COMMITMENT_STATES,
  commitmentState,
  decisionCommitments,
  getCommitment,
  listCommitments,
  parseCommitmentState,
  type CommitmentFilters,
  type CommitmentListItem,
  type CommitmentState,
  type CommitmentView,
  type ProgressNote,
} from "./commitment-views.js";
export {
  changeCommitment,
  dropCommitment,
  recordProgress,
  reopenCommitment,
  updateCommitment,
  type CommitmentActor,
  type CommitmentChanges,
  type CommitmentChangeRequest,
} from "./manage-commitments.js";
export { suggestFulfilments, type FulfilmentSuggestion } from "./suggest-fulfilments.js";
export { confirmFulfilment, rejectSuggestion, type FulfilmentResult } from "./review-suggestions.js";
