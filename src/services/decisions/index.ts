// Decisions as the register holds them, read: one, a list, their status at any instant, declarations.
export {
  getDecision,
  decisionStatusAt,
  type DecisionDetail,
  type DecisionStatusReport,
} from "./decision-detail.js";
export { findDecision, type DecisionRef, type StatusView } from "./decision-rows.js";
export { decisionInterests, type DeclarationView, type DispensationView } from "./declarations.js";
export {
  isPublicDecision,
  listDecisions,
  type DecisionFilters,
  type DecisionSummary,
} from "./list-decisions.js";
export { decisionColumnsFromRecord } from "./record-columns.js";
