/** Commitments (issue 10): read from records, tracked, matched to the later decisions that fulfil them. */
export { refreshCommitments, storeCommitments, type CommitmentRefresh } from "./store-commitments.js";
export {
  COMMITMENT_STATES,
  commitmentState,
  decisionCommitments,
  listCommitments,
  parseCommitmentState,
  type CommitmentFilters,
  type CommitmentListItem,
  type CommitmentState,
  type CommitmentView,
} from "./commitment-views.js";
export { suggestFulfilments, type FulfilmentSuggestion } from "./suggest-fulfilments.js";
export { confirmFulfilment, rejectSuggestion, type FulfilmentResult } from "./review-suggestions.js";
