/**
 * Strategy updates (issue 10): the decisions that agreed strategies and that considered their quarterly
 * performance updates, read from the records, proposed, and confirmed or rejected by officers.
 */
export {
  dateInWords,
  linkDecisionsToStrategies,
  proposeStrategyLinks,
  proposeUpdatesForStrategy,
  relinkDecision,
} from "./propose-links.js";
export { confirmStrategyUpdate, rejectStrategyUpdate, type StrategyUpdateVerdict } from "./review-updates.js";
export {
  proposedStrategyUpdates,
  quarterlyUpdateFor,
  strategyLinksForDecision,
  updatesForStrategy,
  type LinkedDecision,
  type LinkedStrategy,
  type ProposedUpdate,
  type StrategyLinksOfDecision,
  type StrategyUpdateView,
} from "./update-views.js";
