// Changes to a decision after it is recorded: corrections (new versions), scrutiny outcomes, urgency, implementation.
export {
  addDecisionVersion,
  type AddDecisionVersionOptions,
  type AddedDecisionVersion,
} from "./corrections.js";
export { type LifecycleChangeResult } from "./decision-for-change.js";
export { IMPLEMENTED_ACTION, markImplemented } from "./implementation.js";
export { parseScrutinyOutcome, recordScrutinyOutcome } from "./scrutiny-outcome.js";
export { declareUrgency } from "./urgency.js";
export { correctDecision } from "./correct-decision.js";
